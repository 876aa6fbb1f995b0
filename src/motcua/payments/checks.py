"""`motcua check --deploy` warns while the sandbox gateway is enabled: on it, anyone holding a payment reference
can mark the payment paid without moving money. Production lists its real gateways in MOTCUA["PAYMENT_GATEWAYS"]."""

from django.core.checks import Tags, Warning, register

from motcua.payments.gateways import SandboxGateway, get_gateway


@register(Tags.security, deploy=True)
def sandbox_gateway_enabled(app_configs, **kwargs):
    try:
        get_gateway(SandboxGateway.name)
    except KeyError:
        return []
    return [Warning("Cổng thanh toán thử nghiệm (sandbox) đang bật: giao dịch được ghi nhận mà không thu tiền thật.",
                    hint='Đặt MOTCUA["PAYMENT_GATEWAYS"] chỉ gồm các cổng thanh toán thật.',
                    id="motcua.payments.W001")]
