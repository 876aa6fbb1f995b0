"""Payment gateways: the `PaymentGateway` protocol, the registry and the built-in sandbox gateway.

A gateway turns a pending payment into a URL the citizen is sent to (`start`) and turns the gateway's callback
parameters into a verified `CallbackResult` (`verify_callback`), raising `SignatureError` when the parameters were
not produced by the gateway. Real gateways (the national payment platform, banks' gateways) are added as classes
listed in settings.MOTCUA["PAYMENT_GATEWAYS"] (dotted paths); nothing else in MotCua knows about them.

The sandbox signs `amount`, `ref`, `status` and `ts` with HMAC-SHA256 under MOTCUA["PAYMENT_SANDBOX_SECRET"]
(default: derived from SECRET_KEY, so it differs per installation and is never the SECRET_KEY itself).
"""

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

SANDBOX_STATUSES = ("paid", "failed", "cancelled")
DEFAULT_GATEWAYS = ["motcua.payments.gateways.SandboxGateway"]


class SignatureError(ValueError):
    """The callback's parameters are missing, malformed or not signed by the gateway."""


@dataclass(frozen=True)
class CallbackResult:
    reference: str
    status: str  # one of PaymentStatus values except "pending"
    amount: int
    gateway_txn: str = ""
    raw: dict = field(default_factory=dict)


class PaymentGateway(Protocol):
    name: str

    def start(self, payment) -> str:
        """URL to redirect the citizen to."""

    def verify_callback(self, params: dict) -> CallbackResult:
        """Verified result, or SignatureError."""


def get_gateway(name: str) -> PaymentGateway:
    for path in settings.MOTCUA.get("PAYMENT_GATEWAYS") or DEFAULT_GATEWAYS:
        cls = import_string(path)
        if cls.name == name:
            return cls()
    raise KeyError(name)


def default_gateway_name() -> str:
    paths = settings.MOTCUA.get("PAYMENT_GATEWAYS") or DEFAULT_GATEWAYS
    return import_string(paths[0]).name


# -- sandbox ------------------------------------------------------------------------------------------------------
def sandbox_secret() -> bytes:
    configured = settings.MOTCUA.get("PAYMENT_SANDBOX_SECRET")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"motcua.payments.sandbox", hashlib.sha256).digest()


def canonical(params: dict) -> str:
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sig")


def sign(params: dict) -> str:
    return hmac.new(sandbox_secret(), canonical(params).encode(), hashlib.sha256).hexdigest()


class SandboxGateway:
    """A gateway living inside MotCua, for demos and tests: the page at /thanh-toan/sandbox/<ref>/ lets the
    citizen choose pay / fail / cancel, then redirects to the signed callback URL."""

    name = "sandbox"
    fields = ("ref", "status", "amount", "ts")

    def start(self, payment) -> str:
        return reverse("payments:sandbox", args=[payment.reference])

    def callback_url(self, payment, status: str, *, ts: int | None = None) -> str:
        """The URL the sandbox page redirects to (what a real gateway's server would call)."""
        if status not in SANDBOX_STATUSES:
            raise ValueError(status)
        params = {"ref": payment.reference, "status": status, "amount": str(payment.amount),
                  "ts": str(ts if ts is not None else int(time.time()))}
        params["sig"] = sign(params)
        return f"{reverse('payments:callback', args=[self.name])}?{urlencode(params)}"

    def verify_callback(self, params: dict) -> CallbackResult:
        values = {k: str(params.get(k) or "") for k in self.fields}
        given = str(params.get("sig") or "")
        if not all(values.values()) or not given:
            raise SignatureError("missing parameters")
        if not hmac.compare_digest(sign(values), given):
            raise SignatureError("bad signature")
        if values["status"] not in SANDBOX_STATUSES or not values["amount"].isdigit():
            raise SignatureError("malformed parameters")
        return CallbackResult(reference=values["ref"], status=values["status"], amount=int(values["amount"]),
                              gateway_txn=f"SBX-{values['ts']}-{values['ref'][:8]}", raw=values)
