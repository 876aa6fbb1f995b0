"""Security headers Django does not set by itself (CSP, permissions policy), the staff idle timeout and the rate
limits on anonymous write paths."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "MOTCUA_CSP", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        # The interactive API docs load their own inline scripts; everything else gets the strict policy.
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose another language with the switcher (language cookie).

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, so an officer with an English
    browser would get an English desk; the product is Vietnamese first (DEVELOPERS.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """Staff sessions expire after settings.MOTCUA_STAFF_IDLE_MINUTES without a request (a shared counter PC must
    not stay signed in); a staff member's requests restart the countdown. Citizens keep the default age.

    The countdown is restarted (the session saved) at most once every REFRESH_SECONDS, not on every page: a session
    write and its commit on each request cost the PostgreSQL inbox 2–5 ms (docs/benchmarks.md). A session may so
    end up to REFRESH_SECONDS before the idle time is over, never after."""

    REFRESH_SECONDS = 60
    KEY = "_staff_idle_since"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        minutes = getattr(settings, "MOTCUA_STAFF_IDLE_MINUTES", 0)
        if minutes and user is not None and user.is_authenticated and (
                user.is_superuser or getattr(user, "kind", None) == "staff"):
            now = int(timezone.now().timestamp())
            if now - request.session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                request.session.set_expiry(minutes * 60)
                request.session[self.KEY] = now
        return self.get_response(request)


class PostRateLimitMiddleware:
    """Rate limits per client IP on the POSTs of settings.MOTCUA_POST_RATE_LIMITS (login, registration, PAKN):
    the excess gets 429 with a Vietnamese message (a JSON error body under /api/). Counters live in Django's cache,
    which several server processes must share (Redis) for the limit to hold across them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = getattr(settings, "MOTCUA_POST_RATE_LIMITS", {}).get(request.path) if request.method == "POST" else None
        if rate and is_ratelimited(request, group=f"post:{request.path}", key=client_ip, rate=rate, increment=True):
            return too_many_requests(request)
        return self.get_response(request)


def client_ip(group, request) -> str:
    """The peer address; a WSGI server that sets none (found by the API fuzzer) shares one bucket, never a 500."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def too_many_requests(request) -> HttpResponse:
    message = _("Bạn đã gửi quá nhiều yêu cầu, vui lòng thử lại sau ít phút.")
    if request.path.startswith("/api/"):
        from motcua.core.api_errors import error_body

        return JsonResponse(error_body("rate_limited", message), status=429)
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
