"""The legal and per-step clocks as the engine drives them (office hours 07:30–11:30, 13:30–17:30)."""

import pytest

from motcua.core.api_errors import DomainError
from motcua.dossiers import clockplan
from motcua.dossiers.engine import perform
from motcua.dossiers.models import ClockEvent, Dossier, HandOver, Status
from tests.dossiers.conftest import at, build_procedure


def reload(d):
    return Dossier.objects.select_related("variant", "current_step").get(pk=d.pk)


def to_step2(world, d, when=None):
    perform(d, "hand_over", world["tn"], now=when or at(2026, 1, 5, 10))


def test_supplement_resume_shifts_due_by_paused_working_time(world, intake):
    d = intake()  # Mon 05/01 09:00, 10 working days → Mon 19/01 17:30
    to_step2(world, d)
    perform(d, "request_supplement", world["cv"], items=["Bản vẽ"], now=at(2026, 1, 8, 9))
    d = reload(d)
    assert d.status == Status.SUPPLEMENT and d.paused_since == at(2026, 1, 8, 9) and d.supplement_count == 1
    assert d.previous_status == Status.PROCESSING
    perform(d, "receive_supplement", world["tn"], now=at(2026, 1, 19, 9))
    d = reload(d)
    # 7 working days were paused (Thu 08/01 09:00 → Mon 19/01 09:00): due moves from Mon 19/01 to Wed 28/01.
    assert d.due_at == at(2026, 1, 28, 17, 30) and d.original_due_at == at(2026, 1, 19, 17, 30)
    assert d.status == Status.PROCESSING and d.paused_since is None
    assert list(ClockEvent.objects.filter(dossier=d).values_list("kind", flat=True)) == ["pause", "resume"]
    assert d.supplement_requests.get().fulfilled_at == at(2026, 1, 19, 9)
    # The stored due is exactly what the ledger rebuilt from the ClockEvent rows gives.
    assert clockplan.ledger_for(d).current_due(clockplan.calendar_for(d.competent_agency)) == d.due_at


def test_supplement_restart_policy_restarts_full_limit(world, province):
    from motcua.dossiers.services import create_dossier
    from tests.dossiers.conftest import APPLICANT

    proc, variant = build_procedure(province, code="1.000002", policy="restart")
    docs = [{"required_document_id": x.pk} for x in variant.documents.filter(required=True)]
    d, _ = create_dossier(actor=world["tn"], procedure=proc.code, receiving_agency=world["centre"],
                          applicant=APPLICANT, documents=docs, now=at(2026, 1, 5, 9))
    to_step2(world, d)
    perform(d, "request_supplement", world["cv"], items=["Bản vẽ"], now=at(2026, 1, 8, 9))
    perform(d, "receive_supplement", world["tn"], now=at(2026, 1, 19, 9))
    # 10 working days again from Mon 19/01 09:00: day 1 = Tue 20/01 … day 10 = Mon 02/02.
    assert reload(d).due_at == at(2026, 2, 2, 17, 30)


def test_step_clock_does_not_run_while_citizen_holds_the_dossier(world, intake):
    d = intake()
    to_step2(world, d, at(2026, 1, 5, 9))  # tham-dinh: 6 days from Mon 09:00 → Tue 13/01 09:00
    assert reload(d).step_due_at == at(2026, 1, 13, 9)
    perform(d, "request_supplement", world["cv"], items=["x"], now=at(2026, 1, 6, 9))
    perform(d, "receive_supplement", world["tn"], now=at(2026, 1, 7, 9))
    assert reload(d).step_due_at == at(2026, 1, 14, 9)


def test_extension_before_due_keeps_original(world, intake):
    d = intake()
    perform(d, "extend", world["ld"], reason="Cần xác minh thực địa", new_due="2026-01-23T17:30:00+07:00",
            now=at(2026, 1, 16, 9))
    d = reload(d)
    assert d.due_at == at(2026, 1, 23, 17, 30) and d.original_due_at == at(2026, 1, 19, 17, 30)
    ev = ClockEvent.objects.get(dossier=d, kind="extend")
    assert ev.reason == "Cần xác minh thực địa" and ev.data["previous_due"].startswith("2026-01-19T17:30")
    with pytest.raises(DomainError) as exc:
        perform(d, "extend", world["ld"], reason="lần nữa", new_due="2026-01-22T17:30:00+07:00",
                now=at(2026, 1, 16, 10))
    assert exc.value.status == 422 and "new_due" in exc.value.fields


def test_extension_after_due_is_refused(world, intake):
    d = intake()
    with pytest.raises(DomainError) as exc:
        perform(d, "extend", world["ld"], reason="muộn", new_due="2026-01-30T17:30:00+07:00",
                now=at(2026, 1, 20, 9))
    assert exc.value.code == "extension_too_late" and "19/01/2026" in exc.value.message
    assert reload(d).row_version == 1 and not ClockEvent.objects.filter(dossier=d).exists()


@pytest.mark.parametrize("finished, local", [
    (at(2026, 1, 16, 10), "early"), (at(2026, 1, 19, 10), "on_time"), (at(2026, 1, 20, 9), "late")])
def test_outcome_frozen_at_result_ready(world, intake, finished, local):
    d = intake()
    to_step2(world, d)
    perform(d, "result_ready", world["cv"], now=finished)
    d = reload(d)
    assert (d.finished_at, d.outcome) == (finished, local)
    assert d.outcome_766 == ("late" if local == "late" else "on_time")
    perform(d, "deliver", world["tn"], method="post", now=at(2026, 2, 10, 9))
    d = reload(d)
    assert (d.finished_at, d.outcome) == (finished, local)  # delivery never changes the frozen outcome
    assert d.delivery_address == "Số 1 Lý Thái Tổ"


def test_766_two_supplement_requests_is_late(world, intake):
    d = intake()
    to_step2(world, d)
    for day in (6, 8):
        perform(d, "request_supplement", world["cv"], items=["x"], now=at(2026, 1, day, 9))
        perform(d, "receive_supplement", world["tn"], now=at(2026, 1, day, 14))
    perform(d, "result_ready", world["cv"], now=at(2026, 1, 9, 9))
    d = reload(d)
    assert d.supplement_count == 2 and d.outcome == "early" and d.outcome_766 == "late"


def test_handover_rows_carry_step_outcomes(world, intake):
    d = intake()  # tiep-nhan: 4 working hours from 09:00 → due 15:00
    perform(d, "hand_over", world["tn"], now=at(2026, 1, 5, 16))  # late
    perform(d, "forward", world["cv"], now=at(2026, 1, 6, 9))  # 6-day step done in 17 h → early
    perform(d, "result_ready", world["ld"], now=at(2026, 1, 6, 10))
    rows = list(HandOver.objects.filter(dossier=d).order_by("handed_at"))
    assert [(r.from_step.code, r.to_step.code if r.to_step else None, r.outcome) for r in rows] == [
        ("tiep-nhan", "tham-dinh", "late"), ("tham-dinh", "phe-duyet", "early"), ("phe-duyet", None, "early")]
    first = rows[0]
    assert (first.giver_agency, first.receiver_agency, first.giver_user) == (world["centre"], world["dept"],
                                                                            world["tn"])
    assert first.step_started_at == at(2026, 1, 5, 9) and first.step_due_at == at(2026, 1, 5, 15)
    assert rows[2].receiver_agency == world["centre"]


def test_handover_exactly_on_step_due_is_on_time(world, intake):
    d = intake()
    perform(d, "hand_over", world["tn"], now=at(2026, 1, 5, 15))
    assert HandOver.objects.get(dossier=d).outcome == "on_time"


def test_payment_pause_when_configured(world, intake, settings):
    settings.MOTCUA = {**settings.MOTCUA, "PAUSE_ON_PAYMENT": True}
    d = intake()
    to_step2(world, d)
    perform(d, "request_payment", world["cv"], now=at(2026, 1, 6, 9))
    d = reload(d)
    assert d.payment_pause and d.paused_since == at(2026, 1, 6, 9)
    perform(d, "confirm_payment", world["tn"], now=at(2026, 1, 7, 9))
    d = reload(d)
    assert not d.payment_pause and d.due_at == at(2026, 1, 20, 17, 30)


def test_payment_does_not_pause_by_default(world, intake):
    d = intake()
    to_step2(world, d)
    perform(d, "request_payment", world["cv"], now=at(2026, 1, 6, 9))
    perform(d, "confirm_payment", world["tn"], now=at(2026, 1, 7, 9))
    d = reload(d)
    assert d.due_at == at(2026, 1, 19, 17, 30) and not ClockEvent.objects.filter(dossier=d).exists()


def test_stop_while_waiting_for_supplement_judged_at_pause(world, intake):
    d = intake()
    to_step2(world, d)
    perform(d, "request_supplement", world["cv"], items=["x"], now=at(2026, 1, 16, 9))
    perform(d, "stop", world["ld"], reason="Quá hạn bổ sung", now=at(2026, 2, 10, 9))
    d = reload(d)
    assert d.status == Status.STOPPED and d.outcome == "early" and d.outcome_766 == "on_time"
