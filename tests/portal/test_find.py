"""Portal "Find": search, browse by field / agency / life event, the procedure page, and 404s."""

import re

import pytest

from motcua.portal import views


def _text(response) -> str:
    """Visible text, whitespace collapsed (templates wrap lines)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _codes(response) -> list[str]:
    return [card["procedure"].code for card in response.context["results"]]


def test_search_without_diacritics_finds_marriage_procedures_first_and_nothing_else(client, catalog):
    response = client.get("/thu-tuc/", {"q": "dang ky ket hon"})
    assert response.status_code == 200
    # Exact phrase at the start of the name ranks first; the future-dated procedure is not in force yet.
    assert _codes(response) == ["1.000894", "2.000806"]
    assert "Tìm thấy 2 thủ tục cho «dang ky ket hon»" in _text(response)


def test_search_from_home_page_query_string(client, catalog):
    response = client.get("/", {"q": "KHAI SINH"})
    assert _codes(response) == ["1.001193"]


def test_search_by_code(client, catalog):
    assert _codes(client.get("/thu-tuc/", {"q": "1.009994"})) == ["1.009994"]


def test_drafts_are_never_found(client, catalog):
    response = client.get("/thu-tuc/", {"q": "ly lich tu phap"})
    assert _codes(response) == []
    assert "Không tìm thấy thủ tục nào phù hợp" in _text(response)


def test_filters_narrow_the_results(client, catalog):
    assert _codes(client.get("/thu-tuc/", {"q": "", "field": "XD"})) == ["1.009994"]
    online = _codes(client.get("/thu-tuc/", {"online_level": "full"}))
    assert sorted(online) == ["1.000894", "1.001193"]
    assert _codes(client.get("/thu-tuc/", {"level": "province"})) == ["1.009994"]


def test_invalid_filter_is_reported_in_vietnamese_naming_the_field(client, catalog):
    response = client.get("/thu-tuc/", {"level": "galaxy"})
    assert response.status_code == 200
    assert _codes(response) == []
    assert "Cấp thực hiện:" in _text(response) and "Hãy chọn một lựa chọn hợp lệ" in _text(response)


def test_home_page_offers_search_and_browsing(client, catalog):
    text = _text(client.get("/"))
    assert "Dịch vụ công trực tuyến" in text
    assert "Hộ tịch (3)" in text and "Hoạt động xây dựng (1)" in text
    assert "Lý lịch tư pháp" not in text  # its only procedure is a draft
    assert "Kết hôn (2)" in text and "Sinh con (1)" in text and "Xây nhà (1)" in text


def test_browse_by_field(client, catalog):
    response = client.get("/linh-vuc/HT/")
    assert response.status_code == 200
    assert sorted(_codes(response)) == ["1.000894", "1.001193", "2.000806"]
    assert "Lĩnh vực: Hộ tịch" in _text(response)
    index = _text(client.get("/linh-vuc/"))
    assert "Hộ tịch" in index and "Lý lịch tư pháp" not in index


def test_browse_by_agency(client, catalog):
    dept = catalog["agencies"]["dept"]
    response = client.get(f"/co-quan/{dept.code}/")
    assert _codes(response) == ["1.009994"]
    index = _text(client.get("/co-quan/"))
    assert "UBND xã An Bình (3 thủ tục)" in index and "Sở Xây dựng (1 thủ tục)" in index
    assert "Sở Tư pháp" not in index  # only a draft procedure


def test_browse_by_life_event(client, catalog):
    response = client.get("/su-kien/ket-hon/")
    assert sorted(_codes(response)) == ["1.000894", "2.000806"]
    assert "Sự kiện: Kết hôn" in _text(response)
    assert _codes(client.get("/su-kien/khai-sinh/")) == ["1.001193"]
    index = _text(client.get("/su-kien/"))
    assert "Kết hôn (2 thủ tục)" in index


def test_procedure_page_shows_the_seven_components(client, catalog):
    response = client.get("/thu-tuc/1.000894/")
    assert response.status_code == 200
    text = _text(response)
    for heading in ["Trình tự thực hiện", "Cách thức thực hiện", "Thành phần, số lượng hồ sơ",
                    "Thời hạn giải quyết", "Đối tượng thực hiện", "Cơ quan thực hiện", "Phí, lệ phí",
                    "Kết quả thực hiện", "Căn cứ pháp lý", "Mẫu đơn, tờ khai"]:
        assert heading in text, heading
    assert "Bước 1: Nộp hồ sơ đăng ký kết hôn." in text
    assert "Giấy xác nhận tình trạng hôn nhân Bản chính: 1; Bản sao: 2" in text
    assert "1 ngày làm việc" in text
    assert "UBND xã An Bình" in text
    assert "Không thu phí, lệ phí." in text
    assert "Mẫu tờ khai đăng ký kết hôn" in text
    assert "Luật Hộ tịch số 60/2014/QH13." in text
    assert "Dịch vụ công trực tuyến toàn trình" in text
    assert "Số QĐ-01/2025 ngày 20/06/2025" in text and "Từ 01/07/2025" in text


def test_fee_is_formatted_with_dots_and_dong(client, catalog):
    text = _text(client.get("/thu-tuc/2.000806/"))
    assert "Lệ phí đăng ký kết hôn: 1.644.000 đồng" in text
    assert "10 ngày làm việc" in text


def test_online_procedure_without_submission_page_shows_text_not_a_link(client, catalog, monkeypatch):
    monkeypatch.setattr(views, "submission_url", lambda code: None)  # as before the submission flow existed
    html = client.get("/thu-tuc/1.000894/").content.decode()
    assert "Thủ tục này có thể nộp trực tuyến" in html
    assert "Nộp hồ sơ trực tuyến" not in html


@pytest.mark.urls("tests.portal.urls_find_only")
def test_submission_url_is_none_until_the_route_exists():
    assert views.submission_url("1.000894") is None


def test_offline_procedure_shows_no_online_notice(client, catalog):
    html = client.get("/thu-tuc/1.009994/").content.decode()
    assert "Thủ tục này có thể nộp trực tuyến" not in html and "Nộp hồ sơ trực tuyến" not in html
    assert "75.000 đồng" in html


@pytest.mark.urls("tests.portal.urls_with_submission")
def test_submit_button_links_when_submission_route_exists(client, catalog):
    html = client.get("/thu-tuc/1.000894/").content.decode()
    assert '<a class="button" href="/nop-ho-so/1.000894/">Nộp hồ sơ trực tuyến</a>' in html


@pytest.mark.parametrize("url", ["/thu-tuc/9.999999/", "/thu-tuc/2.001417/", "/thu-tuc/1.004000/"])
def test_unknown_draft_or_future_procedure_is_404_in_vietnamese(client, catalog, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục có mã" in _text(response)


def test_unknown_field_agency_and_event_are_404(client, catalog):
    assert client.get("/linh-vuc/KHONG/").status_code == 404
    assert client.get("/co-quan/000.99.99.T99/").status_code == 404
    assert client.get("/su-kien/khong-co/").status_code == 404
