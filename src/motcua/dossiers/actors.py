"""Who performs a dossier operation: a staff user, a citizen (own dossiers only) or an API client.

Staff roles come from `accounts.scoping.user_roles(user, agency)` (memberships in the agency or an ancestor);
read-only roles (inspector, reform office) never act. An API client holds the roles listed on it, and only inside
the subtrees of its `agencies`. Superusers hold every acting role everywhere.
"""

from dataclasses import dataclass, field

from motcua.accounts.models import READ_ONLY_ROLES, Role
from motcua.accounts.scoping import user_roles, visible_agency_ids

ACTING_ROLES = frozenset(Role.values) - READ_ONLY_ROLES


@dataclass
class Actor:
    user: object = None
    client: object = None
    _client_paths: list | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        if self.client is not None:
            return f"api:{self.client.name}"[:255]
        if self.user is not None:
            return (getattr(self.user, "full_name", "") or self.user.get_username())[:255]
        return "system"

    @property
    def audit_actor(self):
        """What audit.services.record() accepts: the user, or a label for a client."""
        return self.user if self.client is None else self.label

    @property
    def is_staff_or_client(self) -> bool:
        return self.client is not None or (self.user is not None and (self.user.is_superuser or
                                                                      self.user.kind == "staff"))

    def roles_at(self, agency) -> set[str]:
        if agency is None:
            return set()
        if self.client is not None:
            if not self.client.active or not self._in_client_scope(agency):
                return set()
            return set(self.client.roles or []) & ACTING_ROLES
        if self.user is None:
            return set()
        if self.user.is_superuser:
            return set(ACTING_ROLES)
        return user_roles(self.user, agency) & ACTING_ROLES

    @property
    def client_paths(self) -> list[str]:
        """Paths of the API client's agencies, read once per actor (one per request) unless the client came with them
        (`scope_paths`, read with the client by the API's authentication)."""
        if self._client_paths is None:
            self._client_paths = list(self.client.agencies.values_list("path", flat=True))
        return self._client_paths

    def _in_client_scope(self, agency) -> bool:
        return any(agency.path.startswith(p) for p in self.client_paths)

    def sees_agency(self, agency) -> bool:
        if agency is None:
            return False
        if self.client is not None:
            return self.client.active and self._in_client_scope(agency)
        ids = visible_agency_ids(self.user)
        return ids is None or agency.pk in ids

    def sees(self, dossier) -> bool:
        """Visibility of one dossier: receiving or competent agency in scope, or the applicant's own dossier."""
        if self.user is not None and dossier.applicant_user_id and dossier.applicant_user_id == self.user.pk:
            return True
        return self.sees_agency(dossier.receiving_agency) or self.sees_agency(dossier.competent_agency)


def as_actor(who) -> Actor:
    from motcua.dossiers.models import ApiClient

    if isinstance(who, Actor):
        return who
    if isinstance(who, ApiClient):
        return Actor(client=who, _client_paths=getattr(who, "scope_paths", None))
    return Actor(user=who)
