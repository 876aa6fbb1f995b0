"""The deadline sweep: warn officers before a dossier's or its current step's due instant.

Set-based, not per dossier: for each slice of dossier ids, one `INSERT … SELECT … ON CONFLICT DO NOTHING` writes a
`DeadlineWarning` for every open, running (not paused) dossier whose due instant falls within the lead time, and
another for its current step. The unique (dossier, kind, due instant) makes a re-run write nothing and a moved
deadline warned again. Slices of `chunk` ids keep each transaction short on a table of millions of rows.
Warned: the dossier's assignee (null when nobody is assigned: the agency's inbox shows it), at the competent agency
for the dossier deadline, at the current step's agency (or the competent agency) for the step deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from motcua.catalog.models import ProcessStep
from motcua.dossiers.models import RUNNING_STATUSES, Dossier
from motcua.scale.models import DeadlineWarning, WarningKind

DEFAULT_LEAD = timedelta(hours=24)
CHUNK = 200_000
RUNNING = tuple(sorted(int(s) for s in RUNNING_STATUSES))  # the legal clock runs; 5 and 6 wait for the applicant

_SQL = """
INSERT INTO {warning} (dossier_id, kind, due_at, officer_id, agency_id, created_at)
SELECT d.id, %s, d.{due}, d.assignee_id, {agency}, %s
FROM {dossier} d {join}
WHERE d.id BETWEEN %s AND %s AND d.status IN ({running}) AND d.paused_since IS NULL
  AND d.{due} > %s AND d.{due} <= %s
ON CONFLICT (dossier_id, kind, due_at) DO NOTHING
"""


def _statement(kind: str) -> str:
    q = connection.ops.quote_name
    names = {"warning": q(DeadlineWarning._meta.db_table), "dossier": q(Dossier._meta.db_table),
             "running": ", ".join(str(s) for s in RUNNING)}
    if kind == WarningKind.DOSSIER:
        return _SQL.format(due="due_at", agency="d.competent_agency_id", join="", **names)
    join = f"LEFT JOIN {q(ProcessStep._meta.db_table)} s ON s.id = d.current_step_id"
    return _SQL.format(due="step_due_at", agency="COALESCE(s.agency_id, d.competent_agency_id)", join=join, **names)


def sweep(*, now: datetime | None = None, lead: timedelta = DEFAULT_LEAD, chunk: int = CHUNK) -> dict[str, int]:
    """Write the warnings due now; returns how many new warnings of each kind were written."""
    now = now or timezone.now()
    bounds = Dossier.objects.filter(status__in=RUNNING).aggregate(lo=Min("id"), hi=Max("id"))
    written = {WarningKind.DOSSIER.value: 0, WarningKind.STEP.value: 0}
    if bounds["lo"] is None:
        return written
    statements = {kind: _statement(kind) for kind in written}
    for start in range(bounds["lo"], bounds["hi"] + 1, chunk):
        with transaction.atomic(), connection.cursor() as cursor:
            for kind, sql in statements.items():
                cursor.execute(sql, [kind, now, start, start + chunk - 1, now, now + lead])
                written[kind] += max(cursor.rowcount, 0)
    return written
