"""Payment services: what the portal and the back office call (full table in docs/portal-services.md §1).

    create_payment(dossier, *, channel_online=True, gateway=None, return_url="", user=None) -> Payment
        Pending payment of the variant's fees (online_amount when paying for an online dossier and set). A still
        pending payment with the same items is reused. PaymentError: 409 already_paid / not_payable,
        422 nothing_to_pay, 404 not_found (user given but neither the applicant nor staff in scope).
    start_url(payment) -> str                      where to redirect the citizen (the gateway page)
    handle_callback(gateway_name, params) -> Payment
        Verify (400 bad_signature / amount_mismatch, 404 not_found), then apply once: replays return the same
        payment and change nothing; a different final status for a final payment → 409 already_final.
        On "paid": receipt number, dossier.paid_online = 2 (local portal), and for a dossier in status 6 the
        engine's confirm_payment as actor "system:payment".
    can_pay(dossier) -> bool, fee_items(dossier, *, channel_online=True) -> list[dict]
    payments_for(dossier) -> QuerySet, receipt_url(payment) -> str, can_view_receipt(payment, user) -> bool

Every refusal happens before anything is written; every write happens in one transaction with its audit record.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.core.api_errors import DomainError
from motcua.dossiers.actors import Actor
from motcua.dossiers.models import Channel, Dossier, PaidOnline, Status
from motcua.payments.gateways import SignatureError, default_gateway_name, get_gateway
from motcua.payments.models import CallbackLog, Payment, PaymentStatus, ReceiptCounter

log = logging.getLogger(__name__)

NOT_PAYABLE = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.DELIVERED})
RECEIPT_SERIES = "BL"
SYSTEM_LABEL = "system:payment"


class PaymentError(DomainError):
    pass


# -- who ----------------------------------------------------------------------------------------------------------
@dataclass
class SystemActor(Actor):
    """The payment system acting on a dossier after a verified callback. It sees every dossier and holds the
    desk/specialist roles (the roles `confirm_payment` requires) everywhere; its history label is
    "system:payment". Used because the engine has no built-in system actor (see the module docstring)."""

    name: str = SYSTEM_LABEL

    @property
    def label(self) -> str:
        return self.name

    @property
    def audit_actor(self):
        return self.name

    @property
    def is_staff_or_client(self) -> bool:
        return True

    def roles_at(self, agency) -> set[str]:
        return {Role.RECEPTION, Role.SPECIALIST} if agency is not None else set()

    def sees_agency(self, agency) -> bool:
        return agency is not None

    def sees(self, dossier) -> bool:
        return True


def _system_actor():
    """The engine's system actor when it provides one, else ours."""
    from motcua.dossiers import actors

    factory = getattr(actors, "system_actor", None)
    return factory(SYSTEM_LABEL) if callable(factory) else SystemActor()


def _user_sees(dossier: Dossier, user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if dossier.applicant_user_id and dossier.applicant_user_id == user.pk:
        return True
    actor = Actor(user=user)
    return actor.is_staff_or_client and (actor.sees_agency(dossier.receiving_agency)
                                         or actor.sees_agency(dossier.competent_agency))


def can_view_receipt(payment: Payment, user) -> bool:
    return _user_sees(payment.dossier, user)


# -- creating -----------------------------------------------------------------------------------------------------
def fee_items(dossier: Dossier, *, channel_online: bool = True) -> list[dict]:
    items = []
    for fee in dossier.variant.fees.order_by("id"):
        amount = fee.online_amount if channel_online and fee.online_amount is not None else fee.amount
        items.append({"name": fee.name, "amount": int(amount)})
    return items


def _paid_exists(dossier: Dossier) -> bool:
    return Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).exists()


def can_pay(dossier: Dossier) -> bool:
    return (dossier.status not in NOT_PAYABLE and not _paid_exists(dossier)
            and sum(i["amount"] for i in fee_items(dossier, channel_online=dossier.channel == Channel.ONLINE)) > 0)


def create_payment(dossier: Dossier, *, channel_online: bool = True, gateway: str | None = None,
                   return_url: str = "", user=None) -> Payment:
    """A pending payment of the dossier's fees; see the module docstring for the refusals."""
    gateway = gateway or default_gateway_name()
    try:
        get_gateway(gateway)
    except KeyError:
        raise PaymentError("invalid", _("Cổng thanh toán không hợp lệ."), fields={"gateway": [gateway]},
                           status=422) from None
    with transaction.atomic():
        d = Dossier.objects.select_for_update(of=("self",)).select_related(
            "variant", "receiving_agency", "competent_agency").get(pk=dossier.pk)
        _check_payable(d, user)
        items = fee_items(d, channel_online=channel_online)
        total = sum(i["amount"] for i in items)
        if total <= 0:
            raise PaymentError("nothing_to_pay", _("Hồ sơ này không có khoản phí, lệ phí nào phải nộp."),
                               status=422)
        existing = Payment.objects.filter(dossier=d, status=PaymentStatus.PENDING, gateway=gateway,
                                          amount=total).first()
        if existing is not None and existing.items == items:
            return existing
        payment = Payment.objects.create(
            dossier=d, amount=total, items=items, channel_online=channel_online, gateway=gateway,
            payer_name=d.applicant_name, return_url=return_url[:500], created_by=user if _is_user(user) else None)
        _audit(d, "payment_created", payment, user)
    return payment


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _check_payable(d: Dossier, user) -> None:
    if user is not None and not _user_sees(d, user):
        raise PaymentError("not_found", _("Không tìm thấy hồ sơ."), status=404)
    if d.status in NOT_PAYABLE:
        raise PaymentError("not_payable", _("Hồ sơ đang ở trạng thái «%(s)s», không thể thanh toán.")
                           % {"s": Status(d.status).label}, status=409)
    if _paid_exists(d):
        raise PaymentError("already_paid", _("Hồ sơ này đã được thanh toán."), status=409)


def start_url(payment: Payment) -> str:
    return get_gateway(payment.gateway).start(payment)


def payments_for(dossier: Dossier):
    return Payment.objects.filter(dossier=dossier).order_by("-created_at", "-id")


def receipt_url(payment: Payment) -> str:
    return reverse("payments:receipt", args=[payment.reference])


# -- callbacks ----------------------------------------------------------------------------------------------------
def handle_callback(gateway_name: str, params: dict) -> Payment:
    """Verify a gateway callback and apply it exactly once (see the module docstring)."""
    params = {k: (v[-1] if isinstance(v, list) else v) for k, v in dict(params).items()}
    try:
        result = get_gateway(gateway_name).verify_callback(params)
    except KeyError:
        raise PaymentError("not_found", _("Cổng thanh toán không tồn tại."), status=404) from None
    except SignatureError:
        _log_callback(gateway_name, params, "bad_signature")
        raise PaymentError("bad_signature", _("Chữ ký xác thực giao dịch không hợp lệ; giao dịch không được ghi "
                                              "nhận."), fields={"sig": [_("Chữ ký không hợp lệ.")]},
                           status=400) from None
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(reference=result.reference,
                                                             gateway=gateway_name).first()
        if payment is None:
            raise PaymentError("not_found", _("Không tìm thấy giao dịch thanh toán."), status=404)
        if result.amount != payment.amount:
            raise PaymentError("amount_mismatch", _("Số tiền giao dịch (%(got)s) không khớp số tiền phải nộp "
                                                    "(%(want)s); giao dịch không được ghi nhận.")
                               % {"got": result.amount, "want": payment.amount},
                               fields={"amount": [_("Số tiền không khớp.")]}, status=400)
        if payment.is_final:
            if payment.status != result.status:
                raise PaymentError("already_final", _("Giao dịch đã kết thúc với trạng thái «%(s)s».")
                                   % {"s": payment.get_status_display()}, status=409)
            outcome = "replay"
        else:
            _apply(payment, result)
            outcome = result.status
        _log_callback(gateway_name, params, outcome)
    return payment


def _log_callback(gateway: str, params: dict, outcome: str) -> None:
    CallbackLog.objects.create(gateway=gateway, reference=str(params.get("ref") or "")[:64],
                               params={k: str(v)[:200] for k, v in params.items()}, outcome=outcome)


def _apply(payment: Payment, result) -> None:
    now = timezone.now()
    payment.status, payment.finished_at, payment.gateway_txn = result.status, now, result.gateway_txn[:128]
    if result.status == PaymentStatus.PAID:
        payment.paid_at = now
        payment.receipt_number = next_receipt_number(now)
    payment.save()
    _audit(payment.dossier, f"payment_{result.status}", payment, None)
    if result.status == PaymentStatus.PAID:
        _mark_dossier_paid(payment)


def next_receipt_number(at) -> str:
    """BL2026-000001: consecutive per year; the counter row lock serialises concurrent payments."""
    year = timezone.localtime(at).year
    counters = ReceiptCounter.objects.filter(series=RECEIPT_SERIES, year=year)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReceiptCounter.objects.create(series=RECEIPT_SERIES, year=year, last=1)
        except IntegrityError:
            counters.update(last=F("last") + 1)
    last = counters.values_list("last", flat=True).get()
    return f"{RECEIPT_SERIES}{year}-{last:06d}"


def _mark_dossier_paid(payment: Payment) -> None:
    """Status 6 → the engine's confirm_payment (it sets paid_online and resumes the clock). Any other status: only
    the flag (no transition happens, so no history row; the payment row and the audit record are the trace)."""
    from motcua.dossiers import engine

    d = Dossier.objects.select_for_update(of=("self",)).get(pk=payment.dossier_id)
    if d.status == Status.PAYMENT:
        try:
            with transaction.atomic():
                engine.perform(d, "confirm_payment", _system_actor(), paid_online=PaidOnline.LOCAL,
                               reason=_("Thanh toán trực tuyến, biên lai %(n)s") % {"n": payment.receipt_number})
            return
        except DomainError as exc:  # the money is in: keep the payment, let staff confirm by hand
            log.warning("confirm_payment refused for %s: %s", d.code, exc.message)
            payment.note = _("Chưa tự động xác nhận được nghĩa vụ tài chính: %(m)s") % {"m": exc.message}
            payment.save(update_fields=["note"])
    Dossier.objects.filter(pk=d.pk).update(paid_online=PaidOnline.LOCAL, updated_at=timezone.now())
    from motcua.reports.rollups import refresh

    refresh([d.pk])  # no history row was written, so the rollups would otherwise miss the paid-online flag


def _audit(dossier: Dossier, action: str, payment: Payment, user) -> None:
    from motcua.audit.services import record

    record(f"dossier:{dossier.code}", action, actor=user if _is_user(user) else SYSTEM_LABEL,
           target_type="payment", target_id=payment.reference,
           new={"amount": payment.amount, "status": payment.status, "gateway": payment.gateway,
                "receipt_number": payment.receipt_number or "", "gateway_txn": payment.gateway_txn})
