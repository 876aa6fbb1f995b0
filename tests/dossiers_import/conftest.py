"""A small province with one published procedure (10 working days, resume policy; a second variant in working
hours) and helpers building valid import lines (`line(**changes)`) and running an import (`run(lines)`)."""

import copy
import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.models import Role
from motcua.catalog.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredDocument, Variant
from motcua.dossiers.importer import import_file, import_records
from tests.factories import staff

TEXTS = {k: "nội dung" for k in ("steps_text", "method_text", "applicants_text", "implementing_agency_text",
                                   "result_text", "requirements_text", "legal_basis")}
PROC = "1.009999"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def build_catalogue(province):
    from motcua.catalog.services import publish

    field, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    proc = Procedure.objects.create(code=PROC, name="Cấp giấy phép xây dựng", field=field, level="province")
    proc.competent_agencies.add(province["dept"])
    version = ProcedureVersion.objects.create(procedure=proc, decision_number="QĐ-1", decision_date=date(2024, 12, 1),
                                              effective_from=date(2025, 1, 1), **TEXTS)
    days = Variant.objects.create(version=version, order=1, name="Trường hợp chung", legal_limit=Decimal(10),
                                  limit_unit="working_days")
    hours = Variant.objects.create(version=version, order=2, name="Cấp lại", legal_limit=Decimal(16),
                                   limit_unit="working_hours")
    for variant in (days, hours):
        RequiredDocument.objects.create(variant=variant, order=1, name="Đơn đề nghị", originals=1)
        for order, (code, role, agency, actions) in enumerate([
            ("tiep-nhan", Role.RECEPTION, province["centre"], ["forward", "hand_over", "request_supplement"]),
            ("tham-dinh", Role.SPECIALIST, None, ["forward", "request_supplement", "result_ready"]),
            ("phe-duyet", Role.LEADER, None, ["approve", "result_ready"]),
        ], start=1):
            ProcessStep.objects.create(variant=variant, order=order, code=code, name=code, role=role, agency=agency,
                                       budget=Decimal(2), actions=actions, is_final=order == 3)
    publish(version)
    return proc, days, hours


@pytest.fixture
def world(province):
    proc, days, hours = build_catalogue(province)
    return {**province, "procedure": proc, "days": days, "hours": hours,
            "tn": staff("tn", province["centre"], Role.RECEPTION)}


BASE = {
    "code": "000.00.30.T99-260105-0007",
    "procedure": PROC,
    "receiving_agency": "000.00.30.T99",
    "competent_agency": "000.00.12.T99",
    "channel": 1,
    "applicant": {"kind": "person", "name": "Trần Thị Bình", "personal_id": "001203012345", "phone": "0912345678",
                  "address": "Số 1 Lý Thái Tổ"},
    "submitted_at": "2026-01-05T08:50:00+07:00",
    "received_at": "2026-01-05T09:00:00+07:00",
    "history": [
        {"status": 2, "at": "2026-01-05T09:00:00+07:00", "actor": "Nguyễn Văn An"},
        {"status": 4, "at": "2026-01-05T14:00:00+07:00"},
        {"status": 9, "at": "2026-01-09T11:00:00+07:00"},
        {"status": 10, "at": "2026-01-12T09:00:00+07:00"},
    ],
}


def line(**changes) -> dict:
    """A valid line (a finished, delivered dossier) with top-level keys replaced; None removes a key."""
    out = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def run(records, **kwargs):
    return import_records(records, **kwargs)


def run_file(tmp_path, texts, **kwargs):
    path = tmp_path / "hoso.jsonl"
    path.write_text("\n".join(t if isinstance(t, str) else json.dumps(t, ensure_ascii=False) for t in texts) + "\n",
                    encoding="utf-8")
    return import_file(path, **kwargs), path


def refuse_batches_with(monkeypatch, code: str) -> None:
    """BatchWriter.write refuses (IntegrityError, like a code inserted meanwhile) any batch holding `code`."""
    from django.db import IntegrityError

    from motcua.dossiers.importer import BatchWriter

    original = BatchWriter.write

    def flaky(self, plans):
        if any(p.code == code for p in plans):
            raise IntegrityError("duplicate key value violates unique constraint")
        return original(self, plans)

    monkeypatch.setattr(BatchWriter, "write", flaky)
