"""Find a procedure in a real browser: search without diacritics, open it, read it; accessible; fits 320 px."""

import re

import pytest
from playwright.sync_api import expect

from motcua.portal.views import submission_url
from tests.browser.harness import allow_browser_error, assert_no_axe_violations
from tests.portal.catalog_data import build_catalog

pytestmark = pytest.mark.browser

COMPONENTS = ["Trình tự thực hiện", "Cách thức thực hiện", "Thành phần, số lượng hồ sơ", "Thời hạn giải quyết",
              "Đối tượng thực hiện", "Cơ quan thực hiện", "Phí, lệ phí"]


@pytest.fixture
def catalog(transactional_db):
    return build_catalog()


def _no_horizontal_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at a 320px viewport"


def test_search_open_and_read_a_procedure(page, catalog):
    page.goto("/")
    assert_no_axe_violations(page)
    page.get_by_label("Tên hoặc mã thủ tục").fill("dang ky ket hon")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+ket\+hon"))
    expect(page.get_by_role("heading", level=2)).to_contain_text("Tìm thấy 2 thủ tục")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Đăng ký kết hôn có yếu tố nước ngoài").click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/2\.000806/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký kết hôn có yếu tố nước ngoài")
    for component in COMPONENTS:
        expect(page.get_by_role("heading", level=2, name=component)).to_be_visible()
    expect(page.get_by_text("Lệ phí đăng ký kết hôn: 1.644.000 đồng")).to_be_visible()
    if submission_url("2.000806"):  # the submission flow is routed: a real link, never a placeholder
        expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_have_attribute(
            "href", "/nop-ho-so/2.000806/")
    else:
        expect(page.get_by_text("Thủ tục này có thể nộp trực tuyến")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("url", ["/", "/thu-tuc/?q=ket+hon", "/thu-tuc/1.000894/", "/linh-vuc/HT/",
                                 "/co-quan/", "/su-kien/ket-hon/", "/thu-tuc/9.999999/"])
def test_pages_fit_a_320px_phone_and_stay_accessible(page, catalog, url):
    page.set_viewport_size({"width": 320, "height": 640})
    response = page.goto(url)
    if "9.999999" in url:
        assert response.status == 404
        allow_browser_error(page, "404")
    else:
        assert response.status == 200
    _no_horizontal_scroll(page)
    assert_no_axe_violations(page)


def test_search_box_is_reachable_by_keyboard(page, catalog):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("Tên hoặc mã thủ tục").focus()
    page.keyboard.type("khai sinh")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Đăng ký khai sinh")).to_be_visible()
