import io
from datetime import date

import pytest

from motcua.agencies import demo
from motcua.agencies.models import Agency


@pytest.mark.django_db
def test_demo_province_tree_and_idempotency():
    demo.load(io.StringIO())
    assert Agency.objects.count() == len(demo.UNITS) == 22
    pc = Agency.objects.get(code="000.00.00.H27")
    assert pc.parent is None and pc.level == "province" and pc.kind == "peoples_committee"
    assert Agency.objects.get(code="000.01.12.H27").parent.code == "000.00.12.H27"
    assert Agency.objects.get(code="000.02.14.H27").parent.code == "000.00.14.H27"
    communes = Agency.objects.filter(level="commune")
    assert communes.count() == 6
    assert all(c.parent == pc and c.valid_from == date(2025, 7, 1) for c in communes)
    city = Agency.objects.get(code="000.20.00.H27")
    assert city.valid_to == date(2025, 6, 30) and city.successor.code == "000.20.31.H27"
    assert Agency.objects.get(code="000.22.00.H27").successor.code == "000.22.34.H27"
    for agency in Agency.objects.all():
        agency.full_clean()
        assert agency.address
    before = list(Agency.objects.order_by("code").values())
    out = io.StringIO()
    demo.load(out)
    assert list(Agency.objects.order_by("code").values()) == before
    assert "(0 tạo mới/cập nhật)" in out.getvalue()
