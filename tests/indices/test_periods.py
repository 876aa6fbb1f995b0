from datetime import date

import pytest

from motcua.indices.periods import PeriodError, parse, previous_months


@pytest.mark.parametrize("text, key, first, last", [
    ("2026-10", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
    ("2026-02", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2026-q4", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_parse(text, key, first, last):
    p = parse(text)
    assert (p.key, p.first, p.last) == (key, first, last)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "26-10", "2026/10", "1999", "abc"])
def test_bad_periods(text):
    with pytest.raises(PeriodError):
        parse(text)


def test_quarter_months_and_trend():
    assert [m.key for m in parse("2026-Q1").months()] == ["2026-01", "2026-02", "2026-03"]
    assert [m.key for m in previous_months(parse("2026-02"), 3)] == ["2025-12", "2026-01", "2026-02"]
    assert parse("2026-Q4").label_vi() == "Quý 4/2026"
