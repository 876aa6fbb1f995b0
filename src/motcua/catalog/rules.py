"""Publishing rules of a procedure version, checked on plain data (no database).

A version is checked in the exchange-format shape (see docs/catalog-format.md): a dict with the version's texts and a
list of variant dicts, each with `fees`, `documents` and `steps`. The same function serves `services.publish` (which
serialises the stored version first) and the importer (which checks the file before writing anything), so the two
can never disagree.

Each problem is reported as (path, message): the path is relative to the version ("variants[1].steps[2].role"), the
message is Vietnamese and names the variant and step, so it can be shown alone in the admin or an import report.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

# Transition names the dossier engine understands (shared contract, see the briefing). `withdraw` is always open to
# the applicant and need not be listed, but listing it is not an error.
KNOWN_ACTIONS = frozenset({
    "receive", "refuse", "request_supplement", "receive_supplement", "route", "assign", "forward", "hand_over",
    "return_step", "request_payment", "confirm_payment", "approve", "stop", "withdraw", "result_ready", "deliver",
    "extend",
})

TIME_UNITS = ("working_hours", "working_days", "calendar_days", "none")
ONLINE_LEVELS = ("none", "partial", "full")  # lowest to highest
ONLINE_RANK = {level: rank for rank, level in enumerate(ONLINE_LEVELS)}

# The components of Decree 63/2010 Art. 8(2) stored as texts on the version (name is on the procedure, documents
# and time limits on each variant).
VERSION_TEXTS = {
    "steps_text": "trình tự thực hiện",
    "method_text": "cách thức thực hiện",
    "applicants_text": "đối tượng thực hiện",
    "implementing_agency_text": "cơ quan thực hiện",
}

Problem = tuple[str, str]


def effective_limit(variant: dict):
    """The committed (shortened) limit when given, else the legal one."""
    committed = variant.get("committed_limit")
    return committed if committed is not None else variant.get("legal_limit")


def check_version(procedure_name: str, version: dict, known_roles) -> list[Problem]:
    """Every problem that forbids publishing `version`; empty when it may be published."""
    problems: list[Problem] = []
    if not (procedure_name or "").strip():
        problems.append(("name", _("Thiếu tên thủ tục (thành phần bắt buộc).")))
    for key, label in VERSION_TEXTS.items():
        if not (version.get(key) or "").strip():
            problems.append((key, _("Thiếu %(label)s (thành phần bắt buộc của thủ tục đã công bố).")
                             % {"label": label}))
    from_, to = version.get("effective_from"), version.get("effective_to")
    if from_ and to and to < from_:
        problems.append(("effective_to", _("Ngày hết hiệu lực %(to)s trước ngày có hiệu lực %(from)s.")
                         % {"to": to.strftime("%d/%m/%Y"), "from": from_.strftime("%d/%m/%Y")}))
    variants = version.get("variants") or []
    if not variants:
        problems.append(("variants", _("Phiên bản chưa có trường hợp nào (cần ít nhất một).")))
    for index, variant in enumerate(variants):
        prefix = f"variants[{index}]"
        label = _("Trường hợp %(n)d «%(name)s»") % {"n": index + 1, "name": variant.get("name") or ""}
        problems += [(f"{prefix}.{path}", f"{label}: {msg}") for path, msg in check_variant(variant)]
        problems += [(f"{prefix}.{path}", msg) for path, msg in check_steps(variant, label, known_roles)]
    return problems


def check_variant(variant: dict) -> list[Problem]:
    """Name, time limit, cut-off and documents of one variant (messages without the variant label)."""
    problems: list[Problem] = []
    if not (variant.get("name") or "").strip():
        problems.append(("name", _("thiếu tên trường hợp.")))
    unit = variant.get("limit_unit")
    legal, committed = variant.get("legal_limit"), variant.get("committed_limit")
    if unit not in TIME_UNITS:
        problems.append(("limit_unit", _("thiếu đơn vị thời hạn giải quyết (thành phần bắt buộc).")))
    if legal is None or legal < 0:
        problems.append(("legal_limit", _("thời hạn theo quy định phải là số không âm.")))
    if committed is not None and committed < 0:
        problems.append(("committed_limit", _("thời hạn cam kết phải là số không âm.")))
    elif committed is not None and legal is not None and committed > legal:
        problems.append(("committed_limit", _("thời hạn cam kết (%(c)s) dài hơn thời hạn theo quy định (%(l)s).")
                         % {"c": _num(committed), "l": _num(legal)}))
    if variant.get("same_day_cutoff") is not None and not _cutoff_allowed(unit, effective_limit(variant)):
        problems.append(("same_day_cutoff", _("giờ tiếp nhận để trả trong ngày chỉ dùng cho thời hạn 0 ngày hoặc "
                                              "tính theo ngày làm việc.")))
    if not variant.get("documents"):
        problems.append(("documents", _("chưa có thành phần hồ sơ nào (thành phần bắt buộc).")))
    return problems


def _cutoff_allowed(unit, limit) -> bool:
    if unit == "working_days":
        return True
    return unit == "calendar_days" and limit is not None and limit == 0


def check_steps(variant: dict, label: str, known_roles) -> list[Problem]:
    """The internal process: non-empty, orders 1..n, one final step that is last, known actions and roles, and
    step budgets within the effective limit."""
    steps = variant.get("steps") or []
    if not steps:
        return [("steps", _("%(v)s: chưa có bước xử lý nào.") % {"v": label})]
    problems: list[Problem] = []
    orders = [step.get("order") for step in steps]
    if sorted(orders, key=lambda o: (o is None, o or 0)) != list(range(1, len(steps) + 1)):
        shown = ", ".join(str(o) for o in orders)
        problems.append(("steps", _("%(v)s: thứ tự các bước phải liên tục từ 1 đến %(n)d (hiện có: %(o)s); "
                                    "bước bị bỏ cách không thể đạt tới.") % {"v": label, "n": len(steps), "o": shown}))
    codes = [step.get("code") for step in steps]
    for code in sorted({c for c in codes if codes.count(c) > 1 and c}):
        problems.append(("steps", _("%(v)s: mã bước «%(c)s» bị trùng.") % {"v": label, "c": code}))
    problems += _check_final(steps, label)
    for index, step in enumerate(steps):
        problems += [(f"steps[{index}].{path}", msg) for path, msg in _check_step(step, index, label, known_roles)]
    problems += _check_budget(variant, steps, label)
    return problems


def _step_label(label: str, index: int, step: dict) -> str:
    return _("%(v)s, bước %(n)s «%(name)s»") % {"v": label, "n": step.get("order", index + 1),
                                                 "name": step.get("name") or ""}


def _check_final(steps: list[dict], label: str) -> list[Problem]:
    finals = [i for i, step in enumerate(steps) if step.get("is_final")]
    if len(finals) != 1:
        return [("steps", _("%(v)s: phải có đúng một bước cuối (hiện có %(n)d).") % {"v": label, "n": len(finals)})]
    last = max(range(len(steps)), key=lambda i: steps[i].get("order") or 0)
    if finals[0] != last:
        step = steps[finals[0]]
        return [(f"steps[{finals[0]}].is_final",
                 _("%(s)s: bước cuối phải là bước có thứ tự lớn nhất.") % {"s": _step_label(label, finals[0], step)})]
    return []


def _check_step(step: dict, index: int, label: str, known_roles) -> list[Problem]:
    problems: list[Problem] = []
    where = _step_label(label, index, step)
    if not (step.get("code") or "").strip():
        problems.append(("code", _("%(s)s: thiếu mã bước.") % {"s": where}))
    if not (step.get("name") or "").strip():
        problems.append(("name", _("%(s)s: thiếu tên bước.") % {"s": where}))
    if step.get("role") not in known_roles:
        problems.append(("role", _("%(s)s: vai trò «%(r)s» không hợp lệ (cho phép: %(ok)s).")
                         % {"s": where, "r": step.get("role") or "", "ok": ", ".join(sorted(known_roles))}))
    unknown = [a for a in step.get("actions") or [] if a not in KNOWN_ACTIONS]
    if unknown:
        problems.append(("actions", _("%(s)s: thao tác không xác định: %(a)s.") % {"s": where, "a": ", ".join(unknown)}))
    if not step.get("actions"):
        problems.append(("actions", _("%(s)s: chưa khai báo thao tác nào được phép.") % {"s": where}))
    budget = step.get("budget")
    if budget is None or budget < 0:
        problems.append(("budget", _("%(s)s: thời gian của bước phải là số không âm.") % {"s": where}))
    return problems


def _check_budget(variant: dict, steps: list[dict], label: str) -> list[Problem]:
    unit, limit = variant.get("limit_unit"), effective_limit(variant)
    if unit == "none" or unit not in TIME_UNITS or limit is None:
        return []
    total = sum((Decimal(str(s.get("budget") or 0)) for s in steps), Decimal(0))
    if total > Decimal(str(limit)):
        return [("steps", _("%(v)s: tổng thời gian các bước (%(t)s) vượt thời hạn giải quyết (%(l)s).")
                 % {"v": label, "t": _num(total), "l": _num(limit)})]
    return []


def _num(value) -> str:
    """Vietnamese decimal comma, no trailing zeros: 2.50 → '2,5'."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")
