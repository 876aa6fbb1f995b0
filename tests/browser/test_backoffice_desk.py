"""Reception desk in a real browser: a reception officer logs in, finds the procedure without diacritics, fills
the applicant and the checklist, receives the dossier and reads the receipt; the pages have no axe violations."""

import re

import pytest
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier
from tests.backoffice.conftest import PASSWORD, intake, world  # noqa: F401 (fixtures)
from tests.browser.harness import allow_browser_error, assert_no_axe_violations

pytestmark = pytest.mark.browser


def log_in(page, username):
    page.goto("/accounts/login/?next=/backoffice/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))


def open_checklist(page):
    page.get_by_role("link", name="Tiếp nhận", exact=True).click()
    expect(page).to_have_url(re.compile(r"/backoffice/tiep-nhan/"))
    assert_no_axe_violations(page)
    page.get_by_label("Tìm thủ tục").fill("cap giay phep xay dung")  # htmx swaps the results in
    page.get_by_role("link", name="Cấp giấy phép xây dựng").click()
    expect(page.get_by_role("group", name="Thành phần hồ sơ đã nhận")).to_be_visible()


def fill_applicant(page):
    page.get_by_label("Họ và tên / tên tổ chức").fill("Trần Thị Bình")
    page.get_by_label("Số định danh cá nhân (12 số)").fill("001203012345")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ", exact=True).fill("Số 1 Lý Thái Tổ")


def test_reception_officer_receives_a_dossier_and_sees_the_receipt(page, world):  # noqa: F811
    log_in(page, "tn")
    open_checklist(page)
    assert_no_axe_violations(page)
    fill_applicant(page)
    page.get_by_role("group", name="1. Đơn đề nghị").get_by_label("Đã nhận").check()
    page.get_by_role("group", name="2. Bản vẽ thiết kế").get_by_label("Đã nhận").check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    receipt = page.get_by_role("status")
    expect(receipt).to_contain_text("Đã tiếp nhận hồ sơ")
    d = Dossier.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {d.code}")
    expect(receipt).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    assert_no_axe_violations(page)


def test_missing_documents_show_an_accessible_error_summary(page, world):  # noqa: F811
    log_in(page, "tn")
    open_checklist(page)
    fill_applicant(page)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Thiếu giấy tờ bắt buộc: Đơn đề nghị.")
    expect(alert).to_contain_text("Thiếu giấy tờ bắt buộc: Bản vẽ thiết kế.")
    assert not Dossier.objects.exists()
    assert_no_axe_violations(page)
    allow_browser_error(page, "422 (Unprocessable Entity)")  # the re-rendered form answers 422 on purpose
