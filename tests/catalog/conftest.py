"""Catalogue test data: a small catalogue in the exchange format, built on the `province` fixture's agencies."""

import copy

import pytest

from motcua.catalog.exchange import import_catalog

STEPS = [
    {"order": 1, "code": "receive", "name": "Tiếp nhận hồ sơ", "role": "reception", "agency": None, "budget": 0.5,
     "actions": ["receive", "refuse", "request_supplement", "route"], "is_final": False},
    {"order": 2, "code": "appraise", "name": "Thẩm định", "role": "specialist", "agency": None, "budget": 2,
     "actions": ["forward", "return_step", "request_supplement", "hand_over", "stop", "extend"], "is_final": False},
    {"order": 3, "code": "approve", "name": "Phê duyệt", "role": "leader", "agency": None, "budget": 1,
     "actions": ["approve", "return_step", "extend"], "is_final": False},
    {"order": 4, "code": "result", "name": "Trả kết quả", "role": "reception", "agency": "000.00.30.T99",
     "budget": 0.5, "actions": ["result_ready", "deliver"], "is_final": True},
]


def variant(name: str, limit=5, unit="working_days", online="full", **extra) -> dict:
    data = {
        "name": name, "legal_limit": limit, "limit_unit": unit, "committed_limit": None, "same_day_cutoff": None,
        "supplement_policy": "resume", "fee_note": "", "result_type": "both", "result_name": "Giấy chứng nhận",
        "online_level": online, "postal_in": True, "postal_out": True, "on_the_spot": False, "legal_basis": "",
        "fees": [{"name": "Lệ phí", "amount": 10000, "online_amount": 5000, "exemption": ""}],
        "documents": [{"name": "Tờ khai", "originals": 1, "certified_copies": 0, "copies": 0, "required": True,
                       "template_name": "Mẫu tờ khai", "from_data_store": False},
                      {"name": "Giấy tờ tùy thân", "originals": 0, "certified_copies": 1, "copies": 0,
                       "required": False, "template_name": "", "from_data_store": True}],
        "steps": copy.deepcopy(STEPS),
    }
    data.update(extra)
    return data


def version(decision: str, effective_from: str, *variants, status="published", effective_to=None) -> dict:
    return {
        "decision_number": decision, "decision_date": effective_from, "effective_from": effective_from,
        "effective_to": effective_to, "status": status, "steps_text": "Bước 1: nộp hồ sơ...",
        "method_text": "Trực tiếp, bưu chính, trực tuyến", "applicants_text": "Công dân Việt Nam",
        "implementing_agency_text": "UBND cấp xã", "result_text": "Giấy chứng nhận", "requirements_text": "",
        "legal_basis": "Luật Hộ tịch 2014", "variants": list(variants),
    }


def sample_catalog() -> dict:
    return {
        "format": "motcua.catalog/1",
        "fields": [{"code": "HT", "name": "Hộ tịch"}, {"code": "XD", "name": "Hoạt động xây dựng"}],
        "procedures": [
            {"code": "1.000894", "name": "Đăng ký kết hôn", "field": "HT", "level": "commune",
             "applicant_type": "citizen", "competent_agencies": ["000.20.31.T99"], "life_events": "Kết hôn",
             "versions": [version("10/QĐ-UBND", "2024-01-01", variant("Đăng ký kết hôn", 4, online="partial")),
                          version("20/QĐ-UBND", "2025-07-01", variant("Đăng ký kết hôn", 5, online="full"),
                                  variant("Đăng ký kết hôn lưu động", 5, online="none"))]},
            {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "HT", "level": "commune",
             "applicant_type": "citizen", "competent_agencies": ["000.20.31.T99"], "life_events": "Khai sinh",
             "versions": [version("21/QĐ-UBND", "2025-07-01", variant("Đăng ký khai sinh", 5, online="partial",
                                                                      committed_limit=4.5,
                                                                      same_day_cutoff="15:00"))]},
            {"code": "1.009994", "name": "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "field": "XD",
             "level": "province", "applicant_type": "both", "competent_agencies": ["000.00.12.T99", "000.01.12.T99"],
             "life_events": "",
             "versions": [version("30/QĐ-UBND", "2025-01-01", variant("Nhà ở riêng lẻ", 15, online="none")),
                          version("31/QĐ-UBND", "2026-12-01", variant("Nhà ở riêng lẻ", 12, online="full"),
                                  status="draft")]},
            {"code": "2.000001", "name": "Thủ tục đăng ký kết hôn có yếu tố nước ngoài", "field": "HT",
             "level": "province", "applicant_type": "citizen", "competent_agencies": [], "life_events": "Kết hôn",
             "versions": [version("40/QĐ-UBND", "2025-07-01", variant("Thông thường", 10, online="partial"))]},
        ],
    }


@pytest.fixture
def catalog(province, tmp_path):
    """The sample catalogue imported (published versions published)."""
    import json

    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(sample_catalog(), ensure_ascii=False), encoding="utf-8")
    import_catalog(path, "json")
    return province
