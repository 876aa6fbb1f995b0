"""Statistics dashboards in a real browser: a department leader opens the back-office dashboard from the nav, reads
a chart's data table, follows a figure to its dossiers; the public page shows the same charts. No console errors
(the page fixture fails on any, e.g. a CSP-blocked inline script in an SVG), and axe finds no violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.harness import assert_no_axe_violations
from tests.browser.test_backoffice_desk import log_in
from tests.reports.conftest import _tmp_record_bulk, load, world  # noqa: F401 (fixtures)
from tests.reports.test_period import DEPT, DEPT_SPECS

pytestmark = pytest.mark.browser


def test_leader_reads_the_dashboard_and_opens_the_late_dossiers(page, world, load):  # noqa: F811
    load(*DEPT_SPECS)
    log_in(page, "ld")
    page.get_by_role("link", name="Thống kê", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sở Xây dựng")
    page.get_by_label("Từ ngày").fill("2026-01-01")
    page.get_by_label("Đến ngày").fill("2026-03-31")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("svg.chart")).to_have_count(5)
    expect(page.locator("svg.chart title").first).to_have_text("Tiếp nhận và kết quả giải quyết theo tháng")
    assert_no_axe_violations(page)

    late = page.locator("section.figure", has=page.get_by_role("heading", name="Thủ tục có nhiều hồ sơ trễ hạn"))
    late.locator("summary").click()
    table = late.get_by_role("table")
    expect(table).to_contain_text("Thủ tục 1.000777")
    assert_no_axe_violations(page)
    table.get_by_role("link").last.click()  # in progress, overdue
    expect(page).to_have_url(re.compile(r"/backoffice/thong-ke/ho-so/\?.*measure=in_progress_overdue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đang giải quyết quá hạn")
    expect(page.locator("table.dossiers tbody tr")).to_have_count(1)
    expect(page.locator("table.dossiers")).to_contain_text("A4")
    assert_no_axe_violations(page)


def test_public_statistics_page_shows_the_charts(page, world, load):  # noqa: F811
    load(*DEPT_SPECS)
    page.goto("/")
    page.get_by_role("link", name="Thống kê", exact=True).click()  # the portal's navigation → every unit
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Sở Xây dựng").click()
    expect(page).to_have_url(re.compile(f"/thong-ke/{DEPT}/"))
    page.goto(f"/thong-ke/{DEPT}/?year=2026")
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
    page.locator("section.figure summary").first.click()
    expect(page.locator("section.figure table").first).to_contain_text("01/2026")
    assert_no_axe_violations(page)
