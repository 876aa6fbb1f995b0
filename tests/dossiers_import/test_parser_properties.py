"""Property tests of the line parser: whatever a line holds, the result is a Plan or reported errors naming a field,
never an exception; and whatever the parser accepts, the database accepts."""

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.importer import Catalogue, LineError, LineParser, Plan, parse_line, parse_value
from motcua.dossiers.models import Dossier
from tests.dossiers_import.conftest import BASE, run

pytestmark = pytest.mark.django_db
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 20), st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["2026-01-05T09:00:00+07:00", "2026-13-01", "2026-01-05", "000.00.30.T99",
                                     "1.009999", "early", "late", "\x00", "\ud800", "Cấp lại", "tham-dinh"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=5)), max_leaves=20)
KEYS = sorted(BASE) + ["variant", "due_at", "finished_at", "returned_at", "supplements", "extensions", "handovers",
                       "step", "paid_online", "outcome", "outcome_766", "digitised", "history"]


def mutated():
    """A valid line with one to three fields replaced (or removed) by arbitrary JSON values."""
    changes = st.dictionaries(st.sampled_from(KEYS), st.one_of(json_values, st.just("<remove>")), min_size=1,
                              max_size=3)
    history_item = st.fixed_dictionaries({"status": st.integers(0, 11), "at": scalars})

    def apply(args):
        change, history = args
        line = json.loads(json.dumps(BASE))
        for key, value in change.items():
            if value == "<remove>":
                line.pop(key, None)
            else:
                line[key] = value
        if history is not None:
            line["history"] = history
        return line

    return st.tuples(changes, st.one_of(st.none(), st.lists(history_item, min_size=1, max_size=4))).map(apply)


def check(result):
    if isinstance(result, Plan):
        assert result.code and result.dossier["status"] in range(1, 11)
        return
    assert result and all(isinstance(e, LineError) and e.field and e.message for e in result)


@SETTINGS
@given(value=json_values)
def test_any_json_value_is_a_plan_or_reported(world, value):
    parser = LineParser(Catalogue())
    check(parse_value(value, 1, parser))
    check(parse_line(json.dumps(value), 1, parser))


@SETTINGS
@given(text=st.text(max_size=80))
def test_any_text_is_reported_not_raised(world, text):
    check(parse_line(text, 3, LineParser(Catalogue())))


@SETTINGS
@given(line=mutated())
def test_mutated_lines_are_a_plan_or_reported(world, line):
    check(parse_value(line, 1, LineParser(Catalogue())))


_codes = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(mutated(), min_size=1, max_size=5))
def test_what_the_parser_accepts_the_database_stores(world, lines):
    for line in lines:
        if isinstance(line.get("code"), str) or "code" not in line:
            line["code"] = f"P-{next(_codes)}"
    before = Dossier.objects.count()
    report = run(lines)
    failed = {e.line for e in report.errors}
    assert report.created + len(failed) + report.skipped_duplicate + report.skipped_existing == len(lines)
    assert all(e.field != "code" or "Không ghi được" not in e.message for e in report.errors), report.errors
    assert Dossier.objects.count() == before + report.created
