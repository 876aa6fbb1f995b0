"""Tracking: public lookup (no enumeration, rate limit), QR code, "my dossiers" scoping, plain-language timeline."""

import re

import pytest

from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier
from tests.portal_citizen import flows
from tests.portal_citizen.test_submission import variant_of

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def submitted(client, citizen, catalog):
    client.force_login(citizen)
    code, confirmation = flows.submit(client, variant_of(catalog["marriage"]))
    secret = confirmation.content.decode().split('id="lookup-secret">', 1)[1].split("<", 1)[0]
    client.logout()
    return {"code": code, "secret": secret, "dossier": Dossier.objects.get(code=code)}


def lookup(client, code, secret, ip="10.0.0.1"):
    return client.post("/tra-cuu/", {"code": code, "secret": secret}, REMOTE_ADDR=ip)


def normalised(response) -> str:
    return CSRF.sub("", response.content.decode())


def test_lookup_with_the_secret_shows_status_and_timeline(client, submitted):
    response = lookup(client, submitted["code"], submitted["secret"])
    body = response.content.decode()
    assert response.status_code == 200
    assert submitted["code"] in body and "Đã nộp trực tuyến, đang chờ cán bộ tiếp nhận" in body
    assert "Sau khi hồ sơ được tiếp nhận" in body  # no due date before the desk receives it


def test_lookup_with_the_applicants_phone(client, submitted):
    assert "id=\"status-label\"" in lookup(client, submitted["code"], "+84 912 345 678").content.decode()


def test_wrong_secret_and_unknown_code_answer_identically(client, submitted):
    wrong = lookup(client, submitted["code"], "sai-ma-tra-cuu", ip="10.0.0.2")
    unknown = lookup(client, submitted["code"][:-4] + "9999", "sai-ma-tra-cuu", ip="10.0.0.3")
    wrong_phone = lookup(client, submitted["code"], "0900000000", ip="10.0.0.4")
    assert wrong.status_code == unknown.status_code == wrong_phone.status_code == 200
    assert "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu" in wrong.content.decode()
    # the code typed is echoed in the form, so compare with it blanked
    bodies = {normalised(r).replace(c, "CODE") for r, c in (
        (wrong, submitted["code"]), (unknown, submitted["code"][:-4] + "9999"), (wrong_phone, submitted["code"]))}
    assert len(bodies) == 1


@pytest.fixture
def hourly_window(settings):
    """10 per hour instead of per minute: the limiter counts in fixed windows, and a slow test run must not cross
    a window boundary between the 10th and the 11th attempt."""
    settings.MOTCUA = {**settings.MOTCUA, "LOOKUP_RATE": "10/h"}


def test_rate_limit_per_ip_answers_429_in_vietnamese(client, submitted, hourly_window):
    for n in range(10):
        assert lookup(client, f"KHONG-CO-{n}", "x").status_code == 200
    response = lookup(client, submitted["code"], submitted["secret"])
    assert response.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần" in response.content.decode()
    assert lookup(client, submitted["code"], submitted["secret"], ip="10.9.9.9").status_code == 200


def test_rate_limit_per_code_across_ips(client, submitted, hourly_window):
    for n in range(10):
        lookup(client, submitted["code"], f"doan-{n}", ip=f"10.1.0.{n}")
    response = lookup(client, submitted["code"], submitted["secret"], ip="10.2.0.1")
    assert response.status_code == 429


def test_qr_svg_links_to_the_lookup_page(client):
    response = client.get("/tra-cuu/qr/000.20.31.T99-260105-0001.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") or svg.lstrip().startswith("<svg")
    assert "<path" in svg and "000.20.31.T99-260105-0001" in svg  # the title names the code


def test_qr_refuses_garbage(client):
    assert client.get("/tra-cuu/qr/%3Cscript%3E.svg").status_code == 400


def test_lookup_form_prefilled_from_qr_link(client):
    body = client.get("/tra-cuu/?code=000.20.31.T99-260105-0001").content.decode()
    assert 'value="000.20.31.T99-260105-0001"' in body


def test_my_dossiers_lists_only_mine(client, submitted, citizen, other_citizen):
    client.force_login(other_citizen)
    assert submitted["code"] not in client.get("/ho-so-cua-toi/").content.decode()
    client.force_login(citizen)
    assert submitted["code"] in client.get("/ho-so-cua-toi/").content.decode()


def test_another_citizens_dossier_is_404_in_vietnamese(client, submitted, other_citizen):
    client.force_login(other_citizen)
    for suffix in ("", "bo-sung/", "thanh-toan/", "danh-gia/"):
        response = client.get(f"/ho-so/{submitted['code']}/{suffix}")
        assert response.status_code == 404, suffix
        assert "Không tìm thấy hồ sơ" in response.content.decode()


def test_timeline_and_due_date_after_reception(client, submitted, citizen, commune_staff):
    perform(submitted["dossier"], "receive", commune_staff["tn"])
    client.force_login(citizen)
    body = client.get(f"/ho-so/{submitted['code']}/").content.decode()
    dossier = Dossier.objects.get(pk=submitted["dossier"].pk)
    assert "Đã được tiếp nhận" in body
    from django.utils import timezone
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in body
    assert "hồ sơ đang được giải quyết" in body


def test_found_lookup_reads_the_dossier_and_its_history_in_two_queries(client, submitted, commune_staff,
                                                                      django_assert_num_queries):
    """A received dossier's page: the dossier query carries its procedure's name (no lazy load of a deferred
    column), the timeline is one more; a third query means a field the page reads was left out of PAGE_FIELDS."""
    perform(submitted["dossier"], "receive", commune_staff["tn"])  # status 2: no Form 02 request to look for
    lookup(client, submitted["code"], submitted["secret"], ip="10.0.0.9")  # warm: sessions, translations
    with django_assert_num_queries(2):
        response = lookup(client, submitted["code"], submitted["secret"], ip="10.0.0.8")
    body = response.content.decode()
    assert submitted["dossier"].procedure_version.procedure.name in body and "Đã được tiếp nhận" in body


def test_cached_navigation_follows_language_and_sign_in(client, submitted, citizen):
    """The portal navigation is rendered once per process (`{% memo %}`): never the anonymous links for a
    signed-in citizen, nor one language's links in the other."""
    assert 'href="/dang-ky/"' in client.get("/tra-cuu/").content.decode()  # anonymous version cached first
    client.force_login(citizen)
    signed_in = client.get("/tra-cuu/").content.decode()
    assert "Hồ sơ của tôi</a>" in signed_in and 'href="/dang-ky/"' not in signed_in
    client.post("/i18n/setlang/", {"language": "en", "next": "/tra-cuu/"})
    english = client.get("/tra-cuu/").content.decode()
    assert "My dossiers</a>" in english and "Hồ sơ của tôi</a>" not in english


# -- the lookup's fast paths (issue #11): same answers as the slow ones ---------------------------------------------
@pytest.mark.parametrize("data", [
    {"code": " 000.20.31.T99-260105-0001 ", "secret": " abc "}, {"code": "X", "secret": ""}, {"code": "", "secret": "x"},
    {"code": "X" * 65, "secret": "x"}, {"secret": "x"}, {"code": "X", "secret": "0912 345 678"},
    {"code": "X\x00", "secret": "x"}])
def test_cleaned_pair_follows_the_form(data):
    from motcua.portal.citizen_forms import LookupForm

    form = LookupForm(data)
    expected = (form.cleaned_data["code"], form.cleaned_data["secret"]) if form.is_valid() else None
    assert LookupForm.cleaned_pair(data) == expected


def test_timeline_times_read_as_the_date_filter_wrote_them(client, submitted, commune_staff):
    from django.utils import dateformat, timezone

    from motcua.dossiers.models import DossierEvent

    perform(submitted["dossier"], "receive", commune_staff["tn"])
    body = lookup(client, submitted["code"], submitted["secret"]).content.decode()
    for event in DossierEvent.objects.filter(dossier=submitted["dossier"]).exclude(to_status=None):
        at = timezone.localtime(event.at)
        assert f'<time datetime="{dateformat.format(at, "c")}">{dateformat.format(at, "H:i d/m/Y")}</time>' in body


def test_a_looked_up_dossier_in_payment_gets_every_column_for_the_payment_check(submitted):
    """The lookup reads few columns; the payment check (status 6) must see the whole dossier, as "my dossiers" does."""
    from django.contrib.auth.models import AnonymousUser

    from motcua.dossiers.models import Status
    from motcua.portal import services_bridge
    from motcua.portal.lookup import dossier_context, find_dossier

    Dossier.objects.filter(pk=submitted["dossier"].pk).update(status=Status.PAYMENT)
    found = find_dossier(submitted["code"], submitted["secret"])
    assert found.get_deferred_fields()  # the lookup's narrow read
    context = dossier_context(found, AnonymousUser())
    assert not found.get_deferred_fields()
    assert context["can_pay"] == services_bridge.can_pay(Dossier.objects.get(pk=found.pk))


def test_find_dossier_answers_none_for_a_wrong_secret_or_an_unknown_code(submitted):
    from motcua.portal.lookup import find_dossier

    assert find_dossier(submitted["code"], submitted["secret"]).pk == submitted["dossier"].pk
    assert find_dossier(submitted["code"], "+84 912 345 678").pk == submitted["dossier"].pk
    assert find_dossier(submitted["code"], "sai-ma-tra-cuu") is None
    assert find_dossier(submitted["code"], "") is None
    assert find_dossier(submitted["code"][:-4] + "9999", submitted["secret"]) is None
    assert find_dossier("<script>", submitted["secret"]) is None
