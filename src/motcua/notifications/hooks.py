"""Completed dossier transitions → applicant notifications.

The engine writes exactly one DossierEvent per completed transition (and one per intake), inside the transition's
transaction, and exposes no signal of its own; so we listen to DossierEvent's post_save. notify() stores the rows
in that same transaction and sends them only after it commits: a refused or rolled-back transition notifies
nobody. Bulk imports (bulk_create) send no signal and therefore notify nobody, which is what we want for history.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save

from motcua.notifications.models import Event

log = logging.getLogger(__name__)

ACTION_EVENTS = {
    "receive": Event.RECEIVED,
    "refuse": Event.REFUSED,
    "request_supplement": Event.SUPPLEMENT_REQUESTED,
    "receive_supplement": Event.SUPPLEMENT_RECEIVED,
    "extend": Event.APOLOGY_EXTENSION,
    "request_payment": Event.PAYMENT_REQUESTED,
    "result_ready": Event.RESULT_READY,
    "deliver": Event.DELIVERED,
}


def context_for(event_row) -> dict:
    data = event_row.data or {}
    ctx = {}
    if event_row.action == "request_supplement" and data.get("items") is not None:
        ctx["items"] = data["items"]
    if event_row.action == "extend" and data.get("new_due"):
        ctx["new_due"] = data["new_due"]
    if event_row.action == "request_payment" and data.get("amount") is not None:
        ctx["amount"] = data["amount"]
    if event_row.reason:
        ctx["reason"] = event_row.reason
    return ctx


def on_dossier_event(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    event = ACTION_EVENTS.get(instance.action)
    if event is None:
        return
    from motcua.notifications.services import enabled, notify, recipients

    if not enabled() or not recipients(instance.dossier):
        return  # nothing to store: spare the transition the savepoint below
    try:
        with transaction.atomic():  # a failure here must never break the transition that triggered it
            notify(instance.dossier, event, **context_for(instance))
    except Exception:  # noqa: BLE001
        log.exception("notification for %s/%s not stored", instance.dossier_id, instance.action)


def connect() -> None:
    from motcua.dossiers.models import DossierEvent

    post_save.connect(on_dossier_event, sender=DossierEvent, dispatch_uid="motcua.notifications.dossier_event")
