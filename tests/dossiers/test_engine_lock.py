"""The engine's row read (`engine._lock`): the variant and current step come from the catalogue cache, the agencies
are read fresh, so a cache that another process has not yet refreshed never widens who may act."""

import pytest

from motcua.accounts.models import Role
from motcua.agencies.models import Agency
from motcua.core.api_errors import DomainError
from motcua.dossiers import catalogcache
from motcua.dossiers.engine import perform
from motcua.dossiers.models import Status
from tests.dossiers.conftest import at
from tests.factories import staff


def test_step_agency_is_read_fresh_when_the_catalogue_cache_is_stale(world, intake):
    desk = staff("tn.tinh", world["pc"], Role.RECEPTION)  # reception anywhere in the province
    first, second = intake(), intake()
    assert perform(first, "forward", desk, now=at(2026, 1, 5, 10)).status == Status.PROCESSING
    assert catalogcache.variant(second.variant_id) is not None  # step 1 (at the centre) cached, centre in the province
    # Another process moves the centre out of the province: no signal reaches this process's catalogue cache.
    Agency.objects.filter(pk=world["centre"].pk).update(path="/999999/")
    with pytest.raises(DomainError) as exc:
        perform(second, "forward", desk, now=at(2026, 1, 5, 10))
    assert exc.value.status == 403


def test_lock_by_code_and_by_instance_and_unknown(world, intake):
    d = intake()
    done = perform(d.code, "forward", world["tn"], now=at(2026, 1, 5, 10))
    assert (done.pk, done.current_step.code, done.current_step.agency) == (d.pk, "tham-dinh", None)
    assert perform(d, "assign", world["ld"], assignee_id=world["cv"].pk).assignee == world["cv"]
    for missing in ("000.00.30.T99-000000-0000", 10**9):
        with pytest.raises(DomainError) as exc:
            perform(missing, "forward", world["tn"])
        assert exc.value.status == 404
