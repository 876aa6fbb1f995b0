"""Public agency catalogue API (/api/v1/agencies): anonymous read access, the catalogue is public information."""

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema

from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.core.text import fold

router = Router(tags=["agencies"])


class AgencyOut(Schema):
    code: str = Field(..., description="Mã định danh điện tử của cơ quan")
    name: str
    short_name: str
    level: AgencyLevel
    kind: AgencyKind
    parent: str | None = Field(None, description="Mã của đơn vị cấp trên")
    valid_from: date | None
    valid_to: date | None
    successor: str | None = Field(None, description="Mã của đơn vị kế thừa (sắp xếp 2025)")

    @staticmethod
    def resolve_parent(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_successor(obj: Agency) -> str | None:
        return obj.successor.code if obj.successor_id else None


class AgencyDetail(AgencyOut):
    address: str
    phone: str
    email: str


def _base_queryset():
    return Agency.objects.select_related("parent", "successor")


@router.get("", response=list[AgencyOut], auth=None, summary="Danh sách cơ quan, đơn vị")
def list_agencies(request, level: AgencyLevel | None = None, active: bool | None = None, q: str | None = None):
    """`active=true`: in force today; `q`: part of the code or of the name (diacritics optional)."""
    qs = _base_queryset()
    if level:
        qs = qs.filter(level=level)
    if active is not None:
        today_ids = Agency.objects.active(timezone.localdate()).values("pk")
        qs = qs.filter(pk__in=today_ids) if active else qs.exclude(pk__in=today_ids)
    if q:
        needle = fold(q)
        # Names are matched on the folded text in Python (a province has hundreds of units, not millions), so
        # "kinh bac" finds "Kinh Bắc"; codes are matched in the database.
        by_code = set(qs.filter(Q(code__icontains=q.strip())).values_list("pk", flat=True))
        return [a for a in qs if a.pk in by_code or needle in fold(a.name) or needle in fold(a.short_name)]
    return list(qs)


@router.get("/{code}", response=AgencyDetail, auth=None, summary="Chi tiết một cơ quan, đơn vị")
def get_agency(request, code: str):
    return get_object_or_404(_base_queryset(), code=code)
