"""`motcua partitions status|convert|ensure|detach`: monthly partitions of the history and audit tables.

PostgreSQL only; see docs/scaling.md. `convert` once, in a maintenance window; `ensure` monthly (cron or the
Celery task `motcua.scale.tasks.ensure_partitions`); `detach --before YYYY-MM` when months leave the live tables.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.audit.services import AuditError
from motcua.core.text import format_number_vi
from motcua.scale import partitions as P


def parse_month(text: str) -> date:
    try:
        year, month = (int(x) for x in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CommandError(_("Tháng phải có dạng YYYY-MM, ví dụ 2021-01.")) from None


class Command(BaseCommand):
    help = _("Phân vùng theo tháng bảng lịch sử hồ sơ và nhật ký kiểm toán (PostgreSQL).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (("status", _("Các phân vùng và số bản ghi của chúng.")),
                           ("convert", _("Chuyển bảng sang phân vùng theo tháng (một lần, lúc bảo trì).")),
                           ("ensure", _("Tạo các tháng sắp tới; chuyển bản ghi lạc khỏi phân vùng mặc định.")),
                           ("detach", _("Tách các tháng cũ khỏi bảng đang dùng để lưu trữ."))):
            p = sub.add_parser(name, help=text)
            p.add_argument("--table", choices=[*P.SPECS, "all"], default="all")
            if name in ("convert", "ensure"):
                p.add_argument("--ahead", type=int, default=3, help=_("Số tháng tạo trước (mặc định 3)."))
            if name == "detach":
                p.add_argument("--before", required=True, type=parse_month,
                               help=_("Tách mọi tháng trước tháng này (YYYY-MM)."))

    def handle(self, *args, subcommand, table, **options):
        specs = list(P.SPECS.values()) if table == "all" else [P.SPECS[table]]
        try:
            for spec in specs:
                getattr(self, f"_{subcommand}")(spec, **{k: v for k, v in options.items() if k in ("ahead", "before")})
        except (P.PartitionError, AuditError) as exc:
            raise CommandError(str(exc)) from None

    def _status(self, spec: P.Spec) -> None:
        if not P.is_partitioned(spec):
            self.stdout.write(_("%(t)s: chưa phân vùng.") % {"t": spec.table})
            return
        self.stdout.write(_("%(t)s: phân vùng theo tháng") % {"t": spec.table})
        for part in P.partitions(spec, count_rows=True):
            span = f"{part.lower:%m/%Y}" if part.lower else _("mặc định")
            self.stdout.write(f"  {part.table}  {span}  {format_number_vi(part.rows)}")

    def _convert(self, spec: P.Spec, ahead: int) -> None:
        months = P.convert(spec, ahead)
        self.stdout.write(_("%(t)s: đã phân vùng thành %(n)s tháng và một phân vùng mặc định.")
                          % {"t": spec.table, "n": months})

    def _ensure(self, spec: P.Spec, ahead: int) -> None:
        created = P.ensure(spec, ahead)
        self.stdout.write(_("%(t)s: tạo thêm %(n)s phân vùng %(names)s") % {
            "t": spec.table, "n": len(created), "names": ", ".join(created)})

    def _detach(self, spec: P.Spec, before: date) -> None:
        done = P.detach(spec, before)
        self.stdout.write(_("%(t)s: đã tách %(n)s tháng thành bảng riêng: %(names)s. Sao lưu (pg_dump -t) rồi mới "
                            "xoá các bảng này.") % {"t": spec.table, "n": len(done), "names": ", ".join(done)})
