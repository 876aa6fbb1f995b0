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


def test_bench_command_refuses_an_unknown_module(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_BENCH_DOCS", str(tmp_path / "benchmarks.md"))
    with pytest.raises(CommandError):
        call_command("bench", "khong_co_module_nay")
    assert not (tmp_path / "benchmarks.md").exists()


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


def test_figures_reach_the_table_only_through_the_suite(tmp_path, monkeypatch):
    from bench import results

    sink = tmp_path / "figures.jsonl"
    monkeypatch.delenv(results.ENV, raising=False)
    results.figure("alone", 1, "/s")
    assert not sink.exists()  # a module run alone hands nothing over
    monkeypatch.setenv(results.ENV, str(sink))
    monkeypatch.setenv(results.ENV + "_MODULE", "intake")
    results.figure("intake (sqlite)", 1644, "/s", floor=3288, floor_name="bare INSERT", target=300)
    results.figure("inbox p95", 30, "ms", floor=15, target=25, lower_is_better=True)
    first, second = results.read(sink)
    assert (first.module, first.ratio, first.met) == ("intake", 0.5, True)
    assert (second.ratio, second.met) == (0.5, False)


def test_the_suite_table_replaces_its_own_block_only(tmp_path):
    from datetime import datetime

    from bench import results

    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\nintro\n\n{results.ANCHOR}, 07/12\n\nkept\n", encoding="utf-8")
    fig = results.Figure("reports", "year report", 2.6, "s", floor=0.02, target=5, lower_is_better=True)
    for value in (2.6, 0.5):
        fig.value = value
        results.write_docs(results.render([fig], "vm · 2 cores", datetime(2026, 12, 7, 15), ["lighthouse"]), doc)
    text = doc.read_text(encoding="utf-8")
    assert text.count(results.START) == 1 and text.index(results.START) < text.index(results.ANCHOR)
    assert "| reports | year report | 0,50 s | 0,02 s | 0,04 | ≤ 5 s | **yes** | 0 |  |" in text
    assert "2,60 s" not in text and "Modules that failed in this run: lighthouse." in text
    assert text.endswith("kept\n")


def test_the_suite_runs_every_module_at_its_full_size():
    from bench.__main__ import SUITE, runs

    everything = runs([])
    assert everything[:len(SUITE)] == SUITE and "__main__" not in {name for name, _a, _e in everything}
    inbox = [(args, env) for name, args, env in everything if name == "inbox"]
    assert inbox[1][0] == ["--db", "pg", "--reuse", "--copies", "10"]  # the 10 M clone of the 1 M loaded just before
    assert inbox[0][1]["DATABASE_URL"] == inbox[1][1]["DATABASE_URL"] and inbox[0][1]["DATABASE_URL"].startswith("postgres")
    assert {name for name, _a, _e in everything} >= {"clock", "http_load", "inbox", "reports", "sweep", "partitions"}
    assert runs(["clock"]) == [("clock", [], {})]
