"""Pure JSON checks of the demo catalogue (src/motcua/catalog/data/demo_procedures.json); no database.

The file feeds `motcua demo` through the catalogue importer, which refuses a bad file as a whole; these checks catch
the mistakes early and also pin the mix the demo needs (same-day, hours, calendar days, shortened limits...).
"""

import json
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import motcua.catalog

DATA_FILE = Path(motcua.catalog.__file__).parent / "data" / "demo_procedures.json"

# Demo province agency codes from the briefing (the only codes the demo agencies loader creates).
COMMUNES = {"000.20.31.H27", "000.20.32.H27", "000.21.33.H27", "000.22.34.H27", "000.23.35.H27", "000.24.36.H27"}
DEMO_AGENCIES = COMMUNES | {
    "000.00.00.H27", "000.00.01.H27", "000.00.30.H27",
    "000.00.12.H27", "000.00.13.H27", "000.00.14.H27", "000.00.15.H27", "000.00.16.H27", "000.00.17.H27",
    "000.00.18.H27",
    "000.01.12.H27", "000.01.13.H27", "000.02.14.H27", "000.01.15.H27",
    "000.20.00.H27", "000.22.00.H27",
}
SERVICE_CENTRE = "000.00.30.H27"
ACTIONS = {
    "receive", "refuse", "request_supplement", "receive_supplement", "route", "assign", "forward", "hand_over",
    "return_step", "request_payment", "confirm_payment", "approve", "stop", "withdraw", "result_ready", "deliver",
    "extend",
}
ROLES = {"reception", "specialist", "leader"}
UNITS = {"working_hours", "working_days", "calendar_days", "none"}
LEVELS = {"central", "province", "district", "commune"}
CODE_RE = re.compile(r"^\d\.\d{6}$")


@pytest.fixture(scope="module")
def data():
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def procedures(data):
    return data["procedures"]


def versions(data):
    for proc in procedures(data):
        for version in proc["versions"]:
            yield proc, version


def variants(data):
    for proc, version in versions(data):
        for variant in version["variants"]:
            yield proc, version, variant


def effective(variant) -> Decimal:
    committed = variant["committed_limit"]
    return Decimal(str(committed if committed is not None else variant["legal_limit"]))


def where(proc, variant) -> str:
    return f"{proc['code']} / {variant['name']}"


def test_top_level_shape(data):
    assert data["format"] == "motcua.catalog/1"
    assert isinstance(data["notes"], str) and data["notes"].strip()
    assert len(procedures(data)) >= 45


def test_codes_unique_and_national_shape(data):
    codes = [proc["code"] for proc in procedures(data)]
    duplicated = [code for code, n in Counter(codes).items() if n > 1]
    assert not duplicated, duplicated
    bad = [code for code in codes if not CODE_RE.match(code)]
    assert not bad, bad


def test_fields_referenced_exist(data):
    field_codes = [field["code"] for field in data["fields"]]
    assert len(field_codes) == len(set(field_codes))
    missing = {proc["code"]: proc["field"] for proc in procedures(data) if proc["field"] not in field_codes}
    assert not missing, missing


def test_procedure_attributes(data):
    for proc in procedures(data):
        assert proc["name"].strip(), proc["code"]
        assert proc["level"] in LEVELS, proc["code"]
        assert proc["applicant_type"] in {"citizen", "business", "both"}, proc["code"]
        assert len(proc["life_events"]) <= 255, proc["code"]
        assert proc["versions"], proc["code"]


def test_agencies_are_demo_codes(data):
    used = set()
    for proc in procedures(data):
        used |= set(proc["competent_agencies"])
    for _proc, _version, variant in variants(data):
        used |= {step["agency"] for step in variant["steps"] if step["agency"] is not None}
    assert used <= DEMO_AGENCIES, sorted(used - DEMO_AGENCIES)


def test_competent_agencies_follow_level(data):
    for proc in procedures(data):
        if proc["level"] == "commune":
            assert set(proc["competent_agencies"]) == COMMUNES, proc["code"]
        elif proc["level"] == "province":
            assert len(proc["competent_agencies"]) == 1, proc["code"]
            assert not set(proc["competent_agencies"]) & COMMUNES, proc["code"]


def test_province_dossiers_received_at_service_centre(data):
    for proc, _version, variant in variants(data):
        first = variant["steps"][0]
        if proc["level"] == "province":
            assert first["agency"] == SERVICE_CENTRE, where(proc, variant)
        else:
            assert first["agency"] is None, where(proc, variant)


def test_versions_texts_and_dates(data):
    for proc, version in versions(data):
        assert version["status"] in {"draft", "published"}
        for key in ("steps_text", "method_text", "applicants_text", "implementing_agency_text", "decision_number"):
            assert version[key].strip(), (proc["code"], key)
        date.fromisoformat(version["decision_date"])
        start = date.fromisoformat(version["effective_from"])
        if version["effective_to"] is not None:
            assert date.fromisoformat(version["effective_to"]) >= start, proc["code"]


def test_versions_of_a_procedure_do_not_overlap(data):
    for proc in procedures(data):
        periods = sorted((date.fromisoformat(v["effective_from"]),
                          date.fromisoformat(v["effective_to"]) if v["effective_to"] else date.max)
                         for v in proc["versions"] if v["status"] == "published")
        for (_, end), (next_start, _) in zip(periods, periods[1:], strict=False):
            assert end < next_start, proc["code"]


def test_older_versions_present(data):
    with_history = [proc["code"] for proc in procedures(data) if len(proc["versions"]) > 1]
    assert len(with_history) >= 3, with_history


def test_units_limits_and_cutoffs(data):
    for proc, _version, variant in variants(data):
        label = where(proc, variant)
        assert variant["limit_unit"] in UNITS, label
        assert variant["legal_limit"] >= 0, label
        if variant["committed_limit"] is not None:
            assert 0 <= variant["committed_limit"] <= variant["legal_limit"], label
        if variant["same_day_cutoff"] is not None:
            assert variant["limit_unit"] == "working_days", label
            assert re.match(r"^\d\d:\d\d$", variant["same_day_cutoff"]), label
        assert variant["supplement_policy"] in {"resume", "restart"}, label
        assert variant["online_level"] in {"none", "partial", "full"}, label
        assert variant["result_type"] in {"paper", "electronic", "both"}, label


def test_fees_and_documents(data):
    for proc, _version, variant in variants(data):
        label = where(proc, variant)
        for fee in variant["fees"]:
            assert isinstance(fee["amount"], int) and fee["amount"] >= 0, label
            assert fee["online_amount"] is None or 0 <= fee["online_amount"] <= fee["amount"], label
            assert len(fee["name"]) <= 255 and len(fee["exemption"]) <= 500, label
        docs = variant["documents"]
        assert 1 <= len(docs) <= 6, label
        for doc in docs:
            assert doc["name"].strip() and len(doc["name"]) <= 1000, label
            assert doc["originals"] + doc["certified_copies"] + doc["copies"] >= 1, (label, doc["name"])
            assert isinstance(doc["required"], bool) and isinstance(doc["from_data_store"], bool), label
            assert len(doc["template_name"]) <= 255, label


def test_steps_are_well_formed(data):
    for proc, _version, variant in variants(data):
        label = where(proc, variant)
        steps = variant["steps"]
        assert [step["order"] for step in steps] == list(range(1, len(steps) + 1)), label
        codes = [step["code"] for step in steps]
        assert len(codes) == len(set(codes)), label
        assert all(re.match(r"^[-a-z0-9_]{1,32}$", code) for code in codes), label
        finals = [step for step in steps if step["is_final"]]
        assert len(finals) == 1 and steps[-1]["is_final"], label
        for step in steps:
            assert step["role"] in ROLES, (label, step["code"])
            assert step["actions"] and set(step["actions"]) <= ACTIONS, (label, step["code"])
            assert step["budget"] >= 0, (label, step["code"])


def test_handover_precedes_a_change_of_agency(data):
    """A specialist step followed by a step in another agency must allow hand_over; at least 3 procedures model
    such an inter-agency hand-over (land registry office, provincial office)."""
    with_handover = set()
    for proc, _version, variant in variants(data):
        steps = variant["steps"]
        for step, nxt in zip(steps, steps[1:], strict=False):
            if step["role"] == "specialist" and step["agency"] != nxt["agency"]:
                assert "hand_over" in step["actions"], (where(proc, variant), step["code"])
                with_handover.add(proc["code"])
    assert len(with_handover) >= 3, with_handover


def test_step_budgets_within_effective_limit(data):
    for proc, _version, variant in variants(data):
        total = sum(Decimal(str(step["budget"])) for step in variant["steps"])
        limit = effective(variant)
        if variant["limit_unit"] == "none":
            assert total == 0, where(proc, variant)
        else:
            assert total <= limit, (where(proc, variant), total, limit)


def test_demo_mix(data):
    """The demo must exercise every clock path: calendar days, no limit, same-day with cut-off, working hours,
    shortened (committed) limits, and both levels."""
    current = [(proc, variant) for proc, version, variant in variants(data) if version["effective_to"] is None]
    units = Counter(variant["limit_unit"] for _proc, variant in current)
    assert units["calendar_days"] >= 2, units
    assert units["none"] >= 1, units
    assert units["working_hours"] >= 1, units
    same_day = {proc["code"] for proc, variant in current
                if variant["legal_limit"] == 0 and variant["limit_unit"] == "working_days"
                and variant["same_day_cutoff"] == "15:00"}
    assert len(same_day) >= 3, same_day
    shortened = {proc["code"] for proc, variant in current
                 if variant["committed_limit"] is not None and variant["committed_limit"] < variant["legal_limit"]}
    assert len(shortened) >= 10, len(shortened)
    levels = Counter(proc["level"] for proc in procedures(data))
    assert levels["commune"] >= 15 and levels["province"] >= 15, levels
    online = Counter(variant["online_level"] for _proc, variant in current)
    assert all(online[level] for level in ("none", "partial", "full")), online


def test_same_day_variants_have_zero_budgets(data):
    for proc, _version, variant in variants(data):
        if variant["legal_limit"] == 0 or variant["limit_unit"] == "none":
            assert all(step["budget"] == 0 for step in variant["steps"]), where(proc, variant)
