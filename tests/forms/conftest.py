"""Sample dossiers in every printable state (motcua.forms.samples, built through the dossier engine), created ONCE
per test module inside an outer transaction that is rolled back at the module's end; each test runs in its own
savepoint on top (pytest-django's `db`), so tests stay isolated and the suite stays fast on SQLite and PostgreSQL."""

import pytest


@pytest.fixture(scope="module")
def _samples(django_db_setup, django_db_blocker):
    from django.db import transaction

    from motcua.forms.samples import build_dossiers, build_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            yield world, build_dossiers(world)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_samples, db):
    return _samples[0]


@pytest.fixture
def dossiers(_samples, db):
    return _samples[1]
