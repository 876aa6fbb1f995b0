"""Supplement deadline expiry: `motcua expire-supplements`, the Celery task and the rules in dossiers.reception.
Time is controlled through the `now` the engine and the command accept (`--now`)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.audit.models import AuditRecord
from motcua.dossiers.engine import perform
from motcua.dossiers.expiry import expire_overdue
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.tasks import expire_supplements
from tests.dossiers.conftest import at
from tests.factories import UserFactory


@pytest.fixture
def in_supplement(world, intake):
    """Received 05/01/2026, a supplement requested on 08/01 at 10:00 by the specialist (no due_by)."""
    d = intake(now=at(2026, 1, 5, 9))
    perform(d, "forward", world["tn"], now=at(2026, 1, 5, 10))
    return perform(d, "request_supplement", world["cv"], now=at(2026, 1, 8, 10), items=["Bản vẽ thiết kế"])


@pytest.fixture
def awaiting_completion(world, intake):
    citizen = UserFactory(username="dan")
    d = intake(actor=citizen, channel=Channel.ONLINE, receive=False, now=at(2026, 1, 5, 9),
               documents=[{"required_document_id": world["docs"][0].pk}])
    return perform(d, "request_completion", world["tn"], now=at(2026, 1, 5, 10), items=["Bản vẽ thiết kế"],
                   due_by="2026-01-15T17:00:00+07:00")


def reload(d) -> Dossier:
    return Dossier.objects.get(pk=d.pk)


def test_period_comes_from_settings_end_of_local_day(world, in_supplement, settings):
    settings.MOTCUA = {**settings.MOTCUA, "SUPPLEMENT_DEADLINE_DAYS": 10}
    assert expire_overdue(at(2026, 1, 18, 23, 59)).expired == []  # deadline 18/01 23:59:59
    assert reload(in_supplement).status == Status.SUPPLEMENT
    result = expire_overdue(at(2026, 1, 19, 0, 1))
    assert result.expired == [in_supplement.code]
    d = reload(in_supplement)
    assert d.status == Status.STOPPED and d.finished_at == at(2026, 1, 19, 0, 1)
    event = d.events.order_by("-seq").first()
    assert event.action == "expire_supplement" and event.actor is None and event.actor_label == "system:expire-supplements"
    assert "18/01/2026" in event.reason and event.from_status == Status.SUPPLEMENT
    audit = AuditRecord.objects.filter(stream=f"dossier:{d.code}").order_by("-seq").first()
    assert audit.action == "expire_supplement" and audit.actor_label == "system:expire-supplements"
    # judged at the moment the clock stopped (the supplement request), not at expiry
    assert d.outcome in ("early", "on_time")
    assert expire_overdue(at(2026, 3, 1)).expired == []  # idempotent: nothing left


def test_other_period_keeps_it_open(world, in_supplement, settings):
    settings.MOTCUA = {**settings.MOTCUA, "SUPPLEMENT_DEADLINE_DAYS": 60}
    assert expire_overdue(at(2026, 2, 20)).expired == []
    assert expire_overdue(at(2026, 3, 10)).expired == [in_supplement.code]


def test_officer_due_by_wins_and_completion_is_refused(world, awaiting_completion):
    assert expire_overdue(at(2026, 1, 15, 16)).expired == []
    assert expire_overdue(at(2026, 1, 15, 17, 1)).expired == [awaiting_completion.code]
    d = reload(awaiting_completion)
    assert d.status == Status.REFUSED and d.received_at is None and d.finished_at is None
    assert d.events.order_by("-seq").first().action == "expire_completion"


def test_answered_requests_never_expire(world, in_supplement, awaiting_completion):
    perform(in_supplement, "receive_supplement", world["tn"], now=at(2026, 1, 9, 9))
    citizen = awaiting_completion.applicant_user
    perform(awaiting_completion, "resubmit", citizen, now=at(2026, 1, 9, 9))
    assert expire_overdue(at(2027, 1, 1)).expired == []
    assert reload(in_supplement).status == Status.PROCESSING and reload(awaiting_completion).status == Status.NEW


def test_a_second_request_gives_a_new_period(world, in_supplement, settings):
    """OpenCPS #1254: repeated requests must not flip the dossier to 'supplement overdue' on the first one's date."""
    settings.MOTCUA = {**settings.MOTCUA, "SUPPLEMENT_DEADLINE_DAYS": 10}
    perform(in_supplement, "receive_supplement", world["tn"], now=at(2026, 1, 15, 9))
    perform(in_supplement, "request_supplement", world["cv"], now=at(2026, 1, 16, 9), items=["Đơn đề nghị"])
    assert expire_overdue(at(2026, 1, 20)).expired == []
    assert expire_overdue(at(2026, 1, 27)).expired == [in_supplement.code]


def test_command_with_now_dry_run_and_bad_now(world, in_supplement, awaiting_completion):
    out = StringIO()
    call_command("expire-supplements", "--now", "2026-03-01T08:00:00+07:00", "--dry-run", stdout=out)
    assert in_supplement.code in out.getvalue() and awaiting_completion.code in out.getvalue()
    assert "Sẽ xử lý 2" in out.getvalue()
    assert reload(in_supplement).status == Status.SUPPLEMENT  # dry run writes nothing
    out = StringIO()
    call_command("expire-supplements", "--now", "2026-03-01T08:00:00+07:00", stdout=out)
    assert "Đã xử lý 2" in out.getvalue()
    assert reload(in_supplement).status == Status.STOPPED and reload(awaiting_completion).status == Status.REFUSED
    with pytest.raises(CommandError):
        call_command("expire-supplements", "--now", "hôm qua")
    with pytest.raises(CommandError):
        call_command("expire-supplements", "--now", "2026-03-01T08:00:00")  # no time zone


def test_celery_task_runs_in_process(world, in_supplement, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    result = expire_supplements.delay("2026-03-01T08:00:00+07:00").get(disable_sync_subtasks=False)  # per-process flag: test_publish
    assert result == {"expired": [in_supplement.code], "skipped": {}}
    assert reload(in_supplement).status == Status.STOPPED


def test_a_received_dossier_with_a_stale_form02_request_is_not_touched(world, awaiting_completion):
    """The desk received it anyway (papers brought to the counter): the old Form 02 request is no supplement."""
    from motcua.dossiers.services import add_documents

    add_documents(awaiting_completion, [{"required_document_id": world["docs"][1].pk}])
    perform(awaiting_completion, "receive", world["tn"], now=at(2026, 1, 6, 9))
    assert expire_overdue(at(2026, 6, 1)).expired == []
    assert reload(awaiting_completion).status == Status.RECEIVED
