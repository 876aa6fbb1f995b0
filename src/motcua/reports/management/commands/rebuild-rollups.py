"""`motcua rebuild-rollups [--from YYYY-MM-DD --to YYYY-MM-DD]`: truncate and recompute the statistics rollups from
the dossier tables (one transaction). With a range only those days' rows are recomputed."""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Tính lại số liệu thống kê tổng hợp theo ngày từ bảng hồ sơ.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from")
        parser.add_argument("--to", dest="date_to")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **o):
        from tqdm import tqdm

        from motcua.dossiers.models import Dossier
        from motcua.reports.rollups import rebuild

        days = []
        for name in ("date_from", "date_to"):
            try:
                days.append(date.fromisoformat(o[name]) if o[name] else None)
            except ValueError:
                raise CommandError(_("--%(n)s: ngày không hợp lệ (YYYY-MM-DD).") % {"n": name[5:]}) from None
        if days[0] and days[1] and days[0] > days[1]:
            raise CommandError(_("--to phải từ --from trở đi."))
        bar = None if o["no_progress"] else tqdm(total=Dossier.objects.count(), unit=_("hồ sơ"), file=sys.stderr)
        n = rebuild(days[0], days[1], progress=bar.update if bar else None)
        if bar:
            bar.close()
        self.stdout.write(_("Đã tính lại số liệu từ %(n)s hồ sơ.") % {"n": n})
