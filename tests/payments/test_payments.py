from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from motcua.audit.models import AuditRecord
from motcua.dossiers.models import Channel, Dossier, DossierEvent, PaidOnline, Status
from motcua.payments import services
from motcua.payments.gateways import SandboxGateway, sign
from motcua.payments.models import CallbackLog, Payment, PaymentStatus
from motcua.payments.services import PaymentError, create_payment, handle_callback

pytestmark = pytest.mark.django_db


def callback_params(payment, status="paid", amount=None, ts="1767600000"):
    params = {"ref": payment.reference, "status": status, "amount": str(payment.amount if amount is None else amount),
              "ts": ts}
    params["sig"] = sign(params)
    return params


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


# -- creating ---------------------------------------------------------------------------------------------------
def test_online_payment_uses_online_amounts(make_dossier):
    d = make_dossier("payment", channel=Channel.ONLINE)
    p = create_payment(d, channel_online=True)
    assert p.status == PaymentStatus.PENDING and p.gateway == "sandbox"
    assert p.items == [{"name": "Lệ phí cấp giấy phép", "amount": 1_350_000}, {"name": "Phí thẩm định", "amount": 294_000}]
    assert p.amount == 1_644_000 and p.amount_display == "1.644.000 đồng"
    assert len(p.reference) >= 22 and p.payer_name == "Trần Thị Bình"
    assert services.start_url(p) == f"/thanh-toan/sandbox/{p.reference}/"


def test_counter_amounts_and_pending_payment_reused(make_dossier):
    d = make_dossier("payment")
    first = create_payment(d, channel_online=False)
    assert first.amount == 1_794_000
    assert create_payment(d, channel_online=False).pk == first.pk  # a double click creates one payment
    assert create_payment(d, channel_online=True).pk != first.pk  # different items: a new payment


def test_refusals(make_dossier, world):
    d = make_dossier("payment")
    with pytest.raises(PaymentError) as exc:
        create_payment(d, user=world["other_citizen"])
    assert exc.value.status == 404
    assert create_payment(d, user=world["citizen"]).created_by == world["citizen"]
    assert services.can_pay(d)


@pytest.mark.parametrize("world", [{"fees": False}], indirect=True)
def test_nothing_to_pay(make_dossier):
    d = make_dossier("payment")
    assert not services.can_pay(d)
    with pytest.raises(PaymentError) as exc:
        create_payment(d)
    assert exc.value.code == "nothing_to_pay" and "không có khoản phí" in exc.value.message
    assert not Payment.objects.exists()


def test_delivered_dossier_not_payable(make_dossier):
    d = make_dossier("delivered")
    with pytest.raises(PaymentError) as exc:
        create_payment(d)
    assert exc.value.code == "not_payable" and exc.value.status == 409


# -- the sandbox round trip ---------------------------------------------------------------------------------------
def test_sandbox_pay_confirms_payment_through_engine(client, make_dossier, world):
    d = make_dossier("payment", channel=Channel.ONLINE)
    events_before = d.events.count()
    p = create_payment(d)
    page = client.get(f"/thanh-toan/sandbox/{p.reference}/")
    assert page.status_code == 200 and "1.644.000 đồng" in page.content.decode()
    redirect = client.post(f"/thanh-toan/sandbox/{p.reference}/", {"choice": "pay"})
    assert redirect.status_code == 302
    url = urlsplit(redirect["Location"])
    assert url.path == "/thanh-toan/callback/sandbox/"
    assert set(parse_qs(url.query)) == {"ref", "status", "amount", "ts", "sig"}
    client.force_login(world["citizen"])
    result = client.get(redirect["Location"])
    assert result.status_code == 200 and "Xem biên lai điện tử" in result.content.decode()

    p = reload(p)
    assert p.status == PaymentStatus.PAID and p.paid_at and p.receipt_number.startswith("BL")
    assert p.gateway_txn.startswith("SBX-")
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == Status.PROCESSING and d.paid_online == PaidOnline.LOCAL and not d.payment_pause
    ev = d.events.order_by("-seq").first()
    assert d.events.count() == events_before + 1
    assert ev.action == "confirm_payment" and ev.actor_label == "system:payment" and ev.actor is None
    assert AuditRecord.objects.filter(stream=f"dossier:{d.code}", action="payment_paid").count() == 1


def test_sandbox_cancel_and_fail(client, make_dossier):
    d = make_dossier("payment")
    p = create_payment(d)
    client.get(client.post(f"/thanh-toan/sandbox/{p.reference}/", {"choice": "cancel"})["Location"])
    assert reload(p).status == PaymentStatus.CANCELLED and reload(d).status == Status.PAYMENT
    p2 = create_payment(d)  # a cancelled payment is final: paying again starts a new one
    assert p2.pk != p.pk
    client.get(client.post(f"/thanh-toan/sandbox/{p2.reference}/", {"choice": "fail"})["Location"])
    assert reload(p2).status == PaymentStatus.FAILED and reload(d).paid_online == PaidOnline.NONE


def test_bad_signature_is_400_and_changes_nothing(client, make_dossier):
    d = make_dossier("payment")
    p = create_payment(d)
    params = callback_params(p)
    params["sig"] = "0" * 64
    resp = client.get("/thanh-toan/callback/sandbox/", params)
    assert resp.status_code == 400 and "Chữ ký xác thực giao dịch không hợp lệ" in resp.content.decode()
    tampered = callback_params(p)
    tampered["status"] = "paid" if tampered["status"] != "paid" else "cancelled"
    assert client.get("/thanh-toan/callback/sandbox/", tampered).status_code == 400
    missing = callback_params(p)
    del missing["sig"]
    assert client.get("/thanh-toan/callback/sandbox/", missing).status_code == 400
    assert reload(p).status == PaymentStatus.PENDING and reload(d).status == Status.PAYMENT
    assert CallbackLog.objects.filter(outcome="bad_signature").count() == 3


def test_replayed_callback_is_idempotent(make_dossier):
    d = make_dossier("payment")
    p = create_payment(d)
    params = callback_params(p)
    first = handle_callback("sandbox", params)
    events, audits = d.events.count(), AuditRecord.objects.filter(stream=f"dossier:{d.code}").count()
    again = handle_callback("sandbox", params)
    assert again.pk == first.pk and again.status == PaymentStatus.PAID
    assert again.receipt_number == first.receipt_number and again.paid_at == first.paid_at
    assert d.events.count() == events
    assert AuditRecord.objects.filter(stream=f"dossier:{d.code}").count() == audits
    with pytest.raises(PaymentError) as exc:  # a contradicting callback for a final payment
        handle_callback("sandbox", callback_params(p, status="cancelled"))
    assert exc.value.code == "already_final" and reload(p).status == PaymentStatus.PAID


def test_amount_mismatch_rejected(client, make_dossier):
    d = make_dossier("payment")
    p = create_payment(d)
    resp = client.get("/thanh-toan/callback/sandbox/", callback_params(p, amount=1000))
    assert resp.status_code == 400 and "không khớp" in resp.content.decode()
    assert reload(p).status == PaymentStatus.PENDING and reload(d).paid_online == PaidOnline.NONE


def test_unknown_reference_404(client, make_dossier):
    p = create_payment(make_dossier("payment"))
    params = callback_params(p)
    params["ref"] = ("y" if p.reference[0] == "x" else "x") + p.reference[1:]  # references are random: 1 in 64 began with x
    params["sig"] = sign({k: v for k, v in params.items() if k != "sig"})
    assert client.get("/thanh-toan/callback/sandbox/", params).status_code == 404
    assert client.get("/thanh-toan/callback/khong-co/", params).status_code == 404


def test_paid_outside_status_6_sets_flag_only(make_dossier):
    d = make_dossier("received")
    version = d.row_version
    p = handle_callback("sandbox", callback_params(create_payment(d)))
    d = reload(d)
    assert p.status == PaymentStatus.PAID and d.paid_online == PaidOnline.LOCAL
    assert d.status == Status.RECEIVED and d.row_version == version
    assert not DossierEvent.objects.filter(dossier=d, action="confirm_payment").exists()
    with pytest.raises(PaymentError) as exc:
        create_payment(d)
    assert exc.value.code == "already_paid"


def test_receipt_numbers_are_consecutive(make_dossier):
    numbers = [handle_callback("sandbox", callback_params(create_payment(make_dossier("payment")))).receipt_number
               for _ in range(3)]
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]
    assert len(set(numbers)) == 3


# -- the receipt ---------------------------------------------------------------------------------------------------
@pytest.fixture
def paid(make_dossier):
    d = make_dossier("payment", channel=Channel.ONLINE)
    return handle_callback("sandbox", callback_params(create_payment(d)))


def test_receipt_for_applicant(client, world, paid):
    client.force_login(world["citizen"])
    resp = client.get(reverse("payments:receipt", args=[paid.reference]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert paid.receipt_number in html and "Trần Thị Bình" in html
    assert "1.350.000 đồng" in html and "294.000 đồng" in html and "1.644.000 đồng" in html
    local = paid.paid_at.astimezone(services.timezone.get_default_timezone())
    assert local.strftime("%d/%m/%Y %H:%M") in html


@pytest.mark.parametrize("who,status", [("cv", 200), ("tn", 200), ("cv2", 404), ("tn2", 404),
                                        ("other_citizen", 404), (None, 404)])
def test_receipt_visibility(client, world, paid, who, status):
    if who:
        client.force_login(world[who])
    assert client.get(reverse("payments:receipt", args=[paid.reference])).status_code == status


def test_pending_payment_has_no_receipt(client, world, make_dossier):
    p = create_payment(make_dossier("payment"))
    client.force_login(world["citizen"])
    assert client.get(reverse("payments:receipt", args=[p.reference])).status_code == 404


def test_sandbox_page_for_final_payment_offers_nothing(client, paid):
    resp = client.post(f"/thanh-toan/sandbox/{paid.reference}/", {"choice": "fail"})
    assert resp.status_code == 200 and reload(paid).status == PaymentStatus.PAID


def test_sandbox_disabled_when_not_configured(client, settings, make_dossier):
    p = create_payment(make_dossier("payment"))
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAYS": ["tests.payments.test_payments.OtherGateway"]}
    assert client.get(f"/thanh-toan/sandbox/{p.reference}/").status_code == 404


class OtherGateway(SandboxGateway):
    name = "other"


def test_admin_lists_payments(admin_client, paid):
    html = admin_client.get("/admin/payments/payment/").content.decode()
    assert paid.reference in html and paid.receipt_number in html
    assert admin_client.get("/admin/payments/payment/add/").status_code == 403


def test_deploy_check_warns_while_sandbox_enabled(settings):
    from motcua.payments.checks import sandbox_gateway_enabled

    assert [w.id for w in sandbox_gateway_enabled(None)] == ["motcua.payments.W001"]
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAYS": ["tests.payments.test_payments.OtherGateway"]}
    assert sandbox_gateway_enabled(None) == []
