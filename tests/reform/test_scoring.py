"""reform.scoring with hand-computed figures (no database)."""

from datetime import date
from decimal import Decimal as D

from motcua.reform import scoring
from motcua.reform.scoring import Node

LADDER = {"source": "on_time_rate", "rule": "ladder", "steps": [[100, 5], [98, 4], [95, 3], [90, 1]]}


def test_ladder_picks_the_first_threshold_reached():
    assert scoring.propose(LADDER, 100, 5) == D("5.00")
    assert scoring.propose(LADDER, 98.5, 5) == D("4.00")
    assert scoring.propose(LADDER, 95, 5) == D("3.00")        # the threshold itself counts
    assert scoring.propose(LADDER, 94.99, 5) == D("1.00")
    assert scoring.propose(LADDER, 89.99, 5) == D("0.00")


def test_no_figure_gives_the_none_points_or_no_proposal():
    assert scoring.propose(LADDER, None, 5) is None
    assert scoring.propose({**LADDER, "none": 2}, None, 5) == D("2.00")   # "no PAKN received" = full points


def test_proportional_is_capped_and_rounded_half_up():
    rule = {"source": "sipas", "rule": "proportional"}
    assert scoring.propose(rule, 80, 30) == D("24.00")
    assert scoring.propose(rule, 61.5, 3) == D("1.85")          # 1.845 → 1.85 (half up)
    assert scoring.propose(rule, 120, 30) == D("30.00")


def test_tree_errors_catch_sums_rules_and_total():
    good = [Node("1", D(70), children=[Node("1.1", D(40)), Node("1.2", D(30), auto=LADDER)]),
            Node("2", D(30), kind="survey")]
    assert scoring.tree_errors(good) == []
    bad = [Node("1", D(70), children=[Node("1.1", D(40)), Node("1.2", D(20))]),
           Node("2", D(20), auto={"source": "x", "rule": "ladder", "steps": [[50, 1], [90, 2]]})]
    errors = scoring.tree_errors(bad)
    assert any(e.startswith("1:") for e in errors)               # 40 + 20 ≠ 70
    assert any("giảm dần" in e for e in errors)                   # thresholds must decrease
    assert any("khác 100" in e for e in errors)                   # 70 + 20 ≠ 100
    assert scoring.auto_errors({"source": "x", "rule": "ladder", "steps": [[90, 3]]}, D(2)) != []
    assert scoring.auto_errors({"source": "x", "rule": "magic"}, D(2)) != []


def test_score_checks():
    assert scoring.score_error(D("1.5"), 2) is None
    assert scoring.score_error(D("-1"), 2) == "negative"
    assert scoring.score_error(D("2.5"), 2) == "over_max"
    assert scoring.score_error(D("1.255"), 2) == "decimals"


def test_effective_prefers_the_council():
    assert scoring.effective(D("3"), None) == D("3.00")
    assert scoring.effective(D("3"), D("2.5")) == D("2.50")
    assert scoring.effective(None, None) == D("0.00")


def test_total_with_survey_and_rescaled_without():
    t = scoring.total(D("61.25"), D(70), D("24.00"), D(30))
    assert (t.total, t.rescaled) == (D("85.25"), False)
    # Hanoi rule: 56 of a 70-point non-survey maximum is 80,00 when there is no survey result.
    t = scoring.total(D(56), D(70), None, D(30))
    assert (t.total, t.rescaled, t.survey) == (D("80.00"), True, None)


def test_rank_shares_places_on_ties_and_skips_after():
    ranks = scoring.rank({"a": D("91.43"), "b": D("88.5"), "c": D("88.50"), "d": D("70"), "e": D("91.43")})
    assert ranks == {"a": 1, "e": 1, "b": 3, "c": 3, "d": 5}
    assert scoring.rank({}) == {}


def test_rank_phrase():
    assert scoring.rank_phrase(2, False, "khối sở") == "đứng thứ 2 trong khối sở"
    assert scoring.rank_phrase(3, True, "khối xã") == "đồng hạng 3 trong khối xã"


def test_completion_of_the_seed_district_plan():
    today = date(2021, 5, 26)
    rows = [("done", date(2021, 3, 1), date(2021, 2, 20))] * 15 + [("done", date(2021, 3, 1), date(2021, 3, 5))]
    rows += [("in_progress", date(2021, 4, 30), None)] * 4 + [("not_started", date(2021, 12, 1), None)] * 6
    c = scoring.completion(rows, today)
    assert (c.done, c.total, c.share) == (16, 26, D("61.5"))      # "16/26 hoạt động, đạt 61,5%"
    assert c.overdue == 5                                          # 4 open after 30/04 + 1 finished late
    assert scoring.completion([], today).share is None


def test_is_overdue():
    d = date(2026, 6, 30)
    assert scoring.is_overdue("in_progress", d, None, date(2026, 7, 1))
    assert not scoring.is_overdue("in_progress", d, None, d)       # due today is not late yet
    assert not scoring.is_overdue("done", d, d, date(2026, 12, 1))
    assert scoring.is_overdue("done", d, date(2026, 7, 2), date(2026, 7, 3))
