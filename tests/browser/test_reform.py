"""Reform pages in a real browser: the CCHC plan page (progress, overdue flag, status update), the PAR path
(self-assessment → lock → appraisal with a reason → lock → ranking) and the officer sheet; axe on every page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from motcua.reform.models import Score
from tests.browser.harness import allow_browser_error, assert_no_axe_violations
from tests.browser.test_backoffice_desk import log_in
from tests.reform.conftest import load, make_plan, no_sipas, people, round_, small_set, world  # noqa: F401

pytestmark = pytest.mark.browser


def as_user(page, username: str, path: str):
    page.context.clear_cookies()
    log_in(page, username)
    page.goto(path)


def test_plan_page(page, people):  # noqa: F811
    plan = make_plan(people["dept"], 2026, "ddpn")
    as_user(page, "cv", "/backoffice/cai-cach/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Kế hoạch CCHC năm 2026")).click()
    expect(page.locator("#plan-progress")).to_contain_text("2/4 nhiệm vụ, đạt 50 %")
    expect(page.locator("#plan-progress")).to_contain_text("2 nhiệm vụ quá hạn")
    assert_no_axe_violations(page)
    row = page.locator(f"#act-{plan.activities.get(order=3).pk}")
    row.locator("summary").click()
    row.get_by_label("Trạng thái").select_option("done")
    row.get_by_label("Ngày hoàn thành").fill("2026-06-30")
    row.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã cập nhật nhiệm vụ «Nhiệm vụ 3»")).to_be_visible()
    expect(page.locator("#plan-progress")).to_contain_text("3/4 nhiệm vụ, đạt 75 %")
    assert_no_axe_violations(page)


def test_self_assessment_to_ranking(page, people, round_):  # noqa: F811
    unit = f"/backoffice/cai-cach/chi-so/{round_.pk}/{people['dept'].code}/"
    as_user(page, "cv", unit)
    page.get_by_label("Điểm tự đánh giá tiêu chí 1.2").fill("5,5")
    page.get_by_label("Điểm tự đánh giá tiêu chí 2.5").fill("10")
    page.get_by_role("button", name="Lưu điểm tự đánh giá").click()
    expect(page.get_by_text("Đã lưu điểm tự đánh giá.")).to_be_visible()
    assert_no_axe_violations(page)

    as_user(page, "cchc", f"/backoffice/cai-cach/chi-so/{round_.pk}/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Khóa tự đánh giá, chuyển sang thẩm định").click()
    expect(page.locator("#round-phase")).to_contain_text("Thẩm định")
    page.get_by_role("link", name=people["dept"].name).click()
    page.get_by_label("Điểm thẩm định tiêu chí 1.2").fill("5")
    page.get_by_role("button", name="Lưu điểm thẩm định").click()
    expect(page.get_by_role("alert")).to_contain_text("vui lòng ghi lý do")
    allow_browser_error(page, "422")  # the re-rendered form answers 422 Unprocessable Entity
    expect(page.get_by_label("Điểm thẩm định tiêu chí 1.2")).to_have_value("5")   # what was typed is kept
    page.get_by_label("Lý do điều chỉnh tiêu chí 1.2").fill("Thiếu báo cáo quý III")
    page.get_by_role("button", name="Lưu điểm thẩm định").click()
    expect(page.get_by_text("Đã lưu điểm thẩm định.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Bảng xếp hạng").click()
    page.get_by_role("button", name="Khóa thẩm định, công bố kết quả").click()
    expect(page.locator("#ranking")).to_contain_text("đứng thứ 1 trong khối sở")
    s = Score.objects.get(assessment__agency=people["dept"], criterion__code="1.2")
    assert (s.self_score, s.appraised, s.appraisal_reason) == (Decimal("5.5"), Decimal("5"), "Thiếu báo cáo quý III")
    assert_no_axe_violations(page)


def test_officer_sheet(page, people):  # noqa: F811
    as_user(page, "ld", "/backoffice/cai-cach/danh-gia-can-bo/?from=2026-01-01&to=2026-12-31")
    expect(page.locator("#officers")).to_contain_text(people["cv"].full_name)
    assert_no_axe_violations(page)
    page.get_by_role("link", name=people["cv"].full_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(people["cv"].full_name)
    expect(page.locator("#officer-sheet")).to_contain_text("Hồ sơ có kết quả trong kỳ")
    assert_no_axe_violations(page)
