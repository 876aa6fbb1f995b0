"""`motcua par-round --set CODE --year 2026 --organiser CODE [--units CODE,CODE] [--refresh]`: open a PAR round.

Without --units the round covers the organiser's active departments (department sets), communes (commune
sets) or the organiser itself (province sets).
--refresh also fetches the figures the system's data decide (auto sources) for every unit.
"""

from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.reform import par
from motcua.reform.models import CriteriaSet, Round

UNIT_FILTER = {"department": {"kind": AgencyKind.DEPARTMENT}, "commune": {"level": AgencyLevel.COMMUNE},
               "province": {"level": AgencyLevel.PROVINCE, "kind": AgencyKind.PEOPLES_COMMITTEE}}


class Command(BaseCommand):
    help = "Mở một đợt đánh giá chỉ số CCHC (bộ tiêu chí, năm, cơ quan tổ chức, các đơn vị được đánh giá)."

    def add_arguments(self, parser):
        parser.add_argument("--set", required=True, help="mã bộ tiêu chí (phiên bản mới nhất), ví dụ PAR-TINH-SO")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--organiser", required=True, help="mã cơ quan tổ chức (UBND tỉnh)")
        parser.add_argument("--units", default="", help="mã các đơn vị, cách nhau bởi dấu phẩy")
        parser.add_argument("--refresh", action="store_true", help="lấy số liệu tự động cho các tiêu chí")

    def handle(self, *args, **o):
        cset = CriteriaSet.objects.filter(code=o["set"]).order_by("-version").first()
        organiser = Agency.objects.filter(code=o["organiser"]).first()
        if cset is None or organiser is None:
            raise CommandError("Không tìm thấy bộ tiêu chí hoặc cơ quan tổ chức.")
        if Round.objects.filter(criteria_set=cset, agency=organiser, year=o["year"]).exists():
            raise CommandError("Đợt đánh giá này đã có.")
        codes = [c.strip() for c in o["units"].split(",") if c.strip()]
        units = list(Agency.objects.filter(code__in=codes)) if codes else list(
            Agency.objects.active().subtree_of([organiser]).filter(**UNIT_FILTER[cset.unit_kind]))
        missing = set(codes) - {u.code for u in units}
        if missing or not units:
            raise CommandError(f"Không tìm thấy đơn vị: {', '.join(sorted(missing)) or '(không có đơn vị nào)'}")
        rnd = par.open_round(cset, organiser, o["year"], units)
        if o["refresh"]:
            for assessment in rnd.assessments.select_related("agency", "round"):
                par.refresh_figures(assessment)
        self.stdout.write(self.style.SUCCESS(f"Đã mở đợt {rnd} (mã {rnd.pk}) cho {len(units)} đơn vị."))
