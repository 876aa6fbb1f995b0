"""`motcua index766 --unit CODE --period 2026-10 [--format json|xlsx] [--output FILE]` — the Decision 766 index of a
unit; `motcua index766 --load FILE.json` loads a new version of the indicator definitions."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.indices.export import FORMATS, render


class Command(BaseCommand):
    help = _("Chỉ số 766 (Quyết định 766/QĐ-TTg) của một đơn vị trong một kỳ.")

    def add_arguments(self, parser):
        parser.add_argument("--unit", help=_("mã định danh đơn vị"))
        parser.add_argument("--period", help=_("kỳ: 2026-10 (tháng), 2026-Q4 (quý) hoặc 2026 (năm)"))
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help=_("tệp kết quả (bắt buộc với xlsx)"))
        parser.add_argument("--load", metavar="FILE", help=_("nạp phiên bản bộ chỉ số mới từ tệp JSON"))

    def handle(self, *args, **o):
        if o["load"]:
            return self._load(o["load"])
        missing = [f"--{k}" for k in ("unit", "period") if not o[k]]
        if missing:
            raise CommandError(_("Thiếu tham số bắt buộc: %(m)s.") % {"m": ", ".join(missing)})
        if o["format"] == "xlsx" and not o["output"]:
            raise CommandError(_("Định dạng xlsx cần --output TỆP."))
        from motcua.indices.services import compute

        try:
            result = compute(o["unit"], o["period"])
        except DomainError as exc:
            detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {detail}".strip()) from None
        data = render(result, o["format"])
        if o["output"]:
            with open(o["output"], "wb") as f:
                f.write(data)
            self.stdout.write(_("Đã ghi %(f)s (%(n)s byte).") % {"f": o["output"], "n": len(data)})
        else:
            self.stdout.write(data.decode("utf-8"))

    def _load(self, path):
        from motcua.indices import definitions
        from motcua.indices.models import IndexVersion, Indicator

        try:
            data = definitions.read(path)
        except (OSError, ValueError) as exc:
            raise CommandError(_("Không nạp được %(f)s: %(e)s") % {"f": path, "e": exc}) from None
        with transaction.atomic():
            version, created = definitions.load(data, IndexVersion, Indicator)
        self.stdout.write(_("Đã nạp phiên bản %(c)s.") % {"c": version.code} if created
                          else _("Phiên bản %(c)s đã có, không thay đổi.") % {"c": version.code})
