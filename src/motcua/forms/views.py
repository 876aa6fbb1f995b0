"""One-click printing from the dossier page: `/backoffice/ho-so/<code>/mau/<form>.pdf|.docx` and the register
`/backoffice/so-theo-doi/<unit>.pdf|.docx?from=YYYY-MM-DD&to=YYYY-MM-DD`.

Staff only; a dossier (or unit) outside the user's scope is a 404, exactly like an unknown one. A form that does not
apply to the dossier (e.g. 03 for a dossier not refused) answers 409 with the Vietnamese reason.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.backoffice.access import staff_required
from motcua.forms import services
from motcua.forms.context import FormError
from motcua.forms.render import CONTENT_TYPES


def register_max_rows() -> int:
    """A long register renders for tens of seconds (WeasyPrint, ~0,2–0,6 s a page); the web request is capped,
    the CLI is not."""
    from django.conf import settings

    return int(settings.MOTCUA.get("FORMS_REGISTER_MAX_ROWS", 300))


def _file_response(content: bytes, name: str, fmt: str, download: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "attachment" if download or fmt == "docx" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


def _error(exc: FormError) -> HttpResponse:
    if exc.status == 404:
        raise Http404(exc.message)
    return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")


@require_GET
@staff_required
def dossier_form(request, code: str, form: str, fmt: str):
    try:
        content, name = services.render_dossier_form(code, form, fmt, user=request.user,
                                                     base_url=request.build_absolute_uri("/"))
    except FormError as exc:
        return _error(exc)
    return _file_response(content, name, fmt, request.GET.get("tai-ve") == "1")


@require_GET
@staff_required
def register(request, unit: str, fmt: str):
    date_from, date_to = request.GET.get("from", ""), request.GET.get("to", "")
    if not date_from or not date_to:
        return HttpResponse(_("Cần chọn kỳ: from=YYYY-MM-DD và to=YYYY-MM-DD."), status=422,
                            content_type="text/plain; charset=utf-8")
    try:
        content, name = services.render_register(unit, date_from, date_to, fmt, user=request.user,
                                                 max_rows=register_max_rows())
    except FormError as exc:
        return _error(exc)
    return _file_response(content, name, fmt, request.GET.get("tai-ve") == "1")
