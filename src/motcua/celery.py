"""The Celery application: `celery -A motcua worker` with CELERY_BROKER_URL set (e.g. redis://127.0.0.1:6379/0).

Without a broker, settings turn on CELERY_TASK_ALWAYS_EAGER and tasks run in-process; importing this module never
connects to a broker (connections open lazily, on the first real send). The notifications app imports it in its
AppConfig.ready() so `@shared_task` tasks bind to this configured app inside Django processes too.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

app = Celery("motcua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.set_default()
