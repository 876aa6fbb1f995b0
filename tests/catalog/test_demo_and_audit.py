"""Demo loader (idempotent, through the importer) and the audit trail of catalogue changes."""

import io
import json
from datetime import date

import pytest

from motcua.catalog import demo
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import create_version, publish
from tests.catalog.conftest import sample_catalog

pytestmark = pytest.mark.django_db


def test_demo_loads_the_data_file_once(province, tmp_path):
    path = tmp_path / "demo_procedures.json"
    path.write_text(json.dumps(sample_catalog(), ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    demo.load(out, path)
    assert Procedure.objects.count() == 4 and "4 mới" in out.getvalue()
    again = io.StringIO()
    demo.load(again, path)
    assert "0 mới, 0 cập nhật, 4 không đổi" in again.getvalue()


def test_demo_without_data_file_says_so(db, tmp_path):
    out = io.StringIO()
    demo.load(out, tmp_path / "missing.json")
    assert "bỏ qua" in out.getvalue() and Procedure.objects.count() == 0


def test_real_demo_file_when_present(db):
    """The shipped demo data must import cleanly against the demo province (skipped until it exists)."""
    if not demo.DATA_FILE.is_file():
        pytest.skip("demo_procedures.json not written yet")
    from motcua.agencies import demo as agencies_demo

    agencies_demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert Procedure.objects.exists()


def test_publish_is_audited_in_catalog_stream(catalog):
    audit = pytest.importorskip("motcua.audit.services")
    before = audit.stream_records("catalog").count()
    procedure = Procedure.objects.get(code="1.000894")
    source = ProcedureVersion.objects.get(decision_number="20/QĐ-UBND")
    draft = create_version(procedure, decision_number="99/QĐ-UBND", decision_date=date(2027, 1, 1),
                           effective_from=date(2027, 1, 1), copy_from=source)
    publish(draft)
    records = list(audit.stream_records("catalog")[before:])
    actions = [(r.action, r.target_type) for r in records]
    assert ("publish", "catalog.ProcedureVersion") in actions
    assert any(t == "catalog.processstep" for _a, t in actions)  # model tracking of the copied steps
    closing = [r for r in records if r.target_id == str(source.pk) and r.action != "publish"]
    assert closing and closing[-1].new == {"effective_to": "2026-12-31"}
