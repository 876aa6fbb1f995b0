import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from motcua.core.api_errors import DomainError
from motcua.dossiers.engine import perform
from motcua.notifications import services
from motcua.notifications.admin import mask_recipient
from motcua.notifications.models import Event, Notification, NotificationStatus
from motcua.notifications.services import MAX_ATTEMPTS, notify, retry_failed
from tests.payments.world import at

pytestmark = pytest.mark.django_db


class FailingSender:
    """SMS backend that fails while `broken` is set."""

    broken = True
    sent: list = []

    def send(self, to, text):
        if FailingSender.broken:
            raise ConnectionError("nhà mạng không phản hồi")
        FailingSender.sent.append((to, text))
        return "msg-1"


@pytest.fixture
def failing_sms(settings):
    FailingSender.broken, FailingSender.sent = True, []
    settings.MOTCUA = {**settings.MOTCUA, "SMS_BACKEND": "tests.notifications.test_notifications.FailingSender"}
    return FailingSender


def outbox_lines(settings) -> list[dict]:
    path = Path(settings.MOTCUA["SMS_FILE_PATH"])
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# -- engine hook, e-mail and file SMS ----------------------------------------------------------------------------
def test_reception_notifies_by_email_and_sms_after_commit(settings, make_dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        d = make_dossier("received")
        assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["binh@example.vn"] and d.code in msg.subject
    assert "19/01/2026 17:30" in msg.body  # due date dd/mm/yyyy HH:MM (10 working days)
    assert f"/tra-cuu/?ma={d.code}" in msg.body
    sms = outbox_lines(settings)
    assert len(sms) == 1 and sms[0]["to"] == "0912345678" and d.code in sms[0]["text"]
    rows = Notification.objects.filter(dossier=d, event=Event.RECEIVED)
    assert {r.channel for r in rows} == {"email", "sms"}
    assert all(r.status == NotificationStatus.SENT and r.attempts == 1 and r.sent_at for r in rows)


def test_supplement_request_lists_items(make_dossier, world, django_capture_on_commit_callbacks):
    d = make_dossier("received")
    perform(d, "hand_over", world["tn"], now=at(2026, 1, 5, 14))
    with django_capture_on_commit_callbacks(execute=True):
        perform(d, "request_supplement", world["cv"], items=["Bản vẽ có chữ ký", "Giấy chứng nhận QSDĐ"],
                now=at(2026, 1, 6, 9))
    body = mail.outbox[-1].body
    assert "- Bản vẽ có chữ ký\n- Giấy chứng nhận QSDĐ" in body
    assert Notification.objects.filter(dossier=d, event=Event.SUPPLEMENT_REQUESTED).count() == 2


def test_extension_payment_result_and_delivery_events(make_dossier, world, django_capture_on_commit_callbacks):
    d = make_dossier("received", now=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        perform(d, "hand_over", world["tn"])
        perform(d, "extend", world["cv"], reason="Cần xác minh thực địa",
                new_due=(d.due_at + timedelta(days=7)).isoformat())
        perform(d, "request_payment", world["cv"], amount=1_644_000)
    events = list(Notification.objects.filter(dossier=d, channel="email").order_by("id").values_list("event",
                                                                                                    flat=True))
    assert events == [Event.RECEIVED, Event.APOLOGY_EXTENSION, Event.PAYMENT_REQUESTED]
    apology = Notification.objects.get(dossier=d, channel="email", event=Event.APOLOGY_EXTENSION)
    new_due = timezone.localtime(d.__class__.objects.get(pk=d.pk).due_at).strftime("%d/%m/%Y %H:%M")
    assert new_due in apology.body and "Cần xác minh thực địa" in apology.body
    payment = Notification.objects.get(dossier=d, channel="email", event=Event.PAYMENT_REQUESTED)
    assert "1.644.000 đồng" in payment.body and f"/ho-so/{d.code}/thanh-toan/" in payment.body


def test_submitted_message_carries_the_secret(make_dossier, django_capture_on_commit_callbacks):
    d = make_dossier("received")
    with django_capture_on_commit_callbacks(execute=True):
        notify(d, Event.SUBMITTED, lookup_secret="abc-XYZ")
    assert "Mã tra cứu: abc-XYZ" in mail.outbox[-1].body


def test_unknown_event_rejected(make_dossier):
    with pytest.raises(ValueError):
        notify(make_dossier("received"), "bogus")


def test_no_contact_no_notification(make_dossier, world):
    world["citizen"].email = ""
    world["citizen"].save()
    d = make_dossier("received", email="", phone="")
    assert Notification.objects.filter(dossier=d).count() == 0


# -- transactions ----------------------------------------------------------------------------------------------
def test_rollback_sends_nothing(make_dossier, django_capture_on_commit_callbacks):
    d = make_dossier("received")
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(d, Event.RESULT_READY)
            raise RuntimeError("huỷ giao dịch")
    assert Notification.objects.count() == before
    assert not [m for m in mail.outbox if "đã có kết quả" in m.subject]


def test_refused_transition_notifies_nobody(make_dossier, world, django_capture_on_commit_callbacks):
    d = make_dossier("received")
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        perform(d, "result_ready", world["cv2"])  # another department: forbidden
    assert Notification.objects.count() == before and len(mail.outbox) == 0


def test_broken_broker_keeps_row_queued(make_dossier, monkeypatch, django_capture_on_commit_callbacks):
    from motcua.notifications import tasks

    def down(*args, **kwargs):
        raise OSError("broker down")

    monkeypatch.setattr(tasks.send_notification, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier("received")  # the business change commits even though enqueuing fails
    rows = Notification.objects.filter(dossier=d)
    assert rows.count() == 2 and all(r.status == NotificationStatus.QUEUED and r.attempts == 0 for r in rows)
    assert retry_failed() == {"sent": 0, "failed": 0}  # not yet considered lost
    later = timezone.now() + timedelta(minutes=11)
    assert retry_failed(now=later) == {"sent": 2, "failed": 0}


# -- failures and retries --------------------------------------------------------------------------------------
def test_failure_recorded_then_retry_command_resends(make_dossier, failing_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier("received")
    sms = Notification.objects.get(dossier=d, channel="sms")
    assert sms.status == NotificationStatus.FAILED and sms.attempts == 1
    assert "nhà mạng không phản hồi" in sms.last_error and sms.next_attempt_at > timezone.now()
    assert Notification.objects.get(dossier=d, channel="email").status == NotificationStatus.SENT

    out = StringIO()
    call_command("notifications", "retry", stdout=out)  # backoff not over yet
    assert "Đã gửi lại: 0" in out.getvalue() and failing_sms.sent == []

    failing_sms.broken = False
    call_command("notifications", "retry", "--force", stdout=out)
    sms.refresh_from_db()
    assert sms.status == NotificationStatus.SENT and sms.attempts == 2 and sms.provider_id == "msg-1"
    assert failing_sms.sent == [("0912345678", sms.body)]


def test_retry_after_backoff_and_attempt_limit(make_dossier, failing_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier("received")
    sms = Notification.objects.get(dossier=d, channel="sms")
    now = timezone.now()
    for attempt in range(2, MAX_ATTEMPTS + 1):
        now += timedelta(seconds=services.backoff(attempt - 1) + 1)
        assert retry_failed(now=now) == {"sent": 0, "failed": 1}
        sms.refresh_from_db()
        assert sms.attempts == attempt
    assert sms.next_attempt_at is None
    assert retry_failed(now=now + timedelta(days=1)) == {"sent": 0, "failed": 0}  # gave up after 5 attempts
    assert [services.backoff(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_sent_notification_is_never_sent_twice(make_dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier("received")
    email = Notification.objects.get(dossier=d, channel="email")
    assert services.deliver(email.pk) is None and services.deliver(email.pk, force=True) is None
    assert len(mail.outbox) == 1


def test_failing_email_backend(settings, make_dossier, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier("received")
    email = Notification.objects.get(dossier=d, channel="email")
    assert email.status == NotificationStatus.FAILED and "SMTP" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert retry_failed(force=True) == {"sent": 1, "failed": 0}
    assert len(mail.outbox) == 1


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


# -- pieces ----------------------------------------------------------------------------------------------------
def test_console_sms_sender():
    from motcua.notifications.sms import ConsoleSmsSender

    out = StringIO()
    ConsoleSmsSender(out).send("0912345678", "Xin chào")
    assert out.getvalue() == "[SMS → 0912345678] Xin chào\n"


def test_recipient_masking():
    assert mask_recipient("binh@example.vn") == "b***@example.vn"
    assert mask_recipient("0912345678") == "091****678"
    assert mask_recipient("12345") == "*****"


def test_admin_shows_masked_recipient(admin_client, make_dossier):
    d = make_dossier("received")
    row = Notification.objects.filter(dossier=d, channel="sms").first()
    html = admin_client.get(f"/admin/notifications/notification/{row.pk}/change/").content.decode()
    assert "091****678" in html and "0912345678" not in html


def test_celery_app_imports_without_broker():
    from motcua.celery import app

    assert app.conf.task_always_eager is True
    assert "motcua.notifications.tasks.send_notification" in app.tasks


def test_task_retries_with_backoff_only_on_a_real_queue(monkeypatch):
    from motcua.notifications import tasks

    class Retry(Exception):
        pass

    calls = []

    def fake_retry(countdown):
        calls.append(countdown)
        return Retry()

    monkeypatch.setattr(tasks, "deliver", lambda pk: False)
    monkeypatch.setattr(tasks.send_notification, "retry", fake_retry)
    tasks.send_notification.push_request(is_eager=False, retries=2)
    try:
        with pytest.raises(Retry):
            tasks.send_notification.run(1)
    finally:
        tasks.send_notification.pop_request()
    assert calls == [240]  # third retry: 4 minutes
    tasks.send_notification.push_request(is_eager=False, retries=MAX_ATTEMPTS - 1)
    try:
        assert tasks.send_notification.run(1) is False  # attempts exhausted: no further retry
    finally:
        tasks.send_notification.pop_request()
    tasks.send_notification.push_request(is_eager=True, retries=0)
    try:
        assert tasks.send_notification.run(1) is False  # in-process: recorded, left to `retry`
    finally:
        tasks.send_notification.pop_request()
    assert calls == [240]
