from motcua.accounts.models import Role
from motcua.accounts.scoping import scope_queryset, visible_agency_ids
from motcua.agencies.models import Agency
from tests.factories import UserFactory, staff


def test_staff_sees_own_subtree_only(province):
    officer = staff("cv.xd", province["dept"], Role.SPECIALIST)
    codes = set(scope_queryset(Agency.objects.all(), officer, field="pk").values_list("code", flat=True))
    assert codes == {province["dept"].code, province["division"].code}


def test_province_admin_sees_province(province):
    admin = staff("qt.tinh", province["pc"], Role.PROVINCE_ADMIN)
    assert len(visible_agency_ids(admin)) == Agency.objects.count()


def test_citizen_and_anonymous_see_no_agency_data(province):
    from django.contrib.auth.models import AnonymousUser

    assert visible_agency_ids(UserFactory()) == set()
    assert visible_agency_ids(AnonymousUser()) == set()
