"""Online submission: the step pages, uploads, drafts, and the dossier the desk receives."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from motcua.dossiers.models import Channel, Dossier, Status
from motcua.portal.models import DraftFile, SubmissionDraft
from tests.portal_citizen import flows
from tests.portal_citizen.files import docx_bytes, pdf, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def variant_of(procedure):
    return procedure.versions.get().variants.get()


@pytest.fixture
def logged_in(client, citizen, catalog):
    client.force_login(citizen)
    return client


def test_anonymous_sees_how_to_log_in_or_register(client, catalog):
    response = client.get("/nop-ho-so/1.000894/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập để tiếp tục" in body
    assert "/accounts/login/?next=/nop-ho-so/1.000894/" in body and "/dang-ky/?next=" in body
    assert not SubmissionDraft.objects.exists()


def test_staff_cannot_submit_online(client, commune_staff):
    client.force_login(commune_staff["tn"])
    assert client.get("/nop-ho-so/1.000894/").status_code == 403


def test_procedure_without_online_variant_is_refused(logged_in):
    response = logged_in.get("/nop-ho-so/1.009994/")  # building permit: not online
    assert response.status_code == 404
    assert "chưa nộp trực tuyến được" in response.content.decode()


def test_procedure_page_shows_the_submit_button(client, catalog):
    body = client.get("/thu-tuc/1.000894/").content.decode()
    assert 'href="/nop-ho-so/1.000894/"' in body


def test_applicant_step_is_prefilled_from_the_account(logged_in, citizen):
    url = flows.start(logged_in, "1.000894")
    assert url.endswith("/nguoi-nop/")  # a single online variant: the variant step is skipped
    body = logged_in.get(url).content.decode()
    assert 'value="Trần Thị Bình"' in body and 'value="0912345678"' in body and "001303012345" in body


def test_applicant_errors_name_the_field(logged_in):
    url = flows.start(logged_in, "1.000894")
    response = logged_in.post(url, {"name": "", "phone": "12345", "address": "", "action": "next"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Họ và tên người nộp" in body and "Số điện thoại gồm 10 chữ số" in body


def test_happy_path_creates_a_status_1_online_dossier(logged_in, citizen, catalog):
    variant = variant_of(catalog["marriage"])
    code, confirmation = flows.submit(logged_in, variant)
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.NEW and dossier.channel == Channel.ONLINE
    assert dossier.applicant_user == citizen and dossier.applicant_personal_id == "001303012345"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.receiving_agency == catalog["agencies"]["commune"]  # commune-level: the commune receives
    assert dossier.received_at is None and dossier.due_at is None  # the clock starts at the desk
    assert dossier.delivery_method == "counter"
    assert code.startswith(catalog["agencies"]["commune"].code + "-")
    documents = list(dossier.documents.order_by("required_document__order"))
    assert [d.required_document_id for d in documents] == [d.pk for d in variant.documents.order_by("order")]
    for document in documents:
        assert document.content_type == "application/pdf" and document.size == len(pdf_bytes())
        assert document.file.name.startswith(f"dossiers/{code}/") and "giay-to" not in document.file.name
        assert document.file.read().startswith(b"%PDF-")
    body = confirmation.content.decode()
    assert code in body and "Mã tra cứu" in body
    secret = body.split('id="lookup-secret">', 1)[1].split("<", 1)[0]
    assert dossier.check_lookup_secret(secret)
    # shown once only
    assert "lookup-secret" not in logged_in.get(f"/nop-ho-so/da-nop/{code}/").content.decode()
    draft = SubmissionDraft.objects.get()
    assert draft.dossier == dossier and draft.submitted_at is not None
    assert not dossier.vneid_authenticated


def test_submission_sends_the_submitted_notification(logged_in, catalog, django_capture_on_commit_callbacks):
    if not apps.is_installed("motcua.notifications"):
        pytest.skip("the notifications app is not installed yet")
    from motcua.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=False):
        code, _ = flows.submit(logged_in, variant_of(catalog["marriage"]))
    rows = Notification.objects.filter(dossier__code=code)
    assert rows.exists() and {r.event for r in rows} == {"submitted"}


def test_review_submit_twice_creates_one_dossier(logged_in, catalog):
    variant = variant_of(catalog["marriage"])
    review = flows.fill_all(logged_in, variant)
    first = logged_in.post(review, {"action": "submit"})
    again = logged_in.post(review, {"action": "submit"})
    assert first.status_code == 302 and again.status_code == 302
    assert Dossier.objects.count() == 1


def test_text_file_named_pdf_is_refused(logged_in, catalog):
    variant = variant_of(catalog["marriage"])
    url = flows.start(logged_in, "1.000894")
    doc = variant.documents.order_by("order").first()
    fake = upload("to-khai.pdf", b"Day la van ban thuong, khong phai PDF.", "application/pdf")
    response = logged_in.post(flows.step_url(url, "giay-to"), {f"doc_{doc.pk}": fake, "action": "next"})
    assert response.status_code == 422
    assert "không phải PDF, JPEG, PNG hoặc DOCX" in response.content.decode()
    assert not DraftFile.objects.exists()


def test_oversize_file_is_refused(logged_in, catalog):
    variant = variant_of(catalog["marriage"])
    url = flows.start(logged_in, "1.000894")
    doc = variant.documents.order_by("order").first()
    big = upload("to-khai.pdf", pdf_bytes() + b"0" * (10 * 1024 * 1024))
    response = logged_in.post(flows.step_url(url, "giay-to"), {f"doc_{doc.pk}": big, "action": "next"})
    assert response.status_code == 422
    assert "vượt quá dung lượng tối đa 10 MB" in response.content.decode()
    assert not DraftFile.objects.exists()


def test_docx_is_accepted_and_missing_required_item_named(logged_in, catalog):
    variant = variant_of(catalog["marriage"])
    url = flows.start(logged_in, "1.000894")
    first, second = variant.documents.order_by("order")
    response = logged_in.post(flows.step_url(url, "giay-to"), {
        f"doc_{first.pk}": upload("don.docx", docx_bytes(), "application/octet-stream"), "action": "next"})
    assert response.status_code == 422
    assert f"Chưa tải lên «{second.name}»" in response.content.decode()
    stored = DraftFile.objects.get()
    assert stored.content_type.endswith("wordprocessingml.document") and stored.file.name.endswith(".docx")
    assert "don" not in stored.file.name.rsplit("/", 1)[-1]


def test_draft_save_and_resume(logged_in, catalog):
    variant = variant_of(catalog["marriage"])
    url = flows.start(logged_in, "1.000894")
    response = logged_in.post(url, {**flows.APPLICANT, "name": "Tên đã sửa", "action": "save"})
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
    doc = variant.documents.order_by("order").first()
    logged_in.post(flows.step_url(url, "giay-to"), {f"doc_{doc.pk}": pdf("a.pdf"), "action": "save"})
    listing = logged_in.get("/ho-so-cua-toi/").content.decode()
    assert "Tiếp tục nộp" in listing and "Đăng ký kết hôn" in listing
    # later: opening the procedure again resumes the same draft with what was typed and uploaded
    assert flows.start(logged_in, "1.000894") == url
    assert 'value="Tên đã sửa"' in logged_in.get(url).content.decode()
    assert "Đã tải lên: a.pdf" in logged_in.get(flows.step_url(url, "giay-to")).content.decode()
    assert SubmissionDraft.objects.count() == 1


def test_expired_draft_says_so(logged_in, catalog):
    url = flows.start(logged_in, "1.000894")
    draft = SubmissionDraft.objects.get()
    SubmissionDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = logged_in.get(url)
    assert response.status_code == 410
    assert "Hồ sơ nháp đã hết hạn" in response.content.decode()
    assert "30 ngày" in response.content.decode()
    # starting again gives a fresh draft
    assert flows.start(logged_in, "1.000894") != url


def test_draft_days_setting(logged_in, catalog, settings):
    settings.MOTCUA = {**settings.MOTCUA, "DRAFT_DAYS": 3}
    flows.start(logged_in, "1.000894")
    draft = SubmissionDraft.objects.get()
    assert timedelta(days=2, hours=23) < draft.expires_at - timezone.now() <= timedelta(days=3)


def test_another_citizens_draft_is_not_found(client, logged_in, other_citizen, catalog):
    url = flows.start(logged_in, "1.000894")
    client.force_login(other_citizen)
    response = client.get(url)
    assert response.status_code == 404 and "Không tìm thấy hồ sơ nháp" in response.content.decode()


def test_post_delivery_needs_an_address(logged_in, catalog):
    url = flows.start(logged_in, "1.000894")
    response = logged_in.post(flows.step_url(url, "nhan-ket-qua"), {"method": "post", "address": "",
                                                                     "action": "next"})
    assert response.status_code == 422
    assert "Nhập địa chỉ để nhận kết quả qua bưu chính" in response.content.decode()


def test_review_lists_what_is_missing_and_refuses_to_submit(logged_in, catalog):
    url = flows.start(logged_in, "1.000894")
    logged_in.post(url, {**flows.APPLICANT, "action": "next"})
    response = logged_in.post(flows.step_url(url, "xem-lai"), {"action": "submit"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Chưa tải lên: Tờ khai đăng ký kết hôn" in body and not Dossier.objects.exists()


def test_service_centre_receives_province_level_procedures(catalog):
    from motcua.agencies.models import AgencyKind
    from motcua.portal.submission import receiving_agency_for

    permit = catalog["permit"]
    variant = variant_of(permit)
    receiving = receiving_agency_for(permit, variant, catalog["agencies"]["dept"])
    assert receiving.kind == AgencyKind.SERVICE_CENTRE


def test_vneid_session_marks_the_dossier(logged_in, citizen, catalog):
    from motcua.portal.oidc import SESSION_FLAG

    citizen.eid_verified = True
    citizen.save()
    session = logged_in.session
    session[SESSION_FLAG] = True
    session.save()
    code, _ = flows.submit(logged_in, variant_of(catalog["marriage"]))
    assert Dossier.objects.get(code=code).vneid_authenticated is True


def test_purge_removes_expired_drafts_and_their_files(logged_in, catalog, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    variant = variant_of(catalog["marriage"])
    url = flows.start(logged_in, "1.000894")
    doc = variant.documents.order_by("order").first()
    logged_in.post(flows.step_url(url, "giay-to"), {f"doc_{doc.pk}": pdf("a.pdf"), "action": "save"})
    stored = DraftFile.objects.get()
    storage, name = stored.file.storage, stored.file.name
    assert storage.exists(name)
    call_command("purge-drafts")
    assert SubmissionDraft.objects.count() == 1  # still valid: kept
    SubmissionDraft.objects.update(expires_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):  # files go once the deletion is committed
        call_command("purge-drafts")
    assert not SubmissionDraft.objects.exists() and not DraftFile.objects.exists()
    assert not storage.exists(name)
