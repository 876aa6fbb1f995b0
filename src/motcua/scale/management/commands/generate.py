"""`motcua generate --dossiers N --years Y [--seed S]`: a realistic province and N dossiers for capacity tests.

The province is the demo one (agencies, officers, calendar, catalogue: `motcua demo` without its dossiers); the
dossiers follow the distributions of `scale.distributions` and are written through the bulk import path, so a
second run with the same seed and date writes nothing new. See docs/scaling.md.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.audit.context import acting_as
from motcua.scale import generator
from motcua.scale.load import ensure_province, generate

MAX_LISTED = 50


class Command(BaseCommand):
    help = "Sinh dữ liệu của một tỉnh (đơn vị, cán bộ, thủ tục) và N hồ sơ giống thật, để đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True, help="Số hồ sơ cần sinh")
        parser.add_argument("--years", type=float, default=1.0, help="Số năm dữ liệu, tính đến hôm qua (mặc định 1)")
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED, help="Hạt giống ngẫu nhiên")
        parser.add_argument("--province", default=settings.MOTCUA["PROVINCE_CODE"],
                            help="Mã UBND tỉnh (hiện chỉ có tỉnh mẫu %(default)s)")
        parser.add_argument("--code-prefix", default="", help="Tiền tố mã hồ sơ (để sinh thêm với hạt giống khác)")
        parser.add_argument("--batch-size", type=int, default=None, help="Số hồ sơ ghi trong một giao dịch")
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ")

    def handle(self, *args, dossiers, years, seed, province, code_prefix, batch_size, no_progress, **options):
        if dossiers < 1:
            raise CommandError(_("--dossiers phải lớn hơn 0."))
        if not 0 < years <= 20:
            raise CommandError(_("--years phải trong khoảng (0, 20]."))
        ensure_province(self.stdout)
        from motcua.agencies.models import Agency

        if not Agency.objects.filter(code=province).exists():
            raise CommandError(_("Không có tỉnh mã %(c)s; dữ liệu mẫu chỉ có tỉnh %(d)s.") % {
                "c": province, "d": settings.MOTCUA["PROVINCE_CODE"]})
        bar = None
        if not no_progress:
            from tqdm import tqdm

            bar = tqdm(total=dossiers, unit=_(" hồ sơ"), file=sys.stderr, dynamic_ncols=True)
        with acting_as("command:generate"):
            report = generate(dossiers, years=years, seed=seed, code_prefix=code_prefix, batch_size=batch_size,
                              progress=bar.update if bar is not None else None)
        if bar is not None:
            bar.close()
        for error in report.errors[:MAX_LISTED]:
            self.stderr.write(str(error))
        rate = report.created / report.seconds if report.seconds else 0
        self.stdout.write(_("Đã sinh %(c)d hồ sơ (bỏ qua %(s)d đã có), %(r)d phiếu đánh giá, %(e)d lỗi; "
                            "%(t).1f giây, %(v).0f hồ sơ/giây.") % {
            "c": report.created, "s": report.skipped, "r": report.rated, "e": len(report.errors),
            "t": report.seconds, "v": rate})
        if report.errors:
            raise SystemExit(1)
