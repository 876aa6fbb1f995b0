"""Back-office pages of the reform module (/backoffice/cai-cach/): CCHC plans, PAR rounds (self-assessment,
appraisal, ranking) and officer evaluation sheets.

Every page needs a staff account (`staff_required`: citizens 403). Objects outside the user's scope are 404, never
403; a refused change (locked phase, bad score) re-renders the page with an error summary and a 4xx status.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.accounts.scoping import scope_queryset
from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.core.api_errors import DomainError
from motcua.reform import export, officers, par, plans
from motcua.reform.models import Activity, ActivityStatus, Area, Evidence, Phase, UnitAssessment
from motcua.reports.report import check_args

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(exc: DomainError, targets: dict | None = None) -> list[dict]:
    """Error-summary entries linking to the fields (id `f-<field>` unless `targets` names the id)."""
    targets = targets or {}
    items = [{"target": targets.get(k, f"f-{k}"), "text": " ".join(map(str, v))} for k, v in exc.fields.items()]
    return items or [{"target": "", "text": exc.message}]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
def index(request):
    return render(request, "reform/index.html", {
        "plans": plans.visible_plans(request.user)[:200], "rounds": par.visible_rounds(request.user)[:50],
        "is_leader": officers.is_leader(request.user)})


# -- plans ----------------------------------------------------------------------------------------------------------
def _plan(user, pk: int):
    return get_object_or_404(plans.visible_plans(user), pk=pk)


def _plan_page(request, plan, errors=None, status=200):
    s, can_edit = plans.summary(plan), plans.can_edit(request.user, plan)
    return render(request, "reform/plan.html", {
        "plan": plan, "s": s, "can_edit": can_edit, "phrase": plans.completion_phrase(s["overall"]),
        "statuses": ActivityStatus.choices, "areas": Area.choices, "errors": errors or [], "posted": request.POST,
        "units": scope_queryset(Agency.objects.active(), request.user, "pk") if can_edit else []}, status=status)


@staff_required
def plan_detail(request, pk: int):
    return _plan_page(request, _plan(request.user, pk))


@staff_required
def plan_export(request, pk: int, fmt: str):
    plan = _plan(request.user, pk)
    if fmt not in ("xlsx", "docx"):
        raise Http404(_("Định dạng không hỗ trợ."))
    if fmt == "xlsx":
        return _download(export.plan_xlsx(plan), XLSX, f"ke-hoach-cchc-{plan.year}-{plan.agency.code}.xlsx")
    return _download(export.plan_docx(plan), DOCX, f"ke-hoach-cchc-{plan.year}-{plan.agency.code}.docx")


def _activity(user, pk: int) -> Activity:
    return get_object_or_404(Activity.objects.select_related("plan__agency").filter(
        plan__in=plans.visible_plans(user)), pk=pk)


@staff_required
@require_POST
def activity_status(request, pk: int):
    a = _activity(request.user, pk)
    try:
        plans.set_status(a, request.user, status=request.POST.get("status", ""), done_on=request.POST.get("done_on"),
                         note=request.POST.get("note"))
    except DomainError as exc:
        targets = {"status": f"status-{a.pk}", "done_on": f"done-{a.pk}"}
        return _plan_page(request, a.plan, _errors(exc, targets), status=exc.status)
    messages.success(request, _("Đã cập nhật nhiệm vụ «%(t)s».") % {"t": a.title})
    return redirect(reverse("reform:plan", args=[a.plan_id]) + f"#act-{a.pk}")


@staff_required
@require_POST
def activity_add(request, pk: int):
    plan = _plan(request.user, pk)
    try:
        a = plans.add_activity(plan, request.user, request.POST)
    except DomainError as exc:
        return _plan_page(request, plan, _errors(exc), status=exc.status)
    messages.success(request, _("Đã thêm nhiệm vụ «%(t)s».") % {"t": a.title})
    return redirect(reverse("reform:plan", args=[plan.pk]) + f"#act-{a.pk}")


@staff_required
@require_POST
def activity_evidence(request, pk: int):
    a = _activity(request.user, pk)
    if not plans.can_edit(request.user, a.plan):
        raise PermissionDenied(_("Bạn không có vai trò cập nhật kế hoạch này."))
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError("invalid", _("Vui lòng chọn tệp kiểm chứng."), fields={"file": [_("Chưa chọn tệp.")]})
        plans.attach(upload, request.user, activity=a)
    except DomainError as exc:
        return _plan_page(request, a.plan, _errors(exc, {"file": f"file-{a.pk}"}), status=exc.status)
    messages.success(request, _("Đã tải lên tài liệu kiểm chứng."))
    return redirect(reverse("reform:plan", args=[a.plan_id]) + f"#act-{a.pk}")


@staff_required
def evidence_file(request, pk: int):
    """Served only to staff who see the plan or the assessment it belongs to, as an attachment."""
    ev = get_object_or_404(Evidence.objects.select_related("activity__plan", "score__assessment__round"), pk=pk)
    if ev.activity_id:
        allowed = plans.visible_plans(request.user).filter(pk=ev.activity.plan_id).exists()
    else:
        allowed = par.can_see_assessment(request.user, ev.score.assessment)
    if not allowed:
        raise Http404(_("Không tìm thấy tài liệu."))
    response = FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name,
                            content_type=ev.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- PAR rounds -----------------------------------------------------------------------------------------------------
def _round(user, pk: int):
    return get_object_or_404(par.visible_rounds(user), pk=pk)


def _visible_results(user, rnd) -> list[dict]:
    rows = par.results(rnd)
    if par.sees_all_units(user, rnd):
        return rows
    return [r for r in rows if par.can_see_assessment(user, r["assessment"])]


@staff_required
def round_export(request, pk: int):
    rnd = _round(request.user, pk)
    return _download(export.round_xlsx(rnd, _visible_results(request.user, rnd)), XLSX,
                     f"chi-so-cchc-{rnd.year}-{rnd.criteria_set.code}.xlsx")


@staff_required
def round_detail(request, pk: int):
    rnd = _round(request.user, pk)
    rows = _visible_results(request.user, rnd)
    return render(request, "reform/round.html", {"rnd": rnd, "rows": rows, "council": par.is_council(request.user, rnd),
                                                 "Phase": Phase})


@staff_required
@require_POST
def round_close(request, pk: int, phase: str):
    rnd = _round(request.user, pk)
    try:
        par.close_phase(rnd, request.user, phase)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reform:round", pk=rnd.pk)
    messages.success(request, _("Đã khóa tự đánh giá.") if phase == "self" else _("Đã khóa thẩm định, công bố kết quả."))
    return redirect("reform:round", pk=rnd.pk)


def _assessment(user, pk: int, code: str) -> UnitAssessment:
    a = get_object_or_404(UnitAssessment.objects.select_related("round__criteria_set", "round__agency", "agency"),
                          round__pk=pk, agency__code=code)
    if not par.can_see_assessment(user, a):
        raise Http404(_("Không tìm thấy."))
    return a


def _mode(user, a: UnitAssessment) -> str:
    if par.can_self_assess(user, a):
        return "self"
    if a.round.phase == Phase.APPRAISAL and par.is_council(user, a.round):
        return "appraisal"
    return "view"


def _assessment_page(request, a, errors=None, status=200):
    rows = par.tree(a)
    if errors and request.method == "POST":  # keep what was typed: the error summary points at it
        text = "note" if request.POST.get("mode") == "self" else "reason"
        for r in rows:
            r["typed"] = (request.POST.get(f"score-{r['c'].code}"), request.POST.get(f"{text}-{r['c'].code}"))
    total = par.unit_total(a)
    rank = next((r for r in par.results(a.round) if r["assessment"].pk == a.pk), None)
    return render(request, "reform/assessment.html", {
        "a": a, "rnd": a.round, "rows": rows, "total": total, "rank": rank, "mode": _mode(request.user, a),
        "council": par.is_council(request.user, a.round), "errors": errors or [], "Phase": Phase}, status=status)


@staff_required
def assessment(request, pk: int, code: str):
    a = _assessment(request.user, pk, code)
    if request.method != "POST":
        return _assessment_page(request, a)
    mode = request.POST.get("mode")
    codes = [s.criterion.code for s in a.scores.select_related("criterion")]
    try:
        if mode == "self":
            par.save_self(a, request.user, {c: {"score": request.POST.get(f"score-{c}"),
                                                "note": request.POST.get(f"note-{c}")}
                                            for c in codes if f"score-{c}" in request.POST})
        elif mode == "appraisal":
            par.save_appraisal(a, request.user, {c: {"score": request.POST.get(f"score-{c}"),
                                                     "reason": request.POST.get(f"reason-{c}")}
                                                 for c in codes if f"score-{c}" in request.POST})
        else:
            raise DomainError("invalid", _("Thao tác không hợp lệ."), status=400)
    except DomainError as exc:
        return _assessment_page(request, a, _errors(exc), status=exc.status)
    messages.success(request, _("Đã lưu điểm tự đánh giá.") if mode == "self" else _("Đã lưu điểm thẩm định."))
    return redirect("reform:assessment", pk=pk, code=code)


@staff_required
@require_POST
def assessment_refresh(request, pk: int, code: str):
    a = _assessment(request.user, pk, code)
    if not (par.can_self_assess(request.user, a) or par.is_council(request.user, a.round)):
        raise PermissionDenied(_("Bạn không có vai trò cập nhật số liệu của đơn vị này."))
    try:
        n = par.refresh_figures(a, actor=request.user)
    except DomainError as exc:
        return _assessment_page(request, a, _errors(exc), status=exc.status)
    messages.success(request, _("Đã cập nhật số liệu cho %(n)s tiêu chí.") % {"n": n})
    return redirect("reform:assessment", pk=pk, code=code)


@staff_required
@require_POST
def assessment_evidence(request, pk: int, code: str):
    a = _assessment(request.user, pk, code)
    criterion = (request.POST.get("criterion") or "").strip()
    if not par.can_self_assess(request.user, a):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị được tải tài liệu kiểm chứng khi đang tự đánh giá."))
    score = get_object_or_404(a.scores.select_related("criterion"), criterion__code=criterion)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError("invalid", _("Vui lòng chọn tệp kiểm chứng."), fields={"file": [_("Chưa chọn tệp.")]})
        plans.attach(upload, request.user, score=score)
    except DomainError as exc:
        return _assessment_page(request, a, _errors(exc), status=exc.status)
    messages.success(request, _("Đã tải lên tài liệu kiểm chứng cho tiêu chí %(c)s.") % {"c": criterion})
    return redirect(reverse("reform:assessment", args=[pk, code]) + f"#c-{criterion}")


# -- officer evaluation ---------------------------------------------------------------------------------------------
def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    return check_args(request.GET.get("from") or date(today.year, 1, 1).isoformat(),
                      request.GET.get("to") or today.isoformat())


@staff_required
def officer_list(request):
    if not officers.is_leader(request.user):
        return redirect("reform:officer", username=request.user.username)
    try:
        date_from, date_to = _period(request)
    except DomainError as exc:
        return render(request, "reform/officers.html", {"errors": _errors(exc), "sheets": []}, status=exc.status)
    sheets = [officers.figures(o, date_from, date_to) for o in officers.officers_for(request.user)[:300]]
    if request.GET.get("format") == "xlsx":
        return _download(export.officer_xlsx(sheets), XLSX, f"ket-qua-cong-tac-{date_from}-{date_to}.xlsx")
    return render(request, "reform/officers.html", {"sheets": sheets, "date_from": date_from, "date_to": date_to,
                                                    "errors": []})


@staff_required
def officer_sheet(request, username: str):
    officer = User.objects.filter(username=username).first()
    if officer is None or not officers.can_view(request.user, officer):
        raise Http404(_("Không tìm thấy cán bộ."))
    try:
        date_from, date_to = _period(request)
    except DomainError as exc:
        return render(request, "reform/officer.html", {"officer": officer, "errors": _errors(exc)}, status=exc.status)
    f = officers.figures(officer, date_from, date_to)
    if request.GET.get("format") == "xlsx":
        return _download(export.officer_xlsx([f]), XLSX, f"ket-qua-cong-tac-{username}-{date_to.year}.xlsx")
    return render(request, "reform/officer.html", {"officer": officer, "f": f, "rows": export.officer_rows(f),
                                                   "date_from": date_from, "date_to": date_to, "errors": []})
