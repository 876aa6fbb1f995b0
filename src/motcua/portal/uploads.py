"""Files citizens upload (submission checklist items, supplements).

- Accepted: PDF, JPEG, PNG and DOCX up to 10 MB, recognised by their content (magic bytes, and for DOCX the
  OOXML parts inside the zip), never by the extension or the browser's declared content type.
- Stored under MEDIA_ROOT (outside the web root) with generated names; the uploader's filename is only shown back,
  never used as a path.
- Virus scan hook: settings.MOTCUA["VIRUS_SCANNER"] = dotted path to a callable `scan(content: bytes, name: str)
  -> (ok: bool, reason: str)`. The default accepts everything. A province connects ClamAV with
  `motcua.portal.uploads.clamd_scanner` (needs the `clamd` package and a running clamd; MOTCUA["CLAMD_SOCKET"],
  default /var/run/clamav/clamd.ctl) or its own callable.
"""

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,.docx,application/pdf,image/jpeg,image/png," + DOCX_TYPE


@dataclass
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)

    def as_file(self) -> ContentFile:
        """The content under a generated name (uuid + the extension of the sniffed type)."""
        return ContentFile(self.content, name=f"{uuid.uuid4().hex}.{self.extension}")


def sniff(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the bytes, or None for anything else."""
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return content_type, extension
    if content.startswith(b"PK\x03\x04") and _is_docx(content):
        return DOCX_TYPE, "docx"
    return None


def _is_docx(content: bytes) -> bool:
    """A zip is a Word document only with the OOXML content-types part and the main document part."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def display_name(upload) -> str:
    """The uploader's filename as text to show (path parts dropped, length bounded)."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:200]


def check_upload(upload) -> CheckedFile:
    """Read and check one uploaded file; ValidationError with a Vietnamese message naming the file otherwise."""
    name = display_name(upload)
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Tệp «%(name)s» vượt quá dung lượng tối đa 10 MB.") % {"name": name},
                              code="too_large")
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Tệp «%(name)s» vượt quá dung lượng tối đa 10 MB.") % {"name": name},
                              code="too_large")
    if not content:
        raise ValidationError(_("Tệp «%(name)s» rỗng.") % {"name": name}, code="empty")
    kind = sniff(content)
    if kind is None:
        raise ValidationError(_("Tệp «%(name)s» không phải PDF, JPEG, PNG hoặc DOCX (hệ thống kiểm tra nội dung "
                                "tệp, không dựa vào phần mở rộng).") % {"name": name}, code="file_type")
    ok, reason = scan(content, name)
    if not ok:
        raise ValidationError(_("Tệp «%(name)s» bị từ chối khi quét mã độc: %(reason)s") % {"name": name,
                                                                                         "reason": reason},
                              code="virus")
    return CheckedFile(content, kind[0], kind[1], hashlib.sha256(content).hexdigest(), name)


# -- virus scanning -------------------------------------------------------------------------------------------------
def no_scan(content: bytes, name: str) -> tuple[bool, str]:
    """Default scanner: accepts every file (a province without ClamAV)."""
    return True, ""


def scan(content: bytes, name: str) -> tuple[bool, str]:
    path = settings.MOTCUA.get("VIRUS_SCANNER") or "motcua.portal.uploads.no_scan"
    return import_string(path)(content, name)


def clamd_scanner(content: bytes, name: str) -> tuple[bool, str]:
    """ClamAV through clamd's INSTREAM command (pip install clamd; apt-get install clamav-daemon).

    settings.MOTCUA = {..., "VIRUS_SCANNER": "motcua.portal.uploads.clamd_scanner",
                       "CLAMD_SOCKET": "/var/run/clamav/clamd.ctl"}   # or "CLAMD_HOST"/"CLAMD_PORT" for TCP
    An unreachable daemon refuses the file (fail closed) rather than letting it through unscanned."""
    import clamd  # optional dependency, only for provinces that run ClamAV

    cfg = settings.MOTCUA
    try:
        if cfg.get("CLAMD_HOST"):
            daemon = clamd.ClamdNetworkSocket(cfg["CLAMD_HOST"], int(cfg.get("CLAMD_PORT", 3310)))
        else:
            daemon = clamd.ClamdUnixSocket(cfg.get("CLAMD_SOCKET", "/var/run/clamav/clamd.ctl"))
        status, signature = daemon.instream(io.BytesIO(content))["stream"]
    except Exception:  # noqa: BLE001 - any daemon failure must refuse, never accept unscanned
        return False, _("không kết nối được dịch vụ quét mã độc, vui lòng thử lại sau.")
    if status == "OK":
        return True, ""
    return False, signature or status
