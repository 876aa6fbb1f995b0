"""SIPAS web pages: the citizen's questionnaire behind a personal link (/khao-sat/<token>/, no login) and the staff
pages (/backoffice/khao-sat/: campaigns, sample and invitations, paper entry, results, XLSX export)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.accounts.permissions import can_act
from motcua.accounts.scoping import scope_queryset
from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.core.api_errors import DomainError
from motcua.surveys import export, services
from motcua.surveys.models import Campaign, InvitationStatus, ResponseChannel


def _error_list(fields: dict, labels: dict, target=lambda name: f"f-{name}") -> list[dict]:
    return [{"target": target(name), "text": f"{labels.get(name, name)}: {' '.join(map(str, msgs))}"}
            for name, msgs in fields.items()]


def questionnaire_context(questionnaire, values: dict, errors: dict) -> dict:
    """Elements with their questions, the scale labels, the chosen values and per-question errors."""
    questions = list(questionnaire.questions.all())
    elements = []
    for element in questionnaire.elements:
        items = [{"q": q, "labels": list(enumerate(questionnaire.scales[q.scale], start=1)),
                  "value": str(values.get(f"q-{q.code}", "")), "error": " ".join(map(str, errors.get(q.code, [])))}
                 for q in questions if q.element == element["code"]]
        elements.append({**element, "items": items})
    texts = {q.code: f"{q.code} — {q.text}" for q in questions}
    return {"elements": elements,
            "errors": _error_list(errors, texts, lambda code: f"q-{code}-1") if errors else []}


# -- public ------------------------------------------------------------------------------------------------------
def respond(request, token: str):
    inv = services.find_invitation(token)
    if inv is None:
        return render(request, "surveys/respond_gone.html", {"reason": "unknown"}, status=404)
    campaign = inv.campaign
    if inv.status == InvitationStatus.RESPONDED:
        return render(request, "surveys/respond_gone.html", {"reason": "answered", "campaign": campaign}, status=409)
    if campaign.is_closed():
        return render(request, "surveys/respond_gone.html", {"reason": "closed", "campaign": campaign}, status=410)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        try:
            services.submit_response(inv, request.POST, channel=ResponseChannel.ONLINE)
        except DomainError as exc:
            if exc.status != 422:
                return render(request, "surveys/respond_gone.html",
                              {"reason": "answered" if exc.status == 409 else "closed", "campaign": campaign},
                              status=exc.status)
            errors, status = exc.fields, 422
        else:
            return render(request, "surveys/respond_done.html", {"campaign": campaign}, status=201)
    context = {"campaign": campaign, "comment": values.get("comment", ""),
               **questionnaire_context(campaign.questionnaire, values, errors)}
    return render(request, "surveys/respond.html", context, status=status)


# -- staff -------------------------------------------------------------------------------------------------------
def _visible(request, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user).select_related("agency", "questionnaire"),
                             pk=pk)


def _managed_agencies(user) -> list[Agency]:
    return [a for a in scope_queryset(Agency.objects.active().order_by("path"), user, "pk")
            if can_act(user, a, services.MANAGE_ROLES)]


CAMPAIGN_FIELDS = ("agency", "name", "period_start", "period_end", "closes_on", "margin_percent")


@staff_required
def campaign_list(request):
    agencies = _managed_agencies(request.user)
    values = {"margin_percent": "5"}
    errors: dict = {}
    status = 200
    if request.method == "POST":
        values = {f: (request.POST.get(f) or "").strip() for f in CAMPAIGN_FIELDS}
        agency = next((a for a in agencies if str(a.pk) == values["agency"]), None)
        try:
            if agency is None:
                raise DomainError("invalid", _("Dữ liệu đợt khảo sát chưa hợp lệ."),
                                  {"agency": [_("Vui lòng chọn đơn vị bạn được quyền tổ chức khảo sát.")]})
            campaign = services.create_campaign(request.user, agency=agency, **{
                f: values[f] for f in CAMPAIGN_FIELDS if f != "agency"})
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from None
            errors, status = exc.fields, 422
        else:
            messages.success(request, _("Đã tạo đợt khảo sát «%(n)s».") % {"n": campaign.name})
            return redirect("surveys:campaign", pk=campaign.pk)
    campaigns = (Campaign.objects.visible_to(request.user).select_related("agency")
                 .annotate(n_responses=Count("responses")))
    labels = {"agency": _("Đơn vị"), "name": _("Tên đợt khảo sát"), "period_start": _("Từ ngày"),
              "period_end": _("Đến ngày"), "closes_on": _("Hạn trả lời"), "margin_percent": _("Sai số cho phép (%)")}
    return render(request, "surveys/campaigns.html", {
        "campaigns": campaigns, "agencies": agencies, "values": values,
        "field_errors": {k: " ".join(map(str, v)) for k, v in errors.items()},
        "errors": _error_list(errors, labels)}, status=status)


def _run(request, campaign, action: str) -> None:
    try:
        if action == "draw":
            n = services.draw_sample(request.user, campaign)
            messages.success(request, _("Đã chọn mẫu: %(n)s người.") % {"n": n})
        elif action == "send":
            counts = services.send_invitations(request.user, campaign)
            messages.success(request, _("Đã gửi %(i)s thư mời; %(c)s người không có kênh liên hệ (phát phiếu giấy).")
                             % {"i": counts["invited"], "c": counts["no_contact"]})
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)


@staff_required
def campaign_detail(request, pk: int):
    campaign = _visible(request, pk)
    if request.method == "POST":
        _run(request, campaign, request.POST.get("action", ""))
        return redirect("surveys:campaign", pk=campaign.pk)
    invitations = (campaign.invitations.select_related("dossier").prefetch_related("notifications")
                   .order_by("id"))
    counts = dict(campaign.invitations.values_list("status").annotate(n=Count("id")))
    status_counts = [(label, counts.get(value, 0)) for value, label in InvitationStatus.choices]
    return render(request, "surveys/campaign.html", {
        "campaign": campaign, "invitations": invitations, "status_counts": status_counts,
        "can_manage": can_act(request.user, campaign.agency, services.MANAGE_ROLES),
        "can_enter": can_act(request.user, campaign.agency, services.ENTRY_ROLES),
        "closed": campaign.is_closed()})


@staff_required
def paper_entry(request, pk: int):
    campaign = _visible(request, pk)
    if not can_act(request.user, campaign.agency, services.ENTRY_ROLES):
        raise PermissionDenied(_("Bạn không có vai trò nhập phiếu khảo sát của đơn vị này."))
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        try:
            services.enter_paper_response(request.user, campaign, request.POST.get("invitation"), request.POST)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from None
            errors = exc.fields or {"invitation": [exc.message]}
            status = exc.status
        else:
            messages.success(request, _("Đã lưu phiếu giấy."))
            return redirect("surveys:paper", pk=campaign.pk)
    pending = campaign.invitations.exclude(status=InvitationStatus.RESPONDED).select_related("dossier")
    context = questionnaire_context(campaign.questionnaire, values,
                                    {k: v for k, v in errors.items() if k != "invitation"})
    if "invitation" in errors:
        context["errors"].insert(0, {"target": "f-invitation", "text": " ".join(map(str, errors["invitation"]))})
    return render(request, "surveys/paper.html", {
        "campaign": campaign, "pending": pending, "invitation": str(values.get("invitation", "")),
        "invitation_error": " ".join(map(str, errors.get("invitation", []))), "comment": values.get("comment", ""),
        "closed": campaign.is_closed(), **context}, status=status)


@staff_required
@require_GET
def results(request, pk: int):
    campaign = _visible(request, pk)
    return render(request, "surveys/results.html", services.campaign_results(campaign))


@staff_required
@require_GET
def results_xlsx(request, pk: int):
    campaign = _visible(request, pk)
    body = export.to_xlsx(services.campaign_results(campaign))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="sipas-{campaign.pk}-{stamp}.xlsx"'
    return response
