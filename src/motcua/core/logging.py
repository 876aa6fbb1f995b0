"""Log filter that masks 12-digit personal identification numbers (and 9-digit legacy IDs) in every record."""

import logging
import re

PERSONAL_ID = re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)|(?<!\d)(\d{2})\d{5}(\d{2})(?!\d)")


def mask_personal_ids(text: str) -> str:
    def repl(m: re.Match) -> str:
        if m.group(1):
            return f"{m.group(1)}******{m.group(2)}"
        return f"{m.group(3)}*****{m.group(4)}"

    return PERSONAL_ID.sub(repl, text)


def mask_personal_id(value: str | None) -> str:
    """Mask one personal ID for lists: 001203012345 → 001******345."""
    if not value:
        return ""
    return mask_personal_ids(value) if value.isdigit() else value


class MaskPersonalIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_ids(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
