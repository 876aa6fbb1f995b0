"""Public dossier lookup (tra cứu hồ sơ) by code + lookup secret, or code + the applicant's phone number.

- No enumeration: an unknown code, a wrong secret and a wrong phone give the very same response, and the secret
  is compared in constant time (a dummy comparison runs when the code is unknown).
- Rate limited per client IP and per dossier code (settings.MOTCUA["LOOKUP_RATE"], default "10/m") through
  django-ratelimit on Django's cache: 429 with a Vietnamese message. Several server processes need a shared cache
  (CACHES → Redis) for the limit to hold across them.
- The QR code printed on the receipt links to /tra-cuu/?code=<code> (`qr_svg`).
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited

from motcua.dossiers.models import Dossier, DossierEvent, Status, SupplementRequest, hash_secret
from motcua.dossiers.transitions import TRANSITIONS
from motcua.portal.citizen_forms import LookupForm, normalise_phone

CODE_RE = re.compile(r"^[A-Za-z0-9.\-_]{1,64}$")
DUMMY_HASH = hashlib.sha256(b"motcua-no-such-dossier").hexdigest()


PLAIN_STATUS = {
    Status.NEW: gettext_lazy("Đã nộp trực tuyến, đang chờ cán bộ tiếp nhận"),
    Status.RECEIVED: gettext_lazy("Đã được tiếp nhận"),
    Status.REFUSED: gettext_lazy("Không được tiếp nhận"),
    Status.PROCESSING: gettext_lazy("Đang được giải quyết"),
    Status.SUPPLEMENT: gettext_lazy("Cần bổ sung giấy tờ"),
    Status.PAYMENT: gettext_lazy("Cần nộp phí, lệ phí"),
    Status.WITHDRAWN: gettext_lazy("Đã rút hồ sơ"),
    Status.STOPPED: gettext_lazy("Đã dừng giải quyết"),
    Status.FINISHED: gettext_lazy("Đã có kết quả, mời nhận kết quả"),
    Status.DELIVERED: gettext_lazy("Đã trả kết quả"),
}


def plain_status(status: int) -> str:
    """What a status means for the citizen, in everyday words."""
    return str(PLAIN_STATUS.get(status, ""))


def lookup_rate() -> str:
    return settings.MOTCUA.get("LOOKUP_RATE", "10/m")


def _code_key(group, request) -> str:
    return (request.POST.get("code") or "").strip().upper()[:64]


def rate_limited(request) -> bool:
    """Counts this attempt against the client IP and against the code; True once either is over the rate."""
    by_ip = is_ratelimited(request, group="portal-lookup-ip", key="ip", rate=lookup_rate(), increment=True)
    by_code = is_ratelimited(request, group="portal-lookup-code", key=_code_key, rate=lookup_rate(), increment=True)
    return by_ip or by_code


# Every column of the dossier (its page, payment and rating checks read many), but of its procedure version and
# procedure only what the page shows: their long texts (steps, legal basis…) were a third of the query's columns.
PAGE_FIELDS = (*(f.name for f in Dossier._meta.concrete_fields), "procedure_version__procedure__code",
               "procedure_version__procedure__name")


def find_dossier(code: str, secret: str) -> Dossier | None:
    """The dossier when `secret` is its lookup secret or its applicant's phone; None otherwise (same timing)."""
    found = (Dossier.objects.filter(code=code).select_related("procedure_version__procedure").only(*PAGE_FIELDS)[:1]
             if CODE_RE.match(code or "") else [])
    dossier = found[0] if found else None
    if dossier is None:
        hmac.compare_digest(DUMMY_HASH, hash_secret(secret or ""))
        hmac.compare_digest("0000000000", normalise_phone(secret) or "-")
        return None
    by_secret = dossier.check_lookup_secret(secret)
    phone = normalise_phone(dossier.applicant_phone)
    by_phone = bool(phone) and hmac.compare_digest(phone, normalise_phone(secret) or "-")
    return dossier if (by_secret or by_phone) else None


def lookup(request):
    initial_code = (request.GET.get("code") or request.GET.get("ma") or "").strip()[:64]
    form = LookupForm(request.POST or None, initial={"code": initial_code})
    context = {"form": form, "dossier": None, "error": ""}
    if request.method == "POST":
        if rate_limited(request):
            context["error"] = _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau một phút.")
            return render(request, "portal/lookup/lookup.html", context, status=429)
        if form.is_valid():
            dossier = find_dossier(form.cleaned_data["code"], form.cleaned_data["secret"])
            if dossier is not None:
                return render(request, "portal/lookup/result.html", dossier_context(dossier, request.user))
        # Same page whatever went wrong: the secret is never echoed back, only the code typed.
        context["form"] = LookupForm(initial={"code": (request.POST.get("code") or "").strip()[:64]})
        context["error"] = _("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu (hoặc số điện thoại) đã nhập. "
                             "Vui lòng kiểm tra lại.")
        return render(request, "portal/lookup/lookup.html", context, status=200)
    return render(request, "portal/lookup/lookup.html", context)


# -- what a dossier page shows the citizen ----------------------------------------------------------------------------
def timeline(dossier: Dossier) -> list[dict]:
    """Status changes only (internal step moves are the agencies' business), oldest first."""
    rows, last = [], None
    # Plain tuples, no model instances: the page only reads three columns.
    events = DossierEvent.objects.filter(dossier=dossier).order_by("seq").values_list("to_status", "at", "reason")
    for status, at, reason in events:
        if status is None or status == last:
            continue
        last = status
        shown_reason = reason if status in (Status.REFUSED, Status.STOPPED, Status.SUPPLEMENT) else ""
        rows.append({"at": timezone.localtime(at), "label": plain_status(status), "reason": shown_reason})
    return rows


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status == Status.NEW:  # Form 02 from the desk before reception (dossiers.reception)
        from motcua.dossiers.reception import awaiting_completion

        return awaiting_completion(dossier)
    if dossier.status != Status.SUPPLEMENT:
        return None
    return dossier.supplement_requests.filter(fulfilled_at__isnull=True).order_by("-requested_at").first()


def item_name(item) -> str:
    if isinstance(item, dict):
        return str(item.get("name") or item.get("text") or "")
    return str(item)


def dossier_context(dossier: Dossier, user) -> dict:
    """Status, timeline, due date and what is expected of the citizen (shared by lookup and "my dossiers")."""
    from motcua.portal import services_bridge

    supplement = open_supplement(dossier)
    owner = bool(user.is_authenticated and dossier.applicant_user_id == user.pk)
    return {
        "dossier": dossier, "procedure": dossier.procedure_version.procedure,
        "status_label": plain_status(dossier.status), "timeline": timeline(dossier),
        "due": timezone.localtime(dossier.due_at) if dossier.due_at else None,
        "supplement": supplement, "supplement_items": [item_name(i) for i in supplement.items] if supplement else [],
        # The page offers payment only in status 6 (fees requested): no payment queries for other statuses.
        "can_pay": dossier.status == Status.PAYMENT and services_bridge.can_pay(dossier), "can_rate": owner and services_bridge.can_rate(dossier, user),
        "finished": dossier.status in (Status.FINISHED, Status.DELIVERED), "owner": owner,
        "can_withdraw": owner and dossier.status in TRANSITIONS["withdraw"].from_statuses,
    }


def qr_svg(request, code):
    """An SVG QR code of the public lookup link for `code` (reveals nothing: the code is printed beside it)."""
    import io

    import segno

    if not CODE_RE.match(code):
        return HttpResponseBadRequest(_("Mã hồ sơ không hợp lệ."))
    base = (settings.MOTCUA.get("PORTAL_BASE_URL") or request.build_absolute_uri("/")).rstrip("/")
    buffer = io.BytesIO()
    segno.make(f"{base}/tra-cuu/?code={code}", error="m").save(
        buffer, kind="svg", scale=4, border=4, title=_("Mã QR tra cứu hồ sơ %(c)s") % {"c": code})
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
