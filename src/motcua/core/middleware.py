"""Security headers Django does not set by itself (CSP, permissions policy)."""

from django.conf import settings

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
