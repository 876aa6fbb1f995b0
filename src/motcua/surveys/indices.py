"""SIPAS indices, framework-free (plain Python; the Django side turns stored responses into `Item`s and answer
dicts).

Method (docs/surveys.md §Indices; domain guide §3.2, Decision 1001/QĐ-BNV [verify]):

- Answers are on a 5-point scale; 4 and 5 ("hài lòng"/"rất hài lòng", "đồng ý"/"rất đồng ý", "cần thiết"/
  "rất cần thiết") count as positive.
- Per element and aspect (assessment, satisfaction, expectation) each respondent gets a score: the share of the
  items of that element and aspect they answered positively (0 or 1 when there is one item). The index is the mean
  score in percent over the respondents who answered at least one of those items — for a one-item aspect, the
  share of respondents answering 4 or 5 (the guide's "% hài lòng + rất hài lòng").
- SIPAS (overall) = mean of the element satisfaction indices (the guide's primary definition).
- 95 % confidence intervals: Wilson score interval for one-item aspects (a proportion); normal interval of a mean
  for multi-item aspects; for SIPAS a linearisation (sandwich) estimate of the variance of the mean of element
  indices, which accounts for the same respondent answering several elements. No finite-population correction
  (conservative for small units).
- Comparison of two campaigns: difference in percentage points with the normal standard error of a difference of
  independent estimates; "significant" when |difference| > 1,96 × SE.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import sqrt

ASPECTS = ("assessment", "satisfaction", "expectation")
POSITIVE_FROM = 4
SCALE = range(1, 6)
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Item:
    code: str
    element: str
    aspect: str


@dataclass(frozen=True)
class Estimate:
    """An index in percent with its 95 % interval; `se` (percentage points) is the normal standard error."""

    value: float
    low: float
    high: float
    n: int
    se: float
    method: str  # "wilson" | "mean" | "linearised"


@dataclass(frozen=True)
class Change:
    delta: float  # percentage points, current − previous
    se: float
    significant: bool


def _clip(x: float) -> float:
    return min(100.0, max(0.0, x))


def wilson(successes: int, n: int, z: float = Z95) -> Estimate | None:
    """Wilson score interval for a proportion (better than the normal interval near 0 % and 100 %)."""
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Estimate(100 * p, _clip(100 * (centre - half)), _clip(100 * (centre + half)), n,
                    100 * sqrt(p * (1 - p) / n), "wilson")


def mean_interval(scores: Sequence[float], z: float = Z95) -> Estimate | None:
    """Normal interval of the mean of per-respondent scores in [0, 1] (sample variance, n − 1)."""
    n = len(scores)
    if n == 0:
        return None
    mean = sum(scores) / n
    var = sum((s - mean) ** 2 for s in scores) / (n - 1) if n > 1 else 0.0
    se = sqrt(var / n)
    return Estimate(100 * mean, _clip(100 * (mean - z * se)), _clip(100 * (mean + z * se)), n, 100 * se, "mean")


def respondent_scores(items: Iterable[Item], answers: Mapping[str, int]) -> dict[tuple[str, str], tuple[int, int]]:
    """(element, aspect) → (positive answers, answered items) for one respondent; unanswered items are skipped."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for item in items:
        value = answers.get(item.code)
        if value is None:
            continue
        pos, total = out.get((item.element, item.aspect), (0, 0))
        out[(item.element, item.aspect)] = (pos + (value >= POSITIVE_FROM), total + 1)
    return out


def aspect_index(rows: Sequence[Mapping[tuple[str, str], tuple[int, int]]], key: tuple[str, str]) -> Estimate | None:
    answered = [row[key] for row in rows if key in row]
    if answered and all(total == 1 for _pos, total in answered):
        return wilson(sum(pos for pos, _t in answered), len(answered))
    return mean_interval([pos / total for pos, total in answered])


def overall_index(rows: Sequence[Mapping[tuple[str, str], tuple[int, int]]], elements: Sequence[str]
                  ) -> Estimate | None:
    """SIPAS = mean over elements of the satisfaction index, with a linearised 95 % interval.

    Each respondent's influence on the mean is (1/K) Σ_k (y_ik − p_k) / n_k over the elements k they answered;
    the variance is the sum of the squared influences. With every respondent answering every element this is the
    variance of the mean of their per-respondent averages.
    """
    keys = [(e, "satisfaction") for e in elements]
    scores = {k: [(i, row[k][0] / row[k][1]) for i, row in enumerate(rows) if k in row] for k in keys}
    scores = {k: v for k, v in scores.items() if v}
    if not scores:
        return None
    means = {k: sum(y for _i, y in v) / len(v) for k, v in scores.items()}
    big_k = len(scores)
    value = sum(means.values()) / big_k
    influence = [0.0] * len(rows)
    for k, values in scores.items():
        for i, y in values:
            influence[i] += (y - means[k]) / (len(values) * big_k)
    se = sqrt(sum(x * x for x in influence))
    n = sum(1 for x in range(len(rows)) if any(k in rows[x] for k in scores))
    return Estimate(100 * value, _clip(100 * (value - Z95 * se)), _clip(100 * (value + Z95 * se)), n, 100 * se,
                    "linearised")


@dataclass(frozen=True)
class Results:
    respondents: int
    elements: dict[str, dict[str, Estimate | None]]  # element → aspect → estimate
    overall: Estimate | None


def compute(items: Sequence[Item], responses: Iterable[Mapping[str, int]], elements: Sequence[str]) -> Results:
    """Indices per element and aspect and the overall SIPAS for one set of responses."""
    rows = [respondent_scores(items, answers) for answers in responses]
    per_element = {e: {a: aspect_index(rows, (e, a)) for a in ASPECTS} for e in elements}
    return Results(len(rows), per_element, overall_index(rows, elements))


def compare(current: Estimate | None, previous: Estimate | None, z: float = Z95) -> Change | None:
    if current is None or previous is None:
        return None
    delta = current.value - previous.value
    se = sqrt(current.se ** 2 + previous.se ** 2)
    return Change(delta, se, abs(delta) > z * se)
