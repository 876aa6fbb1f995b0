"""Back-office dashboard, drill-down and the entry of administrator values."""

import pytest
from django.urls import reverse

from motcua.accounts.models import Role
from motcua.audit.models import AuditRecord
from motcua.indices.models import ManualIndicatorValue
from motcua.indices.services import compute
from tests.factories import UserFactory, staff
from tests.indices.conftest import DEPT, PC, PERIOD

DASH = reverse("indices:index766")
PART_TREND = reverse("indices:index766_part", args=["xu-huong"])
PART_RANKING = reverse("indices:index766_part", args=["xep-hang"])


def test_dashboard_shows_total_groups_indicators_ranking_and_recoverable(client, october, sync_value):
    client.force_login(october["tt"])
    r = client.get(DASH, {"unit": DEPT, "period": PERIOD})
    assert r.status_code == 200
    html = r.content.decode()
    assert "<strong>57,43</strong> / 100,00" in html  # Vietnamese number format
    assert "66,67 %" in html and "13,33" in html  # 2.1 rate and points
    assert "Điều gì nâng điểm nhiều nhất" in html and "có thể lấy lại 6,67 điểm" in html
    assert "chưa nhập số liệu" in html  # 4.2b
    trend = client.get(PART_TREND, {"unit": DEPT, "period": PERIOD}).content.decode()
    assert "Tháng 10/2026" in trend and "Tháng 05/2026" in trend and "13,33" in trend  # six-month trend
    province = client.get(PART_RANKING, {"unit": PC, "period": PERIOD}).content.decode()
    assert "Xếp hạng sở, ban, ngành" in province and "Xếp hạng xã, phường" in province
    assert province.index("Sở Xây dựng") < province.index("Sở Tư pháp")  # ranked by total


def test_dashboard_downloads(client, october):
    client.force_login(october["tt"])
    r = client.get(DASH, {"unit": DEPT, "period": PERIOD, "format": "json"})
    assert r.status_code == 200 and r.json()["unit"] == DEPT
    r = client.get(DASH, {"unit": DEPT, "period": PERIOD, "format": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_drill_down_lists_the_dossiers_that_cost_points(client, october):
    client.force_login(october["tt"])
    r = client.get(reverse("indices:index766_detail", args=["2.1"]), {"unit": DEPT, "period": PERIOD})
    html = r.content.decode()
    for code in ("D2", "D4", "D5"):
        assert reverse("backoffice:dossier", args=[code]) in html
    for code in ("D1", "D3", "D6", "D7"):
        assert f">{code}<" not in html
    r = client.get(reverse("indices:index766_detail", args=["5.4"]), {"unit": DEPT, "period": PERIOD})
    assert all(f">{c}<" in r.content.decode() for c in ("D1", "D2", "D4", "D5", "D6"))


@pytest.mark.parametrize("code, expected", [("1.1", ["1.000999"]), ("1.3", ["1.000888"]), ("3.6", ["D9"]),
                                            ("5.2", ["PA2"]), ("4.3", ["D1", "D4", "D5", "D6", "D7", "D8", "D9"])])
def test_drill_down_per_kind(client, october, code, expected):
    client.force_login(october["tt"])
    html = client.get(reverse("indices:index766_detail", args=[code]), {"unit": DEPT, "period": PERIOD}).content.decode()
    assert all(e in html for e in expected)


def test_pages_are_scoped(client, october):
    client.force_login(october["cv"])
    assert client.get(DASH, {"unit": PC, "period": PERIOD}).status_code == 404
    assert client.get(DASH, {"unit": DEPT, "period": PERIOD}).status_code == 200
    client.force_login(UserFactory(username="dan"))
    assert client.get(DASH).status_code == 403
    client.logout()
    assert client.get(DASH).status_code == 302


def test_bad_period_on_the_dashboard_falls_back_with_a_message(client, october):
    client.force_login(october["tt"])
    r = client.get(DASH, {"unit": DEPT, "period": "2026-13"}, follow=True)
    assert r.status_code == 200 and "Kỳ đánh giá không hợp lệ" in r.content.decode()


def test_province_admin_enters_a_value_and_the_score_changes(client, october):
    admin = staff("qt", october["pc"], Role.PROVINCE_ADMIN)
    client.force_login(admin)
    before = compute(DEPT, PERIOD)["total"]
    url = reverse("indices:index766_manual")
    assert client.get(url).status_code == 200
    r = client.post(url, {"unit": DEPT, "period": PERIOD, "indicator": "4.2b", "numerator": 3, "denominator": 4,
                          "note": "Hệ thống chứng thực điện tử"})
    assert r.status_code == 302
    value = ManualIndicatorValue.objects.get(unit=october["dept"], period=PERIOD, indicator__code="4.2b")
    assert (value.numerator, value.denominator, value.entered_by) == (3, 4, admin)
    assert AuditRecord.objects.filter(stream="indices", action="manual_value").exists()
    assert compute(DEPT, PERIOD)["total"] == round(before + 1.5, 2)  # 3/4 × 2


def test_manual_value_errors(client, october):
    client.force_login(staff("qt", october["pc"], Role.PROVINCE_ADMIN))
    url = reverse("indices:index766_manual")
    r = client.post(url, {"unit": DEPT, "period": PERIOD, "indicator": "1.4", "numerator": 5, "denominator": 4})
    assert r.status_code == 200 and "Tử số không được lớn hơn mẫu số" in r.content.decode()
    r = client.post(url, {"unit": DEPT, "period": "2026-99", "indicator": "1.4", "numerator": 1, "denominator": 4})
    assert "Nhập tháng (2026-10)" in r.content.decode()
    assert not ManualIndicatorValue.objects.exists()


def test_only_administrators_enter_values(client, october):
    client.force_login(october["tt"])  # inspector: reads everything, changes nothing
    assert client.get(reverse("indices:index766_manual")).status_code == 403


def test_a_quarter_sums_the_monthly_values(october, sync_value):
    from django.utils import timezone

    ManualIndicatorValue.objects.create(unit=october["dept"], period="2026-11", indicator=sync_value.indicator,
                                        numerator=2, denominator=3, entered_at=timezone.now())
    row = next(i for i in compute(DEPT, "2026-Q4")["indicators"] if i["code"] == "1.4")
    assert (row["numerator"], row["denominator"]) == (10, 12)


def test_periods_before_the_first_version(client, october):
    client.force_login(october["tt"])
    assert client.get(DASH, {"unit": DEPT, "period": "2021-05"}).status_code == 404
    assert client.get(reverse("indices:index766_detail", args=["2.1"]),
                      {"unit": DEPT, "period": "2021-05"}).status_code == 404
    r = client.get(PART_TREND, {"unit": DEPT, "period": "2022-07"})  # trend reaches back before June 2022
    assert r.status_code == 200 and "Tháng 02/2022" in r.content.decode()
    assert client.get(reverse("indices:index766_part", args=["khac"]), {"unit": DEPT}).status_code == 404
