"""Reform fixtures: the reports test province (department with a 10-working-day procedure, staff tn/cv/ld/tt) plus
a leader of the other department (ld2), the provincial reform office (cchc), a citizen; a small criteria set with
hand-countable points; helpers to import dossiers (`load`, from the reports tests) and build a plan."""

from datetime import date
from decimal import Decimal

import pytest

from motcua.accounts.models import Role
from motcua.reform import criteria, par
from motcua.reform.models import Activity, CriteriaSet, Criterion, Plan
from tests.factories import UserFactory, staff
from tests.reports.conftest import at, load, world  # noqa: F401 (fixtures)

SMALL_SET = {
    "code": "TEST-SO", "version": 1, "name": "Bộ tiêu chí thử", "decision": "QĐ thử", "unit_kind": "department",
    "effective_year": 2026,
    "criteria": [
        {"code": "1", "title": "Chỉ đạo, điều hành", "max": 10, "children": [
            {"code": "1.1", "title": "Hoàn thành kế hoạch", "max": 4,
             "auto": {"source": "plan_completion", "rule": "ladder", "steps": [[100, 4], [80, 3], [70, 1]]}},
            {"code": "1.2", "title": "Báo cáo", "max": 6}]},
        {"code": "2", "title": "Thủ tục hành chính", "max": 60, "children": [
            {"code": "2.1", "title": "Đúng hạn", "max": 20,
             "auto": {"source": "on_time_rate", "rule": "ladder", "steps": [[100, 20], [95, 15], [90, 10]]}},
            {"code": "2.2", "title": "Trực tuyến", "max": 10,
             "auto": {"source": "online_rate", "rule": "ladder", "steps": [[80, 10], [50, 6], [30, 4]]}},
            {"code": "2.3", "title": "PAKN", "max": 10,
             "auto": {"source": "pakn_on_time", "rule": "ladder", "steps": [[100, 10], [90, 5]], "none": 10}},
            {"code": "2.4", "title": "Hài lòng", "max": 10,
             "auto": {"source": "satisfaction", "rule": "ladder", "steps": [[95, 10], [80, 5]]}},
            {"code": "2.5", "title": "Công khai", "max": 10}]},
        {"code": "3", "title": "Điều tra xã hội học", "max": 30, "kind": "survey", "children": [
            {"code": "3.1", "title": "SIPAS", "max": 30, "auto": {"source": "sipas", "rule": "proportional"}}]},
    ],
}


@pytest.fixture
def people(world):  # noqa: F811
    return {**world, "ld2": staff("ld2", world["other_dept"], Role.LEADER),
            "cv2": staff("cv2", world["other_dept"], Role.SPECIALIST),
            "cchc": staff("cchc", world["pc"], Role.REFORM_OFFICE),
            "citizen": UserFactory(username="dan")}


@pytest.fixture
def small_set(db):
    cset, _created = criteria.load(SMALL_SET, CriteriaSet, Criterion)
    return cset


@pytest.fixture
def no_sipas(monkeypatch):
    """SIPAS without responses (the surveys app answers None)."""
    from motcua.surveys import services

    monkeypatch.setattr(services, "satisfaction_index", lambda agency, date_from, date_to: None)


@pytest.fixture
def round_(people, small_set, no_sipas):
    return par.open_round(small_set, people["pc"], 2026, [people["dept"], people["other_dept"]])


def make_plan(agency, year, states, today_deadline=date(2026, 6, 30)) -> Plan:
    """A plan with one activity per state ('d' done on its deadline, 'p' in progress, 'n' not started)."""
    plan = Plan.objects.create(agency=agency, year=year, title=f"Kế hoạch CCHC năm {year}")
    for i, state in enumerate(states):
        Activity.objects.create(plan=plan, area="procedures" if i % 2 else "direction", order=i + 1,
                                title=f"Nhiệm vụ {i + 1}", responsible=agency, deadline=today_deadline,
                                status={"d": "done", "p": "in_progress", "n": "not_started"}[state],
                                done_on=today_deadline if state == "d" else None)
    return plan


D = Decimal
