"""`raw_counts` (the report over the dossier table) in a bounded number of queries, whatever the number of measures,
groups and dossiers; its handling seconds summed in the database exactly as the rollups store them."""

from datetime import date, timedelta

import pytest

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.reports.report import HandlingSeconds, raw_counts
from motcua.reports.units import unit_agency_ids
from tests.reports.conftest import at
from tests.reports.test_period import DEPT_SPECS, PC


@pytest.mark.parametrize("definition", ["local", "766"])
@pytest.mark.parametrize("group", [None, "channel", "assignee"])
def test_one_query_per_part_of_the_dossiers_and_one_over_the_requests(load, definition, group,
                                                                      django_assert_max_num_queries):
    load(*DEPT_SPECS)
    ids = unit_agency_ids(Agency.objects.get(code=PC))
    with django_assert_max_num_queries(11) as captured:  # PostgreSQL: plus a savepoint and two SET LOCAL
        counts = raw_counts(ids, date(2026, 1, 1), date(2026, 3, 31), definition, group)
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    # whether the unit holds every agency; settled (active / uncollected), open at the end, never received (ended /
    # delivered); requests
    assert len(selects) == 7
    total = counts if group is None else {k: sum(row[k] for row in counts.values()) for k in ("received", "finished")}
    assert total["received"] == 8 and total["finished"] == (3 if definition == "local" else 5)


@pytest.mark.parametrize("received, finished", [
    (at(2026, 1, 5, 9), at(2026, 1, 5, 9) + timedelta(microseconds=999_999)),  # under a second: 0
    (at(2026, 1, 5, 9) + timedelta(microseconds=900_000), at(2026, 1, 5, 9, 0) + timedelta(seconds=1, microseconds=1)),
    (at(2026, 1, 5, 9) + timedelta(microseconds=1), at(2026, 1, 9, 17) + timedelta(microseconds=1)),  # exact
    (at(2026, 1, 5, 9) + timedelta(microseconds=500_000), at(2026, 3, 9, 17)),
    (at(2026, 1, 5, 9), at(2026, 1, 4, 9) + timedelta(microseconds=300)),  # finished before received: 0
])
def test_handling_seconds_floor_whole_seconds_per_dossier(load, received, finished):
    dossier = next(iter(load(DEPT_SPECS[1]).values()))
    Dossier.objects.filter(pk=dossier.pk).update(received_at=received, finished_at=finished)
    seconds = Dossier.objects.filter(pk=dossier.pk).annotate(s=HandlingSeconds()).values_list("s", flat=True).get()
    assert seconds == max(int((finished - received).total_seconds()), 0)


@pytest.mark.django_db
def test_postgresql_reads_the_active_dossiers_through_the_brin_index_on_their_last_activity():
    """Migration 0006 builds the BRIN index from `last_activity()`: if the expression changes without a new index,
    the planner can no longer match it and the raw-table report scans the whole table again."""
    from django.db import connection

    from motcua.dossiers.models import last_activity

    if connection.vendor != "postgresql":
        pytest.skip("BRIN indexes are PostgreSQL's")
    qs = Dossier.objects.alias(_last=last_activity()).filter(_last__gte=at(2026, 1, 1, 0))
    with connection.cursor() as cur:
        # the B-tree on (agency, last activity) would serve too: dropped inside the test's transaction (rolled back)
        cur.execute("DROP INDEX dossier_agency_last_activity")
        cur.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "dossier_last_activity_brin" in plan


@pytest.mark.django_db(transaction=True)
def test_planner_settings_end_with_the_report(province):
    """SET LOCAL in a transaction of its own: nothing stays on the connection (PgBouncer in transaction mode would
    hand it to another client), and the report itself ran with sequential scans priced out."""
    from django.db import connection

    from motcua.reports import report

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL planner settings")
    def settings():
        with connection.cursor() as cur:
            cur.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
            return cur.fetchone()

    before = settings()
    with report._raw_planner("default"):
        inside = settings()
    raw_counts(unit_agency_ids(Agency.objects.get(code=province["pc"].code)), date(2026, 1, 1), date(2026, 1, 31))
    assert inside == ("off", "off") and settings() == before == ("on", before[1])
