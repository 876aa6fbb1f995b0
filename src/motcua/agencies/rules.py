"""Validation rules for administrative units, shared by the model's clean(), the admin and the importer.

Framework-light on purpose: the functions take plain values and return a Vietnamese message (or None), so the
importer can check a whole file against an in-memory graph before anything is written.
"""

import re
from collections.abc import Callable, Hashable
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_CODE_PATTERN = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"

# Rank of each level: a unit may sit under a unit of the same or a higher level, never under a lower one
# (a department cannot hang under a commune).
LEVEL_RANK = {"ministry": 0, "province": 1, "district": 2, "commune": 3}


def code_pattern() -> re.Pattern:
    """The agency code regex from settings.MOTCUA["AGENCY_CODE_PATTERN"] (configurable: the QCVN/QĐ 20/2020
    structure is [verify], provinces may use their own)."""
    raw = getattr(settings, "MOTCUA", {}).get("AGENCY_CODE_PATTERN") or DEFAULT_CODE_PATTERN
    return re.compile(raw)


def code_error(code: str) -> str | None:
    if not code:
        return _("Mã định danh là bắt buộc.")
    if not code_pattern().match(code):
        return _("Mã định danh “%(code)s” không đúng định dạng (ví dụ 000.00.12.H27).") % {"code": code}
    return None


def dates_error(valid_from: date | None, valid_to: date | None) -> str | None:
    if valid_from and valid_to and valid_to < valid_from:
        return _("Ngày hết hiệu lực phải sau hoặc bằng ngày bắt đầu hiệu lực.")
    return None


def level_error(level: str, parent_level: str | None) -> str | None:
    """A unit cannot be placed under a unit of a lower administrative level."""
    if parent_level is None or level not in LEVEL_RANK or parent_level not in LEVEL_RANK:
        return None
    if LEVEL_RANK[level] < LEVEL_RANK[parent_level]:
        return _("Đơn vị cấp trên có cấp thấp hơn đơn vị này.")
    return None


def creates_cycle(start: Hashable, first_link: Hashable | None, next_of: Callable[[Hashable], Hashable | None]) -> bool:
    """True when following links from `first_link` (the proposed link of `start`) comes back to `start`.

    `next_of(node)` returns the current link of any other node. Bounded walk: an existing cycle elsewhere in the
    graph stops the walk instead of looping for ever.
    """
    seen = set()
    node = first_link
    while node is not None and node not in seen:
        if node == start:
            return True
        seen.add(node)
        node = next_of(node)
    return False
