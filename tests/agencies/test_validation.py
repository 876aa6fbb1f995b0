from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.models import Agency, AgencyLevel


def error_fields(agency):
    with pytest.raises(ValidationError) as excinfo:
        agency.full_clean()
    return set(excinfo.value.message_dict)


def test_valid_unit_passes(province):
    province["division"].full_clean()


@pytest.mark.parametrize("code", ["000.00.12.h27", "00.00.12.H27", "000-00-12-H27", "000.00.12.H2"])
def test_code_format(province, code):
    dept = province["dept"]
    dept.code = code
    assert error_fields(dept) == {"code"}


def test_code_pattern_from_settings(province, settings):
    settings.MOTCUA = {**settings.MOTCUA, "AGENCY_CODE_PATTERN": r"^SXD$"}
    dept = province["dept"]
    assert error_fields(dept) == {"code"}
    dept.code = "SXD"
    dept.full_clean()


def test_valid_to_before_valid_from(province):
    dept = province["dept"]
    dept.valid_from, dept.valid_to = date(2025, 7, 1), date(2025, 6, 30)
    assert error_fields(dept) == {"valid_to"}
    dept.valid_to = date(2025, 7, 1)  # same day is allowed
    dept.full_clean()


def test_successor_cannot_be_itself_or_close_a_cycle(province):
    commune = province["commune"]
    commune.successor = commune
    assert error_fields(commune) == {"successor"}
    old = Agency.objects.create(code="000.20.00.T99", name="Huyện cũ", level=AgencyLevel.DISTRICT,
                                parent=province["pc"], successor=commune)
    commune.successor = old
    assert error_fields(commune) == {"successor"}
    commune.successor = province["centre"]
    commune.full_clean()


def test_parent_cycle_refused(province):
    dept = province["dept"]
    dept.parent = province["division"]  # the division is dept's own child
    assert error_fields(dept) == {"parent"}
    dept.parent = dept
    assert error_fields(dept) == {"parent"}


def test_unit_cannot_sit_under_lower_level(province):
    dept = province["dept"]
    dept.parent = province["commune"]
    assert error_fields(dept) == {"level"}


def test_active_means_in_force_today(province):
    old = Agency.objects.create(code="000.20.00.T99", name="Huyện cũ", level=AgencyLevel.DISTRICT,
                                parent=province["pc"], valid_to=date(2025, 6, 30))
    assert not old.is_active and province["commune"].is_active
    assert old not in Agency.objects.active() and province["commune"] in Agency.objects.active()
    assert province["division"].depth == 2 and province["pc"].depth == 0
