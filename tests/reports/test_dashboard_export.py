"""`motcua report --by procedure --format xlsx` on a report of more than 200 groups: a progress bar on stderr and a
streamed (write-only) workbook that re-reads with every group, the total row and the frozen header."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from openpyxl import load_workbook

from motcua.catalog.models import Field, Procedure
from motcua.reports.models import DailyRollup
from motcua.reports.rollups import resum_periods

GROUPS = 205


def test_long_xlsx_export_shows_a_progress_bar(world, tmp_path, capsys):
    field = Field.objects.create(code="TK", name="Thống kê")
    procs = Procedure.objects.bulk_create([Procedure(code=f"8.{i:06d}", name=f"Thủ tục số {i}", field=field,
                                                     level="province") for i in range(GROUPS)])
    DailyRollup.objects.bulk_create([DailyRollup(agency=world["dept"], procedure=p, channel=1, day=date(2026, 1, 5),
                                                 received_counter=i + 1, open_in=i + 1)
                                     for i, p in enumerate(procs)])
    resum_periods()  # day rows written directly: their month and year sums too
    out = tmp_path / "bao-cao.xlsx"
    call_command("report", "--unit", world["dept"].code, "--from", "2026-01-01", "--to", "2026-03-31",
                 "--by", "procedure", "--format", "xlsx", "--output", str(out), stdout=StringIO())
    err = capsys.readouterr().err
    assert "Xuất XLSX" in err and f"{GROUPS + 1}/{GROUPS + 1}" in err
    ws = load_workbook(out).active
    assert ws.freeze_panes == "B5"
    assert ws["A4"].value == "Thủ tục" and ws["B4"].value == "Tồn kỳ trước chuyển sang"
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == GROUPS + 1 and rows[-1][0] == "Tổng cộng"
    assert rows[-1][2] == sum(range(1, GROUPS + 1))  # received, total row
    assert ws.cell(row=5, column=3).number_format == "#,##0"


def test_short_xlsx_export_has_no_progress_bar(world, tmp_path, capsys):
    out = tmp_path / "bao-cao.xlsx"
    call_command("report", "--unit", world["dept"].code, "--from", "2026-01-01", "--to", "2026-03-31",
                 "--format", "xlsx", "--output", str(out), stdout=StringIO())
    assert "Xuất XLSX" not in capsys.readouterr().err
    assert load_workbook(out).active.max_row == 5
