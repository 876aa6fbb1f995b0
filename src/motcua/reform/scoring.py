"""PAR index arithmetic, free of Django: tree checks, proposals from figures, totals, ranking, plan completion.

Points are `Decimal` with two decimals throughout (scores are published to the hundredth, e.g. 91,43 %), so two
units with the same published score tie exactly.

Auto rules (the `auto` object of a criterion in the criteria JSON):

- ``{"rule": "ladder", "steps": [[95, 2], [90, 1]], "none": 2}``: the points of the first step whose threshold the
  figure reaches (steps from the highest threshold down), 0 below the last; ``none`` = points when there is no
  figure (e.g. "no PAKN received" gives full points in TT 01/2018 index 8); without ``none`` no proposal is made.
- ``{"rule": "proportional"}``: max × figure / 100 (a completion share or a satisfaction index).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
RULES = ("ladder", "proportional")


def q(value) -> Decimal:
    """Two-decimal Decimal (half up, as the councils round)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


# -- the tree -------------------------------------------------------------------------------------------------------
@dataclass
class Node:
    code: str
    max_points: Decimal
    kind: str = "assessed"
    auto: dict = field(default_factory=dict)
    children: list["Node"] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


def tree_errors(roots: list[Node], total: Decimal = HUNDRED) -> list[str]:
    """Every inconsistency of a criteria tree: a parent's maximum must equal the sum of its children's, the roots
    must add up to `total`, an auto rule must be known and give no more than the maximum."""
    errors: list[str] = []

    def walk(node: Node) -> None:
        if node.children:
            s = sum((c.max_points for c in node.children), Decimal(0))
            if q(s) != q(node.max_points):
                errors.append(f"{node.code}: tổng điểm tiêu chí con {s} khác điểm tối đa {node.max_points}")
            for c in node.children:
                walk(c)
        errors.extend(f"{node.code}: {e}" for e in auto_errors(node.auto, node.max_points))

    for root in roots:
        walk(root)
    s = sum((r.max_points for r in roots), Decimal(0))
    if q(s) != q(total):
        errors.append(f"tổng điểm tối đa {s} khác {total}")
    return errors


def auto_errors(auto: dict, max_points: Decimal) -> list[str]:
    if not auto:
        return []
    if not auto.get("source"):
        return ["thiếu nguồn số liệu (source)"]
    rule = auto.get("rule")
    if rule not in RULES:
        return [f"quy tắc không hợp lệ: {rule!r}"]
    if rule == "ladder":
        steps = auto.get("steps") or []
        if not steps or any(len(s) != 2 for s in steps):
            return ["thang điểm (steps) phải là các cặp [ngưỡng, điểm]"]
        thresholds = [Decimal(str(t)) for t, _p in steps]
        if thresholds != sorted(thresholds, reverse=True):
            return ["các ngưỡng phải giảm dần"]
        points = [Decimal(str(p)) for _t, p in steps] + [Decimal(str(auto.get("none", 0)))]
        if any(p > max_points or p < 0 for p in points):
            return ["điểm của thang vượt quá điểm tối đa"]
    return []


def propose(auto: dict, figure, max_points) -> Decimal | None:
    """Points proposed by an auto rule for `figure` (a percentage, or None when the data has no figure)."""
    max_points = Decimal(str(max_points))
    if figure is None:
        return q(auto["none"]) if auto.get("none") is not None else None
    figure = Decimal(str(figure))
    if auto["rule"] == "proportional":
        return q(min(max(figure, Decimal(0)), HUNDRED) * max_points / HUNDRED)
    for threshold, points in auto["steps"]:
        if figure >= Decimal(str(threshold)):
            return q(points)
    return q(0)


def score_error(value, max_points) -> str | None:
    """Why a score may not be stored, as a code (negative, over_max, decimals); None when it may."""
    if value is None:
        return None
    if value < 0:
        return "negative"
    if value > Decimal(str(max_points)):
        return "over_max"
    if q(value) != value:
        return "decimals"
    return None


def effective(self_score, appraised) -> Decimal:
    """The score that counts: the council's when it appraised the criterion, else the unit's own."""
    if appraised is not None:
        return q(appraised)
    return q(self_score) if self_score is not None else Decimal("0.00")


# -- totals and ranking ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Total:
    assessed: Decimal          # points of the assessed criteria (appraised, else self-assessed)
    assessed_max: Decimal
    survey: Decimal | None     # points of the survey component (None: no survey result)
    survey_max: Decimal
    total: Decimal             # out of 100 (rescaled when there is no survey result)
    rescaled: bool


def survey_points(index_percent, survey_max) -> Decimal | None:
    """SIPAS index (0–100 %) → points of the survey component."""
    if index_percent is None:
        return None
    return q(Decimal(str(index_percent)) * Decimal(str(survey_max)) / HUNDRED)


def total(assessed: Decimal, assessed_max: Decimal, survey: Decimal | None, survey_max: Decimal) -> Total:
    """Total out of 100. Without a survey result the assessed points are rescaled to 100 (Hanoi rule: 56 of a
    70-point non-survey maximum gives 80,00)."""
    assessed, assessed_max, survey_max = q(assessed), q(assessed_max), q(survey_max)
    if survey is None and survey_max > 0:
        scaled = q(assessed * HUNDRED / assessed_max) if assessed_max else Decimal("0.00")
        return Total(assessed, assessed_max, None, survey_max, scaled, True)
    survey = q(survey or 0)
    return Total(assessed, assessed_max, survey, survey_max, q(assessed + survey), False)


def rank(totals: dict) -> dict:
    """Standard competition ranking (1, 2, 2, 4) of {key: total}; equal totals share a rank."""
    ordered = sorted(totals.items(), key=lambda kv: -q(kv[1]))
    ranks, previous, current = {}, None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if previous is None or q(value) != previous:
            current, previous = position, q(value)
        ranks[key] = current
    return ranks


def rank_phrase(position: int, tied: bool, group: str) -> str:
    """'đứng thứ 2 trong khối sở' ('đồng hạng 2 …' when another unit has the same total)."""
    return f"{'đồng hạng' if tied else 'đứng thứ'} {position} trong {group}"


# -- plan completion ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Completion:
    done: int
    total: int
    overdue: int

    @property
    def share(self) -> Decimal | None:
        """Done / total in percent, one decimal (61,5 %), None for an empty plan."""
        if not self.total:
            return None
        return (Decimal(self.done) * HUNDRED / Decimal(self.total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def is_overdue(status: str, deadline, done_on, today) -> bool:
    """Not done by its deadline: still open after it, or finished later than it."""
    if status == "done":
        return done_on is not None and done_on > deadline
    return deadline < today


def completion(rows, today) -> Completion:
    """rows: (status, deadline, done_on) tuples."""
    rows = list(rows)
    return Completion(done=sum(1 for s, _d, _o in rows if s == "done"), total=len(rows),
                      overdue=sum(1 for s, d, o in rows if is_overdue(s, d, o, today)))
