"""Login in a real browser: the page is accessible and a staff member reaches the back office."""

import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import Role
from tests.browser.harness import assert_no_axe_violations
from tests.factories import AgencyFactory, staff

pytestmark = pytest.mark.browser


def test_login_page_renders_and_is_accessible(page):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    expect(page.get_by_label("Mật khẩu")).to_be_visible()
    assert_no_axe_violations(page)


def test_staff_member_logs_in_and_reaches_backoffice(page):
    staff("canbo.motcua", AgencyFactory(name="Sở Tư pháp"), Role.RECEPTION)
    page.goto("/backoffice/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/backoffice/"))
    page.get_by_label("Tên đăng nhập").fill("canbo.motcua")
    page.get_by_label("Mật khẩu").fill("matkhau-Manh-123")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    assert_no_axe_violations(page)


def test_wrong_password_shows_an_error_and_stays_on_login(page):
    staff("canbo.sai", AgencyFactory(name="Sở Xây dựng"), Role.SPECIALIST)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo.sai")
    page.get_by_label("Mật khẩu").fill("khong-dung-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
