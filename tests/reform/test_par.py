"""PAR rounds: criteria sets as data, proposals from the system's data (hand-computed), self-assessment,
appraisal with reasons, phase locks, totals and ranking with ties, the survey component."""

import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from motcua.audit.models import AuditRecord
from motcua.core.api_errors import DomainError
from motcua.reform import criteria, par
from motcua.reform.models import CriteriaSet, Criterion, Phase, Round, Score
from tests.reform.conftest import SMALL_SET, at, make_plan

pytestmark = pytest.mark.django_db


def scores(assessment) -> dict[str, Score]:
    return {s.criterion.code: s for s in assessment.scores.select_related("criterion")}


def test_shipped_sets_are_loaded_by_the_migration():
    dept = CriteriaSet.objects.get(code="PAR-TINH-SO", version=1)
    commune = CriteriaSet.objects.get(code="PAR-TINH-XA", version=1)
    for cset in (dept, commune):
        roots = cset.criteria.filter(parent=None)
        assert sum(r.max_points for r in roots) == D(100)
        assert roots.get(kind="survey").max_points == D(30)
        assert roots.count() == 8                                   # seven areas + the survey
        assert cset.criteria.filter(uncertain=True).exists()        # unverified items are marked as data
        sources = {c.auto["source"] for c in cset.criteria.exclude(auto={})}
        assert sources == {"plan_completion", "on_time_rate", "online_rate", "pakn_on_time", "satisfaction", "sipas"}
    assert (dept.unit_kind, commune.unit_kind) == ("department", "commune")


def test_loading_is_idempotent_and_checked():
    first, created = criteria.load(SMALL_SET, CriteriaSet, Criterion)
    again, created_again = criteria.load(SMALL_SET, CriteriaSet, Criterion)
    assert created and not created_again and first.pk == again.pk
    broken = {**SMALL_SET, "code": "BROKEN", "criteria": SMALL_SET["criteria"][:2]}       # 70 points only
    with pytest.raises(criteria.CriteriaError, match="khác 100"):
        criteria.load(broken, CriteriaSet, Criterion)


def test_open_round_creates_one_score_per_leaf(round_):
    a = round_.assessments.get(agency__code="000.00.12.T99")
    assert sorted(scores(a)) == ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1"]
    assert AuditRecord.objects.filter(stream=f"reform:round:{round_.pk}", action="open").exists()


def test_proposals_from_hand_computed_data(people, round_, load, monkeypatch):
    # 10 dossiers finished in 2026 at the department: 9 on time or early, 1 late → 90 %; 4 of 10 online → 40 %.
    specs = []
    for i in range(10):
        t = at(2026, 3, 2 + i)
        specs.append({"code": f"T-{i:02d}", "channel": 2 if i < 4 else 1, "received_at": t,
                      "outcome": "late" if i == 0 else ("early" if i % 2 else "on_time"),
                      "history": [(1, t), (2, t), (4, t + timedelta(hours=2)), (9, t + timedelta(days=3))]})
    load(*specs)
    make_plan(people["dept"], 2026, "dddp")                    # 3 of 4 done = 75 %
    monkeypatch.setattr("motcua.surveys.services.satisfaction_index", lambda agency, f, t: 80.0)
    a = round_.assessments.get(agency=people["dept"])
    assert par.refresh_figures(a) == 6
    s = scores(a)
    assert s["2.1"].proposed == D("10.00") and s["2.1"].figures["value"] == 90.0     # ladder step 90 → 10
    assert s["2.1"].figures["details"] == {"finished": 10, "finished_early": 5, "finished_on_time": 4,
                                           "finished_late": 1}
    assert "tỷ lệ đúng hạn 90 %" in s["2.1"].figures["text"]
    assert s["2.2"].proposed == D("4.00") and s["2.2"].figures["value"] == 40.0      # 30 ≤ 40 < 50 → 4
    assert s["2.3"].proposed == D("10.00") and s["2.3"].figures["value"] is None     # no PAKN: full points
    assert s["2.4"].proposed is None                                                 # no rating: no proposal
    assert s["1.1"].proposed == D("1.00") and s["1.1"].figures["details"]["done"] == 3   # 75 % → 1
    assert s["3.1"].proposed == D("24.00")                                           # 30 × 80 %
    other = round_.assessments.get(agency=people["other_dept"])
    par.refresh_figures(other)
    assert scores(other)["2.1"].figures["value"] is None and scores(other)["1.1"].proposed is None


def test_self_assessment_lock_appraisal_lock(people, round_):
    a = round_.assessments.get(agency=people["dept"])
    with pytest.raises(PermissionDenied):
        par.save_self(a, people["ld2"], {"1.2": {"score": "3"}})                 # another department
    with pytest.raises(PermissionDenied):
        par.save_self(a, people["tt"], {"1.2": {"score": "3"}})                  # inspector reads only
    with pytest.raises(DomainError) as exc:
        par.save_self(a, people["cv"], {"1.2": {"score": "7"}, "2.5": {"score": "abc"}, "9.9": {"score": "1"}})
    assert exc.value.status == 422 and set(exc.value.fields) == {"score-1.2", "score-2.5", "score-9.9"}
    par.save_self(a, people["cv"], {"1.2": {"score": "5,5", "note": "Đủ báo cáo"}, "2.5": {"score": "10"}})
    assert scores(a)["1.2"].self_score == D("5.5") and scores(a)["1.2"].self_by == people["cv"]
    with pytest.raises(DomainError) as exc:
        par.save_appraisal(a, people["cchc"], {"1.2": {"score": "5"}})
    assert exc.value.code == "locked" and exc.value.status == 409               # self-assessment still open
    with pytest.raises(PermissionDenied):
        par.close_phase(round_, people["ld"], "self")                           # only the council locks
    round_ = par.close_phase(round_, people["cchc"], "self")
    assert round_.phase == Phase.APPRAISAL and round_.self_closed_at
    a.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        par.save_self(a, people["cv"], {"1.2": {"score": "6"}})
    assert exc.value.code == "locked" and "Đã khóa tự đánh giá" in exc.value.message
    with pytest.raises(PermissionDenied):
        par.save_appraisal(a, people["ld"], {"1.2": {"score": "5"}})
    with pytest.raises(DomainError) as exc:
        par.save_appraisal(a, people["cchc"], {"1.2": {"score": "5"}, "2.5": {"score": "10"}})
    assert set(exc.value.fields) == {"reason-1.2"}                              # differs without a reason
    assert scores(a)["2.5"].appraised is None                                   # nothing saved on error
    par.save_appraisal(a, people["cchc"], {"1.2": {"score": "5", "reason": "Thiếu báo cáo quý III"},
                                           "2.5": {"score": "10"}})
    assert scores(a)["1.2"].appraised == D("5") and scores(a)["1.2"].appraisal_reason
    with pytest.raises(DomainError):
        par.close_phase(round_, people["cchc"], "self")                         # already locked
    round_ = par.close_phase(round_, people["cchc"], "appraisal")
    a.refresh_from_db()
    for attempt in (lambda: par.save_appraisal(a, people["cchc"], {"1.2": {"score": "6", "reason": "x"}}),
                    lambda: par.refresh_figures(a)):
        with pytest.raises(DomainError) as exc:
            attempt()
        assert exc.value.code == "locked"
    assert AuditRecord.objects.filter(stream=f"reform:round:{round_.pk}", action="close_appraisal").exists()


def _score(a, values, appraised=None):
    for code, value in values.items():
        Score.objects.filter(assessment=a, criterion__code=code).update(self_score=D(value))
    for code, value in (appraised or {}).items():
        Score.objects.filter(assessment=a, criterion__code=code).update(appraised=D(value), appraisal_reason="x")


def test_totals_and_ranking_with_ties(people, small_set, no_sipas):
    third = people["centre"]
    rnd = par.open_round(small_set, people["pc"], 2026, [people["dept"], people["other_dept"], third])
    a, b, c = (rnd.assessments.get(agency=u) for u in (people["dept"], people["other_dept"], third))
    _score(a, {"1.2": "6", "2.5": "10", "2.1": "20"}, appraised={"2.1": "18"})     # 6 + 10 + 18 = 34 of 70
    _score(b, {"1.2": "4", "2.5": "10", "2.1": "20"})                              # 34
    _score(c, {"1.2": "6", "2.5": "10", "2.1": "20", "2.2": "5"})                  # 41
    Score.objects.filter(assessment__in=[a, b, c], criterion__code="3.1").update(proposed=D("24"))
    rows = par.results(rnd)
    assert [(r["assessment"].agency.code, r["total"].total, r["rank"]) for r in rows] == [
        (third.code, D("65.00"), 1), (people["other_dept"].code, D("58.00"), 2), (people["dept"].code, D("58.00"), 2)]
    assert rows[0]["phrase"] == "đứng thứ 1 trong khối sở"
    assert rows[1]["phrase"] == "đồng hạng 2 trong khối sở"


def test_without_survey_the_score_is_rescaled(people, round_):
    a = round_.assessments.get(agency=people["dept"])
    _score(a, {"1.2": "6", "2.5": "10", "2.1": "20", "2.2": "10", "2.3": "10"})    # 56 of 70
    t = par.unit_total(a)
    assert (t.assessed, t.survey, t.total, t.rescaled) == (D("56.00"), None, D("80.00"), True)


def test_par_round_command(people, small_set, no_sipas):
    from django.core.management import CommandError, call_command

    call_command("par-round", "--set", "TEST-SO", "--year", "2026", "--organiser", people["pc"].code, "--refresh",
                 stdout=io.StringIO())
    rnd = Round.objects.get(criteria_set=small_set)
    assert {a.agency.code for a in rnd.assessments.all()} == {people["dept"].code, people["other_dept"].code}
    assert Score.objects.filter(assessment__round=rnd, criterion__code="2.3", proposed=D("10")).count() == 2
    with pytest.raises(CommandError, match="đã có"):
        call_command("par-round", "--set", "TEST-SO", "--year", "2026", "--organiser", people["pc"].code)
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        call_command("par-round", "--set", "TEST-SO", "--year", "2027", "--organiser", people["pc"].code,
                     "--units", "999.99.99.X99")
