"""Demo reform data for the province "Bắc Ninh": the Department of Construction's CCHC plan of the current year
(26 activities over the seven areas, 16 done = 61,5 % as in the seed district report, some open after their
deadline) and a PAR round of the departments for the same year, self-assessed, appraised and closed, with the
criteria the system's data decide proposed from the demo dossiers.

Idempotent: an existing plan or round is left as it is.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.reform import par, scoring
from motcua.reform.models import (
    Activity,
    ActivityStatus,
    Area,
    CriteriaSet,
    CriterionKind,
    Phase,
    Plan,
    Round,
)

PC, DEPT = "000.00.00.H27", "000.00.12.H27"
DEPARTMENTS = ["000.00.12.H27", "000.00.13.H27", "000.00.14.H27", "000.00.15.H27", "000.00.16.H27",
               "000.00.17.H27", "000.00.18.H27"]
ACTIVITIES = {  # area → activity titles (wording of provincial CCHC plans)
    Area.DIRECTION: ["Ban hành Kế hoạch CCHC năm của Sở", "Báo cáo CCHC định kỳ quý, 6 tháng, năm",
                     "Kiểm tra công tác CCHC tại các phòng, đơn vị trực thuộc", "Tuyên truyền CCHC trên trang "
                     "thông tin điện tử của Sở"],
    Area.INSTITUTIONS: ["Rà soát văn bản quy phạm pháp luật lĩnh vực xây dựng",
                        "Tham mưu quy định bồi thường, hỗ trợ, tái định cư", "Theo dõi thi hành pháp luật về nhà ở"],
    Area.PROCEDURES: ["Công bố danh mục TTHC sửa đổi, bổ sung", "Rà soát, đơn giản hóa TTHC cấp giấy phép xây "
                      "dựng", "Duy trì giải quyết TTHC theo hình thức \"5 tại chỗ\"",
                      "Số hóa hồ sơ, kết quả giải quyết TTHC", "Niêm yết công khai TTHC tại Trung tâm Phục vụ "
                      "hành chính công", "Khảo sát mức độ hài lòng của tổ chức, cá nhân"],
    Area.APPARATUS: ["Kiện toàn cơ cấu tổ chức các phòng chuyên môn", "Rà soát chức năng, nhiệm vụ đơn vị sự "
                     "nghiệp", "Thực hiện phân cấp, ủy quyền giải quyết TTHC"],
    Area.CIVIL_SERVICE: ["Cập nhật đề án vị trí việc làm", "Đánh giá, xếp loại công chức gắn với kết quả giải quyết "
                         "hồ sơ", "Bồi dưỡng kỹ năng giao tiếp cho công chức một cửa",
                         "Kiểm tra kỷ luật, kỷ cương hành chính"],
    Area.PUBLIC_FINANCE: ["Xây dựng quy chế chi tiêu nội bộ", "Thu phí, lệ phí không dùng tiền mặt"],
    Area.DIGITAL: ["Duy trì hệ thống quản lý chất lượng TCVN ISO 9001:2015", "Sử dụng chữ ký số cho 100 % văn "
                   "bản đi", "Cung cấp dịch vụ công trực tuyến toàn trình", "Kết nối dữ liệu với Cổng Dịch vụ "
                   "công quốc gia"],
}
# Per activity, in order: d = done on time, L = done after its deadline, p = in progress, n = not started.
STATES = "dddd" "ddp" "ddLpdn" "dpd" "ddpn" "dp" "dpnn"


def load(stdout) -> None:
    today = timezone.localdate()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[PC, *DEPARTMENTS])}
    if DEPT not in agencies or PC not in agencies:
        return
    plan = _plan(agencies[DEPT], today, stdout)
    if plan is not None:
        stdout.write(f"Kế hoạch CCHC {plan.year} của {plan.agency}: {len(STATES)} nhiệm vụ")
    _round(agencies, today, stdout)


def _plan(dept: Agency, today: date, stdout) -> Plan | None:
    if Plan.objects.filter(agency=dept, year=today.year).exists():
        return None
    plan = Plan.objects.create(agency=dept, year=today.year, title=f"Kế hoạch cải cách hành chính năm {today.year}",
                               reference="45/KH-SXD", issued_on=date(today.year, 1, 15))
    divisions = list(Agency.objects.filter(parent=dept)) or [dept]
    start, span = date(today.year, 2, 15), (date(today.year, 12, 20) - date(today.year, 2, 15)).days
    titles = [(area, title) for area, items in ACTIVITIES.items() for title in items]
    for i, ((area, title), state) in enumerate(zip(titles, STATES, strict=True)):
        deadline = start + timedelta(days=span * i // len(titles))
        done_on = None
        if state in "dL":
            done_on = min(deadline + timedelta(days=12) if state == "L" else deadline - timedelta(days=5), today)
        status = {"d": ActivityStatus.DONE, "L": ActivityStatus.DONE, "p": ActivityStatus.IN_PROGRESS,
                  "n": ActivityStatus.NOT_STARTED}[state]
        Activity.objects.create(plan=plan, area=area, order=i + 1, title=title, deadline=deadline, status=status,
                                done_on=done_on, responsible=divisions[i % len(divisions)] if i % 3 else dept)
    return plan


def _round(agencies: dict, today: date, stdout) -> None:
    cset = CriteriaSet.objects.filter(unit_kind="department").order_by("-effective_year", "-version").first()
    if cset is None or Round.objects.filter(criteria_set=cset, agency=agencies[PC], year=today.year).exists():
        return
    units = [agencies[c] for c in DEPARTMENTS if c in agencies]
    rnd = par.open_round(cset, agencies[PC], today.year, units)
    members = {u.username: u for u in User.objects.filter(username__in=["tinh.cchc", "xd.lanhdao"])}
    for k, assessment in enumerate(rnd.assessments.select_related("agency").order_by("agency__code")):
        par.refresh_figures(assessment)
        for j, score in enumerate(assessment.scores.select_related("criterion")):
            c = score.criterion
            if c.kind != CriterionKind.ASSESSED:
                continue
            share = Decimal(100 - (k * 7 + j * 3) % 30) / 100  # 71–100 % of the maximum, varying by unit
            score.self_score = score.proposed if score.proposed is not None else \
                scoring.q((c.max_points * share * 4).to_integral_value() / 4)
            score.self_note = "Theo số liệu hệ thống." if score.proposed is not None else "Có tài liệu kiểm chứng."
            score.self_by = members.get("xd.lanhdao")
            if (k + j) % 9 == 0 and score.self_score >= Decimal("0.5"):
                score.appraised = score.self_score - Decimal("0.5")
                score.appraisal_reason = "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả; trừ 0,5 điểm."
                score.appraised_by = members.get("tinh.cchc")
            score.save()
    rnd.phase, rnd.self_closed_at = Phase.CLOSED, timezone.now()
    rnd.appraisal_closed_at = rnd.self_closed_at
    rnd.save()
    stdout.write(f"Chỉ số CCHC {today.year} khối sở: {len(units)} đơn vị đã chấm, thẩm định")
