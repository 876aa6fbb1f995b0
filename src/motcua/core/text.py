"""Vietnamese text helpers shared by search, codes and reports."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse spaces: 'Đăng ký  Kết hôn' → 'dang ky ket hon'."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def format_number_vi(value: float | int, decimals: int = 0) -> str:
    """Vietnamese number formatting: 1.644 and 97,6 (dot for thousands, comma for decimals)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_percent_vi(value: float, decimals: int = 1) -> str:
    """97.6 → '97,6 %'; whole numbers lose the decimals: 100 → '100 %'."""
    if float(value).is_integer():
        decimals = 0
    return f"{format_number_vi(value, decimals)} %"
