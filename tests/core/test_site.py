def test_home_page_renders_in_vietnamese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Dịch vụ công trực tuyến" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_openapi_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "MotCua API"


def test_backoffice_requires_login(client, db):
    response = client.get("/backoffice/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_browser_language_does_not_override_vietnamese_default(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in response.content.decode()
