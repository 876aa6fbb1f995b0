"""Statistics API, mounted at /api/v1/reports.

- `GET /period?unit=&from=&to=&by=&definition=&format=` — staff only (session); the unit must be inside the caller's
  scope (`accounts.scoping.visible_agency_ids`), otherwise 404 (existence is not revealed). format json (default),
  csv or xlsx.
- `GET /public/{unit_code}?year=&definition=&format=json|csv` — public statistics of a unit for a year: the same
  aggregate figures, no dossier list and no personal data; anonymous allowed.
"""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.security import django_auth

from motcua.accounts.scoping import visible_agency_ids
from motcua.core.api_errors import DomainError
from motcua.reports.export import render
from motcua.reports.units import resolve_unit

router = Router(tags=["reports"])

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NOT_FOUND = DomainError("not_found", _("Không tìm thấy đơn vị."), status=404)


def _download(report: dict, fmt: str, name: str):
    if fmt == "json":
        return report
    if fmt not in CONTENT_TYPES:
        raise DomainError("invalid", _("Định dạng không hỗ trợ."), fields={"format": [_("json, csv hoặc xlsx.")]},
                          status=422)
    response = HttpResponse(render(report, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _in_scope(user, unit) -> bool:
    ids = visible_agency_ids(user)
    return ids is None or unit.pk in ids


@router.get("/period", auth=django_auth, summary="Báo cáo tình hình giải quyết hồ sơ theo kỳ (cán bộ)")
def period(request, unit: str, date_from: str | None = Query(None, alias="from"),
           date_to: str | None = Query(None, alias="to"), by: str | None = None, definition: str = "local",
           format: str = "json"):
    from motcua.reports.service import full_report

    try:
        agency = resolve_unit(unit)
    except DomainError:
        raise NOT_FOUND from None
    if not _in_scope(request.user, agency):
        raise NOT_FOUND
    missing = {k: [_("Bắt buộc nhập.")] for k, v in (("from", date_from), ("to", date_to)) if not v}
    if missing:
        raise DomainError("invalid", _("Thiếu kỳ báo cáo."), fields=missing, status=422)
    report = full_report(agency, date_from, date_to, by=by or None, definition=definition)
    return _download(report, format, f"bao-cao-{agency.code}-{date_from}-{date_to}")


PUBLIC_KEYS = ("carried_over", "received", "received_counter", "received_online", "received_postal",
               "received_api", "received_import", "to_process", "finished", "finished_early", "finished_on_time",
               "finished_late", "in_progress", "in_progress_on_time", "in_progress_overdue", "supplement", "refused",
               "withdrawn", "stopped", "delivered", "not_collected", "on_time_rate", "early_rate", "late_rate",
               "online_rate", "postal_rate", "digitised_rate", "e_result_rate", "avg_handling_days", "definition",
               "definition_label", "unit", "unit_name", "date_from", "date_to", "summary_vi")


def public_report(unit_code: str, year: int | None = None, definition: str = "local") -> dict:
    """A unit's figures for a year (to today for the current year), aggregate numbers only."""
    from motcua.reports.service import full_report

    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= today.year:
        raise DomainError("invalid", _("Năm không hợp lệ."), fields={"year": [_("Từ 2000 đến năm hiện tại.")]},
                          status=422)
    date_to = min(date(year, 12, 31), today)
    report = full_report(unit_code, date(year, 1, 1), date_to, definition=definition)
    return {k: report[k] for k in PUBLIC_KEYS}


@router.get("/public/{unit_code}", auth=None, summary="Số liệu thống kê công khai của đơn vị theo năm")
def public(request, unit_code: str, year: int | None = None, definition: str = "local", format: str = "json"):
    report = public_report(unit_code, year, definition)
    if format == "xlsx":
        raise DomainError("invalid", _("Định dạng không hỗ trợ."), fields={"format": [_("json hoặc csv.")]},
                          status=422)
    return _download(report, format, f"thong-ke-{report['unit']}-{report['date_from'][:4]}")
