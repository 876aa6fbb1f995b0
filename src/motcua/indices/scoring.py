"""Decision 766 scoring (framework-free): rate → points, group and total scores, points lost and what would raise
the score most.

Conversion (statistics guide §3): with a target T, points = Pmax if R ≥ T else R × Pmax / T; without a target,
points = R × Pmax. Rates are fractions here (0.925); a zero or missing denominator gives no rate and 0 points.
Points are rounded to 2 decimals; totals add the rounded points, as a published score table does.
"""

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Definition:
    """What scoring needs of an indicator (the data row, without Django)."""

    code: str
    group: str
    name: str
    max_points: float
    target: float | None = None  # percent, e.g. 80.0
    display: str = "percent"  # percent | average | count (monitor-only indicators)
    applies: bool = True  # the unit's type is among the indicator's units


@dataclass
class Scored:
    code: str
    group: str
    name: str
    numerator: float | None
    denominator: float | None
    rate: float | None  # percent (2 decimals) or, for display=average, the average itself
    target: float | None
    max_points: float
    points: float | None  # None = not applicable to this unit
    lost: float
    needed: int | None  # numerator units still missing to reach full points
    display: str = "percent"
    extra: dict = field(default_factory=dict)


def fraction(numerator, denominator) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def points(rate: float | None, max_points: float, target: float | None) -> float:
    """Points for a rate given as a fraction; target in percent."""
    if rate is None or max_points <= 0:
        return 0.0
    rate = max(0.0, min(rate, 1.0))
    if target:
        t = target / 100
        return round(max_points if rate >= t else rate * max_points / t, 2)
    return round(rate * max_points, 2)


def needed(numerator, denominator, target: float | None) -> int | None:
    """How many more numerator units (dossiers, procedures, PAKN) would earn full points; None without data."""
    if numerator is None or not denominator:
        return None
    goal = denominator * (target / 100 if target else 1.0)
    return max(0, math.ceil(round(goal - numerator, 9)))


def score_indicator(d: Definition, numerator, denominator) -> Scored:
    monitor = d.max_points <= 0 or d.display != "percent"
    r = fraction(numerator, denominator)
    if d.display == "average":
        shown = round(r, 2) if r is not None else None
    elif d.display == "count":
        shown = None
    else:
        shown = round(100 * r, 2) if r is not None else None
    if not d.applies:
        return Scored(d.code, d.group, d.name, numerator, denominator, shown, d.target, d.max_points, None, 0.0,
                      None, d.display)
    pts = 0.0 if monitor else points(r, d.max_points, d.target)
    return Scored(d.code, d.group, d.name, numerator, denominator, shown, d.target, d.max_points, pts,
                  0.0 if monitor else round(d.max_points - pts, 2),
                  None if monitor else needed(numerator, denominator, d.target), d.display)


def total(scored: list[Scored], groups: list[dict]) -> dict:
    """Group subtotals (in the order of `groups`) and the total; `max` counts applicable indicators only."""
    out = []
    for g in groups:
        rows = [s for s in scored if s.group == g["code"]]
        applicable = [s for s in rows if s.points is not None]
        out.append({"code": g["code"], "name": g["name"], "max_points": float(g["max_points"]),
                    "applicable_max": round(sum(s.max_points for s in applicable), 2),
                    "points": round(sum(s.points for s in applicable), 2),
                    "lost": round(sum(s.lost for s in applicable), 2)})
    return {"total": round(sum(g["points"] for g in out), 2),
            "max_total": round(sum(g["applicable_max"] for g in out), 2),
            "lost": round(sum(g["lost"] for g in out), 2), "groups": out}


def recoverable(scored: list[Scored]) -> list[Scored]:
    """Indicators that lost points and can win them back (some cases to turn around, or a value still to enter),
    most recoverable first (ties: fewest missing units first, then code)."""
    rows = [s for s in scored if s.points is not None and s.lost > 0
            and (s.needed or s.extra.get("missing"))]
    return sorted(rows, key=lambda s: (-s.lost, s.needed if s.needed is not None else math.inf, s.code))
