"""SIPAS test world: the payments world (procedure 2.000001 handled by the department) plus finished dossiers and
staff with survey roles. `clone` copies a finished dossier row with another applicant — sampling only reads
dossier rows, and driving hundreds of dossiers through the engine would make the tests slow."""

from datetime import date

import pytest

from motcua.accounts.models import Role
from motcua.dossiers.models import Dossier
from motcua.surveys import services
from motcua.surveys.questionnaire import ensure_builtin
from tests.factories import staff
from tests.payments.world import make_dossier, world  # noqa: F401 (fixtures)

JAN = {"period_start": date(2026, 1, 1), "period_end": date(2026, 1, 31), "closes_on": date(2099, 12, 31)}


@pytest.fixture
def people(world):  # noqa: F811
    return {"leader": staff("ld.xd", world["dept"], Role.LEADER),
            "reception": staff("tn.xd", world["dept"], Role.RECEPTION),
            "inspector": staff("tt.tinh", world["pc"], Role.INSPECTOR),
            "province_admin": staff("qt.tinh", world["pc"], Role.PROVINCE_ADMIN),
            "other_leader": staff("ld.tp", world["other_dept"], Role.LEADER)}


@pytest.fixture
def finished(make_dossier):  # noqa: F811
    """finished(**applicant) → a dossier finished on 07/01/2026 through the engine (status 9)."""
    return lambda status="finished", **applicant: make_dossier(status, **applicant)


@pytest.fixture
def clone(finished):
    """clone(n, start=0, **fields) → n copies of one finished dossier, applicant i = "Người nộp {i}"."""
    template = {}

    def make(n: int, start: int = 0, **fields) -> list[Dossier]:
        if "row" not in template:
            template["row"] = finished()
        out = []
        for i in range(start, start + n):
            d = Dossier.objects.get(pk=template["row"].pk)
            d.pk, d.code = None, f"SIPAS-{i:05d}"
            d.applicant_name, d.applicant_personal_id = f"Người nộp {i}", f"0012030{i:05d}"
            d.applicant_user = None
            d.applicant_email, d.applicant_phone = f"nguoi{i}@example.vn", ""
            for key, value in fields.items():
                setattr(d, key, value)
            d.save()
            out.append(d)
        return out

    return make


@pytest.fixture
def campaign_for(people, world):  # noqa: F811
    ensure_builtin()  # transactional (browser) tests flush the rows the data migration wrote

    def make(agency=None, actor=None, **fields):
        values = {"name": "Khảo sát tháng 01/2026", **JAN, "margin_percent": "5", "seed": 42, **fields}
        return services.create_campaign(actor or people["leader"], agency=agency or world["dept"], **values)

    return make

