"""Celery task of the federation app: in-process by default (no broker: CELERY_TASK_ALWAYS_EAGER); with
CELERY_BROKER_URL set a worker runs it, scheduled by beat or cron (`motcua federation push`)."""

from celery import shared_task

from motcua.federation.publish import push


@shared_task(name="motcua.federation.tasks.push_to_peer")
def push_to_peer(peer_name: str, period: str | None = None) -> dict:
    return push(peer_name, period_key=period)
