from datetime import date

import pytest

from motcua.agencies.models import Agency, AgencyLevel


@pytest.fixture
def abolished(province):
    return Agency.objects.create(code="000.20.00.T99", name="UBND huyện Cũ", level=AgencyLevel.DISTRICT,
                                 parent=province["pc"], valid_to=date(2025, 6, 30), successor=province["commune"])


def test_list_is_public_and_complete(client, province, abolished):
    response = client.get("/api/v1/agencies")
    assert response.status_code == 200
    data = {a["code"]: a for a in response.json()}
    assert set(data) == set(Agency.objects.values_list("code", flat=True))
    division = data[province["division"].code]
    assert division["parent"] == province["dept"].code
    assert division["level"] == "province" and division["kind"] == "division"
    assert data[province["pc"].code]["parent"] is None
    old = data[abolished.code]
    assert old["valid_to"] == "2025-06-30" and old["successor"] == province["commune"].code
    assert {"code", "name", "level", "kind", "parent", "valid_from", "valid_to", "successor"} <= set(old)


def test_filters(client, province, abolished):
    def codes(query):
        return {a["code"] for a in client.get(f"/api/v1/agencies?{query}").json()}

    assert codes("level=commune") == {province["commune"].code}
    assert codes("level=district") == {abolished.code}
    assert abolished.code not in codes("active=true") and province["pc"].code in codes("active=true")
    assert codes("active=false") == {abolished.code}
    assert codes("q=an binh") == {province["commune"].code}  # diacritics optional
    assert codes("q=Sở Xây") == {province["dept"].code}
    assert codes("q=01.12") == {province["division"].code}
    assert codes("level=commune&q=xay") == set()


def test_bad_level_is_a_422_error_body(client, db):
    response = client.get("/api/v1/agencies?level=galaxy")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_detail_and_404(client, province):
    response = client.get(f"/api/v1/agencies/{province['dept'].code}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Sở Xây dựng" and body["parent"] == province["pc"].code and body["successor"] is None
    missing = client.get("/api/v1/agencies/999.99.99.Z99")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_openapi_documents_the_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    props = schema["components"]["schemas"]["AgencyOut"]["properties"]
    assert {"code", "name", "level", "kind", "parent", "valid_from", "valid_to", "successor"} <= set(props)
    params = {p["name"] for p in schema["paths"]["/api/v1/agencies"]["get"]["parameters"]}
    assert params == {"level", "active", "q"}
