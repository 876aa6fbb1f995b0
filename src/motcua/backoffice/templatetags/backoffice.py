"""Back-office display helpers: Vietnamese date format (dd/mm/yyyy HH:MM, local time), masked identity numbers,
the urgency tag of a dossier and the inbox's table rows."""

import html
from urllib.parse import quote

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


DOSSIER_ROW = ('<tr class="row-{}"><td><a class="code" href="{}/">{}</a></td><td>{}<br><span class="meta">{}</span>'
             '</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}<br>{}</td></tr>')


@register.simple_tag
def dossier_rows(rows, status_names) -> str:
    """The inbox table's rows (`queries.InboxRow`, urgency) as one string. As template markup, or with one
    `format_html` per row (Django's lazy-aware escaping of each value), the 50 rows cost more CPU than the rest of
    the page's template; every value is escaped here with the standard library's `html.escape`, which Django's
    `escape` calls, and each status label is translated once."""
    e = html.escape
    labels = {status: e(str(label)) for status, label in status_names.items()}
    return mark_safe("\n".join(DOSSIER_ROW.format(
        u.key, e(quote(d.code, safe="/")), e(d.code), e(d.procedure_name), e(d.variant_name), e(d.applicant_name),
        labels.get(d.status, ""), f'<br><span class="meta">{e(d.step_name)}</span>' if d.step_name else "",
        e(d.assignee_name or "—"), vn_datetime(d.due_at) or "—", urgency_tag(u)) for d, u in rows))
