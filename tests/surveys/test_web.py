"""SIPAS pages: the citizen's link (no login), staff pages scoped to the user's units, XLSX export."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from motcua.accounts.models import AccountKind
from motcua.surveys import services
from motcua.surveys.models import Campaign, Invitation, InvitationStatus, Response, ResponseChannel
from tests.factories import UserFactory
from tests.surveys.helpers import answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(clone, campaign_for, people):
    clone(4)
    c = campaign_for(margin_percent="20")
    services.draw_sample(people["leader"], c)
    return c


@pytest.fixture
def link(campaign):
    inv = campaign.invitations.first()
    token = inv.issue_token()
    inv.save(update_fields=["token_hash"])
    return inv, f"/khao-sat/{token}/"


# -- the citizen's questionnaire ------------------------------------------------------------------------------------
def test_public_questionnaire_renders_every_question(client, link):
    page = client.get(link[1])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Phiếu khảo sát sự hài lòng" in html and "Tiếp cận dịch vụ" in html
    assert html.count('type="radio"') == 5 * 30  # 30 questions × 5 levels
    assert 'for="q-CC-HL-5"' in html and "Rất hài lòng" in html


def test_public_submit_once(client, link):
    inv, url = link
    done = client.post(url, answers(5))
    assert done.status_code == 201 and "Cảm ơn" in done.content.decode()
    again = client.post(url, answers(1))
    assert again.status_code == 409 and "đã được trả lời" in again.content.decode()
    assert Response.objects.get().answers["TC-HL"] == 5
    assert client.get(url).status_code == 409


def test_public_invalid_answers_get_a_vietnamese_422(client, link):
    page = client.post(link[1], {**answers(), "q-TC1": "9", "q-KQ-HL": ""})
    html = page.content.decode()
    assert page.status_code == 422
    assert "Có 2 lỗi cần sửa" in html
    assert "Câu trả lời phải là một mức từ 1 đến 5." in html and 'href="#q-KQ-HL-1"' in html
    assert 'value="4" checked' in html  # the other answers are kept
    assert not Response.objects.exists()


def test_unknown_and_expired_links(client, link, campaign):
    assert client.get("/khao-sat/khong-co-ma-nay-abcdefghijklmnop/").status_code == 404
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=date.today() - timedelta(days=1))
    closed = client.post(link[1], answers())
    assert closed.status_code == 410 and "Đợt khảo sát đã kết thúc" in closed.content.decode()
    assert not Response.objects.exists()


# -- staff pages ----------------------------------------------------------------------------------------------------
def test_staff_pages_need_a_staff_login(client, campaign):
    assert client.get("/backoffice/khao-sat/").status_code == 302
    client.force_login(UserFactory(username="dan", kind=AccountKind.CITIZEN))
    assert client.get("/backoffice/khao-sat/").status_code == 403
    assert client.get(f"/backoffice/khao-sat/{campaign.pk}/ket-qua/").status_code == 403


def test_campaigns_are_scoped(client, campaign, people):
    client.force_login(people["other_leader"])
    listing = client.get("/backoffice/khao-sat/")
    assert listing.status_code == 200 and campaign.name not in listing.content.decode()
    for suffix in ("", "ket-qua/", "ket-qua.xlsx", "phieu-giay/"):
        assert client.get(f"/backoffice/khao-sat/{campaign.pk}/{suffix}").status_code == 404
    client.force_login(people["inspector"])  # province inspector: reads everything, changes nothing
    assert campaign.name in client.get("/backoffice/khao-sat/").content.decode()
    assert client.get(f"/backoffice/khao-sat/{campaign.pk}/ket-qua/").status_code == 200
    assert client.get(f"/backoffice/khao-sat/{campaign.pk}/phieu-giay/").status_code == 403
    assert client.post(f"/backoffice/khao-sat/{campaign.pk}/", {"action": "send"}).status_code == 403


def test_create_campaign_form(client, people, world):
    client.force_login(people["leader"])
    bad = client.post("/backoffice/khao-sat/", {"agency": world["dept"].pk, "name": "", "period_start": "2026-01-01",
                                                "period_end": "2025-12-01", "closes_on": "", "margin_percent": "x"})
    html = bad.content.decode()
    assert bad.status_code == 422
    assert "Vui lòng nhập tên đợt khảo sát." in html and "Sai số cho phép phải từ 1 đến 20" in html
    outside = client.post("/backoffice/khao-sat/", {"agency": world["other_dept"].pk, "name": "X",
                                                    "period_start": "2026-01-01", "period_end": "2026-01-31",
                                                    "closes_on": "2026-02-28", "margin_percent": "5"})
    assert outside.status_code == 422 and "được quyền tổ chức khảo sát" in outside.content.decode()
    ok = client.post("/backoffice/khao-sat/", {"agency": world["dept"].pk, "name": "Quý I/2026",
                                               "period_start": "2026-01-01", "period_end": "2026-03-31",
                                               "closes_on": "2099-04-30", "margin_percent": "3,5"})
    created = Campaign.objects.get(name="Quý I/2026")
    assert ok.status_code == 302 and ok["Location"] == f"/backoffice/khao-sat/{created.pk}/"
    assert str(created.margin_of_error) == "0.035"
    page = client.get(ok["Location"]).content.decode()
    assert "3,5 %" in page and "Chọn mẫu ngẫu nhiên" in page


def test_draw_and_send_from_the_campaign_page(client, clone, campaign_for, people,
                                              django_capture_on_commit_callbacks):
    clone(2)
    c = campaign_for()
    client.force_login(people["leader"])
    client.post(f"/backoffice/khao-sat/{c.pk}/", {"action": "draw"})
    assert Invitation.objects.filter(campaign=c).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/backoffice/khao-sat/{c.pk}/", {"action": "send"}, follow=True)
    assert "Đã gửi 3 thư mời" in page.content.decode()
    assert set(Invitation.objects.values_list("status", flat=True)) == {InvitationStatus.INVITED}
    again = client.post(f"/backoffice/khao-sat/{c.pk}/", {"action": "draw"}, follow=True)
    assert "đã chọn mẫu" in again.content.decode()


def test_paper_entry_page(client, campaign, people):
    inv = campaign.invitations.first()
    client.force_login(people["reception"])
    page = client.get(f"/backoffice/khao-sat/{campaign.pk}/phieu-giay/")
    assert page.status_code == 200 and f'value="{inv.pk}"' in page.content.decode()
    missing = client.post(f"/backoffice/khao-sat/{campaign.pk}/phieu-giay/", answers())
    assert missing.status_code == 422 and "Vui lòng chọn người được khảo sát" in missing.content.decode()
    saved = client.post(f"/backoffice/khao-sat/{campaign.pk}/phieu-giay/", {**answers(4), "invitation": inv.pk})
    assert saved.status_code == 302
    resp = Response.objects.get()
    assert resp.channel == ResponseChannel.PAPER and resp.entered_by == people["reception"]
    twice = client.post(f"/backoffice/khao-sat/{campaign.pk}/phieu-giay/", {**answers(4), "invitation": inv.pk})
    assert twice.status_code == 409 and "đã được trả lời" in twice.content.decode()


def test_results_page_and_xlsx(client, campaign, people):
    for inv, value in zip(campaign.invitations.order_by("id"), [5, 4, 2, 5, 1], strict=True):
        services.submit_response(inv, answers(value), channel=ResponseChannel.ONLINE)
    client.force_login(people["leader"])
    html = client.get(f"/backoffice/khao-sat/{campaign.pk}/ket-qua/").content.decode()
    assert "60 %" in html  # 3 of 5 satisfied on every element
    assert "Chưa có kỳ trước để so sánh." in html
    assert "23,1 – 88,2" in html  # Wilson 3/5: [23,07; 88,24]
    export = client.get(f"/backoffice/khao-sat/{campaign.pk}/ket-qua.xlsx")
    assert export.status_code == 200
    wb = load_workbook(io.BytesIO(export.content))
    rows = list(wb["SIPAS"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Yếu tố", "Khía cạnh", "Chỉ số (%)")
    assert rows[2][:4] == ("Tiếp cận dịch vụ", "Sự hài lòng", 60.0, 23.1)
    assert rows[-1][0] == "SIPAS (chỉ số hài lòng chung)" and rows[-1][2] == 60.0
    assert "Thông tin" in wb.sheetnames and "Theo đơn vị" in wb.sheetnames
