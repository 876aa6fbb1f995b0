"""Dashboard figures and their charts, shared by the back-office dashboard and the public statistics page.

Charts are server-rendered SVG (pygal, a PyPI package: no JavaScript, no CDN, no build step; see
docs/decisions/0002-charts.md). pygal always embeds a small inline ``<script>`` with its tooltip config; the page's
CSP (``script-src 'self'``) would block it and log a console error, so an XML filter drops every script and adds the
``<title>``/``<desc>`` that screen readers announce. Every figure also comes with its data table (rendered by the
template inside ``<details>``) whose cells link to the dossiers behind them when a `link` function is given.

Figures read the rollups (the report itself, monthly flow sums, one grouped `rollup_sums` for the agency and procedure
figures) except the late-officer figure, which
counts over the dossier table through `report.dossiers_behind` (the officer is not a rollup dimension) so its
numbers equal the lengths of the lists they link to.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import pygal
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from pygal.style import Style

from motcua.core.text import format_number_vi
from motcua.reports.definitions import LABELS, counts_from_sums
from motcua.reports.report import DAY, FLOWS, dossiers_behind, group_labels, rollup_rows, rollup_sums, spans
from motcua.reports.units import unit_agency_ids

TOP_N = 10
COLORS = {"received": "#1f5fa8", "finished_early": "#15602a", "finished_on_time": "#6a9f2a",
          "finished_late": "#b00020", "in_progress_overdue": "#d86c00", "finished": "#15602a"}
STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1a1a1a", foreground_strong="#1a1a1a",
              foreground_subtle="#5a5a5a", opacity="1", opacity_hover=".8", transition="0s",
              font_family='system-ui, "DejaVu Sans", "Liberation Sans", sans-serif', label_font_size=15,
              major_label_font_size=15, legend_font_size=15, value_font_size=14, tooltip_font_size=14,
              colors=("#1f5fa8",))


@dataclass
class Cell:
    value: object
    text: str
    href: str | None = None


@dataclass
class Figure:
    """One chart and the table behind it: `columns` are the series labels, each row a label and one Cell a column."""

    slug: str
    title: str
    desc: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    svg: str = ""


def number(value) -> str:
    return "–" if value is None else format_number_vi(value)


# -- SVG -----------------------------------------------------------------------------------------------------------
def _accessible(title: str, desc: str, slug: str):
    """pygal XML filter: no scripts (CSP), and a title/description the SVG is labelled by."""

    def apply(root):
        for parent in list(root.iter()):
            for child in list(parent):
                if str(child.tag).rsplit("}", 1)[-1] == "script":
                    parent.remove(child)
        for child in list(root):  # pygal's own <title>Pygal</title>
            if str(child.tag).rsplit("}", 1)[-1] == "title":
                root.remove(child)
        for position, (tag, text) in enumerate((("title", title), ("desc", desc))):
            node = root.makeelement(tag, {"id": f"{slug}-{tag}"})
            node.text = text
            root.insert(position, node)
        root.set("aria-labelledby", f"{slug}-title {slug}-desc")
        root.set("class", f"{root.get('class', '')} chart".strip())
        return root

    return apply


def ticks(top) -> list[int]:
    """Whole-number axis ticks (dossiers are counted): 0 to ≥ top in 1/2/5 × 10^k steps, at most 6 intervals."""
    top = max(int(math.ceil(top or 0)), 1)
    step = next(m * 10 ** k for k in range(len(str(top)) + 1) for m in (1, 2, 5) if -(-top // (m * 10 ** k)) <= 6)
    return list(range(0, step * -(-top // step) + 1, step))


def render_svg(fig: Figure, keys: list[str], *, horizontal=False, stacked=False) -> str:
    """The figure as an inline SVG bar chart: one series per column (`keys` choose the colours)."""
    kind = {(False, False): pygal.Bar, (True, False): pygal.HorizontalBar, (False, True): pygal.StackedBar,
            (True, True): pygal.HorizontalStackedBar}[(horizontal, stacked)]
    style = Style(**{**STYLE.to_dict(), "colors": tuple(COLORS.get(k, "#1f5fa8") for k in keys)})
    rows = list(reversed(fig.rows)) if horizontal else fig.rows  # pygal draws horizontal bars bottom-up
    top = max([sum(c.value or 0 for c in cells) if stacked else max((c.value or 0 for c in cells), default=0)
               for _label, cells in rows] or [0])
    chart = kind(style=style, js=[], disable_xml_declaration=True, legend_at_bottom=True,
                 legend_at_bottom_columns=len(keys) if len(keys) < 4 else 2, truncate_label=40, truncate_legend=40,
                 value_formatter=number,
                 no_data_text=_("Không có số liệu"), width=800,
                 height=max(240, 90 + 40 * len(rows)) if horizontal else 380, margin=12, y_labels=ticks(top))
    chart.add_xml_filter(_accessible(fig.title, fig.desc, fig.slug))
    chart.x_labels = [label for label, _cells in rows]
    for i, column in enumerate(fig.columns):
        values = []
        for label, cells in rows:
            cell = cells[i]
            point = {"value": cell.value, "label": f"{label}: {cell.text}"}
            if cell.href:
                point["xlink"] = {"href": cell.href, "aria-label": f"{column}, {label}: {cell.text}"}
            values.append(point)
        chart.add(column, values)
    return chart.render(is_unicode=True)


# -- figures ------------------------------------------------------------------------------------------------------
def month_starts(date_from: date, date_to: date) -> list[date]:
    months, d = [], date_from.replace(day=1)
    while d <= date_to:
        months.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    return months


TREND_FLOWS = tuple(k for k in FLOWS if k.startswith(("received_", "finished")) or k == "ended")


def monthly_flows(ids, date_from: date, date_to: date, definition: str) -> dict[date, dict]:
    """Flow counts per month from the rollups: month rows for whole months, day rows for the partial months at
    the edges (flows are per day, so a month's sum is exact)."""
    from motcua.reports.models import Grain

    sums: dict[date, dict] = {}
    for grain, lo, hi in spans(date_from, date_to, (Grain.MONTH, DAY)):
        qs, field = rollup_rows(grain, lo, hi)
        month = TruncMonth(field) if grain == DAY else F(field)
        for row in (qs.filter(agency_id__in=ids).annotate(month=month).values("month")
                    .annotate(**{k: Sum(k) for k in TREND_FLOWS}).order_by()):
            key = row.pop("month")
            total = sums.setdefault(key if isinstance(key, date) else date.fromisoformat(str(key)[:10]), {})
            for k, v in row.items():
                total[k] = total.get(k, 0) + (v or 0)
    return {month: counts_from_sums(row, definition) for month, row in sorted(sums.items())}


def trend_figure(unit, date_from: date, date_to: date, definition: str, link) -> Figure:
    keys = ["received", "finished_early", "finished_on_time", "finished_late"]
    if definition == "766":
        keys.remove("finished_early")  # no early split in Decision 766
    flows = monthly_flows(unit_agency_ids(unit), date_from, date_to, definition)
    fig = Figure("trend", _("Tiếp nhận và kết quả giải quyết theo tháng"),
                 _("Số hồ sơ tiếp nhận, giải quyết trước hạn, đúng hạn và quá hạn của từng tháng."),
                 [str(LABELS[k]) for k in keys])
    for month in month_starts(date_from, date_to):
        start = max(month, date_from)
        end = min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1), date_to)
        counts = flows.get(month, {})
        fig.rows.append((month.strftime("%m/%Y"), [Cell(counts.get(k, 0), number(counts.get(k, 0)),
                                                        link(k, start, end)) for k in keys]))
    fig.svg = render_svg(fig, keys)
    return fig


def channel_figure(report: dict, link) -> Figure:
    keys = ["received_counter", "received_online", "received_postal", "received_api", "received_import"]
    fig = Figure("channel", _("Hồ sơ tiếp nhận theo kênh"),
                 _("Số hồ sơ tiếp nhận trong kỳ: trực tiếp, trực tuyến, bưu chính công ích, kết nối hệ thống, "
                   "nhập từ hệ thống cũ."), [str(LABELS["received"])])
    for k in keys:
        if k in ("received_api", "received_import") and not report[k]:
            continue  # MotCua's own channels appear only when used
        fig.rows.append((str(LABELS[k]), [Cell(report[k], number(report[k]), link(k))]))
    fig.svg = render_svg(fig, ["received"], horizontal=True)
    return fig


# The agency and procedure figures need four measures: one scan of the rollups grouped by (agency, procedure)
# with only those sums (period_report(by=...) computes every measure and scans once per breakdown).
GROUP_FLOWS = ("received_counter", "received_online", "received_postal", "received_api", "received_import",
               "finished", "ended", "finished_late", "finished_766_late")
GROUP_STOCKS = ("overdue", "overdue766")


def group_counts(ids, date_from: date, date_to: date, definition: str) -> tuple[dict, dict]:
    """Counts (`counts_from_sums`, so the report's definitions) per competent agency and per procedure."""
    rows = rollup_sums(ids, date_from, date_to, ("agency_id", "procedure_id"), GROUP_FLOWS, GROUP_STOCKS)
    by = {0: {}, 1: {}}
    for key, row in rows.items():
        for i, sums in by.items():
            total = sums.setdefault(key[i], dict.fromkeys(row, 0))
            for k, v in row.items():
                total[k] += v
    return ({k: counts_from_sums(v, definition) for k, v in by[0].items()},
            {k: counts_from_sums(v, definition) for k, v in by[1].items()})


def _groups(counts: dict, by: str) -> list[dict]:
    labels = group_labels(by, list(counts))
    return [{"key": key, "label": labels[key], **c} for key, c in counts.items()]


def agency_figure(by_agency: dict, link) -> Figure:
    keys = ["received", "finished", "finished_late", "in_progress_overdue"]
    top = sorted(by_agency.items(), key=lambda kv: (-kv[1]["received"], -kv[1]["finished"], kv[0]))[:TOP_N * 2]
    fig = Figure("agency", _("Theo cơ quan giải quyết"),
                 _("Số hồ sơ tiếp nhận, đã giải quyết, giải quyết quá hạn và đang quá hạn của %(n)s cơ quan tiếp nhận "
                   "nhiều hồ sơ nhất.") % {"n": TOP_N * 2}, [str(LABELS[k]) for k in keys])
    for g in _groups(dict(top), "agency"):
        fig.rows.append((g["label"], [Cell(g[k], number(g[k]), link(k, by="agency", key=g["key"])) for k in keys]))
    fig.svg = render_svg(fig, keys, horizontal=True)
    return fig


def _late_sort(groups: list[dict]) -> list[dict]:
    late = [g for g in groups if g["finished_late"] or g["in_progress_overdue"]]
    return sorted(late, key=lambda g: (-(g["finished_late"] + g["in_progress_overdue"]), str(g["label"])))[:TOP_N]


def late_procedure_figure(by_procedure: dict, link) -> Figure:
    keys = ["finished_late", "in_progress_overdue"]
    late = {k: c for k, c in by_procedure.items() if c["finished_late"] or c["in_progress_overdue"]}
    top = dict(sorted(late.items(), key=lambda kv: (-(kv[1]["finished_late"] + kv[1]["in_progress_overdue"]),
                                                    kv[0]))[:TOP_N])
    fig = Figure("late-procedure", _("Thủ tục có nhiều hồ sơ trễ hạn nhất"),
                 _("Số hồ sơ giải quyết quá hạn và đang giải quyết quá hạn của %(n)s thủ tục trễ hạn nhiều nhất.")
                 % {"n": TOP_N}, [str(LABELS[k]) for k in keys])
    for g in _late_sort(_groups(top, "procedure")):
        fig.rows.append((g["label"], [Cell(g[k], number(g[k]), link(k, by="procedure", key=g["key"]))
                                      for k in keys]))
    fig.svg = render_svg(fig, keys, horizontal=True, stacked=True)
    return fig


def late_officer_groups(unit, date_from, date_to, definition) -> list[dict]:
    """Late dossiers per current assignee, counted exactly as the lists they link to (None = not assigned)."""
    from motcua.accounts.models import User

    counts: dict = {}
    for measure in ("finished_late", "in_progress_overdue"):
        qs = dossiers_behind(unit, date_from, date_to, measure, definition).order_by()
        for row in qs.values("assignee").annotate(n=Count("pk")):
            counts.setdefault(row["assignee"], {"finished_late": 0, "in_progress_overdue": 0})[measure] = row["n"]
    names = dict(User.objects.filter(pk__in=[k for k in counts if k]).values_list("pk", "full_name"))
    groups = [{"key": key, "label": (names.get(key) or str(key)) if key else _("Chưa phân công"), **c}
              for key, c in counts.items()]
    return _late_sort(groups)


def late_officer_figure(unit, date_from, date_to, definition, link) -> Figure:
    keys = ["finished_late", "in_progress_overdue"]
    fig = Figure("late-officer", _("Cán bộ có nhiều hồ sơ trễ hạn nhất"),
                 _("Số hồ sơ giải quyết quá hạn và đang giải quyết quá hạn theo cán bộ đang được giao xử lý."),
                 [str(LABELS[k]) for k in keys])
    for g in late_officer_groups(unit, date_from, date_to, definition):
        key = g["key"] or "none"
        fig.rows.append((g["label"], [Cell(g[k], number(g[k]), link(k, by="officer", key=key)) for k in keys]))
    fig.svg = render_svg(fig, keys, horizontal=True, stacked=True)
    return fig


def _no_link(*_args, **_kwargs):
    return None


def figures(unit, report: dict, date_from: date, date_to: date, definition: str, *, link=None,
            officers=True) -> list[Figure]:
    """The dashboard's figures for `unit` (an Agency). `link(measure, date_from=None, date_to=None, by=None,
    key=None)` gives the URL of the dossiers behind a number (None on the public page, which lists no dossiers);
    `officers=False` leaves out the personal figure."""
    link = link or _no_link

    def period_link(measure, start=None, end=None, **group):
        return link(measure, start or date_from, end or date_to, **group)

    by_agency, by_procedure = group_counts(unit_agency_ids(unit), date_from, date_to, definition)
    out = [trend_figure(unit, date_from, date_to, definition, period_link),
           channel_figure(report, period_link),
           agency_figure(by_agency, period_link),
           late_procedure_figure(by_procedure, period_link)]
    if officers:
        out.append(late_officer_figure(unit, date_from, date_to, definition, period_link))
    return out
