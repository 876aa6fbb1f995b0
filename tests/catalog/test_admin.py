"""Admin: diacritic-free search, published versions read-only, the «Công bố» action with its messages."""

import pytest
from django.contrib.messages import get_messages

from motcua.catalog.models import ProcedureVersion, RequiredDocument, Variant, VersionStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, catalog):
    user = UserFactory(username="quantri", is_staff=True, is_superuser=True, kind="staff")
    client.force_login(user)
    return client


def test_procedure_search_without_diacritics(admin_client):
    page = admin_client.get("/admin/catalog/procedure/", {"q": "dang ky ket hon"}).content.decode()
    assert "1.000894" in page and "2.000001" in page and "1.001193" not in page


def test_published_version_is_read_only(admin_client):
    version = ProcedureVersion.objects.get(decision_number="20/QĐ-UBND")
    page = admin_client.get(f"/admin/catalog/procedureversion/{version.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    posted = admin_client.post(f"/admin/catalog/procedureversion/{version.pk}/change/", {"legal_basis": "x"})
    assert posted.status_code == 403
    variant = version.variants.first()
    assert 'name="_save"' not in admin_client.get(f"/admin/catalog/variant/{variant.pk}/change/").content.decode()
    assert admin_client.post(f"/admin/catalog/variant/{variant.pk}/delete/", {"post": "yes"}).status_code == 403


def test_draft_version_is_editable(admin_client):
    draft = ProcedureVersion.objects.get(decision_number="31/QĐ-UBND")
    assert 'name="_save"' in admin_client.get(f"/admin/catalog/procedureversion/{draft.pk}/change/").content.decode()


def test_publish_action_shows_every_error(admin_client):
    draft = ProcedureVersion.objects.get(decision_number="31/QĐ-UBND")
    RequiredDocument.objects.filter(variant__version=draft).delete()
    ProcedureVersion.objects.filter(pk=draft.pk).update(method_text="")
    response = admin_client.post("/admin/catalog/procedureversion/",
                                 {"action": "publish_selected", "_selected_action": [draft.pk]})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0].startswith("Không công bố được")
    assert any("cách thức thực hiện" in t for t in texts)
    assert any("Trường hợp 1 «Nhà ở riêng lẻ»: chưa có thành phần hồ sơ" in t for t in texts)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_publish_action_publishes_and_closes_predecessor(admin_client):
    draft = ProcedureVersion.objects.get(decision_number="31/QĐ-UBND")
    response = admin_client.post("/admin/catalog/procedureversion/",
                                 {"action": "publish_selected", "_selected_action": [draft.pk]})
    assert any("Đã công bố" in str(m) for m in get_messages(response.wsgi_request))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert ProcedureVersion.objects.get(decision_number="30/QĐ-UBND").effective_to.isoformat() == "2026-11-30"
    assert Variant.objects.filter(version=draft).count() == 1
