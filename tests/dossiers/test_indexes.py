"""Decision 0003 (index diet): every lookup by a foreign key of the dossier tables, and the check PostgreSQL and
Django's collectors run before deleting the row a key points to, still has an index to read, now a composite or
a partial one. Sequential scans are switched off, so the plan shows whether any index can answer at all."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

LOOKUPS = [
    ("dossiers_dossier", "receiving_agency_id IN (1, 2)", "dossier_reception"),
    ("dossiers_dossier", "competent_agency_id = 1", "dossier_"),
    ("dossiers_dossier", "assignee_id = 1", "dossier_"),
    ("dossiers_dossier", "applicant_user_id = 1", "dossier_applicant"),
    ("dossiers_dossier", "api_client_id IN (1)", "dossier_api_client_set"),
    ("dossiers_dossier", "created_by_id = 1", "dossier_created_by_set"),
    ("dossiers_dossierevent", "dossier_id = 1", "uniq_dossier_event_seq"),
    ("dossiers_dossierevent", "actor_id = 1", "event_actor_set"),
    ("dossiers_dossierevent", "from_step_id = 1", "event_from_step_set"),
    ("dossiers_dossierevent", "to_step_id IN (1, 2)", "event_to_step_set"),
    ("dossiers_handover", "giver_user_id = 1", "handover_giver_user_set"),
    ("dossiers_handover", "receiver_user_id = 1", "handover_receiver_user_set"),
    ("dossiers_handover", "from_step_id = 1", "handover_from_step_set"),
    ("dossiers_handover", "to_step_id = 1", "handover_to_step_set"),
]


@pytest.mark.parametrize(("table", "condition", "index"), LOOKUPS)
def test_each_foreign_key_lookup_reads_an_index(table, condition, index):
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(f"EXPLAIN SELECT 1 FROM {table} WHERE {condition}")
        plan = "\n".join(row[0] for row in cur.fetchall())
        cur.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)", [table])
        partitioned = cur.fetchone()[0]
    assert "Seq Scan" not in plan and "Index" in plan, plan
    if not partitioned:  # partitions name their own indexes
        assert f" {index}" in plan, plan


def test_no_single_column_index_where_a_composite_one_leads():
    with connection.cursor() as cur:
        indexes = connection.introspection.get_constraints(cur, "dossiers_dossier")
    single = {tuple(c["columns"]) for c in indexes.values() if c["index"] and len(c["columns"]) == 1
              and not c["unique"]}
    for column in ("receiving_agency_id", "competent_agency_id", "assignee_id", "applicant_user_id"):
        assert (column,) not in single
