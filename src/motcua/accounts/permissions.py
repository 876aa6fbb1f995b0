"""Role checks on top of the scoping mechanism: who may read, who may act, on which agency.

A role held at an agency applies to that agency's whole subtree (a leader of a department also leads its
divisions' work). Read-only roles (inspector, reform office) see their scope but never change anything.
Superusers may do everything; deactivated accounts nothing.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from motcua.accounts.models import READ_ONLY_ROLES
from motcua.accounts.scoping import user_roles, visible_agency_ids


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def has_role(user, role: str, agency) -> bool:
    """The user holds `role` at `agency` or at one of its ancestors."""
    return _active(user) and role in user_roles(user, agency)


def can_view(user, agency) -> bool:
    """The agency lies in the user's scope (same rule as scope_queryset)."""
    ids = visible_agency_ids(user)
    return ids is None or agency.pk in ids


def can_act(user, agency, roles: Iterable[str]) -> bool:
    """The user may perform a changing action on `agency` that needs one of `roles`.

    Read-only roles never count, even when listed: an inspector reads, never writes.
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    allowed = set(roles) - READ_ONLY_ROLES
    return bool(allowed & user_roles(user, agency))


def is_read_only(user, agency=None) -> bool:
    """The user holds only read-only roles (there, or anywhere when `agency` is None)."""
    if not _active(user) or user.is_superuser:
        return not _active(user)
    roles = user_roles(user, agency)
    return not (roles - READ_ONLY_ROLES)


def require_act(user, agency, roles: Iterable[str]) -> None:
    """Raise PermissionDenied (a 403 in views and the API) unless can_act()."""
    if not can_act(user, agency, roles):
        raise PermissionDenied(_("Bạn không có vai trò phù hợp tại %(agency)s để thực hiện thao tác này.")
                               % {"agency": agency})
