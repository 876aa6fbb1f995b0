"""The per-process catalogue cache (dossiers.catalogcache) never hides a change from the next intake."""

from datetime import date

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.services import create_version, publish
from motcua.dossiers import catalogcache
from motcua.worktime.models import CalendarOverride, OverrideKind
from motcua.worktime.services import invalidate
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_caches():
    """The test transaction's rollback sends no signal: drop what these tests cached so later tests cannot see
    a calendar override or a version that no longer exists."""
    yield
    catalogcache.clear()
    invalidate()


def test_a_newly_published_version_is_used_by_the_next_intake(world, intake):
    first = intake(now=at(2026, 1, 5, 9))
    assert first.procedure_version_id == world["variant"].version_id
    successor = create_version(world["procedure"], decision_number="QĐ-2", decision_date=date(2025, 12, 1),
                               effective_from=date(2026, 1, 5), copy_from=world["variant"].version)
    publish(successor)
    docs = [{"required_document_id": d.pk, "copy_kind": "original"}
            for d in successor.variants.get().documents.filter(required=True)]
    second = intake(now=at(2026, 1, 5, 10), variant=None, documents=docs)
    assert second.procedure_version_id == successor.pk
    assert second.variant.version_id == successor.pk


def test_a_calendar_change_moves_the_next_due_date(world, intake):
    before = intake(now=at(2026, 1, 5, 9))
    CalendarOverride.objects.create(day=date(2026, 1, 7), kind=OverrideKind.DAY_OFF, name="Nghỉ đột xuất")
    after = intake(now=at(2026, 1, 5, 9))
    assert after.due_at > before.due_at


def test_changes_without_signals_are_seen_after_the_ttl(world, settings):
    code = world["procedure"].code
    assert catalogcache.procedure(code).name == world["procedure"].name
    Procedure.objects.filter(pk=world["procedure"].pk).update(name="Tên mới")  # like another process's write
    assert catalogcache.procedure(code).name == world["procedure"].name  # cached in this process
    settings.MOTCUA = {**settings.MOTCUA, "CATALOG_CACHE_SECONDS": 0}
    assert catalogcache.procedure(code).name == "Tên mới"


def test_competent_agencies_change_clears_the_cache(world):
    code = world["procedure"].code
    assert list(catalogcache.procedure(code).competent_agencies.all()) == [world["dept"]]
    world["procedure"].competent_agencies.add(world["other_dept"])
    assert set(catalogcache.procedure(code).competent_agencies.all()) == {world["dept"], world["other_dept"]}


def test_engine_steps_come_from_the_cached_variant(world):
    cached = catalogcache.variant(world["variant"].pk)
    assert [s.code for s in catalogcache.steps(cached)] == ["tiep-nhan", "tham-dinh", "phe-duyet"]
    assert [d.name for d in catalogcache.documents(cached)] == [d.name for d in world["docs"]]
