"""The deadline sweep: set-based, idempotent, paused and closed dossiers left alone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.scale.load import ensure_province, generate
from motcua.scale.models import DeadlineWarning
from motcua.scale.sweep import sweep

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


@pytest.fixture
def running():
    ensure_province()
    generate(120, years=0.1, seed=9)
    rows = list(Dossier.objects.filter(status__in=(2, 4)).order_by("id")[:5])
    assert len(rows) == 5
    now = timezone.now()
    far = now + timedelta(days=30)
    Dossier.objects.update(due_at=far, step_due_at=None, paused_since=None)
    return rows, now


def _set(d, **values):
    Dossier.objects.filter(pk=d.pk).update(**values)


def test_warns_due_soon_once(running):
    (soon, later, overdue, paused, step), now = running
    _set(soon, due_at=now + 2 * H)
    _set(later, due_at=now + 72 * H)
    _set(overdue, due_at=now - H)
    _set(paused, due_at=now + 2 * H, paused_since=now - H)
    _set(step, step_due_at=now + 5 * H)
    closed = Dossier.objects.filter(status=10).first()
    _set(closed, due_at=now + 2 * H)

    assert sweep(now=now) == {"dossier": 1, "step": 1}
    warned = DeadlineWarning.objects.order_by("kind")
    assert [(w.dossier_id, w.kind) for w in warned] == [(soon.pk, "dossier"), (step.pk, "step")]
    assert warned[0].agency_id == soon.competent_agency_id
    assert sweep(now=now) == {"dossier": 0, "step": 0}  # idempotent

    _set(soon, due_at=now + 3 * H)  # an extension moved the deadline: warn again
    assert sweep(now=now + H / 2) == {"dossier": 1, "step": 0}


def test_chunks_give_the_same_result(running):
    rows, now = running
    for d in rows:
        _set(d, due_at=now + 2 * H, paused_since=None)
    assert sweep(now=now, chunk=1) == {"dossier": 5, "step": 0}


def test_command_runs_in_process(running):
    rows, now = running
    _set(rows[0], due_at=timezone.now() + 2 * H)
    out = StringIO()
    call_command("sweep-deadlines", lead_hours=4, stdout=out)
    assert "1 hạn hồ sơ" in out.getvalue()
    assert DeadlineWarning.objects.filter(dossier_id=rows[0].pk).exists()
