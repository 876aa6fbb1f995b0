"""Two-factor sign-in for staff: a time-based one-time password (TOTP, RFC 6238) from an authenticator app, with
django-otp's TOTP devices (its throttling slows guessing after each wrong code).

Policy (settings.MOTCUA_STAFF_2FA): "off"; "optional" (default) — a staff member who enrolled a device must give a
code after the password; "required" — every staff account (superusers too) must enrol at the next sign-in and give
a code every time. Until verified, a signed-in staff member reaches only the verification and enrolment pages,
logout and static files; the API answers 403 with the JSON error body.
"""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import AccountKind

VERIFY_URL = "/accounts/xac-thuc-2-buoc/"
ENROL_URL = "/accounts/xac-thuc-2-buoc/dang-ky/"
OPEN_PATHS = (VERIFY_URL, ENROL_URL, "/accounts/logout/", "/static/", "/i18n/")


def policy() -> str:
    return getattr(settings, "MOTCUA_STAFF_2FA", "optional")


def is_staff_account(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.kind == AccountKind.STAFF))


def needs_second_factor(user) -> bool:
    """The signed-in user must still give a code (or enrol) before using the site."""
    if policy() == "off" or not is_staff_account(user) or user.is_verified():
        return False
    return policy() == "required" or user_has_device(user, confirmed=True)


class StaffTwoFactorMiddleware:
    """After django_otp.middleware.OTPMiddleware: holds an unverified staff session at the code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith(OPEN_PATHS) and needs_second_factor(user):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                from motcua.core.api_errors import error_body

                return JsonResponse(error_body("second_factor_required",
                                               _("Cần xác thực hai bước trước khi dùng API.")), status=403)
            target = VERIFY_URL if user_has_device(user, confirmed=True) else ENROL_URL
            return HttpResponseRedirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/backoffice/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return "/backoffice/"
    return target


def _code(request) -> str:
    return "".join(ch for ch in request.POST.get("token", "") if ch.isdigit())[:8]


@login_required
def verify(request):
    """Step two of the sign-in: the 6-digit code of an enrolled device."""
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{ENROL_URL}?next={_next(request)}")
    error = ""
    if request.method == "POST":
        code = _code(request)
        device = next((d for d in devices if code and d.verify_token(code)), None)
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        error = _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới trên ứng dụng xác thực.")
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next(request)},
                  status=422 if error else 200)


@login_required
def enrol(request):
    """Add an authenticator app: scan the QR code (or type the key), then confirm with one code."""
    if not is_staff_account(request.user):
        return render(request, "accounts/otp_enrol.html", {"not_staff": True}, status=403)
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect(f"{VERIFY_URL}?next={_next(request)}")  # a second device needs the first one's code
    device, _created = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False,
                                                        defaults={"name": _("Ứng dụng xác thực")})
    error = ""
    if request.method == "POST":
        if device.verify_token(_code(request)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai bước cho tài khoản."))
            return HttpResponseRedirect(_next(request))
        error = _("Mã xác thực không đúng. Hãy quét lại mã QR và nhập mã 6 số đang hiển thị.")
    return render(request, "accounts/otp_enrol.html", {
        "qr_svg": qr_svg(device.config_url), "secret": base32_key(device), "error": error,
        "next": _next(request)}, status=422 if error else 200)


def qr_svg(data: str) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True,
                                     title=_("Mã QR đăng ký ứng dụng xác thực"))
    return buffer.getvalue().decode()


def base32_key(device: TOTPDevice) -> str:
    """The key in the base32 form authenticator apps accept when typed, in groups of four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))
