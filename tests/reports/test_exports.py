"""Exports re-read: XLSX (openpyxl), CSV (BOM), DOCX (python-docx), PDF (pypdf) with Vietnamese diacritics; the CLI."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from motcua.reports.export import render
from motcua.reports.service import full_report
from tests.reports.test_period import DEPT, DEPT_SPECS, PC


@pytest.fixture
def data(load):
    return load(*DEPT_SPECS)


def test_json_has_every_key_and_the_summary(data):
    r = json.loads(render(full_report(DEPT, "2026-01-01", "2026-03-31"), "json"))
    for key in ("carried_over", "received", "received_counter", "received_online", "received_postal", "finished",
                "finished_early", "finished_on_time", "finished_late", "in_progress", "in_progress_on_time",
                "in_progress_overdue", "supplement", "refused", "withdrawn", "stopped", "not_collected",
                "to_process", "on_time_rate", "early_rate", "late_rate", "online_rate", "postal_rate",
                "digitised_rate", "e_result_rate", "avg_handling_days", "definition", "summary_vi"):
        assert key in r
    assert r["summary_vi"].startswith("Quý I/2026, Sở Xây dựng tiếp nhận 7 hồ sơ")


def test_xlsx_reread(data):
    from openpyxl import load_workbook

    report = full_report(PC, "2026-01-01", "2026-03-31", by="agency")
    ws = load_workbook(io.BytesIO(render(report, "xlsx"))).active
    header = [c.value for c in ws[4]]
    assert header[:3] == ["Cơ quan, đơn vị", "Tồn kỳ trước chuyển sang", "Tiếp nhận trong kỳ"]
    assert ws.freeze_panes == "B5"
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    col = header.index("Tiếp nhận trong kỳ")
    assert rows["Sở Xây dựng"][col] == 7 and rows["Sở Tư pháp"][col] == 1 and rows["Tổng cộng"][col] == 8
    rate_col = header.index("Tỷ lệ đúng hạn (%)") + 1
    assert ws.cell(row=5, column=rate_col).number_format == "0.00"
    assert ws["A2"].value.startswith("Quý I/2026, UBND tỉnh Thử tiếp nhận 8 hồ sơ")


def test_csv_has_a_bom_and_vietnamese_headers(data):
    raw = render(full_report(DEPT, "2026-01-01", "2026-03-31", by="channel"), "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Kênh nộp" and "Đang giải quyết quá hạn" in rows[0]
    by_label = {r[0]: r for r in rows[1:]}
    assert by_label["Trực tuyến"][rows[0].index("Tiếp nhận trong kỳ")] == "2"


def test_docx_text(data):
    from docx import Document

    doc = Document(io.BytesIO(render(full_report(DEPT, "2026-01-01", "2026-03-31"), "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Báo cáo tình hình giải quyết thủ tục hành chính — Sở Xây dựng — Quý I/2026" in text
    assert "Sở Xây dựng tiếp nhận 7 hồ sơ" in text
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert cells["Tiếp nhận trong kỳ"] == "7" and cells["Tỷ lệ trực tuyến (%)"] == "28,57"


def test_pdf_text_keeps_diacritics(data):
    from pypdf import PdfReader

    pdf = render(full_report(DEPT, "2026-01-01", "2026-03-31"), "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for words in ("Sở Xây dựng", "tiếp nhận 7 hồ sơ", "Đang giải quyết quá hạn", "Tồn kỳ trước chuyển sang"):
        assert words in text, words


def test_pdf_without_font_fails_clearly(data, monkeypatch):
    from motcua.reports import export

    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    monkeypatch.setattr(export, "FONT_CANDIDATES", ())
    monkeypatch.delenv("MOTCUA_PDF_FONT", raising=False)
    with pytest.raises(export.ExportError, match="fonts-dejavu-core"):
        export.find_font()


def test_cli_formats(data, tmp_path, capsys):
    call_command("report", "--unit", DEPT, "--from", "2026-01-01", "--to", "2026-03-31", "--definition", "766")
    out = json.loads(capsys.readouterr().out)
    assert out["definition"] == "766" and out["finished"] == 4 and "summary_vi" in out
    for fmt in ("xlsx", "docx", "pdf", "csv"):
        target = tmp_path / f"r.{fmt}"
        call_command("report", "--unit", PC, "--from", "2026-01-01", "--to", "2026-03-31", "--by", "procedure",
                     "--format", fmt, "--output", str(target))
        assert target.stat().st_size > 100
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "--unit", PC, "--from", "2026-01-01", "--to", "2026-03-31", "--format", "pdf")
    with pytest.raises(CommandError, match="from"):
        call_command("report", "--unit", PC, "--from", "2026-13-01", "--to", "2026-03-31")
    with pytest.raises(CommandError, match="--unit"):
        call_command("report", "--from", "2026-01-01", "--to", "2026-03-31")


def test_cli_rebuild_rollups(data, capsys):
    before = full_report(DEPT, "2026-01-01", "2026-03-31")
    call_command("rebuild-rollups", "--no-progress")
    assert "11" in capsys.readouterr().out
    assert full_report(DEPT, "2026-01-01", "2026-03-31") == before
    call_command("rebuild-rollups", "--from", "2026-02-01", "--to", "2026-02-28", "--no-progress")
    assert full_report(DEPT, "2026-01-01", "2026-03-31") == before


def test_partial_rebuild_repairs_a_range_and_stays_equal_to_a_full_rebuild(data):
    from motcua.dossiers.models import Dossier
    from motcua.reports.models import DailyRollup, PeriodRollup
    from motcua.reports.rollups import rebuild

    def snapshot():
        columns = ("agency_id", "procedure_id", "channel", "received_online", "digitised", "open_in", "open_out")
        return (sorted(DailyRollup.objects.values_list("day", *columns)),
                sorted(PeriodRollup.objects.values_list("grain", "start", *columns)))

    # a change made behind the hooks' back (a raw UPDATE), then a partial rebuild of February only
    Dossier.objects.filter(code="A3").update(digitised=False, channel=1)
    rebuild("2026-02-01", "2026-02-28")
    partial = snapshot()
    rebuild()
    assert snapshot() == partial
