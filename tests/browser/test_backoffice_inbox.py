"""Inbox and dossier page in a real browser: a specialist opens the inbox, opens a dossier and forwards it."""

import re

import pytest
from playwright.sync_api import expect

from motcua.dossiers.engine import perform
from tests.backoffice.conftest import intake, world  # noqa: F401 (fixtures)
from tests.browser.harness import assert_no_axe_violations
from tests.browser.test_backoffice_desk import log_in

pytestmark = pytest.mark.browser


def test_specialist_opens_the_inbox_and_forwards_a_dossier(page, world, intake):  # noqa: F811
    d = intake()
    late = intake(days_ago=30)
    for dossier in (d, late):
        perform(dossier, "hand_over", world["tn"])
    perform(d, "assign", world["ld"], assignee_id=world["cv"].pk)

    log_in(page, "cv")
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    table = page.get_by_role("table")
    expect(table).to_contain_text(d.code)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Hồ sơ của đơn vị").click()
    rows = page.locator("table.dossiers tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(late.code)  # overdue first
    expect(rows.first).to_contain_text("Quá hạn")
    page.get_by_label("Hạn giải quyết").select_option("overdue")  # htmx refreshes the table
    expect(rows).to_have_count(1)
    assert_no_axe_violations(page)

    page.goto("/backoffice/ho-so/?view=mine")
    page.get_by_role("link", name=d.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {d.code}")
    assert_no_axe_violations(page)
    forward = page.locator("#action-forward")
    forward.locator("summary").click()
    forward.get_by_label("Lý do").fill("Đủ điều kiện trình ký")
    forward.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(page.get_by_text("Đã thực hiện «Chuyển bước tiếp theo»")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/backoffice/ho-so/{re.escape(d.code)}/$"))
    timeline = page.locator("ol.timeline li").first
    expect(timeline).to_contain_text("Chuyển bước tiếp theo")
    expect(timeline).to_contain_text("Đủ điều kiện trình ký")
    assert_no_axe_violations(page)
