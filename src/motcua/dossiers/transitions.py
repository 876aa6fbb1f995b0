"""The dossier state machine as data (domain guide lifecycle §4: keep the transition graph as configuration).

Each `Transition` says from which statuses an action may start, the status it leads to (None = unchanged,
PREVIOUS = back to `previous_status`), which roles may perform it, at which agency those roles are checked, whether
the action must be listed in the current ProcessStep.actions (and the actor must then hold the step's role), and
which parameters it requires. The engine (`engine.py`) reads this table; it never hard-codes a status check.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role
from motcua.dossiers.models import Status

PREVIOUS = "previous"  # to_status marker: return to the status remembered before a supplement/payment request

# Where the actor's roles are looked up.
AT_RECEIVING = "receiving"  # the receiving unit (desk)
AT_COMPETENT = "competent"  # the competent agency
AT_STEP = "step"  # the current step's agency (ProcessStep.agency, else the competent agency)

OPEN = frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT})
WORKING = frozenset({Status.RECEIVED, Status.PROCESSING})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    from_statuses: frozenset
    to_status: int | str | None
    roles: frozenset
    at: tuple[str, ...]
    step_listed: bool = False
    required: tuple[str, ...] = ()
    applicant_may: bool = False  # the citizen who owns the dossier may perform it
    terminal: bool = field(default=False)
    supplements: bool = False  # the handler writes supplement requests (the rollups then re-read them)


R, S, L = Role.RECEPTION, Role.SPECIALIST, Role.LEADER
SYSTEM = "system"  # pseudo-role of reception.SystemActor (scheduled jobs); no membership can grant it

TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    Transition("receive", _("Tiếp nhận hồ sơ"), frozenset({Status.NEW}), Status.RECEIVED,
               frozenset({R}), (AT_RECEIVING,)),
    Transition("refuse", _("Từ chối tiếp nhận"), frozenset({Status.NEW, Status.RECEIVED}), Status.REFUSED,
               frozenset({R, L}), (AT_RECEIVING, AT_COMPETENT), required=("reason",), terminal=True),
    Transition("request_supplement", _("Yêu cầu bổ sung hồ sơ"), WORKING, Status.SUPPLEMENT,
               frozenset({R, S, L}), (AT_STEP,), step_listed=True, required=("items",), supplements=True),
    Transition("receive_supplement", _("Tiếp nhận hồ sơ bổ sung"), frozenset({Status.SUPPLEMENT}), PREVIOUS,
               frozenset({R, S}), (AT_RECEIVING, AT_COMPETENT), applicant_may=True, supplements=True),
    Transition("route", _("Chuyển cơ quan giải quyết"), frozenset({Status.NEW, Status.RECEIVED, Status.PROCESSING}),
               None, frozenset({R, L}), (AT_RECEIVING, AT_COMPETENT), required=("agency_id",)),
    Transition("assign", _("Phân công xử lý"), WORKING, None, frozenset({L, R}), (AT_STEP, AT_COMPETENT),
               required=("assignee_id",)),
    Transition("forward", _("Chuyển bước tiếp theo"), WORKING, Status.PROCESSING, frozenset({R, S, L}), (AT_STEP,),
               step_listed=True),
    Transition("hand_over", _("Bàn giao cho đơn vị khác"), WORKING, Status.PROCESSING, frozenset({R, S, L}),
               (AT_STEP,), step_listed=True),
    Transition("return_step", _("Trả lại bước trước"), frozenset({Status.PROCESSING}), Status.PROCESSING,
               frozenset({R, S, L}), (AT_STEP,), step_listed=True, required=("reason",)),
    Transition("request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính"), WORKING, Status.PAYMENT,
               frozenset({R, S, L}), (AT_STEP,), step_listed=True),
    Transition("confirm_payment", _("Xác nhận đã thực hiện nghĩa vụ tài chính"), frozenset({Status.PAYMENT}),
               PREVIOUS, frozenset({R, S}), (AT_RECEIVING, AT_COMPETENT)),
    Transition("approve", _("Phê duyệt"), frozenset({Status.PROCESSING}), Status.PROCESSING, frozenset({L}),
               (AT_STEP,), step_listed=True),
    Transition("stop", _("Dừng xử lý"), OPEN, Status.STOPPED, frozenset({L}), (AT_COMPETENT,),
               required=("reason",), terminal=True),
    Transition("withdraw", _("Rút hồ sơ"), OPEN | {Status.NEW}, Status.WITHDRAWN, frozenset({R}),
               (AT_RECEIVING, AT_COMPETENT), applicant_may=True, terminal=True),
    Transition("result_ready", _("Hoàn thành xử lý, có kết quả"), WORKING, Status.FINISHED, frozenset({R, S, L}),
               (AT_STEP,), step_listed=True, terminal=True),
    Transition("deliver", _("Trả kết quả"), frozenset({Status.FINISHED}), Status.DELIVERED, frozenset({R}),
               (AT_RECEIVING,), required=("method",), terminal=True),
    Transition("extend", _("Xin lỗi và gia hạn"), WORKING, None, frozenset({S, L}), (AT_STEP, AT_COMPETENT),
               required=("reason", "new_due")),
    # The competent agency answers "not competent": back to the receiving service centre's coordination queue
    # (coordination.py); the centre routes it again with `route`. Neither touches the legal clock.
    Transition("decline_competence", _("Trả lại do không thuộc thẩm quyền"), WORKING, None, frozenset({S, L}),
               (AT_COMPETENT,), required=("reason",)),
    # Form 02 before reception (online dossiers only; handlers in reception.py): the dossier stays in status 1.
    Transition("request_completion", _("Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"), frozenset({Status.NEW}), None,
               frozenset({R}), (AT_RECEIVING,), required=("items",), supplements=True),
    Transition("resubmit", _("Nộp lại hồ sơ đã hoàn thiện"), frozenset({Status.NEW}), None, frozenset(),
               (AT_RECEIVING,), applicant_may=True, supplements=True),
    # Taken only by the scheduled job (`motcua expire-supplements`) as SystemActor ("quá hạn bổ sung → hủy").
    Transition("expire_completion", _("Quá hạn hoàn thiện hồ sơ, không tiếp nhận"), frozenset({Status.NEW}),
               Status.REFUSED, frozenset({SYSTEM}), (AT_RECEIVING,), terminal=True),
    Transition("expire_supplement", _("Quá hạn bổ sung hồ sơ, dừng xử lý"), frozenset({Status.SUPPLEMENT}),
               Status.STOPPED, frozenset({SYSTEM}), (AT_COMPETENT,), terminal=True),
]}

ACTIONS = tuple(TRANSITIONS)
