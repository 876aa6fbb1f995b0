"""`motcua generate`: the demo province and generated dossiers through the bulk import path."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from motcua.dossiers.importer import Catalogue
from motcua.dossiers.models import Dossier
from motcua.ratings.models import Rating
from motcua.scale import generator
from motcua.scale.load import ensure_province

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2025, 7, 1), date(2026, 10, 31)


@pytest.fixture
def cat():
    ensure_province()
    return Catalogue()


def test_same_seed_same_records(cat):
    a = list(generator.records(cat, 60, first=FIRST, last=LAST, seed=11))
    b = list(generator.records(cat, 60, first=FIRST, last=LAST, seed=11))
    c = list(generator.records(cat, 60, first=FIRST, last=LAST, seed=12))
    assert a == b
    assert a != c


def test_records_follow_the_mixes(cat):
    recs = list(generator.records(cat, 600, first=FIRST, last=LAST, seed=3))
    channels = Counter(r["channel"] for r in recs)
    assert channels[2] / len(recs) == pytest.approx(0.72, abs=0.07)
    assert channels[3] > 0 and channels[1] > 0
    assert any(r.get("supplements") for r in recs)
    assert any(r.get("handovers") for r in recs)
    last_status = Counter(r["history"][-1]["status"] for r in recs)
    assert last_status[10] / len(recs) > 0.6  # most of 16 months of dossiers are delivered
    assert len({1, 2, 4, 5, 6} & set(last_status)) >= 3  # recent ones are still open
    assert len({r["code"] for r in recs}) == len(recs)


def test_command_writes_through_the_importer_and_is_idempotent(cat):
    out = StringIO()
    call_command("generate", dossiers=150, years=1, seed=5, no_progress=True, stdout=out)
    assert Dossier.objects.count() == 150
    outcomes = Counter(Dossier.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes["early"] > outcomes["late"]
    ratings = list(Rating.objects.annotate(n=Count("answers"), points=Sum("answers__points")))
    assert ratings and all(r.dossier.status == 10 and r.n == r.answered > 0 and r.points == r.total_points
                           for r in ratings)
    call_command("generate", dossiers=150, years=1, seed=5, no_progress=True, stdout=out)
    assert Dossier.objects.count() == 150 and Rating.objects.count() == len(ratings)
    assert "bỏ qua 150" in out.getvalue()


def test_command_refuses_bad_arguments(cat):
    with pytest.raises(CommandError):
        call_command("generate", dossiers=0, no_progress=True, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("generate", dossiers=5, province="999.99.99.X99", no_progress=True, stdout=StringIO())
