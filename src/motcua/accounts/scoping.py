"""The one scoping mechanism: which agencies a user may see, and querysets restricted to them.

A staff member sees the subtree of every agency they hold a membership in (a province administrator at the
province's People's Committee sees the whole province). Superusers see everything. Anyone else sees no agency data,
and neither does a deactivated account (even a superuser's): switching `is_active` off revokes all access at once.
Views and API operations call `scope_queryset(qs, user)` (or `ScopedQuerySet.visible_to(user)`), never their own
filter.
"""

from django.db import models

from motcua.accounts.models import AccountKind, Role


def _is_live(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _is_live_staff(user) -> bool:
    return _is_live(user) and getattr(user, "kind", None) == AccountKind.STAFF


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
    cache = user.__dict__.setdefault("_scope_cache", {})
    if cache_key in cache:
        return cache[cache_key]
    memberships = user.memberships.select_related("agency")
    if roles:
        memberships = memberships.filter(role__in=list(roles))
    roots = [m.agency for m in memberships]
    ids = set(Agency.objects.subtree_of(roots).values_list("pk", flat=True)) if roots else set()
    cache[cache_key] = ids
    return ids


def user_roles(user, agency=None) -> set[str]:
    """Roles the user holds (in `agency` or one of its ancestors, when given)."""
    if not _is_live_staff(user):
        return set()
    memberships = user.memberships.select_related("agency")
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
