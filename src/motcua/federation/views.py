"""The national back-office page (/backoffice/lien-thong/): provinces ranked for a period, national totals,
provinces that have not published, and the state of every province feed. National administrators only
(superuser or province-admin role); other staff 403, anonymous visitors to the login page."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.scoping import is_province_admin
from motcua.backoffice.access import staff_required
from motcua.core.api_errors import DomainError
from motcua.federation import national
from motcua.federation.exchange import DEFINITIONS
from motcua.federation.models import ProvinceFeed
from motcua.indices.periods import month_of
from motcua.reports.definitions import DEFINITION_LABELS


def _last_month() -> str:
    return month_of(timezone.localdate().replace(day=1) - timedelta(days=1)).key


@staff_required
def national_page(request):
    if not is_province_admin(request.user):
        raise PermissionDenied(_("Trang này chỉ dành cho quản trị cấp quốc gia."))
    period = (request.GET.get("period") or "").strip() or _last_month()
    definition = request.GET.get("definition") or "766"
    status = 200
    try:
        result = national.ranking(period, definition)
    except DomainError as exc:
        messages.error(request, exc.message)
        status = 422
        period, definition = _last_month(), "766"
        result = national.ranking(period, definition)
    return render(request, "federation/national.html", {
        "r": result, "period": period, "definition": definition,
        "definitions": [(d, DEFINITION_LABELS[d]) for d in DEFINITIONS],
        "feeds": ProvinceFeed.objects.order_by("code"),
    }, status=status)
