"""The demo dossiers: volume, coverage of statuses, channels and outcomes, live dossiers, idempotency."""

import io
from collections import Counter
from datetime import date

import pytest

from motcua.audit.services import verify
from motcua.dossiers import demo
from motcua.dossiers.models import Dossier, DossierEvent, Status

pytestmark = pytest.mark.django_db


def load_demo_province():
    from motcua.accounts import demo as accounts
    from motcua.agencies import demo as agencies
    from motcua.catalog import demo as catalog
    from motcua.worktime import demo as worktime

    out = io.StringIO()
    for module in (agencies, accounts, worktime, catalog):
        module.load(out)
    return out


def counts():
    return (Dossier.objects.count(), DossierEvent.objects.count(),
            tuple(sorted(Counter(Dossier.objects.values_list("status", flat=True)).items())))


def test_demo_dossiers_cover_every_status_and_are_idempotent():
    load_demo_province()
    out = io.StringIO()
    demo.load(out)
    assert "Hồ sơ mẫu:" in out.getvalue()
    total = Dossier.objects.count()
    assert total >= 500 + demo.N_LIVE
    assert set(Dossier.objects.values_list("status", flat=True)) == set(Status.values)
    finished = Dossier.objects.exclude(outcome="")
    assert {"early", "on_time", "late"} <= set(finished.values_list("outcome", flat=True))
    assert {"on_time", "late"} <= set(finished.values_list("outcome_766", flat=True))
    assert set(Dossier.objects.values_list("channel", flat=True)) >= {1, 2, 3}
    assert Dossier.objects.values("procedure_version__procedure").distinct().count() >= 30
    assert Dossier.objects.values("receiving_agency").distinct().count() >= 5
    assert Dossier.objects.filter(supplement_count__gte=2).exists()
    assert Dossier.objects.filter(clock_events__kind="extend").exists()
    assert Dossier.objects.filter(handovers__isnull=False).exists()
    months = {d.strftime("%Y-%m") for d in Dossier.objects.exclude(received_at=None).values_list(
        "received_at", flat=True)}
    assert len(months) >= 10
    # live dossiers: open, at a step, with assignees in officers' inboxes
    live = Dossier.objects.exclude(events__data__imported=demo.SOURCE)
    assert live.count() == demo.N_LIVE
    assert live.filter(current_step__isnull=False, status__in=[2, 4, 5]).count() >= demo.N_LIVE // 2
    assert live.filter(assignee__isnull=False).count() >= demo.N_LIVE // 3
    assert live.filter(status=Status.NEW, channel=2).exists()  # online submissions waiting at the desk
    assert verify().ok
    before = counts()
    again = io.StringIO()
    demo.load(again)
    assert counts() == before and "bỏ qua" in again.getvalue()
    # the generator is deterministic for a reference date (the first day of the month)
    assert demo.build_records(30, ref=date(2026, 11, 1)) == demo.build_records(30, ref=date(2026, 11, 1))
    assert demo.reference_date(date(2026, 11, 23)) == date(2026, 11, 1)
