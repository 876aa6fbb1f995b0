"""PAKN pages and API through the Django test client."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.feedback import services
from motcua.feedback.models import Attachment, Category, Feedback, Status
from tests.feedback.conftest import SENDER, local
from tests.feedback.test_stats import handled

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def form(world, **extra):
    return {"agency": str(world["dept"].pk), "title": "Giấy tờ không cần thiết",
            "content": "Yêu cầu bản sao chứng thực sổ hộ khẩu đã bị bãi bỏ.", **SENDER, **extra}


# -- public pages --------------------------------------------------------------------------------------------------
def test_public_form_submits_with_an_attachment(client, world):
    page = client.get("/phan-anh-kien-nghi/gui/")
    assert page.status_code == 200 and 'for="f-sender_name"' in page.content.decode()
    response = client.post("/phan-anh-kien-nghi/gui/",
                           {**form(world), "attachments": [SimpleUploadedFile("anh chup.png", PNG)]})
    assert response.status_code == 201
    fb = Feedback.objects.get()
    body = response.content.decode()
    assert fb.code in body and 'role="status"' in body
    attachment = Attachment.objects.get(feedback=fb)
    assert attachment.original_name == "anh chup.png" and attachment.content_type == "image/png"
    assert "anh chup" not in attachment.file.name and attachment.file.name.endswith(".png")


def test_public_form_errors_are_summarised_and_nothing_is_stored(client, world):
    response = client.post("/phan-anh-kien-nghi/gui/", {
        **form(world, sender_name="", sender_phone="", sender_email=""),
        "attachments": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")]})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'role="alert"' in body and 'href="#f-sender_name"' in body and "virus.pdf" in body
    assert 'aria-invalid="true"' in body
    assert not Feedback.objects.exists() and not Attachment.objects.exists()


def test_lookup_gives_identical_errors(client, world, submit):
    fb, secret = submit()
    ok = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "secret": secret})
    assert ok.status_code == 200 and "Mới tiếp nhận" in ok.content.decode()
    wrong = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "secret": "sai"})
    unknown = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": "PAKN-KHONG-CO", "secret": "sai"})
    assert wrong.status_code == unknown.status_code == 200
    def strip(response, code):  # only the echoed code and the CSRF tokens differ
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode().replace(code, ""))

    assert strip(wrong, fb.code) == strip(unknown, "PAKN-KHONG-CO")
    assert "Không tìm thấy phản ánh" in strip(wrong, fb.code)


def test_published_list_search_votes_and_repeat(client, world, submit):
    fb = handled(world, submit(title="Đăng ký kết hôn")[0], local(2026, 5, 4, 10), local(2026, 5, 5),
                 local(2026, 5, 6))
    hidden, _s = submit(title="Đăng ký khai sinh")  # not published
    listing = client.get("/phan-anh-kien-nghi/", {"q": "dang ky KET HON"}).content.decode()
    assert fb.code in listing and hidden.code not in listing
    assert fb.code not in client.get("/phan-anh-kien-nghi/", {"q": "khai sinh"}).content.decode()
    assert client.get(f"/phan-anh-kien-nghi/{hidden.code}/").status_code == 404
    client.post(f"/phan-anh-kien-nghi/{fb.code}/danh-gia/", {"value": "like"})
    client.post(f"/phan-anh-kien-nghi/{fb.code}/danh-gia/", {"value": "like"})  # same session: counted once
    fb.refresh_from_db()
    assert (fb.likes, fb.dislikes) == (1, 0)
    page = client.get(f"/phan-anh-kien-nghi/{fb.code}/").content.decode()
    assert "1 lượt thích" in page and 'aria-pressed="true"' in page and "Tôi chưa hài lòng" in page
    repeat_form = client.get("/phan-anh-kien-nghi/gui/", {"repeat_of": fb.code}).content.decode()
    assert f'name="repeat_of" value="{fb.code}"' in repeat_form
    response = client.post("/phan-anh-kien-nghi/gui/", form(world, repeat_of=fb.code))
    assert response.status_code == 201
    assert Feedback.objects.get(repeat_of=fb).status == Status.NEW


# -- back office ---------------------------------------------------------------------------------------------------
def test_inbox_is_scoped_sorted_and_flags_overdue(client, world, submit):
    now = timezone.now()
    late, _s = submit(at=now - timedelta(days=20))
    fresh, _s = submit(at=now)
    other, _s = submit(agency=world["other_dept"])
    client.force_login(world["cv"])
    body = client.get("/backoffice/pakn/").content.decode()
    assert late.code in body and fresh.code in body and other.code not in body
    assert body.index(late.code) < body.index(fresh.code)
    assert "Quá hạn" in body and 'class="pakn-tag overdue"' in body
    assert client.get(f"/backoffice/pakn/{other.code}/").status_code == 404
    client.logout()
    client.force_login(world["citizen"])
    assert client.get("/backoffice/pakn/").status_code == 403


def test_staff_actions_and_refusal_message(client, world, submit):
    fb, _s = submit()
    client.force_login(world["cv"])
    refused = client.post(f"/backoffice/pakn/{fb.code}/approve/")
    assert refused.status_code == 409 and "Không thể «Duyệt trả lời»" in refused.content.decode()
    ok = client.post(f"/backoffice/pakn/{fb.code}/classify/", {"category": Category.IN_COMPETENCE})
    assert ok.status_code == 302
    fb.refresh_from_db()
    assert fb.status == Status.HANDLING


def test_officer_intake_form(client, world):
    client.force_login(world["tn"])
    response = client.post("/backoffice/pakn/tiep-nhan/", form(world, channel="letter"))
    assert response.status_code == 201
    assert Feedback.objects.get().channel == "letter"


# -- API -----------------------------------------------------------------------------------------------------------
def test_api_intake_published_and_stats(client, world, submit):
    bad = client.post("/api/v1/feedback", {"agency": world["dept"].code, "title": "", "content": "x"},
                      content_type="application/json")
    assert bad.status_code == 422
    assert {"title", "content", "sender_name"} <= set(bad.json()["error"]["fields"])
    good = client.post("/api/v1/feedback", {"agency": world["dept"].code, "title": "Phí cao",
                                            "content": "Lệ phí cấp bản sao quá cao so với quy định.", **SENDER},
                       content_type="application/json")
    assert good.status_code == 201 and good.json()["code"].startswith("PAKN-")
    fb = handled(world, Feedback.objects.get(), timezone.now(), timezone.now(), timezone.now())
    found = client.get("/api/v1/feedback/published", {"q": "le phi"}).json()
    assert [r["code"] for r in found] == [fb.code]
    assert client.get("/api/v1/feedback/published", {"q": "ket hon"}).json() == []
    today = timezone.localdate().isoformat()
    url = f"/api/v1/feedback/stats?unit={world['dept'].code}&from={today}&to={today}"
    assert client.get(url).status_code == 401
    client.force_login(world["cv2"])
    assert client.get(url).status_code == 404  # out of scope looks like unknown
    client.force_login(world["cv"])
    stats = client.get(url).json()
    assert stats["total"] == 1 and stats["clocks"]["publication"]["on_time"] == 1
    bad_date = client.get(f"/api/v1/feedback/stats?unit={world['dept'].code}&from=hom-qua&to={today}")
    assert bad_date.status_code == 422 and "from" in bad_date.json()["error"]["fields"]
    Feedback.objects.filter(pk=fb.pk).update(published_at=None)  # e.g. imported from an old system
    assert client.get("/api/v1/feedback/published").json()[0]["published_at"] is None


def test_consulted_officer_can_open_and_reply(client, world, submit):
    fb, _s = submit()
    services.perform(fb, "classify", world["tn"], category=Category.IN_COMPETENCE)
    services.perform(fb, "consult", world["cv"], to_agency=world["other_dept"].code, question="Xin ý kiến Sở Tư pháp")
    client.force_login(world["ld2"])
    assert fb.code in client.get("/backoffice/pakn/").content.decode()
    page = client.get(f"/backoffice/pakn/{fb.code}/")
    assert page.status_code == 200
    c = fb.consultations.get()
    response = client.post(f"/backoffice/pakn/{fb.code}/reply_consultation/",
                           {"consultation": str(c.pk), "reply": "Đồng ý"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.reply == "Đồng ý" and c.replied_by == world["ld2"]


def test_oversized_attachment_is_refused(client, world):
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    response = client.post("/phan-anh-kien-nghi/gui/", {**form(world), "attachments": [big]})
    assert response.status_code == 422 and "10 MB" in response.content.decode()
    assert not Feedback.objects.exists()


def test_staff_page_shows_history_with_labels(client, world, submit):
    fb, _s = submit()
    services.perform(fb, "classify", world["tn"], category=Category.IN_COMPETENCE)
    client.force_login(world["cv"])
    body = client.get(f"/backoffice/pakn/{fb.code}/").content.decode()
    assert "Phân loại → Đang xử lý" in body and "Trình dự thảo trả lời" in body  # the action the specialist may do
    assert "Duyệt trả lời" not in body  # a leader's action is not offered to a specialist


def test_signed_in_officer_on_the_portal_form_submits_as_a_citizen(client, world):
    client.force_login(world["cv2"])  # no role at the department: the portal form must still work
    response = client.post("/phan-anh-kien-nghi/gui/", form(world, channel="phone"))
    assert response.status_code == 201
    fb = Feedback.objects.get()
    assert fb.channel == "web" and fb.entered_by is None
    client.force_login(world["cv2"])
    assert client.post("/backoffice/pakn/tiep-nhan/", form(world)).status_code == 403
