"""/backoffice/ho-so/<code>/mau/<NN>.pdf|.docx and the register: staff in scope only, 404 otherwise."""

import pytest
from django.urls import reverse

from motcua.accounts.models import AccountKind, Role
from tests.factories import UserFactory, staff
from tests.forms.helpers import docx_text, pdf_text


def url(code, form, fmt):
    return reverse("printforms:dossier_form", kwargs={"code": code, "form": form, "fmt": fmt})


def test_urls_do_not_collide_with_the_dossier_page():
    assert url("000.00.30.H27-260213-0001", "01", "pdf") == "/backoffice/ho-so/000.00.30.H27-260213-0001/mau/01.pdf"
    assert reverse("backoffice:dossier", kwargs={"code": "X"}) == "/backoffice/ho-so/X/"


def test_staff_in_scope_prints_pdf_and_docx(client, world, dossiers):
    client.force_login(world["tn"])
    code = dossiers["received"].code
    response = client.get(url(code, "01", "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "Nguyễn Thị Hương" in pdf_text(response.content)
    assert f"http://testserver/tra-cuu/?code={code}" in pdf_text(response.content)  # QR link on the request's host
    response = client.get(url(code, "01", "docx"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert code in docx_text(response.content)


def test_out_of_scope_unknown_and_not_applicable(client, world, dossiers):
    other = world["pc"].children.create(code="000.00.98.H27", name="Sở Y tế", level="province")
    client.force_login(staff("yte", other, Role.RECEPTION))
    assert client.get(url(dossiers["received"].code, "01", "pdf")).status_code == 404
    client.force_login(world["tn"])
    assert client.get(url("000.00.30.H27-000000-9999", "01", "pdf")).status_code == 404
    response = client.get(url(dossiers["received"].code, "03", "pdf"))
    assert response.status_code == 409 and "không bị từ chối" in response.content.decode()


@pytest.mark.parametrize("kind", [None, AccountKind.CITIZEN])
def test_anonymous_and_citizens_are_kept_out(client, dossiers, kind):
    if kind:
        client.force_login(UserFactory(username="dan", kind=kind))
    response = client.get(url(dossiers["received"].code, "01", "pdf"))
    assert response.status_code == (403 if kind else 302)


def test_register_view(client, world, dossiers):
    client.force_login(world["ld"])  # leader of the department sees the division's dossiers
    base = reverse("printforms:register", kwargs={"unit": world["division"].code, "fmt": "pdf"})
    response = client.get(base, {"from": "2026-02-01", "to": "2026-03-31"})
    assert response.status_code == 200 and dossiers["delivered"].code in pdf_text(response.content)
    assert client.get(base).status_code == 422
    assert client.get(base, {"from": "2026-02-31", "to": "2026-03-31"}).status_code == 422
    bad_unit = reverse("printforms:register", kwargs={"unit": world["centre"].code, "fmt": "pdf"})
    assert client.get(bad_unit, {"from": "2026-02-01", "to": "2026-03-31"}).status_code == 404  # not in scope


def test_print_menu_tag_links_the_applicable_forms(world, dossiers):
    from django.template import engines

    template = engines["django"].from_string("{% load printforms %}{% print_menu d %}")
    html = template.render({"d": dossiers["extended"]})
    code = dossiers["extended"].code
    assert "In phiếu" in html
    for number in ("01", "04", "06"):
        assert f"/backoffice/ho-so/{code}/mau/{number}.pdf" in html
    assert "/mau/03.pdf" not in html and "/mau/05.pdf" not in html


def test_register_view_caps_the_rows_of_a_web_request(client, world, dossiers, settings):
    settings.MOTCUA = {**settings.MOTCUA, "FORMS_REGISTER_MAX_ROWS": 2}
    client.force_login(world["tn"])
    base = reverse("printforms:register", kwargs={"unit": world["centre"].code, "fmt": "pdf"})
    response = client.get(base, {"from": "2026-02-01", "to": "2026-03-31"})
    assert response.status_code == 422 and "có 5 hồ sơ, vượt quá 2 dòng" in response.content.decode()


def test_dossier_page_has_the_print_menu(client, world, dossiers):
    client.force_login(world["tn"])
    d = dossiers["supplement"]
    html = client.get(reverse("backoffice:dossier", kwargs={"code": d.code})).content.decode()
    assert "In phiếu" in html
    for number in ("01", "02", "06"):
        assert url(d.code, number, "pdf") in html
    assert url(d.code, "03", "pdf") not in html
