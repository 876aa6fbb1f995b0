import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.audit.models import AuditRecord
from motcua.backoffice.uploads import MAX_UPLOAD_BYTES
from motcua.dossiers.models import Dossier, DossierCounter, DossierDocument, DossierEvent, Status
from tests.backoffice.conftest import PDF, PNG, login


def desk_url(world):
    return f"{reverse('backoffice:desk')}?procedure={world['procedure'].code}&variant={world['variant'].pk}"


def desk_post(world, *, given=(0, 1), files=None, **over):
    data = {"applicant_kind": "person", "name": "Trần Thị Bình", "personal_id": "001203012345",
            "phone": "0912345678", "email": "binh@example.vn", "address": "Số 1 Lý Thái Tổ", "channel": "1",
            "receiving_agency": str(world["centre"].pk)}
    for i, doc in enumerate(world["docs"]):
        data[f"doc{doc.pk}-copy_kind"] = "original" if i == 0 else "copy"
        if i in given:
            data[f"doc{doc.pk}-given"] = "on"
    data.update(files or {})
    data.update(over)
    return data


def nothing_written():
    return (Dossier.objects.count(), DossierEvent.objects.count(), DossierDocument.objects.count(),
            DossierCounter.objects.count()) == (0, 0, 0, 0)


def test_search_is_diacritic_insensitive(client, world):
    login(client, world["tn"])
    html = client.get(reverse("backoffice:desk"), {"q": "cap giay phep xay dung"}).content.decode()
    assert "Cấp giấy phép xây dựng" in html and f"?procedure={world['procedure'].code}" in html
    html = client.get(reverse("backoffice:desk"), {"q": "khai sinh"}).content.decode()
    assert "Cấp giấy phép xây dựng" not in html


def test_choosing_the_procedure_with_one_variant_opens_the_checklist(client, world):
    login(client, world["tn"])
    html = client.get(reverse("backoffice:desk"), {"procedure": world["procedure"].code}).content.decode()
    for doc in world["docs"]:
        assert doc.name in html
    assert "<fieldset" in html and 'enctype="multipart/form-data"' in html


def test_happy_path_creates_the_dossier_and_shows_the_receipt_once(client, world):
    login(client, world["tn"])
    scan = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    response = client.post(desk_url(world), desk_post(world, files={f"doc{world['docs'][0].pk}-scan": scan}))
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert response["Location"] == reverse("backoffice:dossier", args=[d.code])
    assert d.status == Status.RECEIVED and d.code.startswith(world["centre"].code + "-")
    assert d.due_at is not None and d.competent_agency == world["dept"] and d.digitised
    assert d.applicant_email == "binh@example.vn" and d.created_by == world["tn"]
    docs = {doc.required_document_id: doc for doc in d.documents.all()}
    assert set(docs) == {world["docs"][0].pk, world["docs"][1].pk}
    scanned = docs[world["docs"][0].pk]
    assert scanned.file.name.startswith(f"dossiers/{d.code}/") and scanned.file.name.endswith(".pdf")
    assert scanned.content_type == "application/pdf" and scanned.size == len(PDF) and len(scanned.sha256) == 64
    assert scanned.digitised and not docs[world["docs"][1].pk].digitised
    assert AuditRecord.objects.filter(stream=f"dossier:{d.code}", action="receive").exists()

    html = client.get(response["Location"]).content.decode()
    assert d.code in html and "Mẫu 01" in html
    due = d.due_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M")
    assert due in html
    secret = html.split('class="secret">')[1].split("<")[0]
    assert d.check_lookup_secret(secret)
    again = client.get(response["Location"]).content.decode()
    assert secret not in again and "Mẫu 01" not in again  # the lookup secret is shown once

    download = client.get(reverse("backoffice:document", args=[d.code, scanned.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]


def test_missing_required_documents_rerender_and_write_nothing(client, world):
    login(client, world["tn"])
    response = client.post(desk_url(world), desk_post(world, given=(2,)))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Thiếu giấy tờ bắt buộc: Đơn đề nghị." in html and "Thiếu giấy tờ bắt buộc: Bản vẽ thiết kế." in html
    assert 'value="Trần Thị Bình"' in html  # what was typed is kept
    assert nothing_written()


def test_applicant_errors_are_listed_together_in_vietnamese(client, world):
    login(client, world["tn"])
    response = client.post(desk_url(world), desk_post(world, name="", personal_id="999123456789",
                                                      email="khong-hop-le"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Bắt buộc nhập tên người nộp hồ sơ." in html
    assert "Mã tỉnh" in html and "Địa chỉ thư điện tử không hợp lệ." in html
    assert 'aria-describedby="id_personal_id-error"' in html and 'id="id_personal_id-error"' in html
    assert nothing_written()


def test_business_needs_a_valid_tax_code(client, world):
    login(client, world["tn"])
    response = client.post(desk_url(world), desk_post(world, applicant_kind="business", personal_id="",
                                                      name="Công ty TNHH Thử"))
    assert response.status_code == 422 and "Tổ chức, doanh nghiệp phải có mã số thuế." in response.content.decode()
    response = client.post(desk_url(world), desk_post(world, applicant_kind="business", personal_id="",
                                                      name="Công ty TNHH Thử", tax_code="0100109106"))
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.applicant_kind == "business" and d.applicant_tax_code == "0100109106"


@pytest.mark.parametrize("content,name,message", [
    (b"MZ\x90\x00 not a pdf at all", "don.pdf", "không phải PDF, JPEG hoặc PNG"),
    (b"", "rong.pdf", "Tập tin được gửi là rỗng"),
])
def test_bad_scans_are_refused_and_nothing_written(client, world, content, name, message):
    login(client, world["tn"])
    scan = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(desk_url(world), desk_post(world, files={f"doc{world['docs'][0].pk}-scan": scan}))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and "Thiếu giấy tờ bắt buộc" not in html  # ticked: only the scan is wrong
    assert nothing_written()


def test_oversized_scan_is_refused(client, world):
    login(client, world["tn"])
    big = SimpleUploadedFile("to.png", PNG + b"\x00" * MAX_UPLOAD_BYTES, content_type="image/png")
    response = client.post(desk_url(world), desk_post(world, files={f"doc{world['docs'][1].pk}-scan": big}))
    assert response.status_code == 422 and "vượt quá 10 MB" in response.content.decode()
    assert nothing_written()


def test_scan_without_ticking_the_document_is_an_error(client, world):
    login(client, world["tn"])
    scan = SimpleUploadedFile("khac.png", PNG, content_type="image/png")
    response = client.post(desk_url(world), desk_post(world, files={f"doc{world['docs'][2].pk}-scan": scan}))
    assert response.status_code == 422 and "chưa đánh dấu «Đã nhận»" in response.content.decode()
    assert nothing_written()


def test_form02_lists_every_missing_item_and_writes_nothing(client, world):
    login(client, world["tn"])
    response = client.post(desk_url(world), desk_post(world, given=(), intent="form02",
                                                      guidance="Mang bản vẽ có chữ ký"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mẫu số 02" in html and "Đơn đề nghị" in html and "Bản vẽ thiết kế" in html
    assert "Giấy tờ khác" not in html  # not required
    assert "Mang bản vẽ có chữ ký" in html and "Trần Thị Bình" in html
    assert nothing_written()


def test_postal_channel_is_recorded(client, world):
    login(client, world["tn"])
    assert client.post(desk_url(world), desk_post(world, channel="3")).status_code == 302
    assert Dossier.objects.get().channel == 3


def test_online_dossiers_waiting_are_listed_and_can_be_received_or_refused(client, world, intake):
    waiting = intake(channel=2, receive=False, actor=world["citizen"])
    other = intake(channel=2, receive=False, actor=world["citizen"])
    login(client, world["tn"])
    html = client.get(reverse("backoffice:desk")).content.decode()
    assert waiting.code in html and other.code in html
    page = client.get(reverse("backoffice:dossier", args=[waiting.code])).content.decode()
    assert "Tiếp nhận hồ sơ" in page and "Từ chối tiếp nhận" in page
    response = client.post(reverse("backoffice:action", args=[waiting.code, "receive"]),
                           {"receive-row_version": waiting.row_version})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.RECEIVED and waiting.due_at is not None
    response = client.post(reverse("backoffice:action", args=[other.code, "refuse"]),
                           {"refuse-row_version": other.row_version, "refuse-reason": "Không thuộc thẩm quyền"})
    other.refresh_from_db()
    assert other.status == Status.REFUSED
    html = client.get(reverse("backoffice:dossier", args=[other.code])).content.decode()
    assert "Không thuộc thẩm quyền" in html
