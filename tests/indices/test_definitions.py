"""The indicator definitions are data: the shipped file adds up to 100 in the six groups, bad files are refused,
and a new data version changes the score with no code change."""

import copy
import json

import pytest

from motcua.indices import definitions
from motcua.indices.models import IndexVersion, Indicator
from motcua.indices.services import compute
from tests.indices.conftest import DEPT, PERIOD

SHIPPED = json.loads(definitions.BUILTIN.read_text(encoding="utf-8"))


def test_shipped_groups_add_up_to_100():
    assert {g["code"]: g["max_points"] for g in SHIPPED["groups"]} == {"1": 18, "2": 20, "3": 12, "4": 10, "5": 22,
                                                                        "6": 18}
    assert sum(i["max_points"] for i in SHIPPED["indicators"]) == 100
    definitions.check(SHIPPED)


@pytest.mark.django_db
def test_the_shipped_version_is_loaded():
    version = IndexVersion.objects.get(code="QD766-2022")
    assert version.indicators.count() == len(SHIPPED["indicators"])
    assert Indicator.objects.get(version=version, code="5.4").target == 90


@pytest.mark.parametrize("change, message", [
    (lambda d: d["indicators"][0].update(numerator="procedures.nope"), "không có"),
    (lambda d: d["indicators"][4].update(max_points=19), "khác điểm tối đa"),
    (lambda d: d["indicators"][6].update(target=120), "chỉ tiêu"),
    (lambda d: d["indicators"][3].update(denominator="dossiers.received"), "nhập tay"),
    (lambda d: d["indicators"][1].update(code="1.1"), "trùng"),
    (lambda d: d["indicators"][1].update(units=["ministry"]), "đơn vị"),
])
def test_bad_definitions_are_refused(change, message):
    data = copy.deepcopy(SHIPPED)
    change(data)
    with pytest.raises(definitions.DefinitionError, match=message):
        definitions.check(data)


def revision(**changes) -> dict:
    data = copy.deepcopy(SHIPPED)
    data.update(code="QD766-TEST", effective_from="2026-10-01", **changes)
    return data


def test_a_new_data_version_changes_the_score_without_code(october, sync_value):
    before = compute(DEPT, PERIOD)
    data = revision()
    on_time = next(i for i in data["indicators"] if i["code"] == "2.1")
    on_time["target"] = 60  # 66.67 % ≥ 60 % → full points instead of 13.33
    missing = next(i for i in data["indicators"] if i["code"] == "3.3")
    missing["numerator"] = "dossiers.received"  # a different measure picked by key
    definitions.load(data, IndexVersion, Indicator)

    after = compute(DEPT, PERIOD)
    assert after["version"] == "QD766-TEST" and before["version"] == "QD766-2022"
    rows = {i["code"]: i for i in after["indicators"]}
    assert rows["2.1"]["points"] == 20.0
    assert rows["3.3"]["points"] == 6.0
    assert before["total"] == 57.43
    assert after["total"] == round(57.43 + (20.0 - 13.33) + (6.0 - 4.5), 2)
    # earlier periods keep the version in force then
    assert compute(DEPT, "2026-09")["version"] == "QD766-2022"


def test_zero_denominators_can_be_not_applicable_by_data(october):
    definitions.load(revision(zero_denominator="not_applicable"), IndexVersion, Indicator)
    quiet = compute("000.00.13.T99", PERIOD)  # the other department: nothing happened in October
    assert quiet["max_total"] < 100
    assert next(i for i in quiet["indicators"] if i["code"] == "2.1")["points"] is None


def test_loading_is_idempotent(db):
    version, created = definitions.load(SHIPPED, IndexVersion, Indicator)
    assert (version.code, created) == ("QD766-2022", False)


def test_units_in_data_decide_where_an_indicator_applies(october, sync_value):
    data = revision()
    next(i for i in data["indicators"] if i["code"] == "1.4")["units"] = ["province"]
    definitions.load(data, IndexVersion, Indicator)
    result = compute(DEPT, PERIOD)
    row = next(i for i in result["indicators"] if i["code"] == "1.4")
    assert row["points"] is None and result["max_total"] == 94.0
