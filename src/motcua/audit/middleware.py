"""Sets the audit actor for the duration of a request (place after AuthenticationMiddleware)."""

from motcua.audit import context


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_request(request)
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
