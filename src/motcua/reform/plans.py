"""CCHC plans: who sees and edits them, completion per reform area, activity updates and evidence files.

Completion counts activities done out of all activities ("16/26 nhiệm vụ, đạt 61,5 %", seed report 001);
an activity is overdue when it is still open after its deadline or was finished after it (`scoring.is_overdue`).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.accounts.permissions import can_act
from motcua.accounts.scoping import scope_queryset
from motcua.agencies.models import Agency
from motcua.core.api_errors import DomainError
from motcua.core.text import format_percent_vi
from motcua.portal.uploads import check_upload
from motcua.reform import scoring
from motcua.reform.models import Activity, ActivityStatus, Area, Evidence, Plan

EDIT_ROLES = frozenset({Role.LEADER, Role.AGENCY_ADMIN, Role.SPECIALIST})
MAX_TEXT = 500


def visible_plans(user):
    return scope_queryset(Plan.objects.select_related("agency"), user, "agency")


def plan_of(agency, year: int) -> Plan | None:
    return Plan.objects.filter(agency=agency, year=year).first()


def can_edit(user, plan: Plan) -> bool:
    return can_act(user, plan.agency, EDIT_ROLES)


def _require_edit(user, plan: Plan) -> None:
    if not can_edit(user, plan):
        raise PermissionDenied(_("Bạn không có vai trò cập nhật kế hoạch CCHC của %(a)s.") % {"a": plan.agency})


# -- completion -----------------------------------------------------------------------------------------------------
def summary(plan: Plan, today: date | None = None) -> dict:
    """Activities per area (in the order of the seven areas) with the completion of each area and overall."""
    today = today or timezone.localdate()
    activities = list(plan.activities.select_related("responsible").prefetch_related("evidence"))
    areas = []
    for value, label in Area.choices:
        rows = [a for a in activities if a.area == value]
        areas.append({"area": value, "label": label, "completion": _completion(rows, today),
                      "activities": [{"a": a, "overdue": scoring.is_overdue(a.status, a.deadline, a.done_on, today)}
                                     for a in rows]})
    return {"areas": areas, "overall": _completion(activities, today), "today": today}


def _completion(rows, today) -> scoring.Completion:
    return scoring.completion(((a.status, a.deadline, a.done_on) for a in rows), today)


def completion_phrase(c: scoring.Completion) -> str:
    """'16/26 nhiệm vụ, đạt 61,5 %'."""
    if not c.total:
        return _("Chưa có nhiệm vụ.")
    return _("%(d)s/%(t)s nhiệm vụ, đạt %(p)s") % {"d": c.done, "t": c.total, "p": format_percent_vi(float(c.share))}


# -- changes --------------------------------------------------------------------------------------------------------
def _parse_date(value, field: str, errors: dict) -> date | None:
    if isinstance(value, date) or value in (None, ""):
        return value or None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]
        return None


def set_status(activity: Activity, user, *, status: str, done_on=None, note: str | None = None) -> Activity:
    """Change an activity's status. Done needs the completion day (today by default), never in the future."""
    _require_edit(user, activity.plan)
    errors: dict = {}
    if status not in ActivityStatus.values:
        errors["status"] = [_("Trạng thái không hợp lệ.")]
    done_on = _parse_date(done_on, "done_on", errors)
    today = timezone.localdate()
    if status == ActivityStatus.DONE:
        done_on = done_on or today
        if done_on > today:
            errors["done_on"] = [_("Ngày hoàn thành không được sau hôm nay.")]
    else:
        done_on = None
    if errors:
        raise DomainError("invalid", _("Không cập nhật được nhiệm vụ."), fields=errors, status=422)
    activity.status, activity.done_on = status, done_on
    if note is not None:
        activity.note = note.strip()[:2000]
    with transaction.atomic():
        activity.save()
    return activity


def add_activity(plan: Plan, user, data: dict) -> Activity:
    """A new activity in `plan`: area, title, responsible unit (code, in the user's scope), deadline."""
    _require_edit(user, plan)
    errors: dict = {}
    title = (data.get("title") or "").strip()[:MAX_TEXT]
    if not title:
        errors["title"] = [_("Vui lòng nhập nội dung nhiệm vụ.")]
    area = data.get("area")
    if area not in Area.values:
        errors["area"] = [_("Vui lòng chọn lĩnh vực CCHC.")]
    responsible = scope_queryset(Agency.objects.all(), user, "pk").filter(code=(data.get("responsible") or "")
                                                                         .strip()).first()
    if responsible is None:
        errors["responsible"] = [_("Vui lòng chọn đơn vị chủ trì trong phạm vi của bạn.")]
    deadline = _parse_date(data.get("deadline"), "deadline", errors)
    if deadline is None and "deadline" not in errors:
        errors["deadline"] = [_("Vui lòng nhập thời hạn hoàn thành.")]
    if errors:
        raise DomainError("invalid", _("Không thêm được nhiệm vụ."), fields=errors, status=422)
    order = plan.activities.filter(area=area).count() + 1
    with transaction.atomic():
        return Activity.objects.create(plan=plan, area=area, order=order, title=title, responsible=responsible,
                                       deadline=deadline, output=(data.get("output") or "").strip()[:MAX_TEXT])


def attach(upload, user, *, activity: Activity | None = None, score=None) -> Evidence:
    """Store an evidence file (PDF, JPEG, PNG or DOCX, checked by content) for an activity or a score."""
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise DomainError("invalid", exc.messages[0], fields={"file": exc.messages}, status=422) from None
    with transaction.atomic():
        return Evidence.objects.create(activity=activity, score=score, file=checked.as_file(),
                                       original_name=checked.original_name, content_type=checked.content_type,
                                       size=checked.size, sha256=checked.sha256, uploaded_by=user)
