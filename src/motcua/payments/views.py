"""Payment pages: the sandbox gateway, the callback landing page and the e-receipt (biên lai điện tử)."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.payments import services
from motcua.payments.gateways import SANDBOX_STATUSES, SandboxGateway, get_gateway
from motcua.payments.models import Payment, PaymentStatus, format_dong

CHOICES = {"pay": "paid", "fail": "failed", "cancel": "cancelled"}


@require_http_methods(["GET", "POST"])
def sandbox(request, reference: str):
    """The sandbox gateway's page: anyone holding the (unguessable) reference may act on it, as on a real
    gateway. Unavailable when the sandbox is not among the configured gateways."""
    try:
        gateway = get_gateway(SandboxGateway.name)
    except KeyError:
        raise Http404 from None
    payment = get_object_or_404(Payment.objects.select_related("dossier"), reference=reference,
                                gateway=gateway.name)
    if request.method == "POST" and not payment.is_final:
        status = CHOICES.get(request.POST.get("choice", ""))
        if status in SANDBOX_STATUSES:
            return HttpResponseRedirect(gateway.callback_url(payment, status))
    return render(request, "payments/sandbox.html", {"payment": payment})


@require_GET
def callback(request, gateway: str):
    try:
        payment = services.handle_callback(gateway, request.GET)
    except services.PaymentError as exc:
        if exc.status == 404:
            raise Http404 from None
        return render(request, "payments/result.html", {"error": exc.message}, status=exc.status)
    return render(request, "payments/result.html", {
        "payment": payment, "receipt_url": services.receipt_url(payment) if payment.status == PaymentStatus.PAID
        else "", "can_view_receipt": services.can_view_receipt(payment, request.user)})


@require_GET
def receipt(request, reference: str):
    payment = Payment.objects.select_related("dossier", "dossier__receiving_agency",
                                             "dossier__competent_agency").filter(
        reference=reference, status=PaymentStatus.PAID).first()
    if payment is None or not services.can_view_receipt(payment, request.user):
        raise Http404(_("Không tìm thấy biên lai."))
    items = [{"name": i.get("name", ""), "display": format_dong(i.get("amount", 0))} for i in payment.items]
    return render(request, "payments/receipt.html", {"payment": payment, "dossier": payment.dossier,
                                                     "items": items})
