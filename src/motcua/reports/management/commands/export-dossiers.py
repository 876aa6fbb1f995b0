"""`motcua export-dossiers --unit CODE --from D --to D --measure MEASURE [--definition local|766]
[--format xlsx|csv] --output FILE`: the dossiers behind one figure of the period report (the list the dashboard links
to), streamed to a file with a progress bar on stderr."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.reports import dossier_export


class Command(BaseCommand):
    help = _("Xuất danh sách hồ sơ đứng sau một chỉ tiêu của báo cáo kỳ (XLSX hoặc CSV).")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help=_("mã định danh đơn vị"))
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--measure", required=True,
                            help=_("chỉ tiêu: %(m)s") % {"m": ", ".join(dossier_export.MEASURES)})
        parser.add_argument("--definition", choices=("local", "766"), default="local")
        parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
        parser.add_argument("--output", required=True, help=_("tệp kết quả"))
        parser.add_argument("--no-progress", action="store_true", help=_("không hiện thanh tiến độ"))

    def handle(self, *args, **o):
        from tqdm import tqdm

        try:
            qs, _first, _last, end = dossier_export.behind(o["unit"], o["date_from"], o["date_to"], o["measure"],
                                                           o["definition"])
            total = qs.count()
        except DomainError as exc:
            detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {detail}".strip()) from None
        with tqdm(total=total, desc=_("Xuất hồ sơ"), unit=_("hồ sơ"), file=sys.stderr,
                  disable=o["no_progress"]) as bar, open(o["output"], "wb") as f:
            if o["format"] == "csv":
                for chunk in dossier_export.iter_csv(qs, o["definition"], end, bar.update):
                    f.write(chunk)
            else:
                dossier_export.write_xlsx(f, qs, o["definition"], end, bar.update)
        self.stdout.write(_("Đã ghi %(n)s hồ sơ vào %(f)s.") % {"n": total, "f": o["output"]})
