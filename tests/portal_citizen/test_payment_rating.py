"""Status 6 → "Thanh toán" → sandbox gateway → back in processing; finished → rating form → rating stored."""

import pytest

from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier, Status
from tests.portal_citizen import flows
from tests.portal_citizen.procedures import CODE, build_paid_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_procedure(catalog):
    return build_paid_procedure(catalog)


def test_pay_then_rate(client, citizen, commune_staff, paid_procedure):
    client.force_login(citizen)
    code, _ = flows.submit(client, paid_procedure, code=CODE)
    perform(code, "receive", commune_staff["tn"])
    perform(code, "forward", commune_staff["tn"])
    perform(code, "request_payment", commune_staff["cv"], amount=4000)
    page = client.get(f"/ho-so/{code}/").content.decode()
    assert "Cần nộp phí, lệ phí" in page and f'href="/ho-so/{code}/thanh-toan/"' in page
    summary = client.get(f"/ho-so/{code}/thanh-toan/").content.decode()
    assert "Lệ phí cấp bản sao" in summary and "4.000 đồng" in summary
    response = client.post(f"/ho-so/{code}/thanh-toan/")
    assert response.status_code == 302 and response["Location"].startswith("/thanh-toan/sandbox/")
    result = client.post(response["Location"], {"choice": "pay"}, follow=True)
    assert result.status_code == 200
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.PROCESSING and dossier.paid_online == 2

    perform(code, "result_ready", commune_staff["cv"])
    page = client.get(f"/ho-so/{code}/").content.decode()
    assert "Đã có kết quả" in page and f'href="/ho-so/{code}/danh-gia/"' in page
    form = client.get(f"/ho-so/{code}/danh-gia/")
    assert form.status_code == 200 and 'name="overall"' in form.content.decode()
    response = client.post(f"/ho-so/{code}/danh-gia/", {"overall": "satisfied", "comment": "Nhanh gọn"})
    assert response.status_code == 302
    from motcua.ratings.models import Rating
    rating = Rating.objects.get(dossier__code=code)
    assert rating.overall == "satisfied"
    # rated once only: the link disappears and the form redirects
    assert "danh-gia" not in client.get(f"/ho-so/{code}/").content.decode()
    assert client.get(f"/ho-so/{code}/danh-gia/").status_code == 302


def test_rating_needs_an_overall_answer(client, citizen, commune_staff, paid_procedure):
    client.force_login(citizen)
    code, _ = flows.submit(client, paid_procedure, code=CODE)
    perform(code, "receive", commune_staff["tn"])
    perform(code, "forward", commune_staff["tn"])
    perform(code, "result_ready", commune_staff["cv"])
    response = client.post(f"/ho-so/{code}/danh-gia/", {"comment": "x"})
    assert response.status_code == 422 and "Mức độ hài lòng chung" in response.content.decode()
