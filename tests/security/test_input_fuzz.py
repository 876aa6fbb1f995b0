"""Hypothesis on untrusted input that does not go through the API: the legacy import file and the key forms.

- Import (motcua.dossiers.importer): any file of malformed lines (broken JSON, invalid UTF-8, NUL bytes, huge numbers,
  wrong types) never raises out of `import_file` and writes nothing; mixed with one valid line, exactly that line's
  dossier is written (per-line atomicity, no partial rows of a bad line).
- Forms (citizen registration, reception desk): any submitted values give a bound form that either validates to
  well-formed data or reports errors, never an exception; a personal ID that validates is 12 digits.
(The line parser itself has its own property tests in tests/dossiers_import/test_parser_properties.py.)
"""

import json

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.importer import import_file
from tests.dossiers_import.conftest import BASE

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Every table the importer may write to.
WRITTEN_APPS = ("dossiers", "audit", "worktime", "core")

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                         st.text(max_size=40))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=6)), max_leaves=15)


def broken_line():
    """Bytes of one line that is not a valid dossier."""
    mutated = st.dictionaries(st.sampled_from(sorted(BASE)), json_values, min_size=1, max_size=4).map(
        lambda change: json.dumps({**BASE, **change}, ensure_ascii=False).encode())
    return st.one_of(
        st.binary(min_size=1, max_size=120).filter(lambda b: b"\n" not in b and b.strip()),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.text(min_size=1, max_size=80).filter(lambda t: "\n" not in t and "\r" not in t and t.strip())
        .map(str.encode),
        st.just(json.dumps(BASE).encode()[:-7]),  # truncated
        st.just(b'{"code": "' + b"9" * 5000 + b'"}'),
        st.just(b'{"code": 1e999, "channel": -99999999999999999999}'),
        mutated.filter(lambda raw: raw != json.dumps(BASE, ensure_ascii=False).encode()),
    )


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for label in WRITTEN_APPS
            for m in apps.get_app_config(label).get_models()}


@pytest.fixture
def import_world(province):
    from tests.dossiers_import.conftest import build_catalogue

    build_catalogue(province)
    return province


def import_bytes(tmp_path_factory, lines: list[bytes]):
    """Import in a savepoint rolled back afterwards: hypothesis runs every example in the same test transaction."""
    from motcua.dossiers.models import Dossier

    path = tmp_path_factory.mktemp("import") / "hoso.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    before = row_counts()
    with transaction.atomic():
        report = import_file(path)
        written = list(Dossier.objects.values_list("code", flat=True))
        complete = all(d.events.exists() for d in Dossier.objects.all())
        unchanged = row_counts() == before
        transaction.set_rollback(True)
    assert report.created + len({e.line for e in report.errors}) + report.skipped_existing \
        + report.skipped_duplicate == report.lines
    assert all(e.line >= 1 and e.field and e.message for e in report.errors)
    assert len(written) == report.created and complete  # a dossier is written with its history or not at all
    assert report.created or unchanged  # nothing valid: not one row anywhere
    return report, written


@FUZZ
@given(lines=st.lists(broken_line(), min_size=1, max_size=6))
def test_malformed_import_files_raise_nothing_and_write_nothing(import_world, tmp_path_factory, lines):
    import_bytes(tmp_path_factory, lines)


@FUZZ
@given(bad=st.lists(broken_line(), min_size=1, max_size=4), position=st.integers(0, 4))
def test_a_valid_line_among_bad_ones_is_written_whole(import_world, tmp_path_factory, bad, position):
    lines = list(bad)
    lines.insert(min(position, len(lines)), json.dumps(BASE, ensure_ascii=False).encode())
    report, written = import_bytes(tmp_path_factory, lines)
    assert written.count(BASE["code"]) == 1


# --- forms -------------------------------------------------------------------------------------------------------
form_text = st.one_of(st.text(max_size=300), st.sampled_from(["", " ", "001203012345", "0912345678", "a@b.vn",
                                                               "31/02/2003", "01/03/2003", "\x00", "９９９"]))


@FUZZ
@given(data=st.fixed_dictionaries({k: form_text for k in ("full_name", "login", "personal_id", "birth_date",
                                                          "password1", "password2")}))
def test_registration_form_never_raises(db, data):
    from motcua.portal.citizen_forms import CitizenRegistrationForm

    form = CitizenRegistrationForm(data=data)
    if form.is_valid():
        pid = form.cleaned_data["personal_id"]
        assert pid.isascii() and pid.isdigit() and len(pid) == 12
    else:
        assert form.errors and all(isinstance(m, str) and m for ms in form.errors.values() for m in ms)


@FUZZ
@given(data=st.fixed_dictionaries({
    "applicant_kind": st.sampled_from(["person", "business", "", "x"]), "name": form_text,
    "personal_id": form_text, "tax_code": form_text, "representative": form_text, "phone": form_text,
    "email": form_text, "address": form_text, "channel": st.sampled_from(["1", "2", "3", "", "abc", "99"]),
    "receiving_agency": st.sampled_from(["1", "2", "", "-1", "x"]), "competent_agency": form_text}))
def test_desk_form_never_raises(db, data):
    from motcua.backoffice.forms import DeskForm

    form = DeskForm(data=data, receiving_choices=[(1, "Trung tâm")], competent_choices=[(2, "Sở")])
    if form.is_valid():
        d = form.applicant()
        assert d["name"].strip()
        assert d["personal_id"] == "" or (d["personal_id"].isascii() and len(d["personal_id"]) == 12)
        assert d["kind"] != "person" or d["personal_id"]
    else:
        assert form.errors
