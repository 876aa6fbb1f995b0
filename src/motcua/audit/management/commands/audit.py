"""`motcua audit verify` and `motcua audit checkpoint` (see docs/audit.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.audit.checkpoints import checkpoint
from motcua.audit.verify import verify
from motcua.core.text import format_number_vi

SHOWN_PROBLEMS = 20


def parse_anchor(text: str) -> tuple[int, str]:
    seq, sep, digest = (text or "").partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise CommandError(_("--anchor phải có dạng SỐ:MÃ_BĂM (ví dụ 42:ab12…, mã băm 64 ký tự)."))
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = _("Nhật ký kiểm toán: kiểm tra chuỗi băm (verify) hoặc niêm phong các luồng (checkpoint).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("verify", help=_("Kiểm tra toàn bộ chuỗi băm; mã thoát 1 nếu bị can thiệp."))
        check.add_argument("--anchor", help=_("SỐ:MÃ_BĂM của một điểm niêm phong đã lưu bên ngoài hệ thống."))
        check.add_argument("--database", default="default")
        seal = sub.add_parser("checkpoint", help=_("Niêm phong đầu mọi luồng đã thay đổi."))
        seal.add_argument("--database", default="default")

    def handle(self, *args, subcommand, database="default", anchor=None, **options):
        if subcommand == "checkpoint":
            return self._checkpoint(database)
        return self._verify(database, parse_anchor(anchor) if anchor else None)

    def _checkpoint(self, database: str) -> None:
        cp = checkpoint(using=database)
        self.stdout.write(_("Đã niêm phong điểm %(seq)s: %(entries)s luồng thay đổi; tổng %(streams)s luồng, "
                            "%(records)s bản ghi. Lưu mã này ra ngoài hệ thống: %(seq)s:%(hash)s") % {
            "seq": cp.seq, "entries": format_number_vi(cp.entry_count), "streams": format_number_vi(cp.stream_count),
            "records": format_number_vi(cp.record_count), "hash": cp.hash})

    def _verify(self, database: str, anchor) -> None:
        result = verify(using=database, anchor=anchor)
        if result.ok:
            self.stdout.write(_("OK: %(records)s bản ghi trong %(streams)s luồng, %(checkpoints)s điểm niêm phong") % {
                "records": format_number_vi(result.records), "streams": format_number_vi(result.streams),
                "checkpoints": format_number_vi(result.checkpoints)})
            return
        for problem in result.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(str(problem))
        raise CommandError(_("Nhật ký kiểm toán bị can thiệp: %(n)s lỗi; bản ghi hỏng đầu tiên: %(first)s") % {
            "n": format_number_vi(result.problem_count), "first": result.first}, returncode=1)
