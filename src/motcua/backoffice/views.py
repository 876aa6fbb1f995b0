"""Back-office pages: dashboard, inbox, dossier page with its actions, leader approvals, document download.

Every page requires a staff account (`access.staff_required`); every dossier is looked up through
`queries.visible_dossiers` (scoping), so a dossier outside the user's scope is a 404, never a 403.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, numberformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice import actions, queries
from motcua.backoffice.access import staff_required
from motcua.backoffice.desk import RECEIPT_SESSION_KEY
from motcua.core.api_errors import ConflictError, DomainError
from motcua.dossiers.models import Dossier, DossierDocument, Status
from motcua.dossiers.transitions import TRANSITIONS


@staff_required
def home(request):
    counts = queries.dashboard_counts(request.user)
    inbox = reverse("backoffice:inbox")
    tiles = [
        (_("Việc của tôi"), counts["mine"], f"{inbox}?view=mine", ""),
        (_("Hồ sơ của đơn vị đang giải quyết"), counts["queue"], f"{inbox}?view=queue", ""),
        (_("Quá hạn"), counts["overdue"], f"{inbox}?view=queue&due=overdue", "late"),
        (_("Sắp đến hạn"), counts["soon"], f"{inbox}?view=queue&due=soon", "soon"),
        (_("Chờ bổ sung"), counts["supplement"], f"{inbox}?view=queue&status={Status.SUPPLEMENT}", ""),
        (_("Nộp trực tuyến chờ tiếp nhận"), counts["new"], f"{inbox}?view=queue&status={Status.NEW}", ""),
    ]
    return render(request, "backoffice/home.html", {"tiles": tiles})


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


@staff_required
def inbox(request):
    g = request.GET
    view = g.get("view") if g.get("view") in queries.VIEWS else "mine"
    filters = {"view": view, "status": g.get("status", ""), "procedure": g.get("procedure", ""),
               "due": g.get("due", "") if g.get("due") in queries.DUE_FILTERS else ""}
    now = timezone.now()
    rows_in_order = queries.inbox_pages(request.user, now=now, **filters)
    paginator = Paginator(rows_in_order, queries.PAGE_SIZE)
    page = paginator.get_page(_page_number(request))
    rows = [(d, queries.urgency(d, now)) for d in page.object_list]
    query = urlencode({k: v for k, v in filters.items() if v})
    # status_names: one label dict per page; get_status_display rebuilds it for every row (10 lazy labels each)
    return render(request, "backoffice/inbox.html", {
        "page": page, "rows": rows, "filters": filters, "query": query, "views": queries.VIEWS,
        "due_filters": queries.DUE_FILTERS, "statuses": Status.choices, "status_names": dict(Status.choices),
        "count": paginator.count,
        "capped": rows_in_order.capped, "cap": _grouped(queries.COUNT_CAP)})


def _grouped(number: int) -> str:
    """10.000 in Vietnamese, 10,000 in English: Django's vi formats set no digit grouping (intcomma gives 10000)."""
    return numberformat.format(number, formats.get_format("DECIMAL_SEPARATOR"), grouping=3,
                               thousand_sep=formats.get_format("THOUSAND_SEPARATOR"), force_grouping=True)


def visible_dossier(user, code: str) -> Dossier:
    qs = queries.visible_dossiers(user).select_related(
        "procedure_version__procedure", "variant", "current_step", "current_step__agency", "assignee",
        "receiving_agency", "competent_agency", "applicant_user")
    return get_object_or_404(qs, code=code)


def dossier_context(request, dossier: Dossier, failed=None) -> dict:
    now = timezone.now()
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if receipt and receipt.get("code") == dossier.code:
        del request.session[RECEIPT_SESSION_KEY]  # the lookup secret is shown once
    else:
        receipt = None
    return {
        "d": dossier, "urgency": queries.urgency(dossier, now), "receipt": receipt,
        "documents": list(dossier.documents.select_related("required_document")),
        "events": list(dossier.events.select_related("actor", "from_step", "to_step").order_by("-seq")),
        "handovers": list(dossier.handovers.select_related("from_step", "to_step", "giver_agency", "receiver_agency",
                                                           "giver_user", "receiver_user")),
        "supplements": list(dossier.supplement_requests.order_by("-requested_at")),
        "actions": actions.action_views(dossier, request.user, failed),
        "labels": {"submit": _("Nộp hồ sơ trực tuyến"), **{name: t.label for name, t in TRANSITIONS.items()}},
        "clock_state": clock_state(dossier),
    }


def clock_state(d: Dossier) -> str:
    if d.received_at is None or d.due_at is None:
        return ""
    if d.paused_since is not None:
        return _("Tạm dừng từ %(t)s") % {"t": timezone.localtime(d.paused_since).strftime("%d/%m/%Y %H:%M")}
    if d.finished_at is not None or d.is_terminal:
        return _("Đã dừng (kết thúc xử lý)")
    return _("Đang tính")


@staff_required
def dossier_detail(request, code):
    dossier = visible_dossier(request.user, code)
    return render(request, "backoffice/dossier.html", dossier_context(request, dossier))


def _next_url(request, dossier: Dossier) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("backoffice:dossier", kwargs={"code": dossier.code})


@staff_required
@require_POST
def dossier_action(request, code, action):
    """POST one action to the engine. Success → message + redirect (PRG); refusal → the page again with the
    engine's message beside that action's form (422/409/403), or back to `next` with the message."""
    dossier = visible_dossier(request.user, code)
    if action not in TRANSITIONS:
        raise Http404(_("Thao tác không tồn tại."))
    form = actions.build_form(action, dossier, request.POST, request.FILES)
    label = str(TRANSITIONS[action].label)
    if form.is_valid():
        try:
            actions.run(dossier, action, request.user, form)
        except DomainError as exc:
            return refused(request, dossier, action, label, form, exc)
        messages.success(request, _("Đã thực hiện «%(a)s» cho hồ sơ %(c)s.") % {"a": label, "c": dossier.code})
        return redirect(_next_url(request, dossier))
    return refused(request, dossier, action, label, form, None)


def refused(request, dossier, action, label, form, exc: DomainError | None):
    if isinstance(exc, ConflictError):
        message, status = _("Hồ sơ đã được người khác cập nhật, vui lòng tải lại."), 409
    elif exc is not None:
        message, status = exc.message, exc.status
        for field, errors in (exc.fields or {}).items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        message, status = _("Vui lòng kiểm tra các thông tin đã nhập."), 422
    if request.POST.get("next"):
        messages.error(request, f"{label}: {message}")
        return redirect(_next_url(request, dossier))
    dossier.refresh_from_db()
    failed = actions.ActionView(action, label, form, error=message)
    return render(request, "backoffice/dossier.html", dossier_context(request, dossier, failed), status=status)


@staff_required
def approvals(request):
    now = timezone.now()
    paginator = Paginator(queries.approval_queue(request.user), queries.PAGE_SIZE)
    page = paginator.get_page(_page_number(request))
    rows = [(d, queries.urgency(d, now)) for d in page.object_list]
    return render(request, "backoffice/approvals.html", {"page": page, "rows": rows, "count": paginator.count})


@staff_required
def coordination(request):
    """Coordination queue (lifecycle §7): route each dossier to its competent agency from here; the route action
    runs through the engine and comes back to this page (`next`)."""
    now = timezone.now()
    paginator = Paginator(queries.coordination_queue(request.user), queries.PAGE_SIZE)
    page = paginator.get_page(_page_number(request))
    declines = queries.declines_by_dossier(page.object_list)
    choices: dict = {}  # per procedure: the same agencies for every dossier of it
    rows = []
    for d in page.object_list:
        key = (d.procedure_version_id, d.receiving_agency_id)
        if key not in choices:
            choices[key] = actions.route_choices(d)
        rows.append({"d": d, "urgency": queries.urgency(d, now), "decline": declines.get(d.pk),
                     "agencies": [(pk, name) for pk, name in choices[key] if pk != d.competent_agency_id]})
    return render(request, "backoffice/coordination.html", {"page": page, "rows": rows, "count": paginator.count})


@staff_required
def document_file(request, code, pk):
    """Scans are served only to staff who see the dossier, as attachments, with the sniffed content type."""
    dossier = visible_dossier(request.user, code)
    document = get_object_or_404(DossierDocument, dossier=dossier, pk=pk)
    if not document.file:
        raise Http404(_("Giấy tờ này chưa có bản quét."))
    response = FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.file.name.rsplit("/", 1)[-1],
                            content_type=document.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
