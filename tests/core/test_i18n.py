"""Vietnamese by default; English after the language switcher; the English catalogue covers the shared layout,
the portal and the login page (committed .mo, so no gettext is needed at runtime)."""

import re
import unicodedata

import pytest
from django.conf import settings
from django.utils import translation

from tests.portal.catalog_data import build_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware leaves the last request's language active in this thread; do not leak English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _vietnamese_words(text: str) -> list[str]:
    """Words carrying Vietnamese diacritics (anything but plain ASCII letters), the language's own name aside."""
    text = text.replace("Tiếng Việt", "")
    return sorted({w for w in re.findall(r"\w+", text)
                   if any(unicodedata.category(c).startswith("L") and ord(c) > 127 for c in w)})


def _switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_vietnamese_is_the_default(client):
    response = client.get("/")
    assert '<html lang="vi">' in response.content.decode()
    assert "Dịch vụ công trực tuyến" in _text(response)
    assert "Online public services" not in _text(response)


def test_switching_to_english_renders_the_home_page_in_english(client):
    _switch_to_english(client)
    response = client.get("/")
    text = _text(response)
    assert '<html lang="en">' in response.content.decode()
    assert "Online public services" in text and "Browse by field" in text and "Sign in" in text
    assert "Dịch vụ công trực tuyến" not in text


def test_switching_back_to_vietnamese(client):
    _switch_to_english(client)
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Dịch vụ công trực tuyến" in _text(client.get("/"))


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/thu-tuc/?q=khong+co+gi", "/linh-vuc/", "/co-quan/",
                                 "/su-kien/", "/thu-tuc/9.999999/"])
def test_english_pages_leave_no_vietnamese_interface_text(client, url):
    """Without catalogue data on screen, any Vietnamese word left is an untranslated interface string."""
    _switch_to_english(client)
    assert _vietnamese_words(_text(client.get(url))) == []


def test_procedure_page_in_english_keeps_the_data_and_translates_the_labels(client):
    build_catalog()
    _switch_to_english(client)
    text = _text(client.get("/thu-tuc/2.000806/"))
    assert "Fees and charges" in text and "Documents and number of copies" in text and "Time limit" in text
    assert "10 working days" in text and "1.644.000 dong" in text
    assert "Đăng ký kết hôn có yếu tố nước ngoài" in text  # the procedure's own name is data, not translated
    assert "Partly online public service" in text
    assert "Submit online" in text or "This procedure can be submitted online" in text
