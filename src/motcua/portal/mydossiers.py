"""A logged-in applicant's own dossiers: list ("Hồ sơ của tôi"), detail, online supplement, payment, rating,
withdrawal.

Only dossiers whose `applicant_user` is the logged-in account are ever selected; any other code answers 404 with
the same Vietnamese message as a code that does not exist.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.transitions import TRANSITIONS
from motcua.portal import presenters, uploads
from motcua.portal.lookup import dossier_context, item_name, open_supplement, plain_status
from motcua.portal.models import SubmissionDraft
from motcua.portal.submission import attach_file, citizen_required


def own_dossier(request, code) -> Dossier | None:
    return (Dossier.objects.select_related("procedure_version__procedure", "variant", "receiving_agency")
            .filter(code=code, applicant_user=request.user).first())


def not_yours(request, code):
    return render(request, "portal/not_found.html", {
        "message": _("Không tìm thấy hồ sơ «%(c)s» trong tài khoản của bạn.") % {"c": code}}, status=404)


@citizen_required
def my_dossiers(request):
    dossiers = (Dossier.objects.filter(applicant_user=request.user)
                .select_related("procedure_version__procedure").order_by("-submitted_at")[:200])
    drafts = (SubmissionDraft.objects.filter(user=request.user, submitted_at__isnull=True)
              .select_related("procedure").order_by("-updated_at"))
    now = timezone.now()
    return render(request, "portal/account/my_dossiers.html", {
        "rows": [{"dossier": d, "status_label": plain_status(d.status),
                  "due": timezone.localtime(d.due_at) if d.due_at else None,
                  "needs_action": d.status in (Status.SUPPLEMENT, Status.PAYMENT)} for d in dossiers],
        "drafts": [{"draft": d, "expired": d.expires_at < now, "expires": timezone.localtime(d.expires_at)}
                   for d in drafts],
    })


@citizen_required
def my_dossier(request, code):
    dossier = own_dossier(request, code)
    if dossier is None:
        return not_yours(request, code)
    return render(request, "portal/lookup/result.html", dossier_context(dossier, request.user))


@citizen_required
def supplement(request, code):
    """Upload exactly the items of the open supplement request; submitting resumes the clock."""
    dossier = own_dossier(request, code)
    if dossier is None:
        return not_yours(request, code)
    req = open_supplement(dossier)
    if req is None:
        messages.info(request, _("Hồ sơ không ở trạng thái chờ bổ sung giấy tờ."))
        return redirect("portal:my_dossier", code=code)
    items = [item_name(i) for i in req.items]
    errors: dict[int, str] = {}
    if request.method == "POST":
        checked = {}
        for index, name in enumerate(items):
            upload = request.FILES.get(f"item_{index}")
            if upload is None:
                errors[index] = _("Chưa tải lên «%(n)s».") % {"n": name}
                continue
            try:
                checked[index] = uploads.check_upload(upload)
            except uploads.ValidationError as exc:
                errors[index] = exc.messages[0]
        if not errors:
            try:
                receive_supplement(dossier, request.user, items, checked)
            except DomainError as exc:
                errors[-1] = exc.message
            else:
                messages.success(request, _("Đã nộp giấy tờ bổ sung. Hồ sơ tiếp tục được giải quyết."))
                return redirect("portal:my_dossier", code=code)
    return render(request, "portal/lookup/supplement.html", {
        "dossier": dossier, "request_row": req, "accept": uploads.ACCEPT_ATTR, "general_error": errors.get(-1),
        "rows": [{"index": i, "name": n, "error": errors.get(i)} for i, n in enumerate(items)],
        "errors": errors,
    }, status=422 if errors else 200)


def receive_supplement(dossier: Dossier, user, items: list[str], checked: dict) -> Dossier:
    """One transaction: the engine's receive_supplement (as the applicant) adds one document per item, then the
    checked files are attached to those new rows."""
    from motcua.dossiers.engine import perform

    known = {d.name.strip().lower(): d.pk for d in dossier.variant.documents.all()}
    documents = [{"name": name, "required_document_id": known.get(name.strip().lower()), "copy_kind": "copy",
                  "digitised": True} for name in items]
    with transaction.atomic():
        last = dossier.documents.aggregate(m=Max("pk"))["m"] or 0
        action = "resubmit" if dossier.status == Status.NEW else "receive_supplement"  # Form 02 / during processing
        perform(dossier, action, user, documents=documents, reason=_("Bổ sung trực tuyến"))
        new_rows = list(dossier.documents.filter(pk__gt=last).order_by("pk"))
        for index, row in enumerate(new_rows[:len(items)]):
            f = checked[index]
            attach_file(row, f.content_type, f.size, f.sha256, f.as_file())
    return dossier


@citizen_required
def pay(request, code):
    """Status 6 → the payments app creates (or reuses) the payment and sends the citizen to the gateway."""
    dossier = own_dossier(request, code)
    if dossier is None:
        return not_yours(request, code)
    from motcua.payments.services import PaymentError, can_pay, create_payment, fee_items, start_url

    if request.method == "POST":
        try:
            payment = create_payment(dossier, channel_online=True, user=request.user,
                                     return_url=reverse("portal:my_dossier", args=[code]))
        except PaymentError as exc:
            messages.error(request, exc.message)
            return redirect("portal:my_dossier", code=code)
        return redirect(start_url(payment))
    items = fee_items(dossier, channel_online=True)
    return render(request, "portal/lookup/pay.html", {
        "dossier": dossier, "can_pay": can_pay(dossier),
        "items": [{**i, "amount_display": presenters.money(i["amount"])} for i in items],
        "total": presenters.money(sum(i["amount"] for i in items))})


@citizen_required
def rate(request, code):
    dossier = own_dossier(request, code)
    if dossier is None:
        return not_yours(request, code)
    from motcua.portal.citizen_forms import RatingForm
    from motcua.ratings.services import Overall, RatingError, can_rate, current_index_set, submit_rating

    if not can_rate(dossier, request.user):
        messages.info(request, _("Hồ sơ này chưa thể đánh giá hoặc đã được đánh giá."))
        return redirect("portal:my_dossier", code=code)
    try:
        index_set = current_index_set()
    except RatingError:  # no index set in force: the overall rating still works, submit_rating explains the rest
        index_set = None
    form = RatingForm(request.POST or None, overall_choices=Overall.choices,
                      indices=list(index_set.indices.order_by("order", "pk")) if index_set else [])
    if request.method == "POST" and form.is_valid():
        try:
            submit_rating(dossier, overall=form.cleaned_data["overall"], indices=form.indices(),
                          comment=form.cleaned_data["comment"], source="online", user=request.user)
        except RatingError as exc:
            for field, errors in (exc.fields or {}).items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá việc giải quyết hồ sơ."))
            return redirect("portal:my_dossier", code=code)
    return render(request, "portal/lookup/rate.html", {"dossier": dossier, "form": form},
                  status=422 if form.errors else 200)


@citizen_required
def withdraw(request, code):
    """The applicant withdraws their dossier (status 7) after confirming; the reason is kept in the history."""
    from motcua.dossiers.engine import perform

    dossier = own_dossier(request, code)
    if dossier is None:
        return not_yours(request, code)
    if dossier.status not in TRANSITIONS["withdraw"].from_statuses:
        messages.info(request, _("Hồ sơ này không còn rút được."))
        return redirect("portal:my_dossier", code=code)
    error = None
    reason = (request.POST.get("reason") or "").strip()[:500]
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Hãy đánh dấu xác nhận rút hồ sơ.")
        else:
            try:
                perform(dossier, "withdraw", request.user, reason=reason or _("Công dân đề nghị rút hồ sơ"))
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("Đã rút hồ sơ %(c)s.") % {"c": code})
                return redirect("portal:my_dossier", code=code)
    return render(request, "portal/lookup/withdraw.html", {"dossier": dossier, "error": error, "reason": reason},
                  status=422 if error else 200)
