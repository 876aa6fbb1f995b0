from django.test import Client

from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import APPLICANT, at
from tests.dossiers.conftest import api_body as body

URL = "/api/v1/dossiers"


def session(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_anonymous_gets_401_body(world):
    r = Client().get(URL)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    r = Client().get(URL, HTTP_AUTHORIZATION="Bearer wrong")
    assert r.status_code == 401


def test_create_by_session_and_detail(world):
    c = session(world["tn"])
    r = c.post(URL, body(world), content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["status"] == 2 and data["code"].startswith("000.00.30.T99-") and data["lookup_secret"]
    assert data["competent_agency"] == world["dept"].code and data["due_at"]
    r = c.get(f"{URL}/{data['code']}")
    assert r.status_code == 200 and r.json()["applicant_personal_id"] == "001203012345"
    assert r.json()["lookup_secret"] is None


def test_created_answer_is_what_a_read_returns(world, api_client):
    """The 201 body is built from the instance just saved (no re-read): it must equal the stored dossier as a later
    GET reads it, instants in UTC included (the instance holds local times)."""
    client, token = api_client
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    created = c.post(URL, body(world), content_type="application/json")
    assert created.status_code == 201, created.content
    read = c.get(f"{URL}/{created.json()['code']}").json()
    assert created.json()["due_at"].endswith("Z") and created.json()["lookup_secret"]
    assert {**created.json(), "lookup_secret": None} == read


def test_create_by_bearer_with_idempotency(world, api_client):
    client, token = api_client
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    first = c.post(URL, body(world, channel=3), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = c.post(URL, body(world, channel=3), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"] and Dossier.objects.count() == 1
    other = c.post(URL, body(world, channel=3), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 201 and Dossier.objects.count() == 2
    d = Dossier.objects.get(code=first.json()["code"])
    assert d.api_client == client and d.channel == 3
    # the same key used by another caller is another dossier
    s = session(world["tn"]).post(URL, body(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert s.status_code == 201 and Dossier.objects.count() == 3


def test_bearer_outside_scope_and_inactive(world, api_client):
    client, token = api_client
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    world["tn"].memberships.create(agency=world["commune"], role="reception")
    r = c.post(URL, body(world, receiving_agency=world["commune"].code), content_type="application/json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    client.active = False
    client.save()
    assert c.get(URL).status_code == 401


def test_bad_input_422_with_fields_and_nothing_written(world):
    c = session(world["tn"])
    cases = [
        (body(world, procedure="9.999999"), "procedure"),
        (body(world, variant=999999), "variant"),
        (body(world, documents=[]), "documents"),
        (body(world, applicant={"name": ""}), "applicant.name"),
        (body(world, applicant={**APPLICANT, "personal_id": "12"}), "applicant.personal_id"),
        (body(world, receiving_agency="nope"), "receiving_agency"),
        (body(world, competent_agency=world["other_dept"].code), "competent_agency"),
        ({"procedure": world["procedure"].code}, "receiving_agency"),
    ]
    for payload, field in cases:
        r = c.post(URL, payload, content_type="application/json")
        assert r.status_code == 422, (field, r.content)
        assert field in r.json()["error"]["fields"], (field, r.json())
    assert Dossier.objects.count() == 0


def test_scoping_404_and_masked_list(world):
    code = session(world["tn"]).post(URL, body(world), content_type="application/json").json()["code"]
    outsider = session(world["cv2"])
    assert outsider.get(f"{URL}/{code}").status_code == 404
    assert outsider.get(f"{URL}/{code}/history").status_code == 404
    r = outsider.post(f"{URL}/{code}/actions/forward", {}, content_type="application/json")
    assert r.status_code == 404
    assert outsider.get(URL).json()["items"] == []
    items = session(world["cv"]).get(URL).json()["items"]
    assert [i["code"] for i in items] == [code] and items[0]["applicant_personal_id"] == "001******345"
    assert session(world["tt"]).get(f"{URL}/{code}").status_code == 200  # inspector reads


def test_actions_history_conflict_and_roles(world):
    c = session(world["tn"])
    code = c.post(URL, body(world), content_type="application/json").json()["code"]
    r = c.post(f"{URL}/{code}/actions/hand_over", {"row_version": 1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["current_step"] == "tham-dinh" and r.json()["row_version"] == 2
    r = c.post(f"{URL}/{code}/actions/hand_over", {"row_version": 1}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    r = session(world["tt"]).post(f"{URL}/{code}/actions/forward", {}, content_type="application/json")
    assert r.status_code == 403
    r = session(world["cv"]).post(f"{URL}/{code}/actions/request_supplement", {}, content_type="application/json")
    assert r.status_code == 422 and "items" in r.json()["error"]["fields"]
    r = session(world["cv"]).post(f"{URL}/{code}/actions/request_supplement", {"items": ["Bản vẽ"]},
                                  content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == 5
    r = c.post(f"{URL}/{code}/actions/deliver", {"method": "counter"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition_not_allowed"
    r = c.post(f"{URL}/{code}/actions/fly", {}, content_type="application/json")
    assert r.status_code == 404
    hist = c.get(f"{URL}/{code}/history").json()
    assert [h["action"] for h in hist] == ["receive", "hand_over", "request_supplement"]
    assert hist[1]["from_step"] == "tiep-nhan" and hist[1]["to_step"] == "tham-dinh"


def test_keyset_pagination_and_filters(world, intake):
    made = [intake(now=at(2026, 1, 5 + i % 3, 9 + i)) for i in range(7)]
    online = intake(channel=2, receive=False)  # no due date: sorted last
    c = session(world["cv"])
    seen, cursor = [], None
    while True:
        r = c.get(URL, {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [i["code"] for i in r["items"]]
        cursor = r["next"]
        if not cursor:
            break
    expected = [d.code for d in sorted(made, key=lambda d: (d.due_at, d.pk))] + [online.code]
    assert seen == expected
    assert [i["code"] for i in c.get(URL, {"status": 1}).json()["items"]] == [online.code]
    assert len(c.get(URL, {"channel": 2}).json()["items"]) == 1
    assert len(c.get(URL, {"overdue": "true"}).json()["items"]) == 7  # 2026-01 dossiers, now is later
    assert c.get(URL, {"due_before": "2026-01-19T18:00:00+07:00"}).json()["items"][0]["code"] == expected[0]
    assert c.get(URL, {"assignee": "me"}).json()["items"] == []
    assert c.get(URL, {"cursor": "!!"}).status_code == 422


def test_openapi_lists_dossier_paths(world):
    schema = session(world["tn"]).get("/api/v1/openapi.json").json()
    assert "/api/v1/dossiers/{code}/actions/{action}" in schema["paths"]
    body = schema["paths"]["/api/v1/dossiers"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["title"] == "DossierIn"  # inlined: JSON or multipart, one schema
