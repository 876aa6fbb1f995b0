"""`motcua ratings load-indices <file.json>` loads an evaluation index set (format: ratings/data/tt01_2018.json);
`motcua ratings summary` prints the province-wide satisfaction summary."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.ratings import indexdata
from motcua.ratings.models import IndexDefinition, IndexSet
from motcua.ratings.services import rating_summary


class Command(BaseCommand):
    help = "Đánh giá mức độ hài lòng: nạp bộ chỉ số (load-indices), tổng hợp (summary)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load-indices", help="Nạp bộ chỉ số đánh giá từ tệp JSON.")
        load.add_argument("path")
        sub.add_parser("summary", help="Tổng hợp kết quả đánh giá toàn tỉnh.")

    def handle(self, *args, action, **options):
        if action == "load-indices":
            try:
                data = indexdata.read(options["path"])
                with transaction.atomic():
                    index_set, created = indexdata.load(data, IndexSet, IndexDefinition)
            except (OSError, ValueError) as exc:
                raise CommandError(_("Không nạp được bộ chỉ số: %(e)s") % {"e": exc}) from exc
            self.stdout.write(_("%(code)s: thêm %(n)s chỉ số") % {"code": index_set.code, "n": created})
            return
        s = rating_summary(Dossier.objects.all())
        self.stdout.write(_("Số phiếu: %(total)s; tỷ lệ hài lòng: %(satisfaction_rate_display)s") % s)
        for level, n in s["levels"].items():
            self.stdout.write(f"  {level}: {n}")
