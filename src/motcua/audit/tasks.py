"""Periodic checkpoint for Celery beat (e.g. hourly). Imports without Celery installed or configured: then
`seal_streams` is a plain function and `motcua audit checkpoint` from cron does the same job."""

from motcua.audit.checkpoints import checkpoint


def seal_streams() -> str:
    """Seal all streams; returns "seq:hash" so the result backend (or a log) keeps an outside copy."""
    cp = checkpoint()
    return f"{cp.seq}:{cp.hash}"


try:
    from celery import shared_task
except ImportError:  # pragma: no cover - celery is optional at import time
    shared_task = None

if shared_task is not None:
    seal_streams = shared_task(name="motcua.audit.seal_streams", ignore_result=False)(seal_streams)
