"""Who is acting: a context variable set per request (AuditActorMiddleware) or per block (`acting_as`).

The request itself is stored, not request.user: the user is resolved only when a record is written, so requests
that write nothing never touch the session, and an API authenticator may set ``request.audit_actor`` (e.g.
"api:client-name") or ``request.user`` after the middleware ran.
"""

from contextlib import contextmanager
from contextvars import ContextVar

SYSTEM = "system"
ANONYMOUS = "anonymous"

_current: ContextVar = ContextVar("motcua_audit_actor", default=None)


@contextmanager
def acting_as(actor):
    """Attribute every audit record written inside the block to ``actor`` (a user or a label such as
    "command:import-catalog" or "api:client-name")."""
    token = _current.set(("actor", actor))
    try:
        yield
    finally:
        _current.reset(token)


def set_request(request):
    return _current.set(("request", request))


def reset(token) -> None:
    _current.reset(token)


def _is_user(value) -> bool:
    return hasattr(value, "is_authenticated") and hasattr(value, "pk")


def resolve(actor=None) -> tuple:
    """(user or None, label) for an explicit actor, else for the current context; "system" when nobody."""
    if actor is None:
        kind, value = _current.get() or ("actor", None)
        if kind == "request":
            return _from_request(value)
        actor = value
    if actor is None:
        return None, SYSTEM
    if _is_user(actor):
        if not actor.is_authenticated:
            return None, ANONYMOUS
        return actor, actor.get_username()
    return None, str(actor)


def _from_request(request) -> tuple:
    label = getattr(request, "audit_actor", None)
    if label:
        return resolve(label)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, user.get_username()
    return None, ANONYMOUS
