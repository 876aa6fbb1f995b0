"""Router and load-shedding decisions without a replica or a server (the real ones: test_replica.py,
test_shedding_server.py)."""

import threading
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from motcua.scale import db_router
from motcua.scale.db_router import PIN_COOKIE, ReplicaMiddleware, ReplicaRouter, replica_reads
from motcua.scale.shedding import InFlight, LoadSheddingMiddleware

router = ReplicaRouter()


def test_no_replica_configured_leaves_django_alone():
    with replica_reads():
        assert router.db_for_read(None) is None
        assert router.db_for_write(None) is None


def test_replica_reads_and_pinning(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    assert router.db_for_read(None) == "default"  # outside a replica-readable context
    with replica_reads():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
        assert router.db_for_read(None) == "default"  # pinned after the write
    with replica_reads(pinned=True):
        assert router.db_for_read(None) == "default"
    assert router.allow_migrate("replica", "dossiers") is False
    assert router.allow_migrate("default", "dossiers") is True


def _view_reading(result: list):
    def view(request):
        result.append(router.db_for_read(None))
        if request.method == "POST":
            router.db_for_write(None)
        return HttpResponse("ok")
    return view


def test_middleware_by_path_and_cookie(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    seen: list = []
    mw = ReplicaMiddleware(_view_reading(seen))
    rf = RequestFactory()
    assert PIN_COOKIE not in mw(rf.get("/tra-cuu/")).cookies
    mw(rf.get("/backoffice/"))
    written = mw(rf.post("/tra-cuu/"))
    assert PIN_COOKIE in written.cookies
    pinned = rf.get("/tra-cuu/")
    pinned.COOKIES[PIN_COOKIE] = written.cookies[PIN_COOKIE].value
    mw(pinned)
    expired = rf.get("/tra-cuu/")
    expired.COOKIES[PIN_COOKIE] = str(int(time.time()) - 1)
    mw(expired)
    junk = rf.get("/tra-cuu/")
    junk.COOKIES[PIN_COOKIE] = "abc"
    mw(junk)
    assert seen == ["replica", "default", "replica", "default", "replica", "replica"]


def test_in_flight_gate():
    gate = InFlight(2)
    assert gate.enter() and gate.enter()
    assert not gate.enter()
    gate.leave()
    assert gate.enter()


@pytest.mark.parametrize("path,json_body", [("/tra-cuu/", False), ("/api/v1/procedures", True)])
def test_shedding_answers_fast_with_retry_after(path, json_body):
    inside, release = threading.Event(), threading.Event()

    def slow(request):
        inside.set()
        release.wait(5)
        return HttpResponse("ok")

    with override_settings(MOTCUA={"SHED_PATHS": ("/tra-cuu/", "/api/v1/procedures"), "SHED_MAX_IN_FLIGHT": 1,
                                   "SHED_RETRY_AFTER": 2, "SHED_STATUS": 503}):
        mw = LoadSheddingMiddleware(slow)
    rf = RequestFactory()
    worker = threading.Thread(target=mw, args=(rf.get(path),))
    worker.start()
    assert inside.wait(5)
    refused = mw(rf.get(path))
    assert refused.status_code == 503 and refused["Retry-After"] == "2"
    assert refused["Content-Type"].startswith("application/json" if json_body else "text/plain")
    assert mw(rf.get("/backoffice/")).status_code == 200  # officers are never shed
    release.set()
    worker.join()
    assert mw(rf.get(path)).status_code == 200  # recovered


def test_shedding_off_with_zero():
    with override_settings(MOTCUA={"SHED_PATHS": ("/tra-cuu/",), "SHED_MAX_IN_FLIGHT": 0}):
        mw = LoadSheddingMiddleware(lambda r: HttpResponse("ok"))
    assert mw(RequestFactory().get("/tra-cuu/")).status_code == 200
