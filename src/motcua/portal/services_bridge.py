"""The portal's calls into the payments, ratings and notifications apps (docs/portal-services.md).

Kept in one place so a deployment without one of those apps still serves the portal: the button simply does not
appear. Each function imports its app lazily.
"""

from django.apps import apps


def _installed(label: str) -> bool:
    return apps.is_installed(f"motcua.{label}")


def can_pay(dossier) -> bool:
    if not _installed("payments"):
        return False
    from motcua.payments.services import can_pay as payable

    return payable(dossier)


def can_rate(dossier, user) -> bool:
    if not _installed("ratings"):
        return False
    from motcua.ratings.services import can_rate as ratable

    return ratable(dossier, user)
