"""Memberships and visible ids cached on the user object: read once per user object, never shared between users,
and a change of a membership or an agency in this process is seen at once (a stale cache never widens access)."""

import pytest

from motcua.accounts.models import Membership, Role
from motcua.accounts.scoping import user_roles, visible_agency_ids
from motcua.agencies.models import Agency
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_roles_and_scope_are_read_once_per_user_object(province, django_assert_num_queries):
    officer = staff("cv.cache", province["dept"], Role.SPECIALIST)
    with django_assert_num_queries(2):  # the memberships, then the subtree's ids
        for _ in range(3):
            assert user_roles(officer, province["division"]) == {Role.SPECIALIST}
            assert user_roles(officer, province["centre"]) == set()
            assert visible_agency_ids(officer) == {province["dept"].pk, province["division"].pk}


def test_each_user_object_has_its_own_cache(province):
    a = staff("a.cache", province["dept"], Role.SPECIALIST)
    b = staff("b.cache", province["centre"], Role.RECEPTION)
    assert user_roles(a, province["dept"]) == {Role.SPECIALIST}
    assert user_roles(b, province["dept"]) == set()
    assert visible_agency_ids(b) == {province["centre"].pk}


def test_revoked_and_granted_memberships_are_seen_by_the_same_user_object(province):
    officer = staff("ld.cache", province["dept"], Role.LEADER)
    assert user_roles(officer, province["dept"]) == {Role.LEADER}
    assert province["dept"].pk in visible_agency_ids(officer)
    Membership.objects.filter(user=officer).delete()
    assert user_roles(officer, province["dept"]) == set()
    assert visible_agency_ids(officer) == set()
    Membership.objects.create(user=officer, agency=province["centre"], role=Role.RECEPTION)
    assert user_roles(officer, province["centre"]) == {Role.RECEPTION}
    assert visible_agency_ids(officer) == {province["centre"].pk}


def test_a_moved_agency_is_seen_by_the_same_user_object(province):
    officer = staff("tn.cache", province["pc"], Role.RECEPTION)
    assert user_roles(officer, province["centre"]) == {Role.RECEPTION}
    assert province["centre"].pk in visible_agency_ids(officer)
    centre = province["centre"]
    centre.parent = None  # the centre leaves the province: the officer's province-wide role no longer covers it
    centre.save()
    assert user_roles(officer, Agency.objects.get(pk=centre.pk)) == set()
    assert centre.pk not in visible_agency_ids(officer)


def test_deactivation_applies_to_a_user_object_with_a_cache(province):
    officer = staff("cv2.cache", province["dept"], Role.SPECIALIST)
    assert user_roles(officer, province["dept"]) == {Role.SPECIALIST}
    officer.is_active = False
    assert user_roles(officer, province["dept"]) == set()
    assert visible_agency_ids(officer) == set()
