"""Factories shared by every test package (each context may add its own next to its tests)."""

import factory
from factory.django import DjangoModelFactory

from motcua.accounts.models import AccountKind, Membership, User
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.{n // 100:02d}.{n % 100:02d}.T99")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    level = AgencyLevel.PROVINCE
    kind = AgencyKind.DEPARTMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    kind = AccountKind.CITIZEN
    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "matkhau-Manh-123")
        if create:
            obj.save(update_fields=["password"])


def staff(username: str, agency: Agency, *roles: str) -> User:
    user = UserFactory(username=username, kind=AccountKind.STAFF)
    for role in roles:
        Membership.objects.get_or_create(user=user, agency=agency, role=role)
    return user


def build_small_province() -> dict:
    """Province PC → (department with a division, service centre, commune); plus an abolished district."""
    pc = AgencyFactory(code="000.00.00.T99", name="UBND tỉnh Thử", kind=AgencyKind.PEOPLES_COMMITTEE)
    dept = AgencyFactory(code="000.00.12.T99", name="Sở Xây dựng", parent=pc)
    division = AgencyFactory(code="000.01.12.T99", name="Phòng Quản lý xây dựng", parent=dept,
                             kind=AgencyKind.DIVISION)
    centre = AgencyFactory(code="000.00.30.T99", name="Trung tâm Phục vụ hành chính công tỉnh", parent=pc,
                           kind=AgencyKind.SERVICE_CENTRE)
    commune = AgencyFactory(code="000.20.31.T99", name="UBND xã An Bình", parent=pc, level=AgencyLevel.COMMUNE,
                            kind=AgencyKind.PEOPLES_COMMITTEE)
    other_dept = AgencyFactory(code="000.00.13.T99", name="Sở Tư pháp", parent=pc)
    return {"pc": pc, "dept": dept, "division": division, "centre": centre, "commune": commune,
            "other_dept": other_dept}
