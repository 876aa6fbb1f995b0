"""Calendar from the database: overrides, office hours per agency, cache invalidation, yearly confirmation, demo."""

import io
from datetime import date, time

import pytest

from motcua.worktime import services
from motcua.worktime.models import CalendarOverride, CalendarYear, OfficeHours, OverrideKind

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    services.invalidate()
    yield
    services.invalidate()


def test_package_calendar_with_default_hours():
    cal = services.get_calendar()
    assert not cal.is_working_day(date(2026, 2, 17)) and cal.is_working_day(date(2026, 8, 22))
    assert cal.closing == 17 * 3600 + 30 * 60
    assert services.compute_due(at(2026, 2, 13, 10), 3, "working_days") == at(2026, 2, 25, 17, 30)


def test_overrides_apply_and_invalidate_the_cache():
    assert not services.get_calendar().is_working_day(date(2026, 11, 24))
    removal = CalendarOverride.objects.create(day=date(2026, 11, 24), kind=OverrideKind.REMOVE,
                                              name="Không phải ngày nghỉ hưởng lương")
    assert removal.year == 2026
    assert services.get_calendar().is_working_day(date(2026, 11, 24))
    CalendarOverride.objects.create(day=date(2026, 12, 31), kind=OverrideKind.DAY_OFF, name="Nghỉ cuối năm")
    CalendarOverride.objects.create(day=date(2026, 12, 26), kind=OverrideKind.WORKING_DAY, name="Làm bù")
    cal = services.get_calendar()
    assert not cal.is_working_day(date(2026, 12, 31)) and cal.reason(date(2026, 12, 31)) == "Nghỉ cuối năm"
    assert cal.is_working_day(date(2026, 12, 26))
    removal.delete()
    assert not services.get_calendar().is_working_day(date(2026, 11, 24))


def test_office_hours_province_default_then_agency_subtree(province):
    OfficeHours.objects.create(morning_start=time(7), morning_end=time(11, 30), afternoon_start=time(13, 30),
                               afternoon_end=time(17))
    assert services.get_calendar().closing == 17 * 3600
    OfficeHours.objects.create(agency=province["dept"], morning_start=time(8), morning_end=time(12),
                               afternoon_start=time(13), afternoon_end=time(17, 15))
    assert services.get_calendar(province["dept"]).closing == 17 * 3600 + 15 * 60
    assert services.get_calendar(province["division"]).opening == 8 * 3600  # inherited from the department
    assert services.get_calendar(province["commune"]).closing == 17 * 3600  # province default
    assert services.compute_due(at(2026, 3, 2, 9), 1, "working_days", agency=province["division"]) == \
        at(2026, 3, 3, 17, 15)


def test_office_hours_validation():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        OfficeHours(morning_start=time(11), morning_end=time(8)).full_clean()


def test_unconfirmed_year_warning_from_october(django_user_model):
    assert services.unconfirmed_year_warning(date(2026, 9, 30)) is None
    message = services.unconfirmed_year_warning(date(2026, 10, 1))
    assert message and "2027" in message
    user = django_user_model.objects.create(username="quantri")
    row = services.confirm_year(2027, user)
    assert row.confirmed and row.confirmed_by == user
    assert services.unconfirmed_year_warning(date(2026, 12, 31)) is None
    first = row.confirmed_at
    assert services.confirm_year(2027).confirmed_at == first  # idempotent


def test_demo_confirms_2025_and_2026_idempotently():
    from motcua.worktime import demo

    out = io.StringIO()
    demo.load(out)
    stamps = dict(CalendarYear.objects.values_list("year", "confirmed_at"))
    assert set(stamps) == {2025, 2026} and all(stamps.values())
    demo.load(out)
    assert dict(CalendarYear.objects.values_list("year", "confirmed_at")) == stamps
    assert CalendarOverride.objects.count() == 0 and OfficeHours.objects.count() == 0


def test_admin_pages_show_the_warning(client, django_user_model, monkeypatch):
    from django.urls import reverse

    monkeypatch.setattr(services.timezone, "localdate", lambda: date(2026, 10, 5))
    admin = django_user_model.objects.create_superuser(username="admin", password="matkhau-Manh-123")
    client.force_login(admin)
    url = reverse("admin:worktime_calendaryear_changelist")
    response = client.get(url)
    assert response.status_code == 200 and "Lịch làm việc năm 2027 chưa được xác nhận" in response.content.decode()
    services.confirm_year(2027, admin)
    assert "2027 chưa được xác nhận" not in client.get(url).content.decode()
