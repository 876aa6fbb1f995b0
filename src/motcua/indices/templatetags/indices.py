"""Vietnamese number display for the 766 dashboard: points 18,50; rates 97,60 %; counts 1.644; '–' for none."""

from django import template

from motcua.core.text import format_number_vi

register = template.Library()


@register.filter
def vn_points(value) -> str:
    return "–" if value is None else format_number_vi(float(value), 2)


@register.filter
def vn_rate(value) -> str:
    return "–" if value is None else f"{format_number_vi(float(value), 2)} %"


@register.filter
def vn_count(value) -> str:
    if value is None:
        return "–"
    return format_number_vi(value, 0 if float(value).is_integer() else 2)
