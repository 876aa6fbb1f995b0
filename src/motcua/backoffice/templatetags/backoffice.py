"""Back-office display helpers: Vietnamese date format (dd/mm/yyyy HH:MM, local time), masked identity numbers and
the urgency tag of a dossier."""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


# A shape beside the colour, for those who cannot tell the colours apart (WCAG 1.4.1).
URGENCY_MARKS = {"late": "● ", "soon": "▲ ", "paused": "❚❚ "}


@register.simple_tag
def urgency_tag(urgency) -> str:
    """A dossier's urgency (`queries.urgency`) as a coloured tag with its label and the working hours left. A tag,
    not an included template: the inbox shows one per row, and the include with its blocktranslate cost more than
    the rest of the row."""
    if urgency.key == "none":
        return ""
    mark = format_html('<span aria-hidden="true">{}</span>', URGENCY_MARKS[urgency.key]) \
        if urgency.key in URGENCY_MARKS else ""
    left = "" if urgency.remaining_hours is None else \
        " (" + _("còn %(h)s giờ làm việc") % {"h": formats.localize(urgency.remaining_hours)} + ")"
    return format_html('<span class="tag tag-{}">{}{}{}</span>', urgency.key, mark, urgency.label, left)
