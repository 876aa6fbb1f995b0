"""766 index API, mounted at /api/v1/indices.

- `GET /766?unit=CODE&period=2026-10` — staff only (session); the unit must be inside the caller's scope
  (`accounts.scoping`), otherwise 404 (existence is not revealed). Bad period → 422; both in the
  `{"error": {code, message, fields}}` format.
"""

from django.utils.translation import gettext as _
from ninja import Router
from ninja.security import django_auth

from motcua.accounts.scoping import visible_agency_ids
from motcua.core.api_errors import DomainError
from motcua.reports.units import resolve_unit

router = Router(tags=["indices"])


def scoped_unit(user, code):
    """The unit if the user may see it; 404 otherwise (same answer as an unknown code)."""
    not_found = DomainError("not_found", _("Không tìm thấy đơn vị."), status=404,
                            fields={"unit": [_("Mã đơn vị không tồn tại hoặc ngoài phạm vi được xem.")]})
    if not code:
        raise DomainError("invalid", _("Thiếu mã đơn vị."), status=422, fields={"unit": [_("Bắt buộc nhập.")]})
    try:
        agency = resolve_unit(code)
    except DomainError:
        raise not_found from None
    ids = visible_agency_ids(user)
    if ids is not None and agency.pk not in ids:
        raise not_found
    return agency


@router.get("/766", auth=django_auth, summary="Chỉ số 766 của đơn vị trong kỳ (tháng, quý, năm)")
def index766(request, unit: str = "", period: str = ""):
    from motcua.indices.services import compute, parse_period

    p = parse_period(period)
    return compute(scoped_unit(request.user, unit), p)
