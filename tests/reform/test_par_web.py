"""PAR pages: self-assessment and appraisal forms, locks answered with 409, ranking visibility."""

from decimal import Decimal as D

import pytest

from motcua.reform.models import Score

pytestmark = pytest.mark.django_db
BASE = "/backoffice/cai-cach/chi-so"


def test_self_assessment_appraisal_and_locks_through_the_pages(client, people, round_):
    dept, other = people["dept"].code, people["other_dept"].code
    page = f"{BASE}/{round_.pk}/{dept}/"
    client.force_login(people["cv"])
    r = client.get(page)
    assert r.status_code == 200 and 'name="score-1.2"' in r.content.decode()
    r = client.post(page, {"mode": "self", "score-1.2": "9", "score-2.5": "8"})
    assert r.status_code == 422 and "vượt quá điểm tối đa" in r.content.decode()
    assert client.post(page, {"mode": "self", "score-1.2": "5", "score-2.5": "8"}).status_code == 302
    assert client.get(f"{BASE}/{round_.pk}/{other}/").status_code == 404          # another unit's sheet
    r = client.get(f"{BASE}/{round_.pk}/")
    assert people["dept"].name in r.content.decode() and people["other_dept"].name not in r.content.decode()
    assert client.post(f"{BASE}/{round_.pk}/khoa/self/").status_code == 403
    client.force_login(people["cchc"])
    r = client.get(f"{BASE}/{round_.pk}/")
    assert people["other_dept"].name in r.content.decode() and "Khóa tự đánh giá" in r.content.decode()
    assert client.post(f"{BASE}/{round_.pk}/khoa/self/").status_code == 302
    client.force_login(people["cv"])
    r = client.post(page, {"mode": "self", "score-1.2": "6"})
    assert r.status_code == 409 and "Đã khóa tự đánh giá" in r.content.decode()
    assert 'name="score-1.2"' not in client.get(page).content.decode()             # read-only after the lock
    client.force_login(people["cchc"])
    r = client.post(page, {"mode": "appraisal", "score-1.2": "4", "score-2.5": ""})
    assert r.status_code == 422 and "vui lòng ghi lý do" in r.content.decode()
    assert client.post(page, {"mode": "appraisal", "score-1.2": "4", "reason-1.2": "Thiếu báo cáo"}).status_code == 302
    s = Score.objects.get(assessment__agency=people["dept"], criterion__code="1.2")
    assert (s.self_score, s.appraised, s.appraisal_reason) == (D("5"), D("4"), "Thiếu báo cáo")
    assert client.post(f"{BASE}/{round_.pk}/khoa/appraisal/").status_code == 302
    r = client.post(page, {"mode": "appraisal", "score-1.2": "3", "reason-1.2": "x"})
    assert r.status_code == 409 and "Đã khóa thẩm định" in r.content.decode()
    r = client.get(f"{BASE}/{round_.pk}/")
    assert "Kết quả và xếp hạng" in r.content.decode() and "đứng thứ 1 trong khối sở" in r.content.decode()


def test_round_visibility(client, people, round_):
    client.force_login(people["citizen"])
    assert client.get(f"{BASE}/{round_.pk}/").status_code == 403
    outsider = people["commune"]
    from tests.factories import staff

    client.force_login(staff("xa", outsider, "leader"))
    assert client.get(f"{BASE}/{round_.pk}/").status_code == 404
    assert client.get("/backoffice/cai-cach/").status_code == 200


def test_refresh_needs_a_role(client, people, round_):
    url = f"{BASE}/{round_.pk}/{people['dept'].code}/so-lieu/"
    client.force_login(people["tt"])
    assert client.post(url).status_code == 403
    client.force_login(people["cv"])
    assert client.post(url).status_code == 302
    assert Score.objects.get(assessment__agency=people["dept"], criterion__code="2.3").proposed == D("10")


def test_evidence_for_a_criterion(client, people, round_):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.reform import par
    from motcua.reform.models import Evidence

    pdf = b"%PDF-1.4\n%%EOF\n"
    url = f"{BASE}/{round_.pk}/{people['dept'].code}/minh-chung/"
    client.force_login(people["cv"])
    r = client.post(url, {"criterion": "1.2"})
    assert r.status_code == 422 and "Chưa chọn tệp" in r.content.decode()
    assert client.post(url, {"criterion": "9.9", "file": SimpleUploadedFile("a.pdf", pdf)}).status_code == 404
    assert client.post(url, {"criterion": "1.2", "file": SimpleUploadedFile("bc.pdf", pdf)}).status_code == 302
    ev = Evidence.objects.get(score__criterion__code="1.2")
    assert "bc.pdf" in client.get(f"{BASE}/{round_.pk}/{people['dept'].code}/").content.decode()
    download = f"/backoffice/cai-cach/minh-chung/{ev.pk}/"
    for user, status in (("cv", 200), ("cchc", 200), ("ld2", 404)):
        client.force_login(people[user])
        assert client.get(download).status_code == status, user
    client.force_login(people["ld2"])
    assert client.post(url, {"criterion": "1.2", "file": SimpleUploadedFile("x.pdf", pdf)}).status_code == 404
    par.close_phase(round_, people["cchc"], "self")
    client.force_login(people["cv"])
    assert client.post(url, {"criterion": "1.2", "file": SimpleUploadedFile("y.pdf", pdf)}).status_code == 403


def test_ranking_xlsx_reads_back(client, people, round_):
    import io

    from openpyxl import load_workbook

    Score.objects.filter(assessment__agency=people["dept"], criterion__code="1.2").update(self_score=D("5.6"))
    client.force_login(people["cchc"])
    ws = load_workbook(io.BytesIO(client.get(f"{BASE}/{round_.pk}/ket-qua.xlsx").content)).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][:7] == (1, people["dept"].name, 5.6, 70.0, None, 8.0, "có")       # 5,6 / 70 × 100 = 8,00
    assert rows[0][7] == "đứng thứ 1 trong khối sở" and rows[1][0] == 2
    client.force_login(people["cv2"])                                                 # sees only its own row
    ws = load_workbook(io.BytesIO(client.get(f"{BASE}/{round_.pk}/ket-qua.xlsx").content)).active
    assert [r[1] for r in ws.iter_rows(min_row=3, values_only=True)] == [people["other_dept"].name]
