"""PAKN attachments: PDF, JPEG or PNG up to 10 MB, recognised by their bytes (the portal's sniffing and virus-scan
hook), stored under MEDIA_ROOT with generated names (the sender's filename is only displayed)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.portal.uploads import CheckedFile, check_upload

ALLOWED_TYPES = {"application/pdf", "image/jpeg", "image/png"}
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MAX_FILES = 5


def check_files(files, errors: dict, key: str = "attachments") -> list[CheckedFile]:
    """Checked files; problems are added to `errors[key]` (one message per file) and nothing is stored."""
    files = [f for f in (files or []) if f]
    messages, checked = [], []
    if len(files) > MAX_FILES:
        messages.append(_("Chỉ được đính kèm tối đa %(n)s tệp.") % {"n": MAX_FILES})
    for upload in files[:MAX_FILES]:
        try:
            item = check_upload(upload)
        except ValidationError as exc:
            messages.extend(exc.messages)
            continue
        if item.content_type not in ALLOWED_TYPES:
            messages.append(_("Tệp «%(name)s» không phải PDF, JPEG hoặc PNG.") % {"name": item.original_name})
            continue
        checked.append(item)
    if messages:
        errors[key] = messages
    return checked
