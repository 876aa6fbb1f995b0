"""`motcua deadline`, `motcua calendar` and the public API: results, explanations, and field-named errors."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.worktime import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    services.invalidate()


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_deadline_prints_iso_due():
    assert run("deadline", "--received", "2026-02-13T10:00", "--duration", "3", "--unit", "working_days") == \
        "2026-02-25T17:30:00+07:00"
    assert run("deadline", "--received", "2026-04-29T15:20", "--duration", "0", "--unit", "working_days",
               "--same-day-cutoff", "15:00") == "2026-05-04T17:30:00+07:00"


def test_deadline_json_explains_skipped_days():
    data = json.loads(run("deadline", "--received", "2026-02-12T10:00", "--duration", "5", "--unit",
                          "working_days", "--json"))
    assert data["due"] == "2026-02-26T17:30:00+07:00"
    explain = data["explain"]
    assert explain["working_days"] == 5
    reasons = {d["date"]: d["reason"] for d in explain["skipped"]}
    assert reasons["2026-02-17"] == "Tết Nguyên Đán" and reasons["2026-02-14"] == "Thứ Bảy"
    assert len(reasons) == 9


def test_deadline_with_pause_and_province(province):
    due = run("deadline", "--received", "2026-03-02T09:00", "--duration", "5", "--unit", "working_days",
              "--pause", "2026-03-03T09:00/2026-03-05T09:00", "--province", province["dept"].code)
    assert due == "2026-03-11T17:30:00+07:00"


@pytest.mark.parametrize(
    "args,field",
    [
        (["--duration", "3", "--unit", "weeks"], "unit"),
        (["--duration", "-3", "--unit", "working_days"], "duration"),
        (["--duration", "ba", "--unit", "working_days"], "duration"),
        (["--duration", "3", "--unit", "working_days", "--pause", "2026-03-05T09:00/2026-03-03T09:00"], "pauses"),
        (["--duration", "3", "--unit", "working_days", "--pause", "2026-03-03T09:00/2026-03-05T09:00",
          "--pause", "2026-03-04T09:00/2026-03-06T09:00"], "pauses"),
        (["--duration", "3", "--unit", "working_days", "--province", "000.99.99.X00"], "province"),
    ],
)
def test_deadline_bad_input_exits_2(args, field):
    with pytest.raises(CommandError) as err:
        call_command("deadline", "--received", "2026-03-02T09:00", *args, stdout=io.StringIO())
    assert err.value.returncode == 2 and str(err.value).startswith(field + ":")


def test_deadline_out_of_range_exits_2():
    with pytest.raises(CommandError) as err:
        call_command("deadline", "--received", "2099-03-02T09:00", "--duration", "3", "--unit", "working_days")
    assert err.value.returncode == 2 and "received" in str(err.value)


def test_calendar_show_and_confirm():
    text = run("calendar", "show", "2026")
    assert "17/02/2026" in text and "Tết Nguyên Đán" in text and "22/08/2026" in text and "Làm bù" in text
    assert "Chưa xác nhận." in text
    assert "đã được xác nhận" in run("calendar", "confirm", "2026")
    assert "Đã xác nhận." in run("calendar", "show", "2026")
    with pytest.raises(CommandError) as err:
        call_command("calendar", "show", "1900")
    assert err.value.returncode == 2


def test_calendar_confirm_records_the_user(django_user_model):
    from motcua.worktime.models import CalendarYear

    user = django_user_model.objects.create(username="quantri")
    run("calendar", "confirm", "2027", "--user", "quantri")
    assert CalendarYear.objects.get(year=2027).confirmed_by == user
    with pytest.raises(CommandError) as err:
        call_command("calendar", "confirm", "2028", "--user", "khongco", stdout=io.StringIO())
    assert err.value.returncode == 2 and str(err.value).startswith("user:")
    assert not CalendarYear.objects.filter(year=2028).exists()


def test_api_deadline(client):
    r = client.get("/api/v1/worktime/deadline", {"received": "2026-02-13T10:00", "duration": "3",
                                                 "unit": "working_days"})
    assert r.status_code == 200
    body = r.json()
    assert body["due"] == "2026-02-25T17:30:00+07:00" and body["explain"]["skipped"]
    r = client.get("/api/v1/worktime/deadline", {"received": "2026-04-29T15:20", "duration": "0",
                                                 "unit": "working_days", "cutoff": "15:00"})
    assert r.json()["due"] == "2026-05-04T17:30:00+07:00"
    r = client.get("/api/v1/worktime/deadline", {"received": "2026-03-02T09:00", "unit": "none"})
    assert r.status_code == 200 and r.json()["due"] is None


@pytest.mark.parametrize(
    "params,field",
    [
        ({"received": "2026-02-13T10:00", "duration": "3", "unit": "weeks"}, "unit"),
        ({"received": "hôm qua", "duration": "3", "unit": "working_days"}, "received"),
        ({"received": "2026-02-13T10:00", "duration": "-1", "unit": "working_days"}, "duration"),
        ({"received": "2026-02-13T10:00", "duration": "1", "unit": "working_days", "cutoff": "3pm"}, "cutoff"),
        ({"received": "2099-02-13T10:00", "duration": "1", "unit": "working_days"}, "received"),
    ],
)
def test_api_deadline_errors_are_422_with_field(client, params, field):
    r = client.get("/api/v1/worktime/deadline", params)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == f"invalid_{field}" and field in error["fields"]


def test_api_calendar(client):
    r = client.get("/api/v1/worktime/calendar/2026")
    assert r.status_code == 200
    days = {d["date"]: d for d in r.json()["days"]}
    assert days["2026-08-22"]["kind"] == "working_day" and days["2026-02-17"]["kind"] == "day_off"
    assert r.json()["confirmed"] is False
    assert client.get("/api/v1/worktime/calendar/1900").status_code == 422


def test_override_reason_appears_in_explanation():
    from datetime import date

    from motcua.worktime.models import CalendarOverride, OverrideKind

    CalendarOverride.objects.create(day=date(2026, 3, 3), kind=OverrideKind.DAY_OFF, name="Nghỉ theo quyết định tỉnh")
    data = json.loads(run("deadline", "--received", "2026-03-02T09:00", "--duration", "2", "--unit",
                          "working_days", "--json"))
    assert data["due"] == "2026-03-05T17:30:00+07:00"
    assert {"date": "2026-03-03", "reason": "Nghỉ theo quyết định tỉnh"} in data["explain"]["skipped"]
