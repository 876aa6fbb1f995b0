import io

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group

from motcua.accounts import demo as accounts_demo
from motcua.accounts.models import AccountKind, Membership, Role, User
from motcua.accounts.validators import validate_personal_id, validate_tax_code
from motcua.agencies import demo as agencies_demo
from motcua.agencies.models import Agency


def run_both():
    out = io.StringIO()
    agencies_demo.load(out)
    accounts_demo.load(out)
    return out.getvalue()


def snapshot():
    return (list(Agency.objects.order_by("code").values()),
            list(User.objects.order_by("username").values_list("username", "password", "kind", "is_superuser",
                                                              "personal_id", "tax_code", "last_login")),
            sorted(Membership.objects.values_list("user__username", "agency__code", "role")),
            sorted(User.groups.through.objects.values_list("user__username", "group__name")),
            sorted(Group.objects.values_list("name", "permissions__codename")))


@pytest.mark.django_db
def test_demo_accounts_cover_every_role_and_are_idempotent():
    first = run_both()
    before = snapshot()
    plan = accounts_demo.staff_plan()
    assert User.objects.filter(kind=AccountKind.STAFF, is_superuser=False).count() == len(plan) == 47
    assert Membership.objects.count() == len(plan)
    assert User.objects.get(username="admin").is_superuser
    pc_roles = set(Membership.objects.filter(agency__code="000.00.00.H27").values_list("role", flat=True))
    assert pc_roles == {Role.PROVINCE_ADMIN, Role.REFORM_OFFICE, Role.INSPECTOR, Role.LEADER}
    assert Membership.objects.filter(agency__code="000.00.30.H27", role=Role.RECEPTION).count() == 2
    for code in accounts_demo.DEPARTMENTS:
        assert set(Membership.objects.filter(agency__code=code).values_list("role", flat=True)) == {
            Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN}
    for code in accounts_demo.COMMUNES:
        assert set(Membership.objects.filter(agency__code=code).values_list("role", flat=True)) == {
            Role.RECEPTION, Role.SPECIALIST, Role.LEADER}
    assert Membership.objects.filter(agency__code="000.01.12.H27", role=Role.SPECIALIST).exists()
    citizens = User.objects.filter(kind=AccountKind.CITIZEN)
    assert citizens.count() == 3
    for c in citizens:
        validate_personal_id(c.personal_id, c.birth_date)
        c.full_clean()
    business = User.objects.get(kind=AccountKind.BUSINESS)
    assert validate_tax_code(business.tax_code) == business.tax_code
    assert check_password(accounts_demo.DEMO_PASSWORD, User.objects.get(username="xd.chuyenvien").password)
    assert "tthcc.motcua1" in first and "kinhbac.lanhdao" in first and accounts_demo.DEMO_PASSWORD in first

    second = run_both()
    assert snapshot() == before  # same rows, same password hashes (no re-hash, no reset)
    assert "(0 tạo mới)" in second


@pytest.mark.django_db
def test_demo_department_admin_uses_the_admin_within_scope(client):
    run_both()
    admin = User.objects.get(username="xd.quantri")
    assert admin.is_staff and admin.has_perm("agencies.change_agency")
    client.force_login(admin)
    page = client.get("/admin/agencies/agency/").content.decode()
    assert "000.01.12.H27" in page and "000.00.13.H27" not in page
    assert client.get("/admin/accounts/user/?q=tp.").content.decode().count("tp.chuyenvien") == 0
    assert "xd.chuyenvien" in client.get("/admin/accounts/user/").content.decode()


@pytest.mark.django_db
def test_demo_keeps_a_changed_password(client):
    run_both()
    user = User.objects.get(username="kinhbac.motcua")
    user.set_password("Rieng-Cua-Toi-2026")
    user.save()
    run_both()
    assert User.objects.get(pk=user.pk).check_password("Rieng-Cua-Toi-2026")
    response = client.post("/accounts/login/", {"username": "kinhbac.motcua", "password": "Rieng-Cua-Toi-2026"})
    assert response.status_code == 302
