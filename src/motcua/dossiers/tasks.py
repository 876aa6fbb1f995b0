"""Celery tasks of the dossiers context. Without CELERY_BROKER_URL, settings make tasks run in-process
(CELERY_TASK_ALWAYS_EAGER); with a broker, schedule `motcua.dossiers.expire_supplements` daily in beat, e.g.
CELERY_BEAT_SCHEDULE = {"expire-supplements": {"task": "motcua.dossiers.expire_supplements",
                                               "schedule": crontab(hour=0, minute=30)}}."""

from celery import shared_task

from motcua.dossiers.expiry import expire_overdue


@shared_task(name="motcua.dossiers.expire_supplements")
def expire_supplements(now: str | None = None) -> dict:
    """Run the expiry once; `now` (ISO 8601) only for replays and tests. Returns counts for the result backend."""
    from datetime import datetime

    result = expire_overdue(datetime.fromisoformat(now) if now else None)
    return {"expired": result.expired, "skipped": result.skipped}
