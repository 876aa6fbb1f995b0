import pytest

from motcua.audit.models import AuditRecord
from motcua.core.api_errors import ConflictError, DomainError
from motcua.dossiers.engine import perform
from motcua.dossiers.models import (
    ClockEvent,
    Dossier,
    DossierEvent,
    HandOver,
    PaidOnline,
    Status,
    SupplementRequest,
)
from motcua.dossiers.transitions import TRANSITIONS
from tests.dossiers.conftest import at
from tests.factories import UserFactory


def reload(d):
    return Dossier.objects.select_related("current_step").get(pk=d.pk)


def test_intake_receives_with_clock_history_and_audit(world, intake):
    d = intake()
    assert d.status == Status.RECEIVED and d.current_step.code == "tiep-nhan"
    assert d.received_at == at(2026, 1, 5, 9) and d.due_at == d.original_due_at == at(2026, 1, 19, 17, 30)
    assert d.step_due_at == at(2026, 1, 5, 15)  # 0,5 day = 4 working hours
    assert d.competent_agency == world["dept"] and d.row_version == 1
    ev = DossierEvent.objects.get(dossier=d)
    assert (ev.seq, ev.action, ev.to_status) == (1, "receive", Status.RECEIVED)
    assert AuditRecord.objects.filter(stream=f"dossier:{d.code}", action="receive").count() == 1
    assert d.documents.count() == 2


def test_full_happy_path(world, intake):
    tn, cv, ld = world["tn"], world["cv"], world["ld"]
    d = intake()
    perform(d, "hand_over", tn, now=at(2026, 1, 5, 14))
    d = reload(d)
    assert d.status == Status.PROCESSING and d.current_step.code == "tham-dinh"
    perform(d, "assign", ld, assignee_id=cv.pk, now=at(2026, 1, 5, 15))
    perform(d, "request_supplement", cv, items=["Bản vẽ có chữ ký"], reason="Thiếu chữ ký", now=at(2026, 1, 6, 9))
    assert reload(d).status == Status.SUPPLEMENT
    perform(d, "receive_supplement", tn, now=at(2026, 1, 7, 9))
    assert reload(d).status == Status.PROCESSING
    perform(d, "request_payment", cv, now=at(2026, 1, 8, 9))
    assert reload(d).status == Status.PAYMENT
    perform(d, "confirm_payment", tn, paid_online=PaidOnline.NATIONAL, now=at(2026, 1, 8, 10))
    d = reload(d)
    assert d.status == Status.PROCESSING and d.paid_online == 1
    perform(d, "forward", cv, now=at(2026, 1, 9, 9))
    assert reload(d).current_step.code == "phe-duyet"
    perform(d, "approve", ld, now=at(2026, 1, 9, 10))
    perform(d, "result_ready", ld, result_code="KQ-1", result_file="/kq/1.pdf", now=at(2026, 1, 9, 11))
    d = reload(d)
    assert d.status == Status.FINISHED and d.e_result and d.finished_at == at(2026, 1, 9, 11)
    assert d.outcome == "early" and d.outcome_766 == "on_time"
    perform(d, "deliver", tn, method="counter", now=at(2026, 1, 12, 9))
    d = reload(d)
    assert d.status == Status.DELIVERED and d.delivered_at == at(2026, 1, 12, 9)
    actions = list(d.events.values_list("action", flat=True))
    assert actions == ["receive", "hand_over", "assign", "request_supplement", "receive_supplement",
                       "request_payment", "confirm_payment", "forward", "approve", "result_ready", "deliver"]
    assert list(d.events.values_list("seq", flat=True)) == list(range(1, 12)) and d.row_version == 11
    assert AuditRecord.objects.filter(stream=f"dossier:{d.code}").count() == 11
    assert HandOver.objects.filter(dossier=d).count() == 3  # tiep-nhan→tham-dinh, tham-dinh→phe-duyet, →desk


def test_refuse_withdraw_stop_and_route(world, intake):
    tn, ld = world["tn"], world["ld"]
    online = intake(channel=2, receive=False)
    with pytest.raises(DomainError) as exc:
        perform(online, "refuse", tn)
    assert exc.value.status == 422 and "reason" in exc.value.fields
    perform(online, "refuse", tn, reason="Không thuộc thẩm quyền")
    online = reload(online)
    assert online.status == Status.REFUSED and online.finished_at is None  # never received: no outcome

    d = intake()
    perform(d, "route", tn, agency_id=world["division"].pk)
    d = reload(d)
    assert d.competent_agency == world["division"] and d.due_at == d.original_due_at  # clock untouched
    with pytest.raises(DomainError) as exc:
        perform(d, "route", tn, agency_id=world["other_dept"].pk)  # not competent for this procedure
    assert exc.value.status == 422
    perform(d, "stop", ld, reason="Người nộp không đủ điều kiện", now=at(2026, 1, 6, 9))
    d = reload(d)
    assert d.status == Status.STOPPED and d.outcome == "early" and d.finished_at == at(2026, 1, 6, 9)

    citizen = UserFactory()
    own = intake(applicant_user=citizen)
    perform(own, "withdraw", citizen, reason="Không còn nhu cầu")
    assert reload(own).status == Status.WITHDRAWN
    other = intake()
    with pytest.raises(DomainError) as exc:
        perform(other, "withdraw", citizen)
    assert exc.value.status == 404  # not theirs: existence is not revealed


def test_return_step_and_forward_rules(world, intake):
    tn, cv = world["tn"], world["cv"]
    d = intake()
    perform(d, "forward", tn, now=at(2026, 1, 5, 10))
    with pytest.raises(DomainError) as exc:
        perform(d, "hand_over", cv, now=at(2026, 1, 5, 11))  # next step is in the same department
    assert exc.value.code == "transition_not_allowed"
    with pytest.raises(DomainError) as exc:
        perform(d, "return_step", cv)
    assert exc.value.status == 422
    perform(d, "return_step", cv, reason="Thiếu phiếu", now=at(2026, 1, 5, 11))
    assert reload(d).current_step.code == "tiep-nhan"


def test_step_not_listing_action_is_refused(world, intake):
    d = intake()
    with pytest.raises(DomainError) as exc:
        perform(d, "result_ready", world["tn"])  # tiep-nhan does not list result_ready
    assert exc.value.code == "transition_not_allowed" and exc.value.status == 409


def _state(d):
    return (reload(d).row_version, DossierEvent.objects.filter(dossier=d).count(),
            ClockEvent.objects.filter(dossier=d).count(), HandOver.objects.filter(dossier=d).count(),
            SupplementRequest.objects.filter(dossier=d).count(),
            AuditRecord.objects.filter(stream=f"dossier:{d.code}").count())


@pytest.mark.parametrize("status", list(Status))
def test_forbidden_transitions_write_nothing(world, intake, status):
    admin = UserFactory(username="root", is_superuser=True, kind="staff")
    d = intake()
    Dossier.objects.filter(pk=d.pk).update(status=status, previous_status=Status.PROCESSING)
    before = _state(d)
    for action, t in TRANSITIONS.items():
        if status in t.from_statuses:
            continue
        with pytest.raises(DomainError) as exc:
            perform(d, action, admin, reason="x", items=["x"], agency_id=world["division"].pk,
                    assignee_id=world["cv"].pk, method="counter", new_due="2026-01-30T17:30:00+07:00")
        assert exc.value.code == "transition_not_allowed" and exc.value.status == 409, action
        assert _state(d) == before, action


def test_roles_and_scope(world, intake):
    d = intake()
    perform(d, "forward", world["tn"], now=at(2026, 1, 5, 10))  # now at tham-dinh (specialist, dept)
    cases = [(world["tt"], "forward", 403),  # inspector: read-only role, sees but never acts
             (world["ld"], "forward", 403),  # leader does not hold the step's role
             (world["tn"], "request_payment", 403),  # reception has no role at the department
             (world["cv2"], "forward", 404),  # other department: out of scope
             (UserFactory(), "forward", 404)]  # a citizen who does not own the dossier
    before = _state(d)
    for user, action, status in cases:
        with pytest.raises(DomainError) as exc:
            perform(d, action, user)
        assert exc.value.status == status, (user, action)
    assert _state(d) == before
    with pytest.raises(DomainError) as exc:
        perform(d, "assign", world["ld"], assignee_id=world["cv2"].pk)  # assignee outside the agency
    assert exc.value.status == 422 and "assignee_id" in exc.value.fields


def test_row_version_conflict(world, intake):
    d = intake()
    perform(d, "forward", world["tn"], expected_version=1)
    with pytest.raises(ConflictError) as exc:
        perform(d, "assign", world["ld"], assignee_id=world["cv"].pk, expected_version=1)
    assert exc.value.status == 409 and exc.value.code == "conflict"
    assert reload(d).row_version == 2


def test_unknown_action(world, intake):
    with pytest.raises(DomainError) as exc:
        perform(intake(), "teleport", world["tn"])
    assert exc.value.code == "unknown_action"


def test_history_is_append_only(world, intake):
    d = intake()
    ev = d.events.get()
    ev.reason = "sửa"
    with pytest.raises(TypeError):
        ev.save()
    with pytest.raises(TypeError):
        ev.delete()
    with pytest.raises(TypeError):
        DossierEvent.objects.filter(dossier=d).update(reason="x")
    with pytest.raises(TypeError):
        DossierEvent.objects.filter(dossier=d).delete()


def test_receive_online_requires_documents_and_citizen_cannot_receive(world, intake):
    citizen = UserFactory()
    online = intake(actor=citizen, channel=2, receive=False, documents=[])
    assert online.status == Status.NEW and online.applicant_user == citizen
    with pytest.raises(DomainError) as exc:
        intake(actor=citizen, channel=2, receive=True)
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        perform(online, "receive", world["tn"])
    assert exc.value.status == 422 and "documents" in exc.value.fields
    assert reload(online).status == Status.NEW and reload(online).row_version == 1
    with pytest.raises(DomainError) as exc:
        perform(online, "receive", citizen)
    assert exc.value.status == 403
