"""Back-office statistics dashboard, the dossier lists behind its figures, and the public page's charts.

The data is the hand-computed quarter of test_period (department 000.00.12.T99, January–March 2026)."""

import re
from html import unescape

import pytest

from motcua.reports.charts import Cell, Figure, group_counts, monthly_flows, render_svg
from motcua.reports.report import period_report
from motcua.reports.units import resolve_unit, unit_agency_ids
from tests.reports.test_period import DEPT, DEPT_SPECS, PC

URL = "/backoffice/thong-ke/"
QUARTER = {"unit": DEPT, "from": "2026-01-01", "to": "2026-03-31"}
LIST_LINK = re.compile(r'<a href="(/backoffice/thong-ke/ho-so/\?[^"]+)">(?:<span class="n">)?([\d.]+)<')


@pytest.fixture
def dept_data(load):
    return load(*DEPT_SPECS)


@pytest.fixture
def leader(client, world):
    client.force_login(world["ld"])
    return client


def figure(response, slug):
    return next(f for f in response.context["figures"] if f.slug == slug)


def table(fig):
    return {label: [c.value for c in cells] for label, cells in fig.rows}


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_units_outside_the_scope_are_not_found(leader, world):
    assert leader.get(URL, {"unit": PC}).status_code == 404
    assert leader.get(URL, {"unit": "000.00.13.T99"}).status_code == 404  # another department
    assert leader.get(URL, {"unit": "nope"}).status_code == 404
    assert leader.get(URL + "ho-so/", {**QUARTER, "unit": PC, "measure": "received"}).status_code == 404
    response = leader.get(URL)  # no unit: the leader's own department
    assert response.status_code == 200 and response.context["unit"].code == DEPT
    assert [code for code, _name in response.context["units"]] == [DEPT, world["division"].code]


def test_province_inspector_chooses_any_unit_of_the_province(client, world):
    client.force_login(world["tt"])
    response = client.get(URL)
    assert response.context["unit"].code == PC
    codes = [code for code, _name in response.context["units"]]
    assert DEPT in codes and "000.20.00.T99" not in codes  # the abolished district reports through its successor


def test_hand_computed_trend_channels_and_late_figures(leader, dept_data):
    response = leader.get(URL, QUARTER)
    assert response.status_code == 200
    assert table(figure(response, "trend")) == {
        "01/2026": [3, 0, 0, 1], "02/2026": [1, 1, 0, 0], "03/2026": [3, 0, 0, 0]}
    assert table(figure(response, "channel")) == {"Tiếp nhận trực tiếp": [4], "Tiếp nhận trực tuyến": [2],
                                                  "Tiếp nhận qua bưu chính công ích": [1]}
    assert table(figure(response, "late-procedure")) == {"1.000777 Thủ tục 1.000777": [1, 1]}
    assert table(figure(response, "late-officer")) == {"Chưa phân công": [1, 1]}
    assert table(figure(response, "agency")) == {"Sở Xây dựng": [7, 2, 1, 1]}
    response = leader.get(URL, {**QUARTER, "definition": "766"})
    assert table(figure(response, "trend")) == {  # received, on time, late (no early split)
        "01/2026": [3, 0, 1], "02/2026": [1, 2, 0], "03/2026": [3, 1, 0]}
    assert table(figure(response, "late-procedure")) == {"1.000777 Thủ tục 1.000777": [1, 2]}


@pytest.mark.parametrize("definition", ["local", "766"])
def test_monthly_flows_equal_monthly_period_reports(dept_data, definition):
    from datetime import date

    unit = resolve_unit(PC)
    months = monthly_flows(unit_agency_ids(unit), date(2025, 12, 1), date(2026, 4, 30), definition)
    assert len(months) == 5
    for start, counts in months.items():
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        report = period_report(PC, start, end.fromordinal(end.toordinal() - 1), definition=definition)
        for k in ("received", "received_online", "received_postal", "finished", "finished_early", "finished_on_time",
                  "finished_late"):
            assert counts[k] == report[k], (start, k)


@pytest.mark.parametrize("definition", ["local", "766"])
def test_every_figure_links_to_exactly_its_dossiers(leader, dept_data, definition):
    html = leader.get(URL, {**QUARTER, "definition": definition}).content.decode()
    links = LIST_LINK.findall(html)
    # 6 tiles, 3 months × 4 (local) or 3 (766) columns, 3 channels, 4 agency columns, 2 + 2 late columns
    assert len(links) == (29 if definition == "local" else 26)
    assert html.count('xlink:href="/backoffice/thong-ke/ho-so/') == len(links) - 6  # the bars link too
    assert any("by=officer" in u for u, _n in links) and any("by=procedure" in u for u, _n in links)
    for url, shown in links:
        page = leader.get(unescape(url))
        assert page.status_code == 200, url
        assert page.context["count"] == int(shown.replace(".", "")), url
        assert len(page.context["page"].object_list) == min(int(shown.replace(".", "")), 50)


def test_list_of_late_dossiers_shows_them(leader, dept_data):
    response = leader.get(URL + "ho-so/", {**QUARTER, "measure": "in_progress_overdue"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "A4" in body and "Đang giải quyết quá hạn" in body and "1 hồ sơ" in body
    assert "Trần Thị Bình" not in body  # no applicant data in the statistics lists


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-13-01"}, "from"), ({"to": "2025-01-01"}, "to"), ({"definition": "x", "from": "bad"}, "from"),
])
def test_bad_dashboard_parameters_are_422_with_a_message(leader, world, params, field):
    response = leader.get(URL, {**QUARTER, **params})
    assert response.status_code == 422
    assert field in response.context["errors"]
    assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("params", [
    {"measure": "nope"}, {"measure": "received", "by": "officer"}, {"measure": "received", "by": "x", "key": "1"},
    {"measure": "received", "by": "agency", "key": "abc"}, {"measure": "received", "from": "x"},
])
def test_bad_list_parameters_are_422(leader, world, params):
    response = leader.get(URL + "ho-so/", {**QUARTER, **params})
    assert response.status_code == 422
    assert response.context["errors"]


def test_svg_has_no_script_a_title_a_description_and_vietnamese_numbers():
    fig = Figure("x", "Tiếp nhận theo tháng", "Số hồ sơ tiếp nhận", ["Tiếp nhận"],
                 [("01/2026", [Cell(1644, "1.644", "/list?a=1&b=2")]), ("02/2026", [Cell(12, "12")])])
    svg = render_svg(fig, ["received"])
    assert "<script" not in svg and "<?xml" not in svg
    assert '<title id="x-title">Tiếp nhận theo tháng</title>' in svg
    assert '<desc id="x-desc">Số hồ sơ tiếp nhận</desc>' in svg
    assert 'aria-labelledby="x-title x-desc"' in svg
    assert "1.644" in svg and "1,644" not in svg
    assert 'xlink:href="/list?a=1&amp;b=2"' in svg and 'aria-label="Tiếp nhận, 01/2026: 1.644"' in svg


def test_public_page_has_the_charts_without_lists_or_officers(client, dept_data):
    response = client.get(f"/thong-ke/{DEPT}/", {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    slugs = [f.slug for f in response.context["figures"]]
    assert slugs == ["trend", "channel", "agency", "late-procedure"]
    assert body.count("<svg") == 4 and "<script" not in body.split("<main", 1)[1]
    assert "/backoffice/" not in body.split("<main", 1)[1]
    assert "format=csv" in body and "format=json" in body
    assert table(figure(response, "trend"))["01/2026"] == [3, 0, 0, 1]


def test_home_and_nav_link_to_the_dashboard(leader, world):
    body = leader.get("/backoffice/").content.decode()
    assert body.count(f'href="{URL}"') == 2


@pytest.mark.parametrize("definition", ["local", "766"])
def test_grouped_counts_equal_the_report_breakdowns(dept_data, definition):
    from datetime import date

    by_agency, by_procedure = group_counts(unit_agency_ids(resolve_unit(PC)), date(2026, 1, 1), date(2026, 3, 31),
                                           definition)
    for by, counts in (("agency", by_agency), ("procedure", by_procedure)):
        report = period_report(PC, "2026-01-01", "2026-03-31", by=by, definition=definition)
        groups = {g["key"]: g for g in report["groups"]}
        assert set(groups) == set(counts) and len(counts) >= 1
        for key, c in counts.items():
            for k in ("received", "finished", "finished_late", "in_progress_overdue"):
                assert c[k] == groups[key][k], (by, key, k)


@pytest.mark.parametrize("top, expected", [(0, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]),
                                           (1644, [0, 500, 1000, 1500, 2000])])
def test_axis_ticks_are_whole_numbers_covering_the_largest_value(top, expected):
    from motcua.reports.charts import ticks

    assert ticks(top) == expected
