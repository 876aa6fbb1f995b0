"""Scoping matrix: who sees which agencies' rows, who may act. Rows are Memberships (a model with an agency FK),
so the test goes through the same scope_queryset every other context uses."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from motcua.accounts.models import Membership, Role
from motcua.accounts.permissions import can_act, can_view, has_role, is_read_only, require_act
from motcua.accounts.scoping import is_province_admin, scope_queryset, user_roles, visible_agency_ids
from motcua.agencies.models import Agency
from tests.factories import UserFactory, staff

R = Role


@pytest.fixture
def people(province):
    p = province
    users = {
        "officer_dept": staff("cv.xd", p["dept"], R.SPECIALIST),
        "officer_other": staff("cv.tp", p["other_dept"], R.SPECIALIST),
        "reception_commune": staff("mc.xa", p["commune"], R.RECEPTION),
        "leader_dept": staff("ld.xd", p["dept"], R.LEADER),
        "inspector": staff("tt.tinh", p["pc"], R.INSPECTOR),
        "reform": staff("cchc.tinh", p["pc"], R.REFORM_OFFICE),
        "province_admin": staff("qt.tinh", p["pc"], R.PROVINCE_ADMIN),
        "superuser": UserFactory(username="root", is_superuser=True),
        "citizen": UserFactory(username="cd"),
        "inactive": staff("nghi.viec", p["dept"], R.LEADER),
    }
    users["inactive"].is_active = False
    users["inactive"].save()
    return users


def visible_codes(user, province):
    return set(scope_queryset(Agency.objects.all(), user, field="pk").values_list("code", flat=True))


def codes(province, *keys):
    return {province[k].code for k in keys}


ALL = ("pc", "dept", "division", "centre", "commune", "other_dept")


@pytest.mark.parametrize("who,expected", [
    ("officer_dept", ("dept", "division")),
    ("officer_other", ("other_dept",)),
    ("reception_commune", ("commune",)),
    ("leader_dept", ("dept", "division")),
    ("inspector", ALL),
    ("reform", ALL),
    ("province_admin", ALL),
    ("superuser", ALL),
    ("citizen", ()),
    ("inactive", ()),
])
def test_visibility_matrix(province, people, who, expected):
    assert visible_codes(people[who], province) == codes(province, *expected)


def test_rows_of_other_agencies_are_hidden(province, people):
    # Rows owned by agencies (here: memberships) filtered through the shared mechanism.
    rows = scope_queryset(Membership.objects.all(), people["officer_dept"], field="agency")
    assert {m.agency.code for m in rows} == {province["dept"].code}
    assert not rows.filter(agency=province["other_dept"]).exists()
    assert scope_queryset(Membership.objects.all(), people["citizen"]).count() == 0
    assert scope_queryset(Membership.objects.all(), people["superuser"]).count() == Membership.objects.count()


def test_anonymous_sees_nothing_and_can_do_nothing(province):
    anon = AnonymousUser()
    assert visible_agency_ids(anon) == set() and user_roles(anon) == set()
    assert not can_act(anon, province["dept"], [R.SPECIALIST]) and not can_view(anon, province["dept"])


def test_roles_inherit_down_the_tree(province, people):
    leader = people["leader_dept"]
    assert has_role(leader, R.LEADER, province["division"])
    assert not has_role(leader, R.LEADER, province["pc"])
    assert not has_role(leader, R.LEADER, province["other_dept"])
    assert user_roles(leader, province["division"]) == {R.LEADER}


def test_can_act_matrix(province, people):
    dept, division, other = province["dept"], province["division"], province["other_dept"]
    assert can_act(people["officer_dept"], division, [R.SPECIALIST, R.LEADER])
    assert not can_act(people["officer_dept"], other, [R.SPECIALIST])
    assert not can_act(people["officer_dept"], dept, [R.LEADER])  # wrong role
    assert can_act(people["leader_dept"], dept, [R.LEADER])
    assert can_act(people["superuser"], other, [R.LEADER])
    assert not can_act(people["inactive"], dept, [R.LEADER])
    assert not can_act(people["citizen"], dept, [R.RECEPTION])


def test_read_only_roles_never_write(province, people):
    for who in ("inspector", "reform"):
        user = people[who]
        assert can_view(user, province["division"])  # reads everything in scope
        assert is_read_only(user) and is_read_only(user, province["dept"])
        assert not can_act(user, province["dept"], [R.INSPECTOR, R.REFORM_OFFICE, R.LEADER])
        with pytest.raises(PermissionDenied):
            require_act(user, province["dept"], [R.INSPECTOR])
    assert not is_read_only(people["leader_dept"], province["dept"])
    require_act(people["leader_dept"], province["dept"], [R.LEADER])


def test_province_admin_flag(province, people):
    assert is_province_admin(people["province_admin"]) and is_province_admin(people["superuser"])
    assert not is_province_admin(people["leader_dept"]) and not is_province_admin(people["citizen"])


def test_inactive_superuser_sees_nothing(province):
    root = UserFactory(username="root2", is_superuser=True, is_active=False)
    assert visible_agency_ids(root) == set()
    assert not can_act(root, province["pc"], [R.LEADER])


def test_membership_only_for_staff(province):
    from django.core.exceptions import ValidationError

    citizen = UserFactory(username="cd2")
    with pytest.raises(ValidationError):
        Membership(user=citizen, agency=province["dept"], role=R.SPECIALIST).full_clean()
