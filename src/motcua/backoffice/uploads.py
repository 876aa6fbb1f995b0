"""Scanned documents and result files uploaded at the desk: PDF, JPEG or PNG up to 10 MB, recognised by their
content (magic bytes), never by the name or the browser's declared type. Stored under MEDIA_ROOT (outside the web
root) through the DossierDocument file field; served only by the permission-checked download view.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from motcua.portal.uploads import MAX_UPLOAD_BYTES, scan, sniff

# Scans at the desk: the portal's content sniffing, without DOCX (a scanner produces PDF or images).
DESK_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


@dataclass
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    def as_file(self, stem: str) -> ContentFile:
        """A file with a name we choose (never the uploader's), e.g. `giay-to-12-3fa9c1e2b4d5.pdf`."""
        return ContentFile(self.content, name=f"{stem}-{self.sha256[:12]}.{self.extension}")


def check_upload(upload) -> CheckedFile:
    """Read and check one uploaded file; ValidationError with a Vietnamese message otherwise."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Tệp «%(name)s» vượt quá 10 MB.") % {"name": upload.name}, code="too_large")
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Tệp «%(name)s» vượt quá 10 MB.") % {"name": upload.name}, code="too_large")
    if not content:
        raise ValidationError(_("Tệp «%(name)s» rỗng.") % {"name": upload.name}, code="empty")
    kind = sniff(content)
    if kind is None or kind[0] not in DESK_TYPES:
        raise ValidationError(_("Tệp «%(name)s» không phải PDF, JPEG hoặc PNG.") % {"name": upload.name},
                              code="file_type")
    ok, reason = scan(content, upload.name)
    if not ok:
        raise ValidationError(_("Tệp «%(name)s» bị từ chối khi quét mã độc: %(reason)s")
                              % {"name": upload.name, "reason": reason}, code="virus")
    return CheckedFile(content, kind[0], kind[1], hashlib.sha256(content).hexdigest())
