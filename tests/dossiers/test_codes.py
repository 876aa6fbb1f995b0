from datetime import date

import pytest

from motcua.core.api_errors import DomainError
from motcua.dossiers.codes import CodePatternError, format_code
from motcua.dossiers.models import Channel, Dossier, DossierCounter, Status
from tests.dossiers.conftest import at


def test_format_code_default_pattern():
    assert format_code("000.00.30.H27", date(2026, 2, 13), 1) == "000.00.30.H27-260213-0001"
    assert format_code("X", date(2026, 2, 13), 12345) == "X-260213-12345"


def test_format_code_custom_pattern_and_errors():
    assert format_code("U", date(2026, 2, 3), 7, "{unit}.{yyyy}{mm}{dd}.{seq:06d}") == "U.20260203.000007"
    with pytest.raises(CodePatternError):
        format_code("U", date(2026, 2, 3), 7, "{unit}-{nope}")
    with pytest.raises(CodePatternError):
        format_code("U", date(2026, 2, 3), 0)


def test_sequence_per_unit_per_local_day(world, intake):
    a = intake(now=at(2026, 2, 13, 8))
    b = intake(now=at(2026, 2, 13, 16))
    # 23:30 local on the 13th is 16:30 UTC: still the 13th locally.
    c = intake(now=at(2026, 2, 13, 23, 30))
    d = intake(now=at(2026, 2, 16, 8))
    assert [x.code for x in (a, b, c, d)] == [
        "000.00.30.T99-260213-0001", "000.00.30.T99-260213-0002", "000.00.30.T99-260213-0003",
        "000.00.30.T99-260216-0001"]
    world["tn"].memberships.create(agency=world["dept"], role="reception")
    e = intake(now=at(2026, 2, 13, 9), receiving_agency=world["dept"])
    assert e.code == "000.00.12.T99-260213-0001"


def test_failed_intake_consumes_no_number(world, intake):
    intake(now=at(2026, 2, 13, 8))
    with pytest.raises(DomainError):
        intake(now=at(2026, 2, 13, 9), documents=[])  # missing required documents: nothing written
    assert intake(now=at(2026, 2, 13, 10)).code.endswith("-0002")
    assert DossierCounter.objects.get(agency=world["centre"]).last_seq == 2


def test_online_submission_gets_code_at_submission_and_keeps_it(world, intake):
    from motcua.dossiers.engine import perform

    online = intake(now=at(2026, 2, 13, 8), channel=Channel.ONLINE, receive=False)
    assert online.status == Status.NEW and online.code.endswith("260213-0001") and online.due_at is None
    perform(online, "receive", world["tn"], now=at(2026, 2, 16, 8))
    online = Dossier.objects.get(pk=online.pk)
    assert online.code.endswith("260213-0001") and online.status == Status.RECEIVED
    assert online.received_at == at(2026, 2, 16, 8) and online.due_at is not None


def test_lookup_secret_is_hashed(world, intake):
    d = intake()
    assert d.lookup_secret_plain and d.lookup_secret != d.lookup_secret_plain
    stored = Dossier.objects.get(pk=d.pk)
    assert stored.check_lookup_secret(d.lookup_secret_plain)
    assert not stored.check_lookup_secret("wrong") and not stored.check_lookup_secret("")
