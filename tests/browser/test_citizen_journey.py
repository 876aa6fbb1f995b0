"""The citizen's whole journey in a real browser, each citizen page checked with axe (WCAG 2.2 AA):

search without diacritics → procedure → register → submit with an upload → the desk receives it in the back office
(reception officer, back-office dossier page) → the specialist asks for a supplement (engine call) → the citizen
uploads it → payment requested (engine) → pays in the sandbox → result ready (engine) → public lookup at 320 px →
rating.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import Role
from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.transitions import TRANSITIONS
from tests.browser.harness import allow_browser_error, assert_no_axe_violations
from tests.factories import staff
from tests.portal.catalog_data import build_catalog
from tests.portal_citizen.files import pdf_bytes
from tests.portal_citizen.procedures import NAME, build_paid_procedure

pytestmark = pytest.mark.browser
PASSWORD = "Hoa-sen-2024!"


@pytest.fixture
def world(transactional_db):
    # Transactional tests truncate tables, so the index set loaded by the ratings data migration may be gone.
    from motcua.ratings import indexdata
    from motcua.ratings.models import IndexDefinition, IndexSet

    indexdata.load(json.loads(indexdata.BUILTIN.read_text(encoding="utf-8")), IndexSet, IndexDefinition)
    catalog = build_catalog()
    build_paid_procedure(catalog)
    commune = catalog["agencies"]["commune"]
    return {"tn": staff("tn.xa", commune, Role.RECEPTION), "cv": staff("cv.xa", commune, Role.SPECIALIST)}


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "to-khai.pdf"
    path.write_bytes(pdf_bytes("To khai"))
    return path


def log_in(page, username, password, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def log_out(page):
    # Dropping the session cookie, not the header's button: /accounts/logout/ renders Django admin's
    # "logged out" page (no LOGOUT_REDIRECT_URL), which is not a portal page.
    page.context.clear_cookies()


def next_step(page):
    page.get_by_role("button", name="Tiếp tục").click()


def register_and_submit(page, pdf_file) -> tuple[str, str]:
    page.goto("/")
    page.get_by_label("Tên hoặc mã thủ tục").fill("cap ban sao trich luc")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập để tiếp tục")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Chưa có tài khoản? Đăng ký").click()
    assert_no_axe_violations(page)
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Thư điện tử hoặc số điện thoại").fill("hoa@example.vn")
    page.get_by_label("Số định danh cá nhân (12 số)").fill("027302001234")
    page.get_by_label("Ngày sinh (dd/mm/yyyy)").fill("15/04/2002")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()

    expect(page).to_have_url(re.compile(r"/nop-ho-so/nhap/.+/nguoi-nop/$"))
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Nguyễn Thị Hoa")
    assert_no_axe_violations(page)
    page.get_by_label("Số điện thoại").fill("0912 000 111")
    page.get_by_label("Địa chỉ liên hệ").fill("Số 5 Ngô Gia Tự, phường Kinh Bắc")
    next_step(page)
    expect(page).to_have_url(re.compile(r"/giay-to/$"))
    assert_no_axe_violations(page)
    page.get_by_label("Tờ khai").set_input_files(str(pdf_file))
    next_step(page)
    expect(page).to_have_url(re.compile(r"/nhan-ket-qua/$"))
    assert_no_axe_violations(page)
    page.get_by_label("Trực tiếp tại bộ phận một cửa").check()
    next_step(page)
    expect(page).to_have_url(re.compile(r"/xem-lai/$"))
    expect(page.get_by_text("to-khai.pdf")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nộp hồ sơ thành công")
    assert_no_axe_violations(page)
    return page.locator("#dossier-code").inner_text(), page.locator("#lookup-secret").inner_text()


def test_citizen_journey(page, world, pdf_file):
    code, secret = register_and_submit(page, pdf_file)
    assert Dossier.objects.get(code=code).status == Status.NEW

    # The commune's desk receives it in the back office.
    log_out(page)
    log_in(page, "tn.xa", "matkhau-Manh-123", f"/backoffice/ho-so/{code}/")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_text("Được tiếp nhận").first).to_be_visible()
    assert Dossier.objects.get(code=code).status == Status.RECEIVED
    perform(code, "forward", world["tn"])
    perform(code, "request_supplement", world["cv"], items=["Bản sao giấy khai sinh"], reason="Thiếu giấy tờ")
    log_out(page)

    # The citizen sees what is missing and uploads it.
    log_in(page, "hoa@example.vn", PASSWORD, "/ho-so-cua-toi/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=code).click()
    expect(page.locator("#status-label")).to_have_text("Cần bổ sung giấy tờ")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Bổ sung giấy tờ trực tuyến").click()
    assert_no_axe_violations(page)
    page.get_by_label("Bản sao giấy khai sinh").set_input_files(str(pdf_file))
    page.get_by_role("button", name="Nộp giấy tờ bổ sung").click()
    if TRANSITIONS["receive_supplement"].applicant_may:
        expect(page.locator("#status-label")).to_have_text("Đang được giải quyết")
    else:  # engine not yet opened to the applicant: the page shows its refusal; the desk takes the supplement
        expect(page.get_by_role("alert")).to_contain_text("không có quyền")
        allow_browser_error(page, "bo-sung")
        perform(code, "receive_supplement", world["tn"])

    # Payment requested → the citizen pays in the sandbox.
    perform(code, "request_payment", world["cv"], amount=4000)
    page.goto(f"/ho-so/{code}/")
    page.get_by_role("link", name="Thanh toán").click()
    expect(page.get_by_text("4.000 đồng").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/sandbox/"))
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.PROCESSING and dossier.paid_online == 2

    # Result ready → public lookup on a 320 px phone, then the rating.
    perform(code, "result_ready", world["cv"])
    log_out(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/tra-cuu/?code={code}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)
    page.get_by_label("Mã tra cứu hoặc số điện thoại người nộp").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#status-label")).to_have_text("Đã có kết quả, mời nhận kết quả")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "hoa@example.vn", PASSWORD, f"/ho-so/{code}/")
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    assert_no_axe_violations(page)
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá")).to_be_visible()


def test_lookup_error_page_is_accessible_at_320px(page, world):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill("000.20.31.T99-260101-0001")
    page.get_by_label("Mã tra cứu hoặc số điện thoại người nộp").fill("khong-dung")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)
