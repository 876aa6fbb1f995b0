"""The exchange format `motcua.federation/1` (docs/federation.md): what a province publishes, built from its own
tables. Two documents: a batch of dossier status changes after a cursor, and the period statistics per unit.

No personal data leaves the province: dossier codes, procedure and agency codes, statuses, instants and outcomes
only (never the applicant, the officers, reasons or free-text data of an event).
"""

from datetime import timedelta
from itertools import takewhile

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError

FORMAT = "motcua.federation/1"
EVENT_FIELDS = ("code", "seq", "procedure", "receiving_agency", "competent_agency", "channel", "from_status",
                "status", "at", "submitted_at", "received_at", "due_at", "finished_at", "delivered_at", "outcome",
                "outcome_766")
INSTANTS = ("at", "submitted_at", "received_at", "due_at", "finished_at", "delivered_at")
DEFINITIONS = ("local", "766")

_EVENT_COLUMNS = {
    "pk": "pk", "code": "dossier__code", "seq": "seq", "procedure": "dossier__procedure_version__procedure__code",
    "receiving_agency": "dossier__receiving_agency__code", "competent_agency": "dossier__competent_agency__code",
    "channel": "dossier__channel", "from_status": "from_status", "status": "to_status", "at": "at",
    "submitted_at": "dossier__submitted_at", "received_at": "dossier__received_at", "due_at": "dossier__due_at",
    "finished_at": "dossier__finished_at", "delivered_at": "dossier__delivered_at", "outcome": "dossier__outcome",
    "outcome_766": "dossier__outcome_766",
}


def _iso(value):
    return value.isoformat() if value is not None else None


def pending_events(cursor: int, limit: int, settle_seconds: float = 0) -> tuple[list[dict], int]:
    """Status changes recorded after event id `cursor`, oldest first, at most `limit`; and the new cursor.

    The batch stops before the first event younger than `settle_seconds` (by its instant): on PostgreSQL a
    transaction that took a lower id can commit after a higher one, and a cursor moved past it would skip it for
    good. A bulk import running during a push can still commit below the cursor: `push --rescan` resends everything
    (the national side ignores what it has).
    """
    from motcua.dossiers.models import DossierEvent

    rows = list(DossierEvent.objects.filter(pk__gt=cursor, to_status__isnull=False).order_by("pk")
                .values(*_EVENT_COLUMNS.values())[:limit])
    if settle_seconds:
        young = timezone.now() - timedelta(seconds=settle_seconds)
        rows = list(takewhile(lambda row: row["at"] <= young, rows))
    events = []
    for row in rows:
        event = {name: row[column] for name, column in _EVENT_COLUMNS.items() if name != "pk"}
        for name in INSTANTS:
            event[name] = _iso(event[name])
        events.append(event)
    return events, (rows[-1]["pk"] if rows else cursor)


def envelope(kind: str, province, **body) -> dict:
    return {"format": FORMAT, "kind": kind, "province": {"code": province.code, "name": province.name},
            "sent_at": timezone.now().isoformat(), **body}


def events_document(province, events: list[dict], after: int, last: int) -> dict:
    return envelope("events", province, cursor={"after": after, "last": last}, events=events)


def published_units(province) -> list:
    """The province itself and its direct units in force today (departments, communes, service centre)."""
    from motcua.agencies.models import Agency

    children = Agency.objects.valid_on(timezone.localdate()).filter(parent=province, successor__isnull=True)
    return [province, *children.order_by("code")]


def statistics_document(province, period) -> dict:
    """Period figures of every published unit under both definitions, from the rollups (reports.period_report)."""
    from motcua.reports.definitions import TABLE_MEASURES
    from motcua.reports.report import period_report

    units = []
    for unit in published_units(province):
        for definition in DEFINITIONS:
            report = period_report(unit, period.first, period.last, definition=definition)
            units.append({"code": unit.code, "name": unit.name,
                          "parent": "" if unit.pk == province.pk else province.code, "definition": definition,
                          "figures": {k: report.get(k) for k in TABLE_MEASURES}})
    return envelope("statistics", province, computed_at=timezone.now().isoformat(),
                    period={"key": period.key, "from": period.first.isoformat(), "to": period.last.isoformat()},
                    units=units)


def check_format(document_format: str) -> None:
    if document_format != FORMAT:
        raise DomainError("unsupported_format", _("Định dạng trao đổi không được hỗ trợ."), status=422,
                          fields={"format": [_("Chỉ nhận %(f)s.") % {"f": FORMAT}]})
