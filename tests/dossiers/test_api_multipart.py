"""POST /api/v1/dossiers as multipart/form-data: a JSON `dossier` part + one `file_<id>` part per checklist item."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.audit.models import AuditRecord
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.portal import uploads
from tests.dossiers.conftest import APPLICANT

URL = "/api/v1/dossiers"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def payload(world, documents=None, **kw) -> str:
    data = {"procedure": world["procedure"].code, "variant": world["variant"].pk,
            "receiving_agency": world["centre"].code, "applicant": APPLICANT,
            "documents": documents if documents is not None else []}
    data.update(kw)
    return json.dumps(data)


def pdf(name="don.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def required(world):
    return [d for d in world["docs"] if d.required]


@pytest.fixture
def bearer(api_client):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_client[1]}")


def nothing_written():
    return not Dossier.objects.exists() and not DossierDocument.objects.exists() and \
        not AuditRecord.objects.filter(stream__startswith="dossier:").exists()


def test_files_become_the_checklist_documents(world, bearer, settings):
    first, second = required(world)
    r = bearer.post(URL, {"dossier": payload(world), f"file_{first.pk}": pdf(),
                          f"file_{second.pk}": SimpleUploadedFile("ban-ve.png", PNG, content_type="image/png")})
    assert r.status_code == 201, r.content
    d = Dossier.objects.get(code=r.json()["code"])
    assert d.status == 2 and d.digitised
    docs = {doc.required_document_id: doc for doc in d.documents.all()}
    assert set(docs) == {first.pk, second.pk}
    assert docs[first.pk].content_type == "application/pdf" and docs[first.pk].size == len(PDF)
    assert docs[second.pk].content_type == "image/png" and docs[second.pk].digitised
    stored = docs[first.pk].file
    assert stored.name.startswith(f"dossiers/{d.code}/") and "don" not in stored.name  # generated, not the upload's
    with stored.open("rb") as fh:
        assert fh.read() == PDF


def test_payload_metadata_is_kept_and_missing_file_parts_are_still_required(world, bearer):
    first, second = required(world)
    listed = [{"required_document_id": first.pk, "copy_kind": "original"}]
    r = bearer.post(URL, {"dossier": payload(world, listed), f"file_{first.pk}": pdf()})
    assert r.status_code == 422 and "documents" in r.json()["error"]["fields"]  # second required item missing
    assert nothing_written()
    listed.append({"required_document_id": second.pk, "copy_kind": "copy"})  # paper, no scan
    r = bearer.post(URL, {"dossier": payload(world, listed), f"file_{first.pk}": pdf()})
    assert r.status_code == 201, r.content
    docs = {doc.required_document_id: doc for doc in Dossier.objects.get().documents.all()}
    assert docs[first.pk].copy_kind == "original" and docs[first.pk].file and docs[first.pk].digitised
    assert not docs[second.pk].file and not docs[second.pk].digitised


@pytest.mark.parametrize("content,code_word", [
    (b"MZ\x90\x00 this is an exe", "PDF"),  # wrong type by content, whatever the name says
    (b"", "rỗng"),
])
def test_bad_file_refused_with_field_and_nothing_written(world, bearer, content, code_word):
    first, second = required(world)
    r = bearer.post(URL, {"dossier": payload(world), f"file_{first.pk}": pdf("x.pdf", content),
                          f"file_{second.pk}": pdf()})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid" and code_word in error["fields"][f"file_{first.pk}"][0]
    assert f"file_{second.pk}" not in error["fields"]
    assert nothing_written()


def test_oversize_file_refused(world, bearer, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)
    first, second = required(world)
    r = bearer.post(URL, {"dossier": payload(world), f"file_{first.pk}": pdf(content=PDF + b"0" * 200),
                          f"file_{second.pk}": pdf()})
    assert r.status_code == 422 and "10 MB" in r.json()["error"]["fields"][f"file_{first.pk}"][0]
    assert nothing_written()


def test_virus_scanner_hook_refuses(world, bearer, settings):
    settings.MOTCUA = {**settings.MOTCUA, "VIRUS_SCANNER": "tests.dossiers.test_api_multipart.eicar_scanner"}
    first, second = required(world)
    r = bearer.post(URL, {"dossier": payload(world), f"file_{first.pk}": pdf(content=PDF + b"EICAR"),
                          f"file_{second.pk}": pdf()})
    assert r.status_code == 422
    assert "Eicar-Test-Signature" in r.json()["error"]["fields"][f"file_{first.pk}"][0]
    assert nothing_written()


def eicar_scanner(content: bytes, name: str):
    return (False, "Eicar-Test-Signature") if b"EICAR" in content else (True, "")


def test_unknown_item_bad_part_name_and_duplicates(world, bearer, province):
    first, second = required(world)
    other = world["docs"][0].pk + 1000
    cases = [
        ({f"file_{other}": pdf(), f"file_{first.pk}": pdf(), f"file_{second.pk}": pdf()}, f"file_{other}"),
        ({"scan": pdf(), f"file_{first.pk}": pdf(), f"file_{second.pk}": pdf()}, "scan"),
        ({f"file_{first.pk}": [pdf(), pdf()], f"file_{second.pk}": pdf()}, f"file_{first.pk}"),
    ]
    for parts, field in cases:
        r = bearer.post(URL, {"dossier": payload(world), **parts})
        assert r.status_code == 422 and field in r.json()["error"]["fields"], (field, r.content)
    assert nothing_written()


def test_missing_or_bad_json_part(world, bearer):
    first = required(world)[0]
    r = bearer.post(URL, {f"file_{first.pk}": pdf()})
    assert r.status_code == 422 and "dossier" in r.json()["error"]["fields"]
    r = bearer.post(URL, {"dossier": "{not json", f"file_{first.pk}": pdf()})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    r = bearer.post(URL, {"dossier": json.dumps({"procedure": "x"}), f"file_{first.pk}": pdf()})
    assert r.status_code == 422 and "applicant" in r.json()["error"]["fields"]
    assert nothing_written()


def test_failure_after_storing_a_file_removes_it(world, bearer, settings, monkeypatch):
    from motcua.portal import submission

    original, calls = submission.attach_file, []

    def attach_then_fail(*args):
        calls.append(args)
        original(*args)
        if len(calls) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(submission, "attach_file", attach_then_fail)
    first, second = required(world)
    with pytest.raises(OSError):
        bearer.post(URL, {"dossier": payload(world), f"file_{first.pk}": pdf(), f"file_{second.pk}": pdf()})
    assert len(calls) == 2 and nothing_written()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_idempotency_key_with_files(world, bearer):
    first, second = required(world)

    def send():
        return bearer.post(URL, {"dossier": payload(world, channel=3), f"file_{first.pk}": pdf(),
                                 f"file_{second.pk}": pdf()}, HTTP_IDEMPOTENCY_KEY="buu-dien-42")

    one, two = send(), send()
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["code"] == two.json()["code"] and two.json()["lookup_secret"] is None
    assert Dossier.objects.count() == 1 and DossierDocument.objects.filter(file__gt="").count() == 2


def test_json_body_still_accepted_and_documented(world, bearer):
    docs = [{"required_document_id": d.pk} for d in required(world)]
    r = bearer.post(URL, payload(world, docs), content_type="application/json")
    assert r.status_code == 201, r.content
    schema = bearer.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/dossiers"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    multipart = body["multipart/form-data"]
    assert "dossier" in multipart["schema"]["properties"]
    assert multipart["encoding"]["dossier"]["contentType"] == "application/json"


def test_session_user_multipart_and_scope(world):
    c = Client()
    c.force_login(world["cv"])  # specialist at the department: no reception role at the centre
    first, second = required(world)
    r = c.post(URL, {"dossier": payload(world), f"file_{first.pk}": pdf(), f"file_{second.pk}": pdf()})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert nothing_written()
    c.force_login(world["tn"])
    r = c.post(URL, {"dossier": payload(world), f"file_{first.pk}": pdf(), f"file_{second.pk}": pdf()})
    assert r.status_code == 201
