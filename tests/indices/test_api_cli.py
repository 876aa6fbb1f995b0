"""GET /api/v1/indices/766 (scoped, machine-readable errors) and `motcua index766`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from motcua.accounts.models import Role
from tests.factories import UserFactory, staff
from tests.indices.conftest import DEPT, PC, PERIOD

URL = "/api/v1/indices/766"


def test_staff_get_the_index_of_a_unit_in_scope(client, october, sync_value):
    client.force_login(october["tt"])  # inspector at the provincial People's Committee
    r = client.get(URL, {"unit": DEPT, "period": PERIOD})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 57.43 and len(body["groups"]) == 6
    row = next(i for i in body["indicators"] if i["code"] == "2.1")
    assert {k: row[k] for k in ("code", "numerator", "denominator", "rate", "target", "max_points", "points")} == {
        "code": "2.1", "numerator": 6, "denominator": 9, "rate": 66.67, "target": None, "max_points": 20.0,
        "points": 13.33}
    assert row["name"]


def test_a_unit_outside_the_scope_is_not_found(client, october):
    client.force_login(october["cv"])  # specialist at the department: sees the department, not the province
    assert client.get(URL, {"unit": DEPT, "period": PERIOD}).status_code == 200
    r = client.get(URL, {"unit": PC, "period": PERIOD})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("params, status, field", [
    ({"unit": DEPT, "period": "2026-13"}, 422, "period"),
    ({"unit": DEPT, "period": ""}, 422, "period"),
    ({"unit": "khong-co", "period": PERIOD}, 404, "unit"),
    ({"period": PERIOD}, 422, "unit"),
])
def test_bad_parameters_give_machine_readable_errors(client, october, params, status, field):
    client.force_login(october["tt"])
    r = client.get(URL, params)
    assert r.status_code == status
    assert field in r.json()["error"]["fields"]


def test_anonymous_and_citizens_are_refused(client, october):
    assert client.get(URL, {"unit": DEPT, "period": PERIOD}).status_code == 401
    client.force_login(UserFactory(username="dan"))
    assert client.get(URL, {"unit": DEPT, "period": PERIOD}).status_code == 404


def test_cli_json(october, sync_value):
    out = io.StringIO()
    call_command("index766", unit=DEPT, period=PERIOD, stdout=out)
    assert json.loads(out.getvalue())["total"] == 57.43


def test_cli_xlsx(october, sync_value, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "766.xlsx"
    call_command("index766", unit=DEPT, period=PERIOD, format="xlsx", output=str(path), stdout=io.StringIO())
    ws = load_workbook(path).active
    assert ws["B2"].value == 57.43
    codes = [row[0].value for row in ws.iter_rows(min_row=5)]
    assert "2.1" in codes and "5.4" in codes


@pytest.mark.parametrize("kwargs, message", [
    ({"unit": DEPT, "period": "2026-Q7"}, "Kỳ đánh giá không hợp lệ"),
    ({"unit": "khong-co", "period": PERIOD}, "Không tìm thấy"),
    ({"unit": DEPT}, "--period"),
    ({"unit": DEPT, "period": PERIOD, "format": "xlsx"}, "--output"),
])
def test_cli_errors(october, kwargs, message):
    with pytest.raises(CommandError, match=message):
        call_command("index766", stdout=io.StringIO(), **kwargs)


def test_cli_loads_a_new_version(db, tmp_path):
    from motcua.indices import definitions
    from motcua.indices.models import IndexVersion

    data = json.loads(definitions.BUILTIN.read_text(encoding="utf-8"))
    data.update(code="QD766-2027", effective_from="2027-01-01")
    path = tmp_path / "v.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("index766", load=str(path), stdout=io.StringIO())
    assert IndexVersion.objects.filter(code="QD766-2027").exists()
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("index766", load=str(path), stdout=io.StringIO())


def test_province_admin_in_another_province_sees_nothing(client, october):
    from tests.factories import AgencyFactory

    other = AgencyFactory(code="000.00.00.X01", name="UBND tỉnh Khác")
    client.force_login(staff("qt", other, Role.PROVINCE_ADMIN))
    assert client.get(URL, {"unit": DEPT, "period": PERIOD}).status_code == 404
