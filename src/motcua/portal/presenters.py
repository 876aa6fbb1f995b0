"""How the portal words catalogue data for citizens: money, time limits, document counts, online levels.

Plain functions over model instances (no queries), so the wording is tested without pages and reused by the
printable forms later.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.models import OnlineLevel, TimeUnit
from motcua.core.text import fold, format_number_vi


def online_label(level: str) -> str:
    """The citizen-facing name of an online level (built per call so it follows the active language)."""
    labels = {
        OnlineLevel.FULL: _("Dịch vụ công trực tuyến toàn trình"),
        OnlineLevel.PARTIAL: _("Dịch vụ công trực tuyến một phần"),
        OnlineLevel.NONE: _("Nộp trực tiếp hoặc qua bưu chính"),
    }
    return labels.get(level, labels[OnlineLevel.NONE])


def is_online(level: str) -> bool:
    return level in (OnlineLevel.PARTIAL, OnlineLevel.FULL)


def money(amount: int) -> str:
    """1644000 → '1.644.000 đồng'."""
    return _("%(amount)s đồng") % {"amount": format_number_vi(int(amount))}


def number(value) -> str:
    """Decimal limits without trailing zeros: 15.00 → '15', 0.50 → '0,5'."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return format_number_vi(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def _amount_of_unit(amount, unit: str) -> str:
    value = Decimal(str(amount))
    count = 1 if value == 1 else 2  # English singular only for exactly one; Vietnamese has one form
    n = number(value)
    if unit == TimeUnit.WORKING_HOURS:
        return ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", count) % {"n": n}
    if unit == TimeUnit.CALENDAR_DAYS:
        return ngettext("%(n)s ngày", "%(n)s ngày", count) % {"n": n}
    return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", count) % {"n": n}


def time_limit(variant) -> str:
    """'15 ngày làm việc'; the committed (shortened) limit first when the province promises less than the law."""
    unit = variant.limit_unit
    if unit == TimeUnit.NONE:
        return _("Không quy định thời hạn giải quyết")
    legal = _limit_words(variant.legal_limit, unit)
    committed = variant.committed_limit
    if committed is not None and Decimal(committed) < Decimal(variant.legal_limit):
        return _("%(committed)s (rút ngắn so với quy định: %(legal)s)") % {
            "committed": _limit_words(committed, unit), "legal": legal}
    return legal


def _limit_words(amount, unit: str) -> str:
    if Decimal(str(amount)) == 0:
        return _("Giải quyết trong ngày")
    return _amount_of_unit(amount, unit)


def document_counts(document) -> str:
    """'Bản chính: 1; Bản sao: 2' (certified copies only when asked for)."""
    parts = [_("Bản chính: %(n)d") % {"n": document.originals}]
    if document.certified_copies:
        parts.append(_("Bản sao chứng thực: %(n)d") % {"n": document.certified_copies})
    parts.append(_("Bản sao: %(n)d") % {"n": document.copies})
    return "; ".join(parts)


def split_life_events(text: str) -> list[str]:
    """'Sinh con, Khai sinh' → ['Sinh con', 'Khai sinh'] (Procedure.life_events is comma-separated)."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def life_event_slug(event: str) -> str:
    """URL form of a life event: 'Kết hôn' → 'ket-hon'."""
    return fold(event).replace(" ", "-")
