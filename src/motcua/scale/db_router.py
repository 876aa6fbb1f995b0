"""Read replica routing: reports and public lookups read from the `replica` database, everything else and every
write from `default` (the primary); a client that has just written is pinned to the primary for a few seconds.

Configured by `DATABASE_REPLICA_URL` (settings add the `replica` alias and this router). Without it, the router
answers None and Django uses `default` as always.

- **Which reads go to the replica.** Requests whose path starts with one of `MOTCUA["REPLICA_PATHS"]` (the public
  lookup, public statistics, report pages and report API) run with replica reads allowed (`ReplicaMiddleware`);
  so does code inside `with replica_reads():` (report exports from a command, for instance). All other reads go to
  the primary: an officer's inbox must show the dossier they have just moved.
- **Pinning after a write.** A streaming replica lags by milliseconds to seconds. When a request writes (the
  router is asked for a write database), the rest of that request reads from the primary, and the response sets
  the `motcua_primary` cookie for `MOTCUA["REPLICA_PIN_SECONDS"]` (default 10): the same browser's next requests
  read from the primary too, so a citizen who has just submitted finds the dossier in the lookup.
- **Migrations** run on the primary only: the replica is a physical copy.
"""

from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "motcua_primary"


@dataclass
class _Reads:
    replica: bool
    pinned: bool = False
    wrote: bool = False


_state: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("motcua_replica_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.databases


def pin_seconds() -> int:
    return int(settings.MOTCUA.get("REPLICA_PIN_SECONDS", 10))


@contextmanager
def replica_reads(pinned: bool = False):
    """Allow reads from the replica inside the block (unless `pinned`); a write inside pins the rest of it."""
    token = _state.set(_Reads(replica=True, pinned=pinned))
    try:
        yield _state.get()
    finally:
        _state.reset(token)


class ReplicaRouter:
    """Without a replica it answers None (Django's own choice); with one, always an explicit alias, so that an object
    read from the replica is still saved to the primary."""

    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        reads = _state.get()
        return REPLICA if reads is not None and reads.replica and not reads.pinned else PRIMARY

    def db_for_write(self, model, **hints):
        reads = _state.get()
        if reads is not None:
            reads.wrote = reads.pinned = True
        return PRIMARY if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaMiddleware:
    """Marks the request as replica-readable by path, honours and sets the pin cookie."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.MOTCUA.get("REPLICA_PATHS", ()))

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        reads = _Reads(replica=bool(self.prefixes) and request.path.startswith(self.prefixes))
        reads.pinned = reads.replica and _pinned(request)
        token = _state.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if reads.wrote:
            seconds = pin_seconds()
            response.set_cookie(PIN_COOKIE, str(int(time.time()) + seconds), max_age=seconds, httponly=True,
                                samesite="Lax", secure=request.is_secure())
        return response


def _pinned(request) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False
