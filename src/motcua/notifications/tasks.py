"""Celery task: send one notification, with retries and exponential backoff.

With a broker, a failed attempt is retried by Celery after 1, 2, 4, 8 minutes (5 attempts in all). In-process
(CELERY_TASK_ALWAYS_EAGER, no broker) the task never sleeps or loops: the failure is recorded with its next
attempt time and `motcua notifications retry` (cron, or by hand) sends it again.
"""

from celery import shared_task

from motcua.notifications.services import MAX_ATTEMPTS, backoff, deliver


@shared_task(bind=True, name="motcua.notifications.tasks.send_notification", max_retries=MAX_ATTEMPTS - 1,
             acks_late=True)
def send_notification(self, notification_id: int):
    result = deliver(notification_id)
    if result is False and not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(countdown=backoff(self.request.retries + 1))
    return result
