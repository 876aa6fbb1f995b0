"""`motcua export-catalog --format json|xlsx --output FILE`: export the whole procedure catalogue."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from motcua.catalog.exchange import export_catalog


class Command(BaseCommand):
    help = "Xuất toàn bộ danh mục thủ tục hành chính ra tệp JSON (motcua.catalog/1) hoặc XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", required=True, help="Tệp đích")

    def handle(self, *args, format, output, **options):
        export_catalog(output, format)
        self.stdout.write(self.style.SUCCESS(_("Đã xuất danh mục thủ tục ra %(o)s.") % {"o": output}))
