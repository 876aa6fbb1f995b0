"""Which agencies a report on a unit covers: the unit's subtree plus every abolished unit (and its subtree) whose
final successor lies in that subtree — the 2025 mergers carry their predecessors' statistics."""

from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core.api_errors import DomainError


def resolve_unit(code_or_agency) -> Agency:
    """The unit a report is about. An abolished unit (with a successor) reports as its final successor."""
    agency = code_or_agency if isinstance(code_or_agency, Agency) else \
        Agency.objects.filter(code=str(code_or_agency or "").strip()).first()
    if agency is None:
        raise DomainError("not_found", _("Không tìm thấy đơn vị «%(c)s».") % {"c": code_or_agency}, status=404,
                          fields={"unit": [_("Mã đơn vị không tồn tại.")]})
    return agency.final_successor() if agency.successor_id else agency


def unit_agency_ids(unit: Agency) -> set[int]:
    """Agency ids whose dossiers count for `unit`."""
    agencies = {a.pk: a for a in Agency.objects.only("pk", "path", "successor_id")}
    inside = {pk for pk, a in agencies.items() if a.path.startswith(unit.path)}

    def final(pk: int) -> int:
        seen = {pk}
        while agencies[pk].successor_id and agencies[pk].successor_id not in seen:
            pk = agencies[pk].successor_id
            seen.add(pk)
        return pk

    roots = [a for pk, a in agencies.items() if a.successor_id and pk not in inside and final(pk) in inside]
    for root in roots:
        inside |= {pk for pk, a in agencies.items() if a.path.startswith(root.path)}
    return inside
