"""A hand-computable month (October 2026) for the Department of Construction of the small test province: nine
dossiers of two procedures (A: 1.000777, no fee, not online; B: 1.000888, fee, full online service, announced in
October), one more procedure announced late (C), two PAKN, one dissatisfied rating, one administrator-entered value.
The expected figures are worked out by hand in test_indicators.py."""

import json
from datetime import date
from decimal import Decimal

import pytest

from motcua.accounts.models import Role
from motcua.catalog.models import (
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    Variant,
)
from tests.reports.conftest import (  # noqa: F401 (fixtures)
    TEXTS,
    _tmp_record_bulk,  # noqa: F401 (autouse fixture)
    at,
    intake,
    load,
    world,
)

DEPT = "000.00.12.T99"
PC = "000.00.00.T99"
COMMUNE = "000.20.31.T99"
PERIOD = "2026-10"


@pytest.fixture(autouse=True)
def _shipped_version(request):
    """The shipped definitions, for tests that use the database: a browser test (transactional) flushes the rows
    the data migration loaded, and later tests in the same run would find no version."""
    names = set(request.fixturenames)
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from motcua.indices import definitions
    from motcua.indices.models import IndexVersion, Indicator

    definitions.load(definitions.read(definitions.BUILTIN), IndexVersion, Indicator)
    from motcua.ratings import indexdata
    from motcua.ratings.models import IndexDefinition, IndexSet

    if not IndexSet.objects.exists():  # the rating criteria (TT 01/2018), flushed the same way
        indexdata.load(json.loads(indexdata.BUILTIN.read_text(encoding="utf-8")), IndexSet, IndexDefinition)


def sup(req, done=None):
    return {"requested_at": req, "fulfilled_at": done, "items": ["Bản vẽ"]}


def build_procedure_b(dept):
    """B: citizens, a 50.000 đ fee, full online service; announced 01/10/2026 (effective 15/10, published 05/10)."""
    from motcua.catalog.services import publish

    field, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    proc = Procedure.objects.create(code="1.000888", name="Thủ tục B", field=field, level="province",
                                    applicant_type="citizen")
    proc.competent_agencies.add(dept)
    version = ProcedureVersion.objects.create(procedure=proc, decision_number="QĐ-B", decision_date=date(2026, 10, 1),
                                              effective_from=date(2026, 10, 15), **TEXTS)
    variant = Variant.objects.create(version=version, name="Trường hợp chung", legal_limit=Decimal(10),
                                     limit_unit="working_days", online_level="full")
    RequiredDocument.objects.create(variant=variant, order=1, name="Đơn đề nghị", originals=1)
    Fee.objects.create(variant=variant, name="Lệ phí", amount=50000)
    ProcessStep.objects.create(variant=variant, order=1, code="giai-quyet", name="Giải quyết", role=Role.SPECIALIST,
                               budget=Decimal(10), actions=["result_ready"], is_final=True)
    publish(version)
    # the stored publication instant and a missing component (bypassing the published-version guard on save)
    ProcedureVersion.objects.filter(pk=version.pk).update(published_at=at(2026, 10, 5), method_text="")
    return proc


def build_procedure_c(dept):
    """C: decided 01/10/2026, effective 05/10/2026 (2 working days' notice), never published."""
    field, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    proc = Procedure.objects.create(code="1.000999", name="Thủ tục C", field=field, level="province")
    proc.competent_agencies.add(dept)
    ProcedureVersion.objects.create(procedure=proc, decision_number="QĐ-C", decision_date=date(2026, 10, 1),
                                    effective_from=date(2026, 10, 5), **TEXTS)
    return proc


def october_specs():
    A, B = "1.000777", "1.000888"
    return [
        # D1 online, finished on time, digitised, electronic result delivered to the data store, VNeID
        {"code": "D1", "procedure": A, "channel": 2, "digitised": True, "e_result": True, "result_code": "KQ1",
         "result_file": "kq/1.pdf", "delivery_method": "online", "vneid_authenticated": True,
         "history": [(2, at(2026, 10, 5)), (4, at(2026, 10, 6)), (9, at(2026, 10, 9))],
         "due_at": at(2026, 10, 19, 17), "outcome": "early", "outcome_766": "on_time"},
        # D2 finished late, digitised but no electronic result
        {"code": "D2", "procedure": A, "digitised": True,
         "history": [(2, at(2026, 10, 6)), (4, at(2026, 10, 7)), (9, at(2026, 10, 20))],
         "due_at": at(2026, 10, 19, 17), "outcome": "late", "outcome_766": "late"},
        # D3 carried over from September, in progress within time
        {"code": "D3", "procedure": A, "history": [(2, at(2026, 9, 21)), (4, at(2026, 9, 22))],
         "due_at": at(2026, 11, 10, 17)},
        # D4 in progress, overdue at the end of October
        {"code": "D4", "procedure": A, "digitised": True, "history": [(2, at(2026, 10, 12)), (4, at(2026, 10, 13))],
         "due_at": at(2026, 10, 20, 17)},
        # D5 two supplement requests (both answered): late for 766 though its due date is in November
        {"code": "D5", "procedure": A,
         "history": [(2, at(2026, 10, 13)), (4, at(2026, 10, 13, 10)), (5, at(2026, 10, 14)), (4, at(2026, 10, 15)),
                     (5, at(2026, 10, 20)), (4, at(2026, 10, 21))],
         "supplements": [sup(at(2026, 10, 14), at(2026, 10, 15)), sup(at(2026, 10, 20), at(2026, 10, 21))],
         "due_at": at(2026, 11, 20, 17)},
        # D6 one supplement request answered; the supplement week moved its due date to November: within time
        {"code": "D6", "procedure": A,
         "history": [(2, at(2026, 10, 14)), (4, at(2026, 10, 14, 10)), (5, at(2026, 10, 15)), (4, at(2026, 10, 22))],
         "supplements": [sup(at(2026, 10, 15), at(2026, 10, 22))], "due_at": at(2026, 11, 5, 17)},
        # D7 online, waiting for the citizen's supplement at the period end (due date passed while waiting)
        {"code": "D7", "procedure": A, "channel": 2,
         "history": [(2, at(2026, 10, 15)), (4, at(2026, 10, 15, 10)), (5, at(2026, 10, 28))],
         "supplements": [sup(at(2026, 10, 28))], "due_at": at(2026, 10, 29, 17)},
        # D8 procedure B, online, paid online
        {"code": "D8", "procedure": B, "channel": 2, "paid_online": 1,
         "history": [(2, at(2026, 10, 16)), (4, at(2026, 10, 16, 10))], "due_at": at(2026, 11, 16, 17)},
        # D9 procedure B, at the counter, not paid online
        {"code": "D9", "procedure": B, "history": [(2, at(2026, 10, 19)), (4, at(2026, 10, 19, 10))],
         "due_at": at(2026, 11, 16, 17)},
    ]


def add_feedback(agency, code, received, *, status, handling_due, handled=None, published=None,
                 publication_due=None, likes=0, dislikes=0, dossier=None):
    from motcua.feedback.models import Feedback

    return Feedback.objects.create(
        code=code, agency=agency, status=status, title=f"Phản ánh {code}", content="Nội dung",
        sender_name="Lê Văn An", received_at=received, handling_due=handling_due, handled_at=handled,
        published_at=published, publication_due=publication_due, likes=likes, dislikes=dislikes, dossier=dossier)


@pytest.fixture
def october(world, load):  # noqa: F811
    """The October 2026 world; returns {code: Dossier} plus the staff and agencies of `world`."""
    from motcua.dossiers.models import DossierDocument
    from motcua.ratings.models import Rating
    from motcua.ratings.services import current_index_set

    build_procedure_b(world["dept"])
    build_procedure_c(world["dept"])
    dossiers = load(*october_specs())
    DossierDocument.objects.create(dossier=dossiers["D2"], name="Giấy phép cũ", reused=True)
    DossierDocument.objects.create(dossier=dossiers["D4"], name="Căn cước", from_data_store=True)
    add_feedback(world["dept"], "PA1", at(2026, 10, 5), status="published", handling_due=at(2026, 10, 26, 17),
                 handled=at(2026, 10, 8), published=at(2026, 10, 9), publication_due=at(2026, 10, 13, 17), likes=3)
    add_feedback(world["dept"], "PA2", at(2026, 10, 20), status="handling", handling_due=at(2026, 10, 27, 17),
                 likes=1, dislikes=2, dossier=dossiers["D6"])
    rating = Rating.objects.create(dossier=dossiers["D1"], index_set=current_index_set(date(2026, 10, 10)),
                                   overall="dissatisfied")
    Rating.objects.filter(pk=rating.pk).update(created_at=at(2026, 10, 12))  # rated in October
    return {**world, **dossiers}


@pytest.fixture
def sync_value(october):
    """Indicator 1.4 entered by a province administrator: 8 of 9 dossiers synchronised."""
    from django.utils import timezone

    from motcua.indices.models import Indicator, ManualIndicatorValue

    return ManualIndicatorValue.objects.create(unit=october["dept"], period=PERIOD,
                                               indicator=Indicator.objects.get(version__code="QD766-2022", code="1.4"),
                                               numerator=8, denominator=9, entered_at=timezone.now())
