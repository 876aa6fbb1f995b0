"""Who may open the back office: staff accounts (and superusers). Anonymous visitors are sent to the login page;
signed-in citizens and businesses get 403 on every back-office page.

Which dossiers a staff member sees is decided by `accounts.scoping` (see `queries.visible_dossiers`), never here.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from motcua.accounts.models import AccountKind


def is_backoffice_user(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.kind == AccountKind.STAFF))


def staff_required(view):
    """Login redirect for anonymous users, 403 for authenticated non-staff."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_backoffice_user(request.user):
            raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))
        return view(request, *args, **kwargs)

    return wrapper
