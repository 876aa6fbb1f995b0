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
