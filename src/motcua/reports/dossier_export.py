"""The dossier list behind a figure of the period report as XLSX or CSV, streamed in constant memory.

`behind(unit, date_from, date_to, measure, definition)` checks the arguments and returns the queryset of
`report.dossiers_behind` (the same dossiers the HTML list shows) and the period end. `write_xlsx` and `iter_csv`
read it with one `values_list(...).iterator()` pass; procedure and agency names are resolved by dictionaries built
once, so the cost does not grow with queries per row. The list carries no applicant data at all (name, personal ID,
contact): only what the statistics are about.

Outcome: for a dossier ended in the period, its stored class (local: early / on time / late; 766: on time / late);
for a dossier still open at the period end, within time or overdue against its due instant at that end. Days late
are working days (the competent agency's calendar, one decimal) from the due instant to the end of processing, or
to the period end (today at the latest) for an overdue open dossier.
"""

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.reports.definitions import COUNT_MEASURES, EXTRA_MEASURES
from motcua.reports.export import write_xlsx as write_table
from motcua.reports.report import bounds, check_args, dossiers_behind
from motcua.worktime.clock import TZ, ClockError

MEASURES = COUNT_MEASURES + EXTRA_MEASURES
FIELDS = ("code", "procedure_version_id", "receiving_agency_id", "competent_agency_id", "channel", "received_at",
          "due_at", "finished_at", "status", "outcome", "outcome_766")
DATE_COLUMNS = (5, 6, 7)
DATE_FORMAT = "dd/mm/yyyy hh:mm"
CHUNK = 2000


def header() -> list[str]:
    return [_("Mã hồ sơ"), _("Thủ tục"), _("Đơn vị tiếp nhận"), _("Cơ quan giải quyết"), _("Kênh nộp"),
            _("Tiếp nhận"), _("Hạn giải quyết"), _("Kết thúc xử lý"), _("Trạng thái"), _("Kết quả giải quyết"),
            _("Số ngày trễ hạn (ngày làm việc)")]


def behind(unit, date_from, date_to, measure: str, definition: str = "local"):
    """(queryset, first day, last day, period end) of the dossiers behind `measure`; DomainError (422) on a bad
    argument."""
    if measure not in MEASURES:
        raise DomainError("invalid", _("Chỉ tiêu không tồn tại."), fields={"measure": [
            _("Chỉ tiêu «%(m)s» không tồn tại. Chỉ nhận: %(c)s.") % {"m": measure, "c": ", ".join(MEASURES)}]},
            status=422)
    date_from, date_to = check_args(date_from, date_to, None, definition)
    qs = dossiers_behind(unit, date_from, date_to, measure, definition)
    return qs, date_from, date_to, bounds(date_from, date_to)[1]


class _Names:
    """Labels resolved once per export: procedure versions, agencies, channels, statuses, outcomes, calendars."""

    def __init__(self, definition: str):
        from motcua.agencies.models import Agency
        from motcua.catalog.models import ProcedureVersion
        from motcua.dossiers.models import Channel, Outcome, Status

        self.procedures = {pk: f"{code} {name}" for pk, code, name in
                           ProcedureVersion.objects.values_list("pk", "procedure__code", "procedure__name")}
        self.agencies = dict(Agency.objects.values_list("pk", "name"))
        self.channels = {k: str(v) for k, v in Channel.choices}
        self.statuses = {k: str(v) for k, v in Status.choices}
        self.outcomes = {k: str(v) for k, v in Outcome.choices}
        self.open_late, self.open_on_time = _("Đang giải quyết, quá hạn"), _("Đang giải quyết, trong hạn")
        self.outcome_index = FIELDS.index("outcome_766" if definition == "766" else "outcome")
        self._calendars: dict = {}

    def calendar(self, agency_id: int):
        if agency_id not in self._calendars:
            from motcua.agencies.models import Agency
            from motcua.worktime.services import get_calendar

            self._calendars[agency_id] = get_calendar(Agency.objects.only("pk", "path").get(pk=agency_id))
        return self._calendars[agency_id]

    def days_late(self, agency_id: int, due: datetime, until: datetime) -> float | None:
        cal = self.calendar(agency_id)
        try:
            return round((cal.w(until, "end") - cal.w(due, "due")) / cal.day_seconds, 1)
        except ClockError:  # outside the calendar's supported years: leave the cell empty rather than guess
            return None


def _local(dt: datetime | None) -> datetime | None:
    """Naive local time: Excel has no time zones."""
    return None if dt is None else dt.astimezone(TZ).replace(tzinfo=None)


def rows(qs, definition: str, end: datetime) -> Iterator[tuple]:
    """One tuple per dossier in the order of `header()`; dates as naive local datetimes."""
    names = _Names(definition)
    until = min(end, timezone.now())
    for row in qs.values_list(*FIELDS).iterator(chunk_size=CHUNK):
        code, version, receiving, competent, channel, received, due, finished, status = row[:9]
        outcome, late = "", None
        if finished is not None and finished < end:
            outcome = names.outcomes.get(row[names.outcome_index], "")
            if due is not None and finished > due:
                late = names.days_late(competent, due, finished)
        elif received is not None and received < end:
            outcome = names.open_late if due is not None and due < end else names.open_on_time
            if due is not None and due < until:
                late = names.days_late(competent, due, until)
        yield (code, names.procedures.get(version, ""), names.agencies.get(receiving, ""),
               names.agencies.get(competent, ""), names.channels.get(channel, ""), _local(received), _local(due),
               _local(finished), names.statuses.get(status, ""), outcome, late)


def write_xlsx(target, qs, definition: str, end: datetime, progress=None) -> int:
    """The list as one sheet: bold frozen header, autofilter, dates as real Excel dates (dd/mm/yyyy hh:mm)."""
    return write_table(target, _("Hồ sơ"), header(), rows(qs, definition, end),
                       formats={**dict.fromkeys(DATE_COLUMNS, DATE_FORMAT), 10: "0.0"},
                       widths={0: 24, 1: 50, 2: 30, 3: 30, 4: 14, 5: 16, 6: 16, 7: 16, 8: 22, 9: 22, 10: 12},
                       autofilter=True, progress=progress)


def iter_csv(qs, definition: str, end: datetime, progress=None) -> Iterator[bytes]:
    """UTF-8 with BOM (Excel opens it with the diacritics), dates dd/mm/yyyy HH:MM; yielded in chunks of lines."""
    buf = io.StringIO()
    out = csv.writer(buf)
    buf.write("\ufeff")
    out.writerow(header())
    n = 0
    for row in rows(qs, definition, end):
        out.writerow([f"{v:%d/%m/%Y %H:%M}" if isinstance(v, datetime) else v for v in row])
        n += 1
        if n % CHUNK == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
            if progress:
                progress(CHUNK)
    yield buf.getvalue().encode("utf-8")
    if progress and n % CHUNK:
        progress(n % CHUNK)


def filename(unit, measure: str, date_from, date_to, fmt: str) -> str:
    return f"ho-so-{measure}-{unit.code}-{date_from}-{date_to}.{fmt}"
