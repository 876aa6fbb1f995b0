"""Machine-readable API errors: every 4xx body is {"error": {"code", "message", "fields"}}; messages in the
active language (Vietnamese by default)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class DomainError(Exception):
    """A refused business operation; carries an HTTP status, a stable code and a user-facing message."""

    status = 422

    def __init__(self, code: str, message: str, fields: dict | None = None, status: int | None = None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields or {}
        if status is not None:
            self.status = status


class ConflictError(DomainError):
    status = 409


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, error_body(exc.code, exc.message, exc.fields), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload"))
            fields.setdefault(loc or "_", []).append(err.get("msg", ""))
        return api.create_response(
            request, error_body("invalid", _("Dữ liệu không hợp lệ."), fields), status=422
        )

    @api.exception_handler(ValidationError)
    def django_validation_error(request, exc: ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"_": exc.messages}
        return api.create_response(
            request, error_body("invalid", _("Dữ liệu không hợp lệ."), fields), status=422
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("Không tìm thấy.")), status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, error_body("forbidden", _("Không có quyền thực hiện.")), status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, error_body("unauthenticated", _("Cần đăng nhập.")), status=401)

    @api.exception_handler(MultiPartParserError)
    def unreadable_body(request, exc):
        # e.g. a multipart content type without a boundary: the body cannot be read at all.
        return api.create_response(request, error_body("unreadable_body", _("Không đọc được nội dung yêu cầu.")),
                                   status=400)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)
