"""PAKN rules as data: the four legal clocks (plus forwarding) and the state machine.

Durations come from settings.MOTCUA["PAKN_DEADLINES"] (working days; national-portal 766 figures by default, see the
domain guide citizens-and-reform §1.2). The transition table says, per action, the statuses it may start from, where it
leads (None = the handler decides, e.g. classification), which roles may perform it and which parameters it needs.
The engine (`services.perform`) reads the table and never hard-codes a status check.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role
from motcua.feedback.models import Status

DEFAULT_DEADLINES = {"reject": 2, "supplement": 5, "handling": 15, "publication": 2, "forward": 5}
UNIT = "working_days"
CLOCKS = ("reject", "supplement", "handling", "publication")
CLOCK_LABELS = {
    "reject": _("Từ chối thụ lý (≤ 2 ngày làm việc)"),
    "supplement": _("Yêu cầu bổ sung lần đầu (≤ 5 ngày làm việc)"),
    "handling": _("Xử lý (≤ 15 ngày làm việc)"),
    "publication": _("Công khai kết quả (≤ 2 ngày làm việc)"),
    "forward": _("Chuyển cơ quan có thẩm quyền (≤ 5 ngày làm việc)"),
}


def deadlines() -> dict[str, int]:
    configured = getattr(settings, "MOTCUA", {}).get("PAKN_DEADLINES") or {}
    return {**DEFAULT_DEADLINES, **configured}


def allow_anonymous() -> bool:
    """Decree 20/2008 Art. 7 requires the sender's name and address [verify whether any channel may be anonymous]."""
    return bool(getattr(settings, "MOTCUA", {}).get("PAKN_ALLOW_ANONYMOUS", False))


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    from_statuses: frozenset
    to_status: str | None
    roles: frozenset
    required: tuple[str, ...] = ()


R, S, L = Role.RECEPTION, Role.SPECIALIST, Role.LEADER
WORKING = frozenset({Status.HANDLING})

TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    Transition("classify", _("Phân loại"), frozenset({Status.NEW}), None, frozenset({R, S, L}), ("category",)),
    Transition("reject", _("Từ chối thụ lý"), frozenset({Status.NEW, Status.HANDLING}), Status.REJECTED,
               frozenset({R, S, L}), ("reason",)),
    Transition("forward", _("Chuyển cơ quan có thẩm quyền"), frozenset({Status.NEW, Status.TO_FORWARD}),
               Status.FORWARDED, frozenset({R, S, L}), ("agency",)),
    Transition("assign", _("Phân công xử lý"), frozenset({Status.HANDLING, Status.SUPPLEMENT}), None,
               frozenset({L}), ("assignee",)),
    Transition("request_supplement", _("Yêu cầu bổ sung thông tin"), WORKING, Status.SUPPLEMENT,
               frozenset({S, L}), ("reason",)),
    Transition("receive_supplement", _("Nhận thông tin bổ sung"), frozenset({Status.SUPPLEMENT}), Status.HANDLING,
               frozenset({R, S, L})),
    Transition("consult", _("Xin ý kiến"), WORKING, None, frozenset({S, L}), ("question",)),
    Transition("reply_consultation", _("Trả lời xin ý kiến"),
               frozenset({Status.HANDLING, Status.SUPPLEMENT, Status.AWAITING_APPROVAL}), None,
               frozenset({R, S, L}), ("consultation", "reply")),
    Transition("draft_answer", _("Trình dự thảo trả lời"), WORKING, Status.AWAITING_APPROVAL, frozenset({S, L}),
               ("answer",)),
    Transition("return_draft", _("Trả lại dự thảo"), frozenset({Status.AWAITING_APPROVAL}), Status.HANDLING,
               frozenset({L}), ("reason",)),
    Transition("approve", _("Duyệt trả lời"), frozenset({Status.AWAITING_APPROVAL}), Status.AWAITING_PUBLICATION,
               frozenset({L})),
    Transition("publish", _("Công khai kết quả"), frozenset({Status.AWAITING_PUBLICATION}), Status.PUBLISHED,
               frozenset({R, S, L})),
]}

ACTIONS = tuple(TRANSITIONS)
