"""The benchmark plumbing that can be checked without load: the docs block, Lua quoting, `motcua bench`."""

import pytest
from bench import http_load
from django.core.management import CommandError, call_command


def test_write_docs_replaces_only_the_measured_block(tmp_path, monkeypatch):
    doc = tmp_path / "benchmarks.md"
    monkeypatch.setattr(http_load, "DOCS", doc)
    doc.write_text("# Benchmarks\n\n## Other\n\nkept\n", encoding="utf-8")
    http_load.write_docs("| first |")
    http_load.write_docs("| second |")
    text = doc.read_text(encoding="utf-8")
    assert text.count(http_load.SECTION) == 1
    assert "| second |" in text and "| first |" not in text
    assert "## Other\n\nkept" in text


def test_lua_strings_keep_vietnamese_text():
    assert http_load.lua_str('{"items": ["Bản vẽ"]}') == '[==[{"items": ["Bản vẽ"]}]==]'
    assert http_load.lua_list("xs", ["a", "b"]) == "xs = {[==[a]==], [==[b]==]}\n"


def test_bench_command_reports_a_failing_module():
    with pytest.raises(CommandError):
        call_command("bench", "khong_co_module_nay")


@pytest.mark.django_db
def test_bulk_insert_mode_drops_the_secondary_indexes_and_rebuilds_them():
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.scale.benchdb import bulk_insert_mode

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL bulk loads only")
    table = Dossier._meta.db_table

    def indexes():
        with connection.cursor() as cur:
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
            return dict(cur.fetchall())

    before = indexes()
    with bulk_insert_mode(table):
        during = indexes()
    assert set(during) == {"dossiers_dossier_pkey", "dossiers_dossier_code_key"}  # those of constraints stay
    assert indexes() == before and "dossier_last_activity_brin" in before
