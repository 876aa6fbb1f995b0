"""Named measures the 766 indicator data refers to (framework-free).

An indicator row names its numerator and denominator by key (``"dossiers.received_online"``); this module maps each
key to a function of a *source* — an object giving the unit's figures for the period (`indices.sources.DbSource`
reads them from the rollups, the dossier, catalogue and PAKN tables; tests may pass any object with the same
methods). Adding an indicator that combines existing measures is a data change; a new kind of count is one function
here.

Source methods used: ``report()`` (the Decision 766 period report of `reports.report`), ``dossier_count(key)``
(dossier-table counts, see `sources.DOSSIER_FILTERS`), ``procedures()`` (a list of `ProcedureInfo`),
``working_days(a, b)`` (working days after a up to b), ``pakn()`` (`feedback.stats.pakn_stats`), ``manual(code)``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

# Provincial lead times (statistics guide §4, indicators 1.1 and 1.2); ministries use 20 and 10.
ANNOUNCE_LEAD_WORKING_DAYS = 5
PUBLISH_WITHIN_WORKING_DAYS = 5


@dataclass(frozen=True)
class Announcement:
    decision_date: date
    effective_from: date  # stands for the latest effective date of the legal basis (not stored apart)
    published_on: date | None  # local date the version was published in MotCua


@dataclass
class ProcedureInfo:
    """One procedure under the unit's jurisdiction, as the catalogue indicators need it."""

    pk: int
    code: str
    name: str
    online: bool = False  # partial or full online service in the version in force at the period end
    complete: bool = False  # all seven components published (Decree 63/2010 Art. 8(2))
    published: bool = False  # a version in force at the period end
    with_fee: bool = False  # a fee or charge other than 0
    for_citizens: bool = False  # applicants include citizens (indicator 4.5a)
    online_dossiers: bool = False  # at least one online dossier received in the period
    paid_online: bool = False  # at least one dossier paid online in the period
    population_db: bool = False  # at least one dossier with VNeID / population-database data in the period
    announcements: list[Announcement] = field(default_factory=list)  # decisions dated in the period


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str  # dossier | procedure | pakn | manual | none
    compute: Callable


REGISTRY: dict[str, Measure] = {}


def register(key: str, label: str, kind: str):
    def wrap(fn):
        REGISTRY[key] = Measure(key, label, kind, fn)
        return fn
    return wrap


def get(key: str) -> Measure:
    if key not in REGISTRY:
        raise KeyError(key)
    return REGISTRY[key]


# -- dossiers, from the Decision 766 period report (rollups) ---------------------------------------------------
@register("dossiers.to_process_766", "Hồ sơ tiếp nhận hoặc xử lý trong kỳ", "dossier")
def to_process_766(src):
    return src.report()["to_process"]


@register("dossiers.in_time_766", "Hồ sơ đã giải quyết đúng hạn và đang giải quyết trong hạn", "dossier")
def in_time_766(src):
    r = src.report()
    return r["finished_on_time"] + r["in_progress_on_time"]


@register("dossiers.received", "Hồ sơ tiếp nhận trong kỳ", "dossier")
def received(src):
    return src.report()["received"]


@register("dossiers.received_online", "Hồ sơ tiếp nhận trực tuyến", "dossier")
def received_online(src):
    return src.report()["received_online"]


@register("dossiers.finished_result", "Hồ sơ đã có kết quả trong kỳ", "dossier")
def finished_result(src):
    return src.dossier_count("finished_result")


@register("dossiers.handling_days", "Tổng số ngày giải quyết", "dossier")
def handling_days(src):
    days = src.report()["avg_handling_days"]
    return None if days is None else days * src.dossier_count("finished_result")


# -- dossiers, from the dossier table (flags the rollups do not carry) -------------------------------------------
def _table(key: str, label: str):
    register(f"dossiers.{key}", label, "dossier")(lambda src: src.dossier_count(key))


for _key, _label in (
    ("e_result", "Hồ sơ có kết quả điện tử"),
    ("digitised_full", "Hồ sơ được số hóa (kể cả kết quả điện tử)"),
    ("reused", "Hồ sơ tái sử dụng dữ liệu số hóa"),
    ("data_store", "Hồ sơ lấy từ hoặc đưa kết quả vào kho dữ liệu cá nhân"),
    ("population_db", "Hồ sơ xác thực VNeID hoặc dùng dữ liệu dân cư"),
    ("paid_online", "Hồ sơ thanh toán trực tuyến"),
    ("received_with_fee", "Hồ sơ của thủ tục có phí, lệ phí"),
):
    _table(_key, _label)


@register("dossiers.satisfied_766", "Hồ sơ không trễ hạn, không bị phản ánh, không bị đánh giá không hài lòng",
          "dossier")
def satisfied_766(src):
    r = src.report()
    late = r["finished_late"] + r["in_progress_overdue"]
    return r["to_process"] - late - src.dossier_count("unhappy_not_late")


# -- procedures (catalogue) ---------------------------------------------------------------------------------------
def on_time_announcement(a: Announcement, working_days) -> bool:
    return working_days(a.decision_date, a.effective_from) >= ANNOUNCE_LEAD_WORKING_DAYS


def on_time_publication(a: Announcement, working_days) -> bool:
    return a.published_on is not None and working_days(a.decision_date, a.published_on) <= PUBLISH_WITHIN_WORKING_DAYS


# predicate(procedure, working_days) for every procedure measure; the drill-down lists the procedures of the
# denominator that fail the numerator.
PROCEDURE_PREDICATES: dict[str, Callable] = {
    "procedures.in_jurisdiction": lambda p, wd: p.published,
    "procedures.announced": lambda p, wd: bool(p.announcements),
    "procedures.announced_on_time": lambda p, wd: bool(p.announcements) and all(
        on_time_announcement(a, wd) for a in p.announcements),
    "procedures.to_publish": lambda p, wd: bool(p.announcements),
    "procedures.published_on_time": lambda p, wd: bool(p.announcements) and all(
        on_time_publication(a, wd) for a in p.announcements),
    "procedures.published": lambda p, wd: p.published,
    "procedures.complete": lambda p, wd: p.published and p.complete,
    "procedures.online": lambda p, wd: p.online,
    "procedures.online_with_dossiers": lambda p, wd: p.online and p.online_dossiers,
    "procedures.with_fee": lambda p, wd: p.with_fee,
    "procedures.fee_payable_online": lambda p, wd: p.with_fee and p.online,
    "procedures.with_online_payment": lambda p, wd: p.with_fee and p.paid_online,
    "procedures.for_citizens": lambda p, wd: p.published and p.for_citizens,
    "procedures.population_db": lambda p, wd: p.published and p.for_citizens and p.population_db,
}
PROCEDURE_LABELS = {
    "procedures.in_jurisdiction": "Thủ tục thuộc thẩm quyền đang có hiệu lực",
    "procedures.announced": "Thủ tục được công bố trong kỳ",
    "procedures.announced_on_time": "Thủ tục công bố đúng hạn",
    "procedures.to_publish": "Thủ tục phải công khai trong kỳ",
    "procedures.published_on_time": "Thủ tục công khai đúng hạn",
    "procedures.published": "Thủ tục đang công khai",
    "procedures.complete": "Thủ tục công khai đủ thành phần",
    "procedures.online": "Thủ tục có dịch vụ công trực tuyến",
    "procedures.online_with_dossiers": "Dịch vụ công trực tuyến có hồ sơ trực tuyến",
    "procedures.with_fee": "Thủ tục có phí, lệ phí",
    "procedures.fee_payable_online": "Thủ tục có phí thanh toán trực tuyến được",
    "procedures.with_online_payment": "Thủ tục có phát sinh thanh toán trực tuyến",
    "procedures.for_citizens": "Thủ tục có đối tượng là công dân",
    "procedures.population_db": "Thủ tục có hồ sơ dùng dữ liệu dân cư",
}


def _procedure_measure(key: str):
    predicate = PROCEDURE_PREDICATES[key]
    register(key, PROCEDURE_LABELS[key], "procedure")(
        lambda src: sum(1 for p in src.procedures() if predicate(p, src.working_days)))


for _key in PROCEDURE_PREDICATES:
    _procedure_measure(_key)


def procedures_failing(procedures: list[ProcedureInfo], numerator: str, denominator: str, working_days):
    """Procedures counted in the denominator but not in the numerator (what cost the points)."""
    num, den = PROCEDURE_PREDICATES[numerator], PROCEDURE_PREDICATES[denominator]
    return [p for p in procedures if den(p, working_days) and not num(p, working_days)]


# -- PAKN ---------------------------------------------------------------------------------------------------------
@register("pakn.received", "Phản ánh, kiến nghị tiếp nhận trong kỳ", "pakn")
def pakn_received(src):
    return src.pakn()["total"]


@register("pakn.on_time", "Phản ánh, kiến nghị xử lý đúng hạn", "pakn")
def pakn_on_time(src):
    return src.pakn()["on_time"]


@register("pakn.first_received", "Phản ánh, kiến nghị tiếp nhận lần đầu", "pakn")
def pakn_first(src):
    return src.pakn()["first_received"]


@register("pakn.satisfied", "Phản ánh, kiến nghị được xử lý hài lòng", "pakn")
def pakn_satisfied(src):
    return src.pakn()["satisfied"]


# -- the rest -----------------------------------------------------------------------------------------------------
@register("none", "Không có mẫu số", "none")
def nothing(src):
    return None


# "manual" is resolved per indicator (numerator and denominator come from the entered value together).
REGISTRY["manual"] = Measure("manual", "Số liệu do quản trị viên nhập", "manual", lambda src: None)
