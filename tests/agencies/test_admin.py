import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import AccountKind
from motcua.agencies.models import Agency
from motcua.agencies.services import COLUMNS
from tests.factories import UserFactory


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, kind=AccountKind.STAFF)


def test_changelist_tree_filters_and_search(client, root, province):
    client.force_login(root)
    page = client.get("/admin/agencies/agency/").content.decode()
    assert 'padding-left:3.0em' in page  # the division is two levels deep
    assert "Nhập từ tệp" in page
    filtered = client.get("/admin/agencies/agency/?level__exact=commune").content.decode()
    assert province["commune"].code in filtered and province["dept"].code not in filtered
    assert province["dept"].code not in client.get("/admin/agencies/agency/?validity=expired").content.decode()
    found = client.get("/admin/agencies/agency/?q=000.01.12").content.decode()
    assert province["division"].code in found and province["centre"].code not in found


def test_admin_form_validates(client, root, province):
    client.force_login(root)
    response = client.post("/admin/agencies/agency/add/", {
        "code": "sai-ma", "name": "Sở mới", "level": "province", "kind": "department",
        "valid_from": "2025-07-01", "valid_to": "2025-06-01"})
    assert response.status_code == 200 and not Agency.objects.filter(name="Sở mới").exists()
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"code", "valid_to"}


def test_import_page(client, root):
    client.force_login(root)
    content = (",".join(COLUMNS) + "\n000.00.00.H27,UBND tỉnh,,province,peoples_committee,,,,,,,\n").encode()
    dry = client.post("/admin/agencies/agency/import/", {
        "file": SimpleUploadedFile("a.csv", content), "dry_run": "on"})
    assert dry.status_code == 200 and Agency.objects.count() == 0
    done = client.post("/admin/agencies/agency/import/", {"file": SimpleUploadedFile("a.csv", content)})
    assert done.status_code == 302 and Agency.objects.filter(code="000.00.00.H27").exists()
    bad = client.post("/admin/agencies/agency/import/", {"file": SimpleUploadedFile("b.csv", content.replace(
        b"000.00.00.H27", b"xx"))})
    assert bad.status_code == 200 and "<td>2</td><td>code</td>" in bad.content.decode()
    assert Agency.objects.count() == 1
