"""Public catalogue API: list with filters, detail of the version in force, fields, anonymous access, OpenAPI."""

import pytest

pytestmark = pytest.mark.django_db


def test_list_is_anonymous_and_searches_without_diacritics(client, catalog):
    response = client.get("/api/v1/procedures", {"q": "dang ky ket hon"})
    assert response.status_code == 200
    first, second = response.json()
    assert first == {
        "code": "1.000894", "name": "Đăng ký kết hôn", "field": "Hộ tịch", "field_code": "HT", "level": "commune",
        "online_level": "full", "time_limit": 5.0, "time_limit_unit": "working_days",
        "decision_number": "20/QĐ-UBND", "effective_from": "2025-07-01",
    }
    assert second["code"] == "2.000001"


def test_time_limit_is_the_effective_limit_of_first_variant(client, catalog):
    (item,) = client.get("/api/v1/procedures", {"q": "khai sinh"}).json()
    assert item["time_limit"] == 4.5 and item["online_level"] == "partial"


def test_list_filters(client, catalog):
    def codes(**params):
        return [p["code"] for p in client.get("/api/v1/procedures", params).json()]

    assert sorted(codes(field="HT")) == ["1.000894", "1.001193", "2.000001"]
    assert codes(level="province", field="XD") == ["1.009994"]
    assert codes(online_level="none") == ["1.009994"]
    assert codes(agency="000.00.12.T99") == ["1.009994"]
    assert codes(q="xay dung", field="HT") == []
    assert len(codes(limit=1)) == 1


def test_detail_of_version_in_force(client, catalog):
    response = client.get("/api/v1/procedures/1.000894")
    assert response.status_code == 200
    body = response.json()
    assert body["version"]["decision_number"] == "20/QĐ-UBND"
    assert [a["code"] for a in body["competent_agencies"]] == ["000.20.31.T99"]
    first, second = body["version"]["variants"]
    assert (first["name"], second["name"]) == ("Đăng ký kết hôn", "Đăng ký kết hôn lưu động")
    assert first["fees"] == [{"name": "Lệ phí", "amount": 10000, "online_amount": 5000, "exemption": ""}]
    assert [d["name"] for d in first["documents"]] == ["Tờ khai", "Giấy tờ tùy thân"]
    assert [s["code"] for s in first["steps"]] == ["receive", "appraise", "approve", "result"]
    assert first["steps"][3]["agency"]["code"] == "000.00.30.T99" and first["steps"][0]["agency"] is None
    assert first["steps"][0]["budget"] == 0.5


def test_detail_on_a_past_date(client, catalog):
    body = client.get("/api/v1/procedures/1.000894", {"on": "2024-05-01"}).json()
    assert body["version"]["decision_number"] == "10/QĐ-UBND"
    assert body["version"]["effective_to"] == "2025-06-30"


def test_detail_not_found_and_not_in_force(client, catalog):
    missing = client.get("/api/v1/procedures/9.999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    before = client.get("/api/v1/procedures/1.001193", {"on": "2020-01-01"})
    assert before.status_code == 404


def test_fields(client, catalog):
    assert client.get("/api/v1/procedures/fields").json() == [
        {"code": "XD", "name": "Hoạt động xây dựng"}, {"code": "HT", "name": "Hộ tịch"}]


def test_openapi_describes_the_schemas(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/procedures" in schema["paths"]
    assert "/api/v1/procedures/{code}" in schema["paths"]
    assert {"ProcedureItem", "ProcedureDetail", "VariantOut", "StepOut"} <= schema["components"]["schemas"].keys()
