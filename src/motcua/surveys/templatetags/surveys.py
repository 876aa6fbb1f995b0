"""Vietnamese formatting of survey estimates: 85,3 %, [78,1 – 90,4], +3,2 điểm %."""

from django import template
from django.utils.translation import gettext as _

from motcua.core.text import format_number_vi, format_percent_vi

register = template.Library()


@register.filter
def pct(est) -> str:
    """An Estimate (or a bare number) as 85,3 %; no estimate → —."""
    value = getattr(est, "value", est)
    return "—" if value in (None, "") else format_percent_vi(value, 1)


@register.filter
def margin(value) -> str:
    """0.050 → '5 %', 0.035 → '3,5 %'."""
    return format_percent_vi(float(value) * 100, 1)


@register.filter
def interval(est) -> str:
    if est is None:
        return "—"
    return f"{format_number_vi(est.low, 1)} – {format_number_vi(est.high, 1)}"


@register.filter
def points(change) -> str:
    """Signed difference in percentage points."""
    if change is None:
        return "—"
    sign = "+" if change.delta > 0 else ("−" if change.delta < 0 else "±")
    return _("%(s)s%(v)s điểm %%") % {"s": sign, "v": format_number_vi(abs(change.delta), 1)}
