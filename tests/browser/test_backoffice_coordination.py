"""Coordination queue in a real browser: the centre's officer finds a dossier sent back as "not competent", routes it
to the competent department, and the dossier leaves the queue with its legal clock unchanged."""

import re

import pytest
from playwright.sync_api import expect

from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier
from tests.backoffice.conftest import intake, world  # noqa: F401 (fixtures)
from tests.browser.harness import assert_no_axe_violations
from tests.browser.test_backoffice_desk import log_in

pytestmark = pytest.mark.browser


def test_centre_routes_a_declined_dossier_from_the_queue(page, world, intake):  # noqa: F811
    world["procedure"].competent_agencies.clear()
    d = intake(days_ago=1, competent_agency=world["dept"])
    perform(d, "hand_over", world["tn"])
    perform(d, "decline_competence", world["cv"], reason="Thuộc thẩm quyền Sở Tư pháp")
    unclear = intake()
    due_before = Dossier.objects.get(pk=d.pk).due_at

    log_in(page, "tn")
    page.get_by_role("link", name="Điều phối", exact=True).click()
    expect(page).to_have_url(re.compile(r"/backoffice/dieu-phoi/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ chờ điều phối cơ quan giải quyết")
    card = page.locator("section.coordination", has=page.get_by_role("link", name=d.code))
    expect(card).to_contain_text("Thuộc thẩm quyền Sở Tư pháp")
    expect(page.locator("section.coordination")).to_have_count(2)
    assert_no_axe_violations(page)

    card.get_by_label(f"Cơ quan giải quyết {d.code}").select_option(label="Sở Tư pháp")
    card.get_by_role("button", name=f"Chuyển cơ quan giải quyết {d.code}").click()
    expect(page.get_by_text(f"Đã thực hiện «Chuyển cơ quan giải quyết» cho hồ sơ {d.code}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/backoffice/dieu-phoi/$"))
    expect(page.locator("section.coordination")).to_have_count(1)
    expect(page.locator("section.coordination")).to_contain_text(unclear.code)
    assert_no_axe_violations(page)

    routed = Dossier.objects.get(pk=d.pk)
    assert routed.competent_agency == world["other_dept"] and routed.due_at == due_before
