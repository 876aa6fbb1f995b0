"""The 766 dashboard in a real browser: the nav link, the scores, a drill-down to a dossier; axe (WCAG 2.2 AA) on
every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.harness import assert_no_axe_violations
from tests.browser.test_backoffice_desk import log_in
from tests.indices.conftest import DEPT, PERIOD

pytestmark = pytest.mark.browser


def test_inspector_reads_the_index_and_drills_down_to_a_late_dossier(page, october, sync_value):
    log_in(page, "tt")
    page.get_by_role("link", name="Chỉ số 766", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chỉ số 766")
    assert_no_axe_violations(page)

    page.get_by_label("Đơn vị", exact=True).select_option(DEPT)
    page.get_by_label("Kỳ (2026-10, 2026-Q4, 2026)").fill(PERIOD)
    page.get_by_role("button", name="Xem").click()
    expect(page.locator(".index-total")).to_contain_text("57,43")
    expect(page.get_by_role("table", name="Điểm theo nhóm chỉ số")).to_contain_text("13,33")
    expect(page.get_by_role("table", name="Tổng điểm và điểm từng nhóm theo tháng")).to_contain_text(
        "Tháng 10/2026")  # loaded by htmx after the page
    expect(page.get_by_role("heading", name="Xếp hạng xã, phường")).to_have_count(0)  # a department has none
    assert_no_axe_violations(page)

    page.get_by_role("table", name="Tỷ lệ, chỉ tiêu và điểm của từng chỉ số").get_by_role(
        "link", name="Hồ sơ giải quyết, đang giải quyết đúng hạn, trong hạn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "2.1 Hồ sơ giải quyết, đang giải quyết đúng hạn, trong hạn")
    expect(page.locator("table.index-lost tbody tr")).to_have_count(3)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="D5", exact=True).click()
    expect(page).to_have_url(re.compile(r"/backoffice/ho-so/D5/$"))
