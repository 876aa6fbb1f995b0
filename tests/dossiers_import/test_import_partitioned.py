"""The bulk import writes through COPY into the history and audit tables once they are partitioned by month."""

import pytest
from django.db import connection

from motcua.audit.verify import verify
from motcua.dossiers.models import DossierEvent
from motcua.scale import partitions as P
from tests.dossiers_import.conftest import line, run


def test_import_lands_in_the_monthly_partitions(world):
    if connection.vendor != "postgresql" or P.is_partitioned(P.SPECS["events"]):
        pytest.skip("PostgreSQL partitions only, converted here")
    for spec in P.SPECS.values():
        P.convert(spec, ahead=0)

    report = run([line(), line(code="000.00.30.T99-250303-0001", submitted_at="2025-03-03T08:00:00+07:00",
                           received_at="2025-03-03T08:10:00+07:00",
                           history=[{"status": 2, "at": "2025-03-03T08:10:00+07:00"}])])

    assert (report.created, report.errors) == (2, [])
    table = DossierEvent._meta.db_table
    assert _count(f"{table}_default") == 5  # the empty tables got this month onwards; older rows wait here
    assert {f"{table}_2025_03", f"{table}_2026_01"} <= set(P.ensure(P.SPECS["events"], ahead=0))
    assert (_count(f"{table}_default"), _count(f"{table}_2026_01"), _count(f"{table}_2025_03")) == (0, 4, 1)
    assert verify().ok


def _count(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        return cur.fetchone()[0]
