"""PAKN in a real browser: a citizen submits on the portal, the reception officer classifies, the specialist drafts
the answer, the leader approves and publishes, and the citizen likes the published answer; axe on the public form
and the published list; the form fits a 320 px screen."""

import re

import pytest
from playwright.sync_api import expect

from motcua.feedback.models import Feedback, Status
from tests.browser.harness import allow_browser_error, assert_no_axe_violations
from tests.browser.test_backoffice_desk import log_in
from tests.feedback.conftest import fast_passwords, submit, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def open_pakn_as(page, username: str, code: str):
    page.context.clear_cookies()
    log_in(page, username)
    page.goto("/backoffice/pakn/")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Phản ánh {code}")


def act(page, action: str, label: str, **fields):
    box = page.locator(f"#action-{action}")
    box.locator("summary").click()
    for name, value in fields.items():
        control = box.locator(f"[name={name}]")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    box.get_by_role("button", name=label).click()
    expect(page.get_by_text(f"Đã thực hiện «{label}»")).to_be_visible()


def test_citizen_to_publication_and_like(page, world):  # noqa: F811
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/phan-anh-kien-nghi/gui/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()  # empty: accessible error summary
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng nhập họ và tên")
    allow_browser_error(page, "422")  # the re-rendered form answers 422 Unprocessable Entity
    assert_no_axe_violations(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Cơ quan tiếp nhận").select_option(label="Sở Xây dựng")
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Địa chỉ").fill("Số 1 Lý Thái Tổ")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Tiêu đề").fill("Yêu cầu bản sao sổ hộ khẩu")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill("Bộ phận một cửa vẫn yêu cầu bản sao sổ hộ khẩu.")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    expect(page.get_by_role("status")).to_contain_text("Mã tra cứu")
    code = Feedback.objects.get().code
    expect(page.locator("#pakn-code")).to_have_text(code)

    open_pakn_as(page, "tn", code)
    page.goto("/backoffice/pakn/")
    expect(page.get_by_role("table")).to_contain_text("Trong hạn")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=code).click()
    act(page, "classify", "Phân loại", category="in_competence")
    open_pakn_as(page, "cv", code)
    act(page, "draft_answer", "Trình dự thảo trả lời", answer="Đã bãi bỏ yêu cầu nộp bản sao sổ hộ khẩu.")
    open_pakn_as(page, "ld", code)
    assert_no_axe_violations(page)
    act(page, "approve", "Duyệt trả lời")
    act(page, "publish", "Công khai kết quả")
    expect(page.locator("#pakn-status")).to_contain_text("Đã công khai")
    assert Feedback.objects.get().status == Status.PUBLISHED

    page.context.clear_cookies()
    page.goto("/phan-anh-kien-nghi/")
    page.get_by_label("Tìm kiếm (gõ có dấu hoặc không dấu)").fill("so ho khau")
    page.get_by_role("button", name="Tìm").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Yêu cầu bản sao sổ hộ khẩu").click()
    expect(page).to_have_url(re.compile(rf"/phan-anh-kien-nghi/{re.escape(code)}/$"))
    page.get_by_role("button", name="Thích", exact=True).click()
    expect(page.locator("#vote-counts")).to_have_text("1 lượt thích, 0 lượt không thích")
    expect(page.get_by_role("button", name="Thích", exact=True)).to_have_attribute("aria-pressed", "true")
    assert Feedback.objects.get().likes == 1
