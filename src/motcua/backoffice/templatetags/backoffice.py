"""Back-office display helpers: Vietnamese date format (dd/mm/yyyy HH:MM, local time) and masked identity numbers."""

from django import template
from django.utils import timezone

from motcua.core.logging import mask_personal_id

register = template.Library()


@register.filter
def vn_datetime(value) -> str:
    if not value:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


@register.filter
def vn_date(value) -> str:
    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def masked(value) -> str:
    return mask_personal_id(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
