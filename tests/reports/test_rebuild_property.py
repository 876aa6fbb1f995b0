"""Property: random dossier histories driven through the real intake and engine (rollups maintained by the hook in
each transaction) give exactly the rollup tables (day rows, month and year rows) that `rebuild()` recomputes from the
dossier tables, also after a partial rebuild of a range that cuts months."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.accounts.models import Role
from motcua.core.api_errors import DomainError
from motcua.dossiers.engine import perform
from motcua.reports.facts import COUNTERS
from motcua.reports.models import DailyRollup, PeriodRollup
from motcua.reports.report import period_report, raw_period_report
from motcua.reports.rollups import rebuild
from tests.factories import staff
from tests.reports.conftest import at

# Weighted: terminal actions are rare so histories get long (supplements, payments, extensions, routes).
ACTIONS = ("forward",) * 3 + ("request_supplement",) * 3 + ("receive_supplement",) * 3 + (
    "request_payment", "confirm_payment", "confirm_payment", "result_ready", "result_ready", "deliver", "deliver",
    "extend", "extend", "route", "approve", "receive", "receive", "stop", "withdraw", "refuse")


def table() -> dict:
    """Day rows keyed ("d", agency, procedure, channel, day), month and year rows keyed (grain, ..., start)."""
    days = {("d", *row[:4]): row[4:] for row in DailyRollup.objects.values_list(
        "agency_id", "procedure_id", "channel", "day", *COUNTERS)}
    return days | {(row[0], *row[1:5]): row[5:] for row in PeriodRollup.objects.values_list(
        "grain", "agency_id", "procedure_id", "channel", "start", *COUNTERS)}


def params(action, d, world, now, rnd):
    if action == "request_supplement":
        return {"items": ["Bản vẽ thiết kế"]}
    if action == "confirm_payment":
        return {"paid_online": rnd % 3}
    if action == "result_ready" and rnd % 2:
        return {"result_code": f"KQ-{d.pk}", "result_file": f"kq/{d.pk}.pdf"}
    if action == "deliver":
        return {"method": "counter"}
    if action in ("stop", "refuse"):
        return {"reason": "Không đủ điều kiện"}
    if action == "extend":
        return {"reason": "Cần xác minh thêm", "new_due": (d.due_at or now) + timedelta(days=3)}
    if action == "route":
        target = world["commune"] if d.competent_agency_id == world["dept"].pk else world["dept"]
        return {"agency_id": target.pk}
    return {}


def run_script(world, actors, intake, script) -> None:
    start_day, channel, receive, steps = script
    now = at(2026, 1, 5, 8) + timedelta(days=start_day, hours=start_day % 9)
    d = intake(now, channel=channel, receive=receive)
    for action_ix, gap_hours, rnd in steps:
        now += timedelta(hours=gap_hours)
        action = ACTIONS[action_ix]
        d.refresh_from_db()
        for actor in actors:
            try:
                perform(d.pk, action, actor, now=now, **params(action, d, world, now, rnd))
                break
            except DomainError:
                continue


def histories_from(seed: int) -> list:
    """Several dossiers with long random histories (hypothesis picks and shrinks the seed)."""
    import random

    rnd = random.Random(seed)
    return [(rnd.randint(0, 40), rnd.choice([1, 2, 3, 4]), rnd.random() < 0.8,
             [(rnd.randrange(len(ACTIONS)), rnd.choice([1, 2, 5, 20, 30, 70, 200]), rnd.randrange(6))
              for _ in range(rnd.randint(3, 16))])
            for _ in range(rnd.randint(1, 5))]


@pytest.mark.django_db
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_incremental_equals_rebuilt(world, intake, seed):
    actors = [world["tn"], world["cv"], world["ld"],
              staff("cvx", world["commune"], Role.SPECIALIST), staff("ldx", world["commune"], Role.LEADER),
              staff("tnx", world["commune"], Role.RECEPTION)]
    histories = histories_from(seed)
    for script in histories:
        run_script(world, actors, intake, script)
    incremental = table()
    assert any(key[0] == "y" for key in incremental) or not any(key[0] == "d" for key in incremental)
    rebuild()
    assert table() == incremental
    rebuild("2026-01-20", "2026-02-10")  # a range that cuts months: their month and year rows are summed again
    assert table() == incremental
    # and the report read from the rollups equals the same report counted over the dossier table
    for start, end in (("2026-01-10", "2026-02-20"), ("2026-02-01", "2026-06-30")):
        for definition in ("local", "766"):
            fast = period_report(world["pc"], start, end, definition=definition)
            assert fast == raw_period_report(world["pc"], start, end, definition=definition)


def test_engine_events_update_rollups_in_the_same_transaction(world, intake):
    """No explicit hook call: the intake and the transitions themselves keep the table current; a transition that is
    refused leaves it untouched."""
    d = intake(at(2026, 1, 5, 9))
    perform(d.pk, "forward", world["tn"], now=at(2026, 1, 5, 10))
    perform(d.pk, "request_supplement", world["cv"], now=at(2026, 1, 6, 10), items=["Bản vẽ"])
    before = table()
    with pytest.raises(DomainError):
        perform(d.pk, "deliver", world["tn"], now=at(2026, 1, 7, 10), method="counter")
    assert table() == before
    perform(d.pk, "receive_supplement", world["tn"], now=at(2026, 1, 8, 10))
    perform(d.pk, "result_ready", world["cv"], now=at(2026, 1, 9, 10))
    incremental = table()
    for grain in ("d", "m", "y"):
        rows = [v for k, v in incremental.items() if k[0] == grain]
        assert sum(v[COUNTERS.index("finished")] for v in rows) == 1
        assert sum(v[COUNTERS.index("supplement_requested")] for v in rows) == 1
    rebuild()
    assert table() == incremental
