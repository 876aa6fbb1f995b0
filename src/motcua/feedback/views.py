"""PAKN web pages: the public side (/phan-anh-kien-nghi/: submit, lookup, published answers, votes) and the staff
side (/backoffice/pakn/: inbox sorted by the nearest deadline, officer intake, PAKN page with its actions)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import AccountKind, Role
from motcua.accounts.permissions import can_act
from motcua.accounts.scoping import scope_queryset, visible_agency_ids
from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.core.api_errors import DomainError
from motcua.feedback import rules, services
from motcua.feedback.api import search_published
from motcua.feedback.forms import (
    ACTION_FIELDS,
    CATEGORY_CHOICES,
    CONTENT_FIELDS,
    SENDER_FIELDS,
    STAFF_CHANNEL_CHOICES,
    posted,
)
from motcua.feedback.models import OPEN_STATUSES, Consultation, Feedback, Status
from motcua.feedback.stats import clock_outcomes
from motcua.feedback.uploads import ACCEPT_ATTR
from motcua.worktime.services import get_calendar

FIELD_NAMES = [f[0] for f in SENDER_FIELDS + CONTENT_FIELDS] + ["agency", "repeat_of", "channel", "officer"]


def _error_list(fields: dict, labels: dict) -> list[dict]:
    """Error-summary entries linking to the fields (ids `f-<name>`)."""
    return [{"target": f"f-{name}", "text": f"{labels.get(name, name)}: {' '.join(map(str, msgs))}"}
            for name, msgs in fields.items()]


def _labels() -> dict:
    labels = {name: label for name, _w, label in SENDER_FIELDS + CONTENT_FIELDS}
    labels.update({"agency": _("Cơ quan tiếp nhận"), "attachments": _("Tệp đính kèm"), "anonymous": _("Ẩn danh"),
                   "repeat_of": _("Phản ánh gốc"), "channel": _("Kênh tiếp nhận"), "officer": _("Cán bộ")})
    return labels


def _intake_context(request, values: dict, errors: dict, *, staff: bool) -> dict:
    agencies = Agency.objects.active().order_by("path")
    if staff:
        agencies = [a for a in scope_queryset(agencies, request.user, "pk")
                    if can_act(request.user, a, rules.TRANSITIONS["classify"].roles)]
    def fields(spec, required=()):
        return [{"name": n, "widget": w, "label": label, "value": values.get(n, ""), "required": n in required,
                 "error": " ".join(map(str, errors.get(n, [])))} for n, w, label in spec]

    return {"values": values, "field_errors": {k: " ".join(map(str, v)) for k, v in errors.items()},
            "errors": _error_list(errors, _labels()), "agencies": agencies,
            "sender_fields": fields(SENDER_FIELDS, () if rules.allow_anonymous() else ("sender_name",
                                                                                        "sender_address")),
            "content_fields": fields(CONTENT_FIELDS, ("title", "content")),
            "accept": ACCEPT_ATTR, "allow_anonymous": rules.allow_anonymous(), "channels": STAFF_CHANNEL_CHOICES,
            "staff": staff}


def _intake(request, template: str, *, staff: bool):
    values = {n: "" for n in FIELD_NAMES}
    if request.method == "GET":
        values["repeat_of"] = (request.GET.get("repeat_of") or "").strip()[:64]
        original = Feedback.objects.filter(code=values["repeat_of"], status=Status.PUBLISHED).first()
        if original is not None:
            values["agency"] = str(original.agency_id)
            values["title"] = _("Chưa hài lòng với kết quả: %(t)s") % {"t": original.title}
        return render(request, template, _intake_context(request, values, {}, staff=staff))
    values = posted(request.POST, FIELD_NAMES)
    data = {**values, "anonymous": bool(request.POST.get("anonymous"))}
    try:
        fb, secret = services.submit(data, request.FILES.getlist("attachments"), actor=request.user,
                                     as_officer=staff)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        return render(request, template, _intake_context(request, values, exc.fields, staff=staff), status=422)
    return render(request, "feedback/received.html", {"fb": fb, "secret": secret, "staff": staff}, status=201)


# -- public -------------------------------------------------------------------------------------------------------
def submit_public(request):
    return _intake(request, "feedback/submit.html", staff=False)


def lookup(request):
    context = {"code": "", "error": "", "fb": None}
    if request.method == "POST":
        code = (request.POST.get("code") or "").strip()[:64]
        fb = services.find_for_sender(code, (request.POST.get("secret") or "").strip())
        if fb is not None:
            return render(request, "feedback/lookup_result.html", {"fb": fb, "events": _public_events(fb)})
        context.update(code=code, error=_("Không tìm thấy phản ánh, kiến nghị với mã và mã tra cứu đã nhập. "
                                          "Vui lòng kiểm tra lại."))
    return render(request, "feedback/lookup.html", context)


def _public_events(fb: Feedback) -> list[dict]:
    rows, last = [], None
    for e in fb.events.order_by("seq"):
        if e.to_status != last:
            rows.append({"at": e.at, "label": Status(e.to_status).label,
                         "note": e.data.get("new_code", "") if e.action == "forward" else
                         (e.reason if e.to_status in (Status.REJECTED, Status.SUPPLEMENT) else "")})
            last = e.to_status
    return rows


def published_list(request):
    q = (request.GET.get("q") or "").strip()[:200]
    page = Paginator(search_published(q), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/list.html", {"q": q, "page": page})


def published_detail(request, code: str):
    fb = Feedback.objects.filter(code=code, status=Status.PUBLISHED).select_related("agency", "repeat_of").first()
    if fb is None:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị đã công khai."))
    return render(request, "feedback/detail.html", {"fb": fb, "my_vote": _my_vote(request, fb)})


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _my_vote(request, fb: Feedback) -> int:
    if request.user.is_authenticated:
        vote = fb.votes.filter(user=request.user).first()
    else:
        key = request.session.session_key
        vote = fb.votes.filter(user__isnull=True, session_key=key).first() if key else None
    return vote.value if vote else 0


@require_POST
def vote(request, code: str):
    fb = Feedback.objects.filter(code=code, status=Status.PUBLISHED).first()
    if fb is None:
        raise Http404
    value = {"like": 1, "dislike": -1}.get(request.POST.get("value", ""))
    if value is None:
        messages.error(request, _("Giá trị đánh giá không hợp lệ."))
    else:
        services.vote(fb, value, user=request.user, session_key=_session_key(request))
        messages.success(request, _("Cảm ơn bạn đã đánh giá kết quả trả lời."))
    return redirect("feedback:detail", code=code)


# -- back office --------------------------------------------------------------------------------------------------
def _urgency(fb: Feedback, now) -> dict:
    if fb.next_due is None:
        return {"key": "none", "label": ""}
    if fb.next_due < now:
        return {"key": "overdue", "label": _("Quá hạn")}
    return {"key": "intime", "label": _("Trong hạn")}


@staff_required
def inbox(request):
    qs = scope_queryset(Feedback.objects.filter(status__in=OPEN_STATUSES), request.user, "agency")
    qs = qs.select_related("agency", "assigned_to").order_by(F("next_due").asc(nulls_last=True), "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"fb": fb, "urgency": _urgency(fb, now)} for fb in page]
    asked = Consultation.objects.filter(replied_at__isnull=True).select_related("feedback")
    ids = visible_agency_ids(request.user)
    mine = [c for c in asked if c.to_user_id == request.user.pk or
            (c.to_agency_id and (ids is None or c.to_agency_id in ids))]
    return render(request, "feedback/inbox.html", {"rows": rows, "page": page, "consultations": mine})


@staff_required
def staff_intake(request):
    return _intake(request, "feedback/staff_intake.html", staff=True)


def _visible_or_consulted(request, code: str) -> Feedback:
    fb = Feedback.objects.filter(code=code).select_related("agency", "assigned_to", "repeat_of",
                                                           "forwarded_from", "dossier", "officer").first()
    if fb is None:
        raise Http404
    if services.can_see(request.user, fb):
        return fb
    if any(services._consultation(fb, request.user, {"consultation": str(c.pk)}) for c in fb.consultations.all()):
        return fb
    raise Http404


def _choices(fb: Feedback, user) -> dict:
    agencies = [(a.pk, f"{a.name} ({a.code})") for a in Agency.objects.active().exclude(pk=fb.agency_id)
                .order_by("path")]
    staff = fb.agency.memberships.filter(role__in=[Role.SPECIALIST, Role.LEADER],
                                         user__kind=AccountKind.STAFF).select_related("user")
    assignees = sorted({(m.user.username, str(m.user)) for m in staff}, key=lambda x: x[1])
    return {"categories": CATEGORY_CHOICES, "agencies": agencies, "agencies_optional": [("", "—")] + agencies,
            "assignees": assignees}


def _detail_context(request, fb: Feedback, error: str = "", failed: str = "", posted_values=None) -> dict:
    choices = _choices(fb, request.user)
    actions = [{"t": t, "fields": [{"name": n, "widget": w, "label": label, "choices": choices.get(c) if c else None,
                                    "value": (posted_values or {}).get(n, "") if failed == t.action else ""}
                                   for n, w, label, c in ACTION_FIELDS[t.action]],
                "error": error if failed == t.action else ""}
               for t in services.allowed_actions(request.user, fb)]
    open_for_me = [c for c in fb.consultations.all()
                   if services._consultation(fb, request.user, {"consultation": str(c.pk)})]
    outcomes = clock_outcomes(fb, timezone.now(), get_calendar(fb.agency))
    clocks = [{"label": rules.CLOCK_LABELS[c], "due": getattr(fb, f"{c}_due"), "outcome": outcomes[c]}
              for c in ("reject", "forward", "supplement", "handling", "publication")]
    events = [{"at": e.at, "actor": e.actor, "reason": e.reason, "status": Status(e.to_status).label,
               "label": rules.TRANSITIONS[e.action].label if e.action in rules.TRANSITIONS else _("Tiếp nhận")}
              for e in fb.events.select_related("actor").order_by("seq")]
    return {"fb": fb, "actions": actions, "events": events,
            "consultations": fb.consultations.select_related("asked_by", "to_user", "to_agency", "replied_by"),
            "open_for_me": open_for_me, "clocks": clocks, "error": error, "urgency": _urgency(fb, timezone.now()),
            "attachments": fb.attachments.all()}


@staff_required
def staff_detail(request, code: str):
    fb = _visible_or_consulted(request, code)
    return render(request, "feedback/staff_detail.html", _detail_context(request, fb))


@staff_required
@require_POST
def staff_action(request, code: str, action: str):
    fb = _visible_or_consulted(request, code)
    if action not in rules.TRANSITIONS:
        raise Http404
    names = {"consultation", "reply"} | {n for n, *_rest in ACTION_FIELDS.get(action, [])}
    values = posted(request.POST, names)
    try:
        services.perform(fb, action, request.user, **{k: v for k, v in values.items() if v})
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        detail = exc.message
        if exc.fields:
            detail += " " + " ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.fields.items())
        fb.refresh_from_db()
        context = _detail_context(request, fb, detail, action, values)
        return render(request, "feedback/staff_detail.html", context, status=exc.status)
    messages.success(request, _("Đã thực hiện «%(a)s».") % {"a": rules.TRANSITIONS[action].label})
    return redirect("feedback:staff_detail", code=fb.code)
