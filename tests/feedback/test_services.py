"""PAKN intake, the four clocks (hand-computed over weekends and the 30/04–01/05 holidays), the state machine,
forwarding, votes and the sender's lookup."""

from datetime import datetime

import pytest

from motcua.audit.models import AuditRecord
from motcua.core.api_errors import DomainError
from motcua.feedback import services
from motcua.feedback.models import Category, Channel, Feedback, FeedbackEvent, Status
from motcua.worktime.clock import TZ
from tests.feedback.conftest import SENDER, local

pytestmark = pytest.mark.django_db


def close(y, m, d) -> datetime:
    """Close of office hours (default 07:30–11:30, 13:30–17:30): a day-based due instant."""
    return datetime(y, m, d, 17, 30, tzinfo=TZ)


def audit_count(code: str) -> int:
    return AuditRecord.objects.filter(stream=f"pakn:{code}").count()


# -- intake ------------------------------------------------------------------------------------------------------
def test_sender_identity_is_required_by_default(world, submit):
    with pytest.raises(DomainError) as exc:
        submit(sender_name="", sender_address=" ", sender_phone="", sender_email="")
    assert exc.value.status == 422
    assert set(exc.value.fields) == {"sender_name", "sender_address", "sender_phone"}
    assert "họ và tên" in exc.value.fields["sender_name"][0]
    assert not Feedback.objects.exists()


def test_email_alone_is_enough_contact(world, submit):
    fb, _secret = submit(sender_phone="")
    assert fb.sender_email == "binh@example.vn"


def test_anonymous_refused_unless_the_setting_allows_it(world, submit, settings):
    with pytest.raises(DomainError) as exc:
        submit(anonymous=True, sender_name="", sender_address="", sender_phone="", sender_email="")
    assert "anonymous" in exc.value.fields
    settings.MOTCUA = {**settings.MOTCUA, "PAKN_ALLOW_ANONYMOUS": True}
    fb, _secret = submit(anonymous=True, sender_name="", sender_address="", sender_phone="", sender_email="")
    assert fb.anonymous is True


def test_bad_fields_are_named(world, submit):
    with pytest.raises(DomainError) as exc:
        submit(agency="999.99.99.X00", title="", content="ngắn", sender_email="khong-phai-email",
               dossier_code="KHONG-CO", repeat_of="PAKN-X")
    assert {"agency", "title", "content", "sender_email", "dossier_code", "repeat_of"} <= set(exc.value.fields)


def test_code_counter_and_lookup_secret(world, submit):
    first, secret = submit()
    second, _s = submit()
    assert first.code == f"PAKN-{world['dept'].code}-260504-0001"
    assert second.code.endswith("-260504-0002")
    assert first.channel == Channel.WEB and first.status == Status.NEW
    assert services.find_for_sender(first.code, secret) == first
    assert services.find_for_sender(first.code, secret + "x") is None
    assert services.find_for_sender("PAKN-KHONG-CO", secret) is None
    assert secret not in first.lookup_secret  # only the hash is stored


def test_officer_enters_a_phone_call_with_its_channel(world):
    fb, _secret = services.submit({"agency": world["dept"].code, "title": "Gọi đường dây nóng",
                                   "content": "Cán bộ một cửa yêu cầu nộp thêm giấy tờ ngoài quy định.",
                                   "channel": "phone", "officer": "cv", **SENDER},
                                  actor=world["tn"], now=local(2026, 5, 4))
    assert fb.channel == Channel.PHONE and fb.entered_by == world["tn"] and fb.officer == world["cv"]
    with pytest.raises(DomainError) as exc:  # an officer of another department cannot register for this one
        services.submit({"agency": world["dept"].code, "title": "x", "content": "nội dung đủ dài", **SENDER},
                        actor=world["cv2"])
    assert exc.value.status == 403


# -- clocks --------------------------------------------------------------------------------------------------------
def test_deadlines_follow_the_domain_guide_example(world, submit):
    """Received Mon 04/05/2026: reject by Wed 06/05, supplement by Mon 11/05, handling by Mon 25/05."""
    fb, _s = submit(at=local(2026, 5, 4, 9))
    assert fb.reject_due == close(2026, 5, 6)
    assert fb.supplement_due == close(2026, 5, 11)
    assert fb.forward_due == close(2026, 5, 11)
    assert fb.handling_due == close(2026, 5, 25)
    event = FeedbackEvent.objects.get(feedback=fb)
    assert event.action == "receive" and event.data["handling_due"] == close(2026, 5, 25).isoformat()


def test_deadlines_across_the_30_04_and_01_05_holidays(world, submit):
    """Received Tue 28/04/2026: day 1 = Wed 29/04; 30/04 and 01/05 are holidays, then the weekend."""
    fb, _s = submit(at=local(2026, 4, 28, 10))
    assert fb.reject_due == close(2026, 5, 4)  # 29/04, 04/05
    assert fb.supplement_due == close(2026, 5, 7)  # 29/04, 04–07/05
    assert fb.handling_due == close(2026, 5, 21)  # 29/04, 04–08/05, 11–15/05, 18–21/05
    assert fb.next_due == fb.reject_due


# -- the full path -----------------------------------------------------------------------------------------------
def test_full_handling_path_with_consultation_supplement_and_approval(world, submit):
    fb, _s = submit(at=local(2026, 4, 28, 10))
    code = fb.code
    services.perform(fb, "classify", world["tn"], category=Category.IN_COMPETENCE, now=local(2026, 4, 29, 8))
    services.perform(fb, "assign", world["ld"], assignee="cv", now=local(2026, 4, 29, 9))
    fb = services.perform(fb, "consult", world["cv"], to_user="cv2", question="Quy định này có còn hiệu lực?",
                          now=local(2026, 4, 29, 10))
    consultation = fb.consultations.get()
    # the consulted officer of another department may reply, though the PAKN is outside their scope
    services.perform(fb, "reply_consultation", world["cv2"], consultation=str(consultation.pk),
                     reply="Còn hiệu lực đến hết năm 2026.", now=local(2026, 5, 4, 8))
    services.perform(fb, "request_supplement", world["cv"], reason="Xin bản chụp văn bản", now=local(2026, 5, 4, 9))
    services.perform(fb, "receive_supplement", world["tn"], now=local(2026, 5, 6, 9))
    services.perform(fb, "draft_answer", world["cv"], answer="Bản nháp", now=local(2026, 5, 12, 9))
    services.perform(fb, "return_draft", world["ld"], reason="Bổ sung căn cứ", now=local(2026, 5, 12, 15))
    services.perform(fb, "draft_answer", world["cv"], answer="Cơ quan sẽ đề nghị bãi bỏ yêu cầu bản sao.",
                     now=local(2026, 5, 13, 9))
    with pytest.raises(DomainError) as exc:
        services.perform(fb, "approve", world["cv"], now=local(2026, 5, 20, 10))
    assert exc.value.status == 403 and "vai trò" in exc.value.message
    fb = services.perform(fb, "approve", world["ld"], now=local(2026, 5, 22, 16))
    assert fb.status == Status.AWAITING_PUBLICATION and fb.handled_at == local(2026, 5, 22, 16)
    assert fb.publication_due == close(2026, 5, 26)  # Fri 22/05 16:00 + 2 working days: Mon 25, Tue 26
    fb = services.perform(fb, "publish", world["tn"], now=local(2026, 5, 25, 9))
    assert fb.status == Status.PUBLISHED and "bai bo yeu cau ban sao" in fb.search_folded
    assert fb.first_supplement_at == local(2026, 5, 4, 9)
    consultation.refresh_from_db()
    assert consultation.replied_by == world["cv2"]
    actions = list(FeedbackEvent.objects.filter(feedback=fb).values_list("action", flat=True))
    assert actions == ["receive", "classify", "assign", "consult", "reply_consultation", "request_supplement",
                       "receive_supplement", "draft_answer", "return_draft", "draft_answer", "approve", "publish"]
    assert list(FeedbackEvent.objects.filter(feedback=fb).values_list("seq", flat=True)) == list(range(12))
    assert audit_count(code) == 12


def test_forbidden_transition_writes_nothing(world, submit):
    fb, _s = submit()
    with pytest.raises(DomainError) as exc:
        services.perform(fb, "publish", world["tn"])
    assert exc.value.status == 409
    assert "Không thể «Công khai kết quả» phản ánh đang ở trạng thái «Mới tiếp nhận, chờ phân loại»" \
        in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.perform(fb, "classify", world["tn"], category="khong-hop-le")
    assert exc.value.status == 422 and "category" in exc.value.fields
    with pytest.raises(DomainError) as exc:  # read-only role
        services.perform(fb, "classify", world["inspector"], category=Category.IN_COMPETENCE)
    assert exc.value.status == 403
    fb.refresh_from_db()
    assert fb.status == Status.NEW and fb.row_version == 0 and fb.category == ""
    assert FeedbackEvent.objects.filter(feedback=fb).count() == 1 and audit_count(fb.code) == 1


def test_out_of_scope_officer_gets_not_found(world, submit):
    fb, _s = submit()
    with pytest.raises(DomainError) as exc:
        services.perform(fb, "classify", world["cv2"], category=Category.IN_COMPETENCE)
    assert exc.value.status == 404


def test_not_receivable_needs_a_reason_and_closes_the_reject_clock(world, submit):
    fb, _s = submit(at=local(2026, 5, 4, 9))
    with pytest.raises(DomainError) as exc:
        services.perform(fb, "classify", world["tn"], category=Category.NOT_RECEIVABLE)
    assert "reason" in exc.value.fields
    fb = services.perform(fb, "classify", world["tn"], category=Category.NOT_RECEIVABLE,
                          reason="Là đơn khiếu nại, không phải phản ánh về quy định", now=local(2026, 5, 6, 17))
    assert fb.status == Status.REJECTED and fb.rejected_at <= fb.reject_due and fb.next_due is None


def test_forwarding_registers_a_copy_at_the_competent_agency(world, submit):
    fb, secret = submit(at=local(2026, 5, 4, 9))
    services.perform(fb, "classify", world["tn"], category=Category.OUT_OF_COMPETENCE, now=local(2026, 5, 5, 9))
    fb.refresh_from_db()
    assert fb.status == Status.TO_FORWARD and fb.next_due == close(2026, 5, 11)
    fb = services.perform(fb, "forward", world["tn"], agency=world["other_dept"].code, reason="Thuộc Sở Tư pháp",
                          now=local(2026, 5, 8, 10))
    assert fb.status == Status.FORWARDED and fb.forwarded_at <= fb.forward_due
    copy = Feedback.objects.get(forwarded_from=fb)
    assert copy.agency == world["other_dept"] and copy.channel == Channel.FORWARDED
    assert copy.received_at == local(2026, 5, 8, 10)
    assert copy.reject_due == close(2026, 5, 12)  # Fri 08/05 10:00: Mon 11, Tue 12 (the clock restarts)
    assert copy.handling_due == close(2026, 5, 29)
    assert services.find_for_sender(copy.code, secret) == copy  # the sender's secret opens the copy
    event = FeedbackEvent.objects.filter(feedback=fb).last()
    assert event.data["new_code"] == copy.code
    services.perform(copy, "classify", world["cv2"], category=Category.IN_COMPETENCE, now=local(2026, 5, 8, 11))
    with pytest.raises(DomainError):
        services.perform(fb, "forward", world["tn"], agency=world["other_dept"].code)  # already forwarded: 409


# -- votes ---------------------------------------------------------------------------------------------------------
def publish(world, fb, now=None):
    services.perform(fb, "classify", world["tn"], category=Category.IN_COMPETENCE, now=now)
    services.perform(fb, "draft_answer", world["cv"], answer="Trả lời: quy định đã được sửa đổi.", now=now)
    services.perform(fb, "approve", world["ld"], now=now)
    return services.perform(fb, "publish", world["tn"], now=now)


def test_votes_one_per_user_or_session(world, submit):
    fb, _s = submit()
    with pytest.raises(DomainError) as exc:
        services.vote(fb, 1, user=world["citizen"])
    assert exc.value.status == 404  # not published yet
    fb = publish(world, fb, now=local(2026, 5, 5, 9))
    services.vote(fb, 1, user=world["citizen"])
    fb = services.vote(fb, 1, user=world["citizen"])
    assert (fb.likes, fb.dislikes) == (1, 0)
    fb = services.vote(fb, -1, user=world["citizen"])
    assert (fb.likes, fb.dislikes) == (0, 1)
    services.vote(fb, 1, session_key="phien-1")
    fb = services.vote(fb, 1, session_key="phien-1")
    fb = services.vote(fb, 1, session_key="phien-2")
    assert (fb.likes, fb.dislikes) == (2, 1)
    assert fb.votes.count() == 3


def test_only_the_consulted_party_replies(world, submit):
    fb, _s = submit()
    services.perform(fb, "classify", world["tn"], category=Category.IN_COMPETENCE)
    fb = services.perform(fb, "consult", world["cv"], to_user="cv2", question="Xin ý kiến")
    c = fb.consultations.get()
    with pytest.raises(DomainError) as exc:  # in scope, but the question was put to cv2
        services.perform(fb, "reply_consultation", world["ld"], consultation=str(c.pk), reply="Tôi trả lời thay")
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:  # outside the scope and not consulted: the PAKN does not exist
        services.perform(fb, "reply_consultation", world["ld2"], consultation=str(c.pk), reply="?")
    assert exc.value.status == 404
    c.refresh_from_db()
    assert c.replied_at is None and audit_count(fb.code) == 3
