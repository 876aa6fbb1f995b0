"""The one scoping mechanism: which agencies a user may see, and querysets restricted to them.

A staff member sees the subtree of every agency they hold a membership in (a province administrator at the
province's People's Committee sees the whole province). Superusers see everything. Anyone else sees no agency data,
and neither does a deactivated account (even a superuser's): switching `is_active` off revokes all access at once.
Views and API operations call `scope_queryset(qs, user)` (or `ScopedQuerySet.visible_to(user)`), never their own
filter.
"""

import itertools

from django.db import models
from django.db.models.signals import post_delete, post_save

from motcua.accounts.models import AccountKind, Membership, Role


def _is_live(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _is_live_staff(user) -> bool:
    return _is_live(user) and getattr(user, "kind", None) == AccountKind.STAFF


# Memberships and visible ids are read once per user object (one request, one task) and kept on the instance: one
# action checks roles at several agencies (receiving, competent, step) and visibility too. Any save or delete of a
# membership or an agency in this process bumps the generation, which makes every cached entry stale at once (so an
# admin edit or a test sees its change); other processes load the user per request, so a revoked role never
# outlives the request that loaded the user, and a cache is never shared between users.
_generation = itertools.count()
_current = [next(_generation)]


def _bump(*args, **kwargs) -> None:
    """Signal receiver: forget every user's cached memberships and visible ids."""
    _current[0] = next(_generation)


def _cache(user) -> dict:
    cache = user.__dict__.get("_scope_cache")
    if cache is None or cache["generation"] != _current[0]:
        cache = user.__dict__["_scope_cache"] = {"generation": _current[0]}
    return cache


def _memberships(user) -> list:
    """The user's memberships with their agencies (cached on the user object, see above)."""
    cache = _cache(user)
    if "memberships" not in cache:
        cache["memberships"] = list(user.memberships.select_related("agency"))
    return cache["memberships"]


def visible_agency_ids(user, roles=None) -> set[int] | None:
    """Agency ids the user may see (None = unrestricted). `roles` narrows to memberships with those roles."""
    from motcua.agencies.models import Agency

    if not _is_live(user):
        return set()
    if user.is_superuser:
        return None
    if user.kind != AccountKind.STAFF:
        return set()
    cache_key = ("_scope_ids", frozenset(roles) if roles else None)
    cache = _cache(user)
    if cache_key in cache:
        return cache[cache_key]
    roots = [m.agency for m in _memberships(user) if not roles or m.role in roles]
    ids = set(Agency.objects.subtree_of(roots).values_list("pk", flat=True)) if roots else set()
    cache[cache_key] = ids
    return ids


def user_roles(user, agency=None) -> set[str]:
    """Roles the user holds (in `agency` or one of its ancestors, when given)."""
    if not _is_live_staff(user):
        return set()
    memberships = _memberships(user)
    if agency is None:
        return {m.role for m in memberships}
    return {m.role for m in memberships if agency.path.startswith(m.agency.path)}


def scope_queryset(qs: models.QuerySet, user, field: str = "agency", roles=None) -> models.QuerySet:
    """Restrict `qs` to rows whose `field` (an Agency foreign key path, e.g. 'competent_agency') the user may see."""
    ids = visible_agency_ids(user, roles)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


class ScopedQuerySet(models.QuerySet):
    """Mixin for models owned by an agency: set `scope_field` on the queryset class."""

    scope_field = "agency"

    def visible_to(self, user, roles=None):
        return scope_queryset(self, user, self.scope_field, roles)


def is_province_admin(user) -> bool:
    return _is_live(user) and (user.is_superuser or Role.PROVINCE_ADMIN in user_roles(user))


for _model in (Membership, "agencies.Agency"):
    post_save.connect(_bump, sender=_model, dispatch_uid=f"motcua.accounts.scoping:{_model}:save")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"motcua.accounts.scoping:{_model}:delete")
