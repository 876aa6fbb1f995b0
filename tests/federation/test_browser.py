"""The national page in a real browser: a province administrator signs in, changes the period and the definition
with the keyboard-operable form, reads the ranking; axe finds no violation."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import Role
from motcua.federation.models import FederatedStatistic, ProvinceFeed
from tests.browser.harness import assert_no_axe_violations
from tests.browser.test_backoffice_desk import log_in
from tests.factories import AgencyFactory, staff

pytestmark = pytest.mark.browser


def publish(code, name, definition, received, online, finished, on_time):
    feed, _ = ProvinceFeed.objects.get_or_create(code=code, defaults={"name": name, "key_id": code,
                                                                      "secret": "s"})
    FederatedStatistic.objects.create(
        feed=feed, period="2026-10", date_from="2026-10-01", date_to="2026-10-31", unit_code=code, unit_name=name,
        definition=definition, computed_at=datetime(2026, 11, 1, tzinfo=UTC),
        figures={"received": received, "received_online": online, "to_process": received, "finished": finished,
                 "finished_on_time": on_time, "on_time_rate": round(100 * on_time / finished, 2),
                 "online_rate": round(100 * online / received, 2), "avg_handling_days": 1.5})


def test_national_admin_reads_the_ranking(page):
    staff("qt", AgencyFactory(code="000.00.00.T99", name="Bộ Nội vụ"), Role.PROVINCE_ADMIN)
    for definition in ("766", "local"):
        publish("000.00.00.H01", "Tỉnh Một", definition, 1644, 1200, 1000, 976)
        publish("000.00.00.H02", "Tỉnh Hai", definition, 300, 30, 200, 150)
    log_in(page, "qt")
    page.goto("/backoffice/lien-thong/")
    page.get_by_label("Kỳ (2026-10, 2026-Q4, 2026)").fill("2026-10")
    page.get_by_label("Cách tính", exact=True).select_option("local")
    page.get_by_label("Kỳ (2026-10, 2026-Q4, 2026)").press("Enter")
    ranking = page.locator("table.federation-ranking")
    expect(ranking).to_contain_text("Tháng 10/2026")
    expect(ranking.locator("tbody tr").first).to_contain_text("Tỉnh Một")
    expect(ranking.locator("tbody tr").first).to_contain_text("1.644")
    expect(ranking.locator("tbody tr").first).to_contain_text("97,60 %")
    expect(ranking.locator("tfoot")).to_contain_text("1.944")
    assert_no_axe_violations(page)
