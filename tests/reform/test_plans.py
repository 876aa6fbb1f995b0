"""CCHC plans: completion per area, status changes with their permissions, evidence files, XLSX/DOCX exports."""

import io
from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from motcua.audit.models import AuditRecord
from motcua.core.api_errors import DomainError
from motcua.reform import export, plans
from motcua.reform.models import Activity, Evidence
from tests.reform.conftest import make_plan

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date(2026, 7, 15)


@pytest.fixture
def plan(people):
    return make_plan(people["dept"], 2026, "ddddp" "n")  # 4 done of 6; open ones due 30/06 → overdue on 15/07


def test_summary_per_area_and_overall(plan):
    s = plans.summary(plan, TODAY)
    by_area = {a["area"]: a["completion"] for a in s["areas"]}
    # order 1,3,5 → direction (d, d, p); order 2,4,6 → procedures (d, d, n)
    assert (by_area["direction"].done, by_area["direction"].total) == (2, 3)
    assert (by_area["procedures"].done, by_area["procedures"].overdue) == (2, 1)
    assert by_area["digital"].total == 0 and by_area["digital"].share is None
    assert (s["overall"].done, s["overall"].total, s["overall"].overdue) == (4, 6, 2)
    assert plans.completion_phrase(s["overall"]) == "4/6 nhiệm vụ, đạt 66,7 %"
    assert [a["area"] for a in s["areas"]][:3] == ["direction", "institutions", "procedures"]


def test_status_change_by_the_unit_and_refusals(people, plan):
    a = plan.activities.get(order=5)
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        plans.set_status(a, people["cv"], status="done", done_on="2026-07-10")
        a.refresh_from_db()
        assert (a.status, a.done_on) == ("done", date(2026, 7, 10))
        with pytest.raises(DomainError) as exc:
            plans.set_status(a, people["cv"], status="done", done_on="2026-08-01")
        assert exc.value.status == 422 and "done_on" in exc.value.fields
        with pytest.raises(DomainError):
            plans.set_status(a, people["cv"], status="finished")
    for other in (people["cv2"], people["tt"], people["citizen"]):   # other department, inspector, citizen
        with pytest.raises(PermissionDenied):
            plans.set_status(a, other, status="in_progress")
    assert AuditRecord.objects.filter(stream="reform", target_type="reform.activity").exists()


def test_add_activity_checks_fields_and_scope(people, plan):
    with pytest.raises(DomainError) as exc:
        plans.add_activity(plan, people["ld"], {"title": "", "area": "x", "responsible": people["other_dept"].code})
    assert set(exc.value.fields) == {"title", "area", "responsible", "deadline"}
    a = plans.add_activity(plan, people["ld"], {"title": "Số hóa hồ sơ", "area": "digital",
                                                  "responsible": people["dept"].code, "deadline": "2026-09-30"})
    assert (a.area, a.order, a.deadline) == ("digital", 1, date(2026, 9, 30))


def test_evidence_upload_and_permission_checked_download(client, people, plan):
    a = plan.activities.first()
    with pytest.raises(DomainError):
        plans.attach(SimpleUploadedFile("x.exe", b"MZ\x90\x00"), people["cv"], activity=a)
    ev = plans.attach(SimpleUploadedFile("bien-ban.pdf", PDF), people["cv"], activity=a)
    assert ev.file.name.startswith("reform/evidence/") and "bien-ban" not in ev.file.name
    url = f"/backoffice/cai-cach/minh-chung/{ev.pk}/"
    client.force_login(people["ld"])
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Disposition"].startswith("attachment")
    client.force_login(people["cv2"])
    assert client.get(url).status_code == 404
    client.force_login(people["citizen"])
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_evidence_upload_through_the_page(client, people, plan):
    a = plan.activities.first()
    client.force_login(people["cv"])
    r = client.post(f"/backoffice/cai-cach/nhiem-vu/{a.pk}/minh-chung/",
                    {"file": SimpleUploadedFile("anh.png", b"not a png")})
    assert r.status_code == 422 and "không phải PDF" in r.content.decode()
    r = client.post(f"/backoffice/cai-cach/nhiem-vu/{a.pk}/minh-chung/", {"file": SimpleUploadedFile("kh.pdf", PDF)})
    assert r.status_code == 302 and Evidence.objects.filter(activity=a).count() == 1
    client.force_login(people["cv2"])
    assert client.post(f"/backoffice/cai-cach/nhiem-vu/{a.pk}/minh-chung/",
                       {"file": SimpleUploadedFile("kh.pdf", PDF)}).status_code == 404


def test_plan_page_scoping(client, people, plan):
    url = f"/backoffice/cai-cach/ke-hoach/{plan.pk}/"
    client.force_login(people["tt"])            # inspector at the province: reads, no edit forms
    r = client.get(url)
    assert r.status_code == 200 and "Thêm nhiệm vụ" not in r.content.decode()
    client.force_login(people["ld"])
    assert "Thêm nhiệm vụ" in client.get(url).content.decode()
    client.force_login(people["ld2"])
    assert client.get(url).status_code == 404
    client.force_login(people["citizen"])
    assert client.get(url).status_code == 403
    client.force_login(people["ld"])
    r = client.post(f"/backoffice/cai-cach/nhiem-vu/{plan.activities.first().pk}/trang-thai/",
                    {"status": "bogus"})
    assert r.status_code == 422 and "Trạng thái không hợp lệ" in r.content.decode()


def test_exports_read_back(people, plan):
    plans.attach(SimpleUploadedFile("a.pdf", PDF), people["cv"], activity=plan.activities.get(order=1))
    wb = load_workbook(io.BytesIO(export.plan_xlsx(plan, TODAY)))
    ws = wb.worksheets[0]
    assert "4/6 nhiệm vụ, đạt 66,7 %" in ws["A2"].value
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["Tổng cộng"][1:] == (6, 4, "66,7 %", 2)
    assert rows["Công tác chỉ đạo, điều hành CCHC"][1:3] == (3, 2)
    detail = list(wb.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert len(detail) == 6 and sum(1 for r in detail if r[7] == "Quá hạn") == 2
    assert next(r for r in detail if r[2] == "Nhiệm vụ 1")[8] == 1          # one evidence file
    doc = Document(io.BytesIO(export.plan_docx(plan, TODAY)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "4/6 nhiệm vụ, đạt 66,7 %" in text and "Nhiệm vụ 5" in text and "30/06/2026" in text
    assert len(doc.tables[0].rows) == 8                                   # header + the seven areas
    assert [c.text for c in doc.tables[0].rows[1].cells][:3] == ["Công tác chỉ đạo, điều hành CCHC", "3", "2"]


def test_export_views(client, people, plan):
    client.force_login(people["cv"])
    r = client.get(f"/backoffice/cai-cach/ke-hoach/{plan.pk}/bao-cao.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/backoffice/cai-cach/ke-hoach/{plan.pk}/bao-cao.docx").status_code == 200
    assert client.get(f"/backoffice/cai-cach/ke-hoach/{plan.pk}/bao-cao.pdf").status_code == 404
    client.force_login(people["cv2"])
    assert client.get(f"/backoffice/cai-cach/ke-hoach/{plan.pk}/bao-cao.xlsx").status_code == 404
    assert Activity.objects.count() == 6
