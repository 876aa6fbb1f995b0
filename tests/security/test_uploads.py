"""Uploads end to end through the citizen's submission pages and the desk's download view: size limit, type by
content (not the name or declared type), uploader's filename never a path, files under MEDIA_ROOT outside the web
root and static files, served only by the permission-checked view, virus-scan hook refusing a file.
(The sniffing rules themselves are unit-tested in tests/portal_citizen/test_uploads.py.)"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from motcua.portal.models import DraftFile
from motcua.portal.uploads import MAX_UPLOAD_BYTES
from tests.portal_citizen import flows
from tests.portal_citizen.conftest import _vietnamese, catalog, citizen  # noqa: F401 - their fixtures
from tests.portal_citizen.files import pdf_bytes, png_bytes, upload
from tests.security.routes import url_patterns

pytestmark = pytest.mark.django_db
CODE = "1.000894"
TRAVERSAL_NAMES = ["../../../../etc/passwd.pdf", "..\\..\\windows\\system32\\x.pdf", "/tmp/tuyet-doi.pdf",
                   "a/../../b.pdf", "\x00nul.pdf", "ho-so.pdf\x00.exe", ".htaccess"]


@pytest.fixture
def files_step(client, catalog, citizen):  # noqa: F811 - the imported fixtures
    """The citizen's draft at the documents step: (url, checklist items)."""
    client.force_login(citizen)
    applicant_url = flows.start(client, CODE)
    assert client.post(applicant_url, {**flows.APPLICANT, "action": "next"}).status_code == 302
    draft = DraftFile._meta.get_field("draft").related_model.objects.get(user=citizen)
    return flows.step_url(applicant_url, "giay-to"), list(draft.variant.documents.order_by("order")), draft


def post_file(client, url, document, name, content, content_type="application/pdf"):
    return client.post(url, {f"doc_{document.pk}": upload(name, content, content_type), "action": "save"})


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_uploader_filenames_are_never_paths(client, files_step, settings, tmp_path, name):
    url, documents, draft = files_step
    response = post_file(client, url, documents[0], name, pdf_bytes())
    assert response.status_code in (200, 302)
    row = DraftFile.objects.get(draft=draft, required_document=documents[0])
    media = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(row.file.path).resolve()
    assert stored.is_relative_to(media) and stored.suffix == ".pdf"
    assert len(stored.stem) == 32 and all(c in "0123456789abcdef" for c in stored.stem)  # uuid, not the name
    assert "/" not in row.original_name and "\\" not in row.original_name  # only displayed, path parts dropped
    assert not any(p.name in {"passwd.pdf", "x.pdf", "tuyet-doi.pdf", "b.pdf"} for p in tmp_path.parent.rglob("*.pdf"))


@pytest.mark.parametrize(("content", "declared"), [
    (b"<html><script>alert(1)</script></html>", "application/pdf"),
    (b"MZ\x90\x00\x03" + b"\x00" * 64, "application/pdf"),
    (b"GIF89a" + b"\x00" * 20, "image/png"),
])
def test_type_comes_from_the_content_not_the_name(client, files_step, settings, content, declared):
    url, documents, draft = files_step
    response = post_file(client, url, documents[0], "to-khai.pdf", content, declared)
    assert response.status_code == 422 and "kiểm tra nội dung" in response.content.decode()
    assert not DraftFile.objects.filter(draft=draft).exists() and not stored_files(Path(settings.MEDIA_ROOT))


def test_an_image_named_pdf_is_stored_as_what_it_is(client, files_step):
    url, documents, draft = files_step
    post_file(client, url, documents[0], "to-khai.pdf", png_bytes(), "application/pdf")
    row = DraftFile.objects.get(draft=draft)
    assert row.content_type == "image/png" and row.file.name.endswith(".png")


def test_files_over_the_limit_are_refused(client, files_step, settings):
    url, documents, draft = files_step
    big = pdf_bytes() + b"0" * (MAX_UPLOAD_BYTES + 1 - len(pdf_bytes()))
    response = post_file(client, url, documents[0], "lon.pdf", big)
    assert response.status_code == 422 and "10 MB" in response.content.decode()
    assert not DraftFile.objects.filter(draft=draft).exists() and not stored_files(Path(settings.MEDIA_ROOT))


def test_virus_scanner_refusal_stores_nothing(client, files_step, settings):
    settings.MOTCUA = {**settings.MOTCUA, "VIRUS_SCANNER": "tests.portal_citizen.test_uploads.refuse_everything"}
    url, documents, draft = files_step
    response = post_file(client, url, documents[0], "to-khai.pdf", pdf_bytes())
    assert response.status_code == 422 and "mã độc" in response.content.decode()
    assert not DraftFile.objects.filter(draft=draft).exists()


def test_media_lives_outside_static_files_and_the_code():
    media = Path(django_settings.MEDIA_ROOT).resolve()
    static = Path(django_settings.STATIC_ROOT).resolve()
    package = Path(django_settings.BASE_DIR).resolve()
    assert not media.is_relative_to(static) and not static.is_relative_to(media)
    assert not media.is_relative_to(package)


def test_no_url_serves_the_media_directory(client, files_step, settings):
    url, documents, draft = files_step
    post_file(client, url, documents[0], "to-khai.pdf", pdf_bytes())
    row = DraftFile.objects.get(draft=draft)
    from django.views import static

    assert all(getattr(p.callback, "__wrapped__", p.callback) is not static.serve for _r, p in url_patterns())
    for prefix in ("/media/", "/static/", "/files/", "/"):
        assert client.get(prefix + row.file.name).status_code == 404


def test_scans_are_served_only_through_the_scoped_view(world_client_pairs):
    """The desk's download view: in-scope staff get the file as an attachment with nosniff; out-of-scope staff 404,
    citizens 403 (the back office is not theirs), visitors the login page."""
    world, clients = world_client_pairs
    url = f"/backoffice/ho-so/{world.objects['dossier_a']}/giay-to/{world.objects['document_a']}/"
    response = clients["officer_x"].get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert clients["officer_y"].get(url).status_code == 404
    assert clients["citizen_b"].get(url).status_code == 403
    assert clients["citizen_a"].get(url).status_code == 403
    assert clients["anonymous"].get(url)["Location"].startswith("/accounts/login/")


@pytest.fixture
def world_client_pairs(settings):
    from tests.security.routes import client_for
    from tests.security.world import build_world

    world = build_world()
    world.media_root = settings.MEDIA_ROOT
    return world, {role: client_for(user) for role, user in world.users.items()}
