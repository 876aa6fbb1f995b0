"""The demo step enters the administrator values for the province, its departments and communes; idempotent."""

import io

from motcua.indices import demo
from motcua.indices.models import ManualIndicatorValue
from tests.indices.conftest import PC


def test_demo_values_are_entered_once(october, monkeypatch):
    monkeypatch.setattr(demo, "PROVINCE", PC)
    out = io.StringIO()
    demo.load(out)
    units = {"000.00.00.T99", "000.00.12.T99", "000.00.13.T99", "000.20.31.T99"}
    copies = ManualIndicatorValue.objects.filter(indicator__code="4.2b")
    assert set(copies.values_list("unit__code", flat=True)) == units
    assert copies.count() == len(units) * demo.MONTHS
    assert all(v.numerator <= v.denominator for v in ManualIndicatorValue.objects.all())
    before = ManualIndicatorValue.objects.count()
    demo.load(io.StringIO())
    assert ManualIndicatorValue.objects.count() == before


def test_demo_without_the_demo_province_does_nothing(db):
    demo.load(io.StringIO())
    assert not ManualIndicatorValue.objects.exists()
