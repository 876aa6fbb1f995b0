"""Time-limit shortening: legal vs committed limits, per level and agency, days and working hours (8 h a day)."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.reports.shortening import phrase, shortening
from tests.reports.conftest import build_procedure


def test_seed_phrases():
    assert phrase(86, Decimal(392)) == "86 thủ tục, 392 ngày = 3.136 giờ làm việc"
    assert phrase(51, Decimal("124.5")) == "51 thủ tục, 124,5 ngày = 996 giờ làm việc"


@pytest.fixture
def catalogue(world):
    build_procedure(world, code="1.000101", limit=Decimal(15), committed=Decimal(10), competent=[world["dept"]])
    build_procedure(world, code="1.000102", limit=Decimal(6), committed=Decimal("4.5"), level="commune",
                    competent=[world["commune"]], budget=Decimal(1))
    build_procedure(world, code="1.000103", limit=Decimal(7), committed=None, competent=[world["dept"]])
    build_procedure(world, code="1.000104", limit=Decimal(7), committed=Decimal(7), competent=[world["dept"]])
    return world


def test_shortening_by_level_and_agency(catalogue):
    result = shortening()
    assert [p["code"] for p in result["procedures"]] == ["1.000101", "1.000102"]
    assert result["by_level"]["province"] == {"procedures": 1, "days": 5.0, "working_hours": 40.0,
                                              "text_vi": "1 thủ tục, 5 ngày = 40 giờ làm việc"}
    assert result["by_level"]["commune"]["text_vi"] == "1 thủ tục, 1,5 ngày = 12 giờ làm việc"
    assert result["total"]["text_vi"] == "2 thủ tục, 6,5 ngày = 52 giờ làm việc"
    assert {a["agency"]: a["procedures"] for a in result["by_agency"]} == {"000.00.12.T99": 1, "000.20.31.T99": 1}
    dept = shortening("000.00.12.T99")
    assert dept["total"]["procedures"] == 1 and dept["procedures"][0]["variants"][0]["legal_limit"] == 15.0


def test_cli(catalogue, capsys):
    call_command("report", "shortening", "--unit", "000.20.31.T99")
    out = json.loads(capsys.readouterr().out)
    assert out["total"]["text_vi"] == "1 thủ tục, 1,5 ngày = 12 giờ làm việc"
