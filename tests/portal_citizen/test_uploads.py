"""File checks: content sniffing, size limit, virus-scan hook."""

import pytest
from django.core.exceptions import ValidationError

from motcua.portal import uploads
from tests.portal_citizen.files import docx_bytes, pdf_bytes, png_bytes, upload, zip_bytes


@pytest.mark.parametrize(("content", "kind"), [
    (pdf_bytes(), "application/pdf"), (png_bytes(), "image/png"), (b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
    (docx_bytes(), uploads.DOCX_TYPE)])
def test_types_are_recognised_by_content(content, kind):
    checked = uploads.check_upload(upload("ten-bat-ky.bin", content, "text/plain"))
    assert checked.content_type == kind
    assert checked.as_file().name.endswith("." + checked.extension)
    assert "ten-bat-ky" not in checked.as_file().name


@pytest.mark.parametrize("content", [b"hello", zip_bytes(), b"MZ\x90\x00executable", b"<html>pdf</html>"])
def test_other_content_is_refused_whatever_the_name(content):
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload("giay-to.pdf", content, "application/pdf"))
    assert exc.value.code == "file_type"


def test_empty_and_oversize():
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload("a.pdf", b""))
    assert exc.value.code == "empty"
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload("a.pdf", b"%PDF-" + b"0" * uploads.MAX_UPLOAD_BYTES))
    assert exc.value.code == "too_large"


def test_path_in_the_uploaded_name_is_only_displayed():
    checked = uploads.check_upload(upload("../../etc/passwd.pdf", pdf_bytes()))
    assert checked.original_name == "passwd.pdf" and "/" not in checked.as_file().name


def refuse_everything(content, name):
    return False, "Eicar-Test-Signature FOUND"


def test_virus_scanner_hook(settings):
    settings.MOTCUA = {**settings.MOTCUA, "VIRUS_SCANNER": "tests.portal_citizen.test_uploads.refuse_everything"}
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload("a.pdf", pdf_bytes()))
    assert exc.value.code == "virus" and "Eicar" in exc.value.messages[0]


def test_clamd_scanner_fails_closed_without_a_daemon(settings):
    pytest.importorskip("clamd")
    settings.MOTCUA = {**settings.MOTCUA, "CLAMD_SOCKET": "/nonexistent/clamd.sock"}
    ok, reason = uploads.clamd_scanner(pdf_bytes(), "a.pdf")
    assert not ok and reason
