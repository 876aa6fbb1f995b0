"""Entry points used by the views and the CLI: find the dossier (scoped), build the context, render."""

from datetime import date

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.forms import registry
from motcua.forms.context import FormError, form_context, register_context, resolve
from motcua.forms.render import FORMATS, render


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise FormError(_("Định dạng «%(f)s» không hỗ trợ; chọn pdf hoặc docx.") % {"f": fmt}, code="invalid",
                        status=422, field="format")


def visible_dossiers(user):
    """Dossiers whose receiving or competent agency lies in the user's scope (None: no restriction, CLI)."""
    from motcua.accounts.scoping import scope_queryset

    base = Dossier.objects.all()
    if user is None:
        return base
    return scope_queryset(base, user, "competent_agency") | scope_queryset(base, user, "receiving_agency")


def find_dossier(code: str, user=None) -> Dossier:
    found = visible_dossiers(user).filter(code=(code or "").strip()).select_related(
        "procedure_version__procedure", "variant", "receiving_agency__parent", "competent_agency__parent",
        "created_by").first()
    if found is None:
        raise FormError(_("Không tìm thấy hồ sơ «%(c)s».") % {"c": code}, code="not_found", status=404,
                        field="dossier")
    return found


def render_dossier_form(code: str, form: str, fmt: str, user=None, base_url: str | None = None) -> tuple[bytes, str]:
    """(file bytes, file name) of `form` for dossier `code`; `base_url` roots the receipt's QR link when no
    PORTAL_BASE_URL is configured."""
    check_format(fmt)
    dossier = find_dossier(code, user)
    options = {"base_url": base_url} if base_url and resolve(dossier, form).kind == registry.RECEIPT else {}
    ctx = form_context(dossier, form, **options)
    return render(ctx, fmt), f"{ctx['form']['template_set']}-mau-{ctx['form']['number']}-{dossier.code}.{fmt}"


def find_unit(code: str, user=None):
    from motcua.accounts.scoping import visible_agency_ids
    from motcua.agencies.models import Agency

    unit = Agency.objects.filter(code=(code or "").strip()).select_related("parent").first()
    ids = visible_agency_ids(user) if user is not None else None
    if unit is None or (ids is not None and unit.pk not in ids):
        raise FormError(_("Không tìm thấy đơn vị «%(c)s».") % {"c": code}, code="not_found", status=404,
                        field="unit")
    return unit


def parse_day(value: str, field: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise FormError(_("Ngày «%(v)s» không hợp lệ (định dạng YYYY-MM-DD).") % {"v": value}, code="invalid",
                        status=422, field=field) from None


def render_register(unit_code: str, date_from: str, date_to: str, fmt: str, user=None,
                    form: str | None = None, max_rows: int | None = None) -> tuple[bytes, str]:
    check_format(fmt)
    unit = find_unit(unit_code, user)
    ctx = register_context(unit, parse_day(date_from, "from"), parse_day(date_to, "to"), user=user, form_code=form,
                           max_rows=max_rows)
    return render(ctx, fmt), f"so-theo-doi-{unit.code}-{date_from}-{date_to}.{fmt}"
