import pytest

from motcua.accounts.models import AccountKind, Membership, Role, User
from tests.factories import UserFactory, staff


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, kind=AccountKind.STAFF)


def test_user_list_masks_personal_ids_and_searches(client, root):
    UserFactory(username="cd1", full_name="Nguyễn Thị Mai", personal_id="027192034567", phone="0912000111")
    client.force_login(root)
    page = client.get("/admin/accounts/user/").content.decode()
    assert "027******567" in page and "027192034567" not in page
    assert "cd1" in client.get("/admin/accounts/user/?q=0912000111").content.decode()
    assert "cd1" not in client.get("/admin/accounts/user/?q=khongco").content.decode()


INLINE = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}


def test_admin_form_rejects_bad_personal_id(client, root):
    client.force_login(root)
    response = client.post("/admin/accounts/user/add/", {
        "username": "cd2", "kind": AccountKind.CITIZEN, "full_name": "Trần Văn B", "personal_id": "099085012345",
        "password1": "Mat-Khau-Manh-2026", "password2": "Mat-Khau-Manh-2026", "usable_password": "true", **INLINE,
    })
    assert response.status_code == 200
    assert "personal_id" in response.context["adminform"].form.errors
    assert "099" in response.content.decode() and not User.objects.filter(username="cd2").exists()
    response = client.post("/admin/accounts/user/add/", {
        "username": "cd2", "kind": AccountKind.CITIZEN, "full_name": "Trần Văn B", "personal_id": "027085012345",
        "password1": "Mat-Khau-Manh-2026", "password2": "Mat-Khau-Manh-2026", "usable_password": "true", **INLINE,
    })
    assert response.status_code == 302
    assert User.objects.get(username="cd2").personal_id == "027085012345"


def test_agency_admin_sees_own_subtree_users_and_agencies(client, province):
    admin = staff("qt.xd", province["dept"], Role.AGENCY_ADMIN)
    admin.is_staff = True
    admin.save()
    from django.contrib.auth.models import Permission

    admin.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "view_agency",
                                                                      "view_membership"]))
    staff("cv.xd", province["division"], Role.SPECIALIST)
    staff("cv.tp", province["other_dept"], Role.SPECIALIST)
    client.force_login(admin)
    users = client.get("/admin/accounts/user/").content.decode()
    assert "cv.xd" in users and "cv.tp" not in users
    agencies = client.get("/admin/agencies/agency/").content.decode()
    assert province["division"].code in agencies and province["other_dept"].code not in agencies
    memberships = client.get("/admin/accounts/membership/").content.decode()
    assert "cv.tp" not in memberships
    assert Membership.objects.count() == 3


def test_non_superuser_cannot_grant_privileges_or_foreign_agencies(client, province):
    from django.contrib.auth.models import Permission

    admin = staff("qt.xd2", province["dept"], Role.AGENCY_ADMIN)
    admin.is_staff = True
    admin.save()
    admin.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user",
                                                                      "add_membership", "change_membership",
                                                                      "view_membership", "view_agency"]))
    target = staff("cv.xd3", province["division"], Role.SPECIALIST)
    client.force_login(admin)
    form = client.get(f"/admin/accounts/user/{target.pk}/change/").context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    membership_form = client.get("/admin/accounts/membership/add/").context["adminform"].form
    agency_ids = set(membership_form.fields["agency"].queryset.values_list("pk", flat=True))
    assert agency_ids == {province["dept"].pk, province["division"].pk}
    assert Role.PROVINCE_ADMIN not in dict(membership_form.fields["role"].choices)
    response = client.post("/admin/accounts/membership/add/", {
        "user": target.pk, "agency": province["other_dept"].pk, "role": Role.LEADER})
    assert response.status_code == 200
    assert not Membership.objects.filter(user=target, agency=province["other_dept"]).exists()
