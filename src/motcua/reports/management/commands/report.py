"""`motcua report --unit CODE --from 2023-01-01 --to 2023-12-31 [--by ...] [--definition local|766]
[--format json|xlsx|csv|pdf|docx] [--output FILE]` and `motcua report shortening [--unit CODE] [--on DATE]`."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.reports.export import FORMATS, ExportError, render
from motcua.reports.report import BY_CHOICES


class Command(BaseCommand):
    help = _("Báo cáo tình hình giải quyết hồ sơ theo kỳ (hoặc «shortening»: rút ngắn thời gian giải quyết).")

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=("period", "shortening"), default="period")
        parser.add_argument("--unit", help=_("mã định danh đơn vị"))
        parser.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
        parser.add_argument("--by", choices=BY_CHOICES)
        parser.add_argument("--definition", choices=("local", "766"), default="local")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help=_("tệp kết quả (mặc định: in ra màn hình, chỉ json/csv)"))
        parser.add_argument("--on", help=_("ngày xét thủ tục có hiệu lực (shortening), YYYY-MM-DD"))

    def handle(self, *args, **o):
        try:
            if o["kind"] == "shortening":
                return self._shortening(o)
            return self._period(o)
        except DomainError as exc:
            detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {detail}".strip()) from None
        except ExportError as exc:
            raise CommandError(str(exc)) from None

    def _period(self, o):
        from motcua.reports.service import full_report

        missing = [f"--{n}" for n, k in (("unit", "unit"), ("from", "date_from"), ("to", "date_to")) if not o[k]]
        if missing:
            raise CommandError(_("Thiếu tham số bắt buộc: %(m)s.") % {"m": ", ".join(missing)})
        report = full_report(o["unit"], o["date_from"], o["date_to"], by=o["by"], definition=o["definition"])
        fmt = o["format"]
        progress = None
        if fmt == "xlsx" and len(report.get("groups") or []) > 200:
            from tqdm import tqdm

            bar = tqdm(total=len(report["groups"]) + 1, desc=_("Xuất XLSX"), unit=_("dòng"), file=sys.stderr)
            progress = bar.update
        data = render(report, fmt, progress)
        if progress:
            bar.close()
        self._emit(data, fmt, o["output"])

    def _emit(self, data: bytes, fmt: str, output):
        if output:
            with open(output, "wb") as f:
                f.write(data)
            self.stdout.write(_("Đã ghi %(f)s (%(n)s byte).") % {"f": output, "n": len(data)})
        elif fmt in ("json", "csv"):
            self.stdout.write(data.decode("utf-8").lstrip("\ufeff"))
        else:
            raise CommandError(_("Định dạng %(f)s cần --output TỆP.") % {"f": fmt})

    def _shortening(self, o):
        from motcua.reports.shortening import shortening

        on = None
        if o["on"]:
            try:
                on = date.fromisoformat(o["on"])
            except ValueError:
                raise CommandError(_("--on: ngày không hợp lệ (YYYY-MM-DD).")) from None
        result = shortening(o["unit"], on)
        if o["format"] != "json":
            raise CommandError(_("Báo cáo rút ngắn thời gian chỉ xuất JSON."))
        self._emit(json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8"), "json", o["output"])
