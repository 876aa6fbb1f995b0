"""SIPAS in a real browser: the citizen's questionnaire on a 320 px phone (error summary, then a complete answer)
and the leader's results page, both checked with axe."""

import pytest
from playwright.sync_api import expect

from motcua.surveys import services
from motcua.surveys.models import Response, ResponseChannel
from tests.browser.harness import allow_browser_error, assert_no_axe_violations
from tests.browser.test_backoffice_desk import log_in
from tests.payments.world import make_dossier, world  # noqa: F401 (fixtures)
from tests.surveys.conftest import campaign_for, clone, finished, people  # noqa: F401 (fixtures)
from tests.surveys.helpers import answers

pytestmark = pytest.mark.browser


@pytest.fixture
def sampled(clone, campaign_for, people):  # noqa: F811
    clone(4)
    campaign = campaign_for(margin_percent="20")
    services.draw_sample(people["leader"], campaign)
    return campaign


def test_citizen_answers_on_a_phone(page, sampled):
    inv = sampled.invitations.first()
    token = inv.issue_token()
    inv.save(update_fields=["token_hash"])
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/khao-sat/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phiếu khảo sát sự hài lòng của người dân, tổ chức")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Gửi phiếu khảo sát").click()
    expect(page.get_by_role("alert")).to_contain_text("Có 24 lỗi cần sửa")  # every required question
    allow_browser_error(page, "422")
    assert_no_axe_violations(page)

    for name, value in answers(4).items():
        page.locator(f"#{name}-{value}").check()
    page.locator("#q-CC-HL-5").check()
    page.get_by_label("Ý kiến khác, đề xuất của Ông/Bà (không bắt buộc)").fill("Cán bộ tận tình.")
    page.get_by_role("button", name="Gửi phiếu khảo sát").click()
    expect(page.get_by_role("status")).to_contain_text("Phiếu khảo sát đã được ghi nhận")
    response = Response.objects.get()
    assert response.answers["CC-HL"] == 5 and response.comment == "Cán bộ tận tình."
    assert_no_axe_violations(page)


def test_leader_reads_results(page, sampled, people):  # noqa: F811
    for inv, value in zip(sampled.invitations.order_by("id"), [5, 4, 2, 5, 1], strict=True):
        services.submit_response(inv, answers(value), channel=ResponseChannel.ONLINE)
    log_in(page, "ld.xd")
    page.get_by_role("link", name="Khảo sát SIPAS").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=sampled.name).click()
    expect(page.locator("#sample-size")).to_have_text("5")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Kết quả, chỉ số").click()
    expect(page.locator("#sipas-overall")).to_have_text("60 %")
    expect(page.get_by_role("table").first).to_contain_text("23,1 – 88,2")
    assert_no_axe_violations(page)
