"""Notification services (full table in docs/portal-services.md §2).

    notify(dossier, event, **context) -> list[Notification]
        One Notification row per reachable channel (email: applicant_email or the applicant account's e-mail;
        sms: applicant_phone or the account's phone), written in the caller's transaction; sending is enqueued
        with transaction.on_commit through the Celery task motcua.notifications.tasks.send_notification, so a
        rolled-back change sends nothing. Unknown event → ValueError.
    render(dossier, event, **context) -> Message(subject, body, sms)
    deliver(notification_id) -> bool | None      one attempt (used by the task and by retries)
    retry_failed(*, force=False, now=None) -> int
        Re-sends failed notifications whose backoff has passed (all of them with force) and queued ones whose
        enqueue got lost; at most MAX_ATTEMPTS attempts per notification. CLI: `motcua notifications retry`.

Events: motcua.notifications.models.Event (received, submitted, supplement_requested, supplement_received,
apology_extension, payment_requested, result_ready, delivered, refused). Engine transitions are mapped to events
by motcua.notifications.hooks; online submission ("submitted") is notified by the portal, which alone holds the
plaintext lookup secret.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua.notifications.messages import Message, render
from motcua.notifications.models import Event, Notification, NotificationChannel, NotificationStatus
from motcua.notifications.sms import get_sms_sender

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 60  # 1, 2, 4, 8 minutes between attempts
LOST_ENQUEUE_AFTER = timedelta(minutes=10)

__all__ = ["Event", "Message", "notify", "render", "deliver", "retry_failed", "MAX_ATTEMPTS"]


def backoff(attempts: int) -> int:
    return BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)


def recipients(dossier) -> dict[str, str]:
    user = dossier.applicant_user
    email = dossier.applicant_email or (getattr(user, "email", "") if user else "")
    phone = dossier.applicant_phone or (getattr(user, "phone", "") if user else "")
    found = {}
    if email:
        found[NotificationChannel.EMAIL] = email.strip()
    if phone:
        found[NotificationChannel.SMS] = phone.strip()
    return found


def enabled() -> bool:
    return settings.MOTCUA.get("NOTIFICATIONS_ENABLED", True)


def notify(dossier, event: str, **context) -> list[Notification]:
    """Store the notifications of `event` and send them once the surrounding transaction commits."""
    if event not in Event.values:
        raise ValueError(f"unknown notification event: {event}")
    targets = recipients(dossier)
    if not targets or not enabled():
        return []
    message = render(dossier, event, **context)
    rows = [Notification.objects.create(
        dossier=dossier, event=event, channel=channel, recipient=to[:254], subject=message.subject[:255],
        body=message.body if channel == NotificationChannel.EMAIL else message.sms)
        for channel, to in targets.items()]
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: enqueue(ids))
    return rows


def enqueue(ids: list[int]) -> None:
    """Hand the ids to the queue. Never raises: this runs after the business commit, and a broker that is down
    must not turn a committed change into an error page — the rows stay queued and `retry` picks them up."""
    from motcua.notifications.tasks import send_notification

    for pk in ids:
        try:
            send_notification.delay(pk)
        except Exception:  # noqa: BLE001 - see docstring
            log.exception("could not enqueue notification %s", pk)


def _claim(pk: int, force: bool = False) -> Notification | None:
    """Compare-and-swap on `attempts`: of two workers holding the same id, exactly one sends."""
    row = Notification.objects.filter(pk=pk).select_related("dossier").first()
    if row is None or row.status == NotificationStatus.SENT or (row.attempts >= MAX_ATTEMPTS and not force):
        return None
    claimed = Notification.objects.filter(pk=pk, attempts=row.attempts).exclude(
        status=NotificationStatus.SENT).update(attempts=F("attempts") + 1)
    if not claimed:
        return None
    row.attempts += 1
    return row


def _send(row: Notification) -> str:
    if row.channel == NotificationChannel.EMAIL:
        EmailMessage(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.recipient]).send(fail_silently=False)
        return ""
    return get_sms_sender().send(row.recipient, row.body) or ""


def deliver(pk: int, *, force: bool = False) -> bool | None:
    """One attempt. True sent, False failed (error and next attempt time recorded), None nothing to do."""
    row = _claim(pk, force)
    if row is None:
        return None
    now = timezone.now()
    try:
        provider_id = _send(row)
    except Exception as exc:  # noqa: BLE001 - any backend error is recorded and retried
        Notification.objects.filter(pk=pk).update(
            status=NotificationStatus.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + timedelta(seconds=backoff(row.attempts)) if row.attempts < MAX_ATTEMPTS else None)
        log.warning("notification %s failed (attempt %s): %s", pk, row.attempts, exc)
        return False
    Notification.objects.filter(pk=pk).update(status=NotificationStatus.SENT, sent_at=now, next_attempt_at=None,
                                              last_error="", provider_id=str(provider_id)[:128])
    return True


def due_for_retry(*, force: bool = False, now=None):
    now = now or timezone.now()
    failed = Q(status=NotificationStatus.FAILED)
    if not force:
        failed &= Q(attempts__lt=MAX_ATTEMPTS) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    lost = Q(status=NotificationStatus.QUEUED, attempts=0, created_at__lte=now - LOST_ENQUEUE_AFTER)
    return Notification.objects.filter(failed | lost).order_by("id")


def retry_failed(*, force: bool = False, now=None) -> dict:
    """Re-send in-process; returns {"sent": n, "failed": m}."""
    counts = {"sent": 0, "failed": 0}
    for pk in list(due_for_retry(force=force, now=now).values_list("pk", flat=True)):
        result = deliver(pk, force=force)
        if result is True:
            counts["sent"] += 1
        elif result is False:
            counts["failed"] += 1
    return counts
