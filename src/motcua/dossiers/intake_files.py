"""Files sent with a dossier through `POST /api/v1/dossiers` as multipart/form-data.

One part `dossier` carries the JSON payload (the same `DossierIn` as a JSON request); one part `file_<id>` per
checklist item, `<id>` being the RequiredDocument id of the chosen variant. Each file goes through the portal's
checks (`portal.uploads.check_upload`: content sniffing, 10 MB limit, virus-scan hook), all of them before anything
is written, so one bad file refuses the whole request with every file error listed under `fields["file_<id>"]`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.portal.uploads import CheckedFile, check_upload

PAYLOAD_PART = "dossier"
FILE_PART = re.compile(r"^file_(\d+)$")


def invalid(fields: dict) -> DomainError:
    return DomainError("invalid", _("Dữ liệu không hợp lệ."), fields=fields, status=422)


def check_files(files) -> dict[int, CheckedFile]:
    """{required_document_id: checked file} from request.FILES; DomainError 422 naming every bad part."""
    errors: dict[str, list[str]] = {}
    checked: dict[int, CheckedFile] = {}
    for part in files:
        match = FILE_PART.match(part)
        if match is None:
            errors[part] = [_("Phần tệp phải có tên file_<mã giấy tờ>.")]
            continue
        uploads = files.getlist(part)
        if len(uploads) > 1:
            errors[part] = [_("Mỗi giấy tờ chỉ gửi một tệp.")]
            continue
        try:
            checked[int(match.group(1))] = check_upload(uploads[0])
        except ValidationError as exc:
            errors[part] = exc.messages
    if errors:
        raise invalid(errors)
    return checked


def merge_documents(variant_documents: dict, documents: list[dict], checked: dict[int, CheckedFile]) -> list[dict]:
    """Payload documents plus one row for each file whose item the payload did not list (a file is a document).

    `variant_documents` is {id: RequiredDocument} of the chosen variant; a file for anything else is refused."""
    unknown = {f"file_{rid}": [_("Giấy tờ không thuộc trường hợp thủ tục này.")]
               for rid in checked if rid not in variant_documents}
    if unknown:
        raise invalid(unknown)
    listed = {d.get("required_document_id") for d in documents}
    extra = [{"required_document_id": rid, "name": variant_documents[rid].name, "copy_kind": "copy",
              "digitised": True} for rid in checked if rid not in listed]
    return [{**d, "digitised": d.get("digitised") or d.get("required_document_id") in checked}
            for d in documents] + extra


def attach_files(dossier, checked: dict[int, CheckedFile], stored: list) -> None:
    """Store each file on its document row (inside the caller's transaction), appending each stored file to
    `stored` as it goes so the caller can delete them if the transaction rolls back (storage is not
    transactional)."""
    from motcua.portal.submission import attach_file

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("attach_files() must run inside the intake transaction")
    rows = {d.required_document_id: d for d in dossier.documents.filter(required_document_id__in=list(checked))}
    for rid, f in checked.items():
        row = rows[rid]
        try:
            attach_file(row, f.content_type, f.size, f.sha256, f.as_file())
        finally:  # the file may be stored even when saving the row fails
            if row.file:
                stored.append(row.file)
