"""Coordination of competence (lifecycle §7): a service centre receives for any agency of the province, so some
dossiers reach it without a clear competent agency. Such a dossier "waits for coordination" while its competent
agency is the receiving service centre itself — either because none could be chosen at reception (the procedure
lists no competent agency and the desk did not pick one) or because the agency it was sent to answered "not
competent" (`decline_competence`, which hands it back to the centre). The centre then routes it with the ordinary
`route` transition. Neither step touches the legal clock: a technical re-route never restarts it.
"""

from django.db.models import F, Q
from django.utils.translation import gettext as _

from motcua.agencies.models import AgencyKind
from motcua.dossiers.models import Status

# Statuses in which a dossier can still be routed (the `route` transition's own from-statuses).
ROUTABLE = (Status.NEW, Status.RECEIVED, Status.PROCESSING)


def awaiting_coordination() -> Q:
    """Filter for dossiers in the coordination queue (usable on any Dossier queryset)."""
    return Q(status__in=ROUTABLE, receiving_agency__kind=AgencyKind.SERVICE_CENTRE,
             competent_agency_id=F("receiving_agency_id"))


def decline_refusal(d) -> str | None:
    """Why the dossier cannot be sent back as "not competent" (None = it can)."""
    if d.receiving_agency.kind != AgencyKind.SERVICE_CENTRE or d.competent_agency_id == d.receiving_agency_id:
        return _("Chỉ trả lại hồ sơ do trung tâm phục vụ hành chính công chuyển đến để điều phối lại.")
    return None


def do_decline_competence(ctx) -> None:
    from motcua.dossiers.engine import not_allowed

    d = ctx.dossier
    refusal = decline_refusal(d)
    if refusal:
        raise not_allowed(refusal)
    ctx.reason = ctx.params["reason"]
    ctx.data.update(from_agency=d.competent_agency.code, to_agency=d.receiving_agency.code, coordination=True)
    d.competent_agency, d.assignee = d.receiving_agency, None  # the clock is untouched


PRECONDITIONS = {"decline_competence": decline_refusal}
HANDLERS = {"decline_competence": do_decline_competence}
