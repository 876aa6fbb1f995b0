"""The demo step: a plan of 26 activities (16 done) and a closed, scored PAR round of the departments;
idempotent."""

import io

import pytest

from motcua.reform import demo, par, plans
from motcua.reform.models import Phase, Plan, Round
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_demo_plan_and_round(no_sipas):
    pc = AgencyFactory(code=demo.PC, name="UBND tỉnh Bắc Ninh")
    for i, code in enumerate(demo.DEPARTMENTS):
        AgencyFactory(code=code, name=f"Sở {i}", parent=pc)
    out = io.StringIO()
    demo.load(out)
    demo.load(out)                                                   # second run writes nothing
    plan = Plan.objects.get()
    overall = plans.summary(plan)["overall"]
    assert (overall.done, overall.total) == (16, 26)
    assert plans.completion_phrase(overall) == "16/26 nhiệm vụ, đạt 61,5 %"
    assert {a.status for a in plan.activities.all()} == {"done", "in_progress", "not_started"}
    rnd = Round.objects.get()
    assert rnd.phase == Phase.CLOSED
    rows = par.results(rnd)
    assert len(rows) == 7 and rows[0]["rank"] == 1
    assert all(r["total"].rescaled for r in rows)                    # no SIPAS responses: rescaled to 100
    adjusted = [s for a in rnd.assessments.all() for s in a.scores.all() if s.appraised is not None]
    assert adjusted and all(s.appraisal_reason and s.appraised < s.self_score for s in adjusted)
