"""The bulk import adds its dossiers' contributions from facts computed in memory (`rollups.on_imported`): the day,
month and year rows and the stored facts must be exactly what `rebuild()` recomputes from the dossier tables."""

from datetime import date

import pytest

from motcua.audit.services import verify
from motcua.dossiers.demo import build_records
from motcua.dossiers.importer import import_records
from motcua.reports.models import DossierFact
from motcua.reports.rollups import rebuild
from tests.dossiers_import.test_demo import load_demo_province
from tests.reports.test_rebuild_property import table

pytestmark = pytest.mark.django_db


def stored_facts() -> dict:
    return dict(DossierFact.objects.values_list("dossier_id", "facts"))


def test_imported_rollups_equal_a_rebuild():
    """Demo stories (every status, supplements, hand-overs, refusals before reception) in small batches, so keys
    recur across batches and inside one; a bad line in the middle writes nothing of its own."""
    load_demo_province()
    records = list(build_records(300, ref=date(2026, 11, 1), seed=11))
    records.insert(150, {**records[0], "code": "BAD-1", "channel": 99})
    report = import_records(records, batch_size=64)
    assert report.created == 300 and [e.line for e in report.errors] == [151]
    imported, facts = table(), stored_facts()
    assert imported and len(facts) == 300
    rebuild()
    assert table() == imported
    assert stored_facts() == facts
    assert verify().ok


def test_reimport_changes_no_rollup():
    load_demo_province()
    records = list(build_records(60, ref=date(2026, 11, 1), seed=5))
    import_records(records, batch_size=25)
    before = table()
    report = import_records(records, batch_size=25)
    assert (report.created, report.skipped_existing) == (0, 60)
    assert table() == before
