"""Celery tasks of the scale app. In-process by default (no broker: CELERY_TASK_ALWAYS_EAGER); with
CELERY_BROKER_URL set, a worker runs them and beat (or cron + `motcua sweep-deadlines`) schedules the sweep."""

from datetime import timedelta

from celery import shared_task

from motcua.scale.sweep import sweep


@shared_task(name="motcua.scale.tasks.sweep_deadlines")
def sweep_deadlines(lead_hours: float = 24.0) -> dict:
    return sweep(lead=timedelta(hours=lead_hours))


@shared_task(name="motcua.scale.tasks.ensure_partitions")
def ensure_partitions(ahead: int = 3) -> dict:
    """Monthly in beat (or cron + `motcua partitions ensure`): the months to come of every partitioned table."""
    from motcua.scale import partitions

    return {spec.name: partitions.ensure(spec, ahead) for spec in partitions.SPECS.values()
            if partitions.is_partitioned(spec)}
