"""Dossier codes (framework-free): `{unit}-{yymmdd}-{seq:04d}` by default, e.g. 000.00.30.H27-260213-0001.

The pattern comes from settings.MOTCUA["DOSSIER_CODE_PATTERN"]; the exact TT 03/2025 format is [verify]. Fields
available to a pattern: unit (receiving unit's identifier code), yymmdd, yyyymmdd, yyyy, yy, mm, dd, seq (int).
Allocation of `seq` (atomic, per receiving unit per local reception day) lives in `motcua.dossiers.services`.
"""

from datetime import date

DEFAULT_PATTERN = "{unit}-{yymmdd}-{seq:04d}"


class CodePatternError(ValueError):
    pass


def format_code(unit: str, day: date, seq: int, pattern: str = DEFAULT_PATTERN) -> str:
    if seq < 1:
        raise CodePatternError("seq must be >= 1")
    try:
        return pattern.format(unit=unit, seq=seq, yymmdd=day.strftime("%y%m%d"), yyyymmdd=day.strftime("%Y%m%d"),
                              yyyy=f"{day.year:04d}", yy=day.strftime("%y"), mm=f"{day.month:02d}",
                              dd=f"{day.day:02d}")
    except (KeyError, IndexError, ValueError) as exc:
        raise CodePatternError(f"invalid dossier code pattern {pattern!r}: {exc}") from exc
