"""The dossier list behind a figure as XLSX/CSV: re-read with openpyxl, same dossiers and scoping as the HTML list,
no applicant data, machine-readable errors; the `export-dossiers` command with its progress bar.

The data is the hand-computed quarter of test_period (department 000.00.12.T99, January–March 2026)."""

import io
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from motcua.accounts.models import Role
from motcua.reports.report import period_report
from tests.factories import staff
from tests.reports.conftest import APPLICANT
from tests.reports.test_period import DEPT, DEPT_SPECS, PC

LIST = "/backoffice/thong-ke/ho-so/"
EXPORT = LIST + "tai-ve/"
QUARTER = {"unit": DEPT, "from": "2026-01-01", "to": "2026-03-31"}
HEADER = ["Mã hồ sơ", "Thủ tục", "Đơn vị tiếp nhận", "Cơ quan giải quyết", "Kênh nộp", "Tiếp nhận", "Hạn giải quyết",
          "Kết thúc xử lý", "Trạng thái", "Kết quả giải quyết", "Số ngày trễ hạn (ngày làm việc)"]


@pytest.fixture
def dept_data(load):
    return load(*DEPT_SPECS)


@pytest.fixture
def leader(client, world):
    client.force_login(world["ld"])
    return client


def sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def by_code(ws) -> dict:
    return {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}


def test_xlsx_has_the_listed_dossiers_vietnamese_headers_real_dates_frozen_header_and_filter(leader, dept_data):
    params = {**QUARTER, "measure": "to_process"}
    listed = leader.get(LIST, params)
    assert f'href="{EXPORT}?' in listed.content.decode()  # the list links to its downloads
    response = leader.get(EXPORT, {**params, "format": "xlsx"})
    assert "ho-so-to_process-000.00.12.T99-2026-01-01-2026-03-31.xlsx" in response["Content-Disposition"]
    ws = sheet(response)
    assert [c.value for c in ws[1]] == HEADER
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:K{ws.max_row}"
    rows = by_code(ws)
    assert sorted(rows) == sorted(d.code for d in listed.context["page"].object_list) and len(rows) == 8
    a1 = rows["A1"]
    assert a1[1:5] == ("1.000777 Thủ tục 1.000777", "Trung tâm Phục vụ hành chính công tỉnh", "Sở Xây dựng",
                       "Trực tiếp")
    # local time in the cell, a real date with the dd/mm/yyyy format
    assert a1[5:8] == (datetime(2025, 12, 20, 9), datetime(2026, 1, 6, 17), datetime(2026, 1, 9, 9))
    row_a1 = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "A1")
    assert row_a1[5].is_date and row_a1[5].number_format == "dd/mm/yyyy hh:mm"
    # finished late: due Tue 06/01 17:00 → Fri 09/01 09:00 = 0.5 + 8 + 8 + 1.5 working hours = 2.25 days
    assert a1[8:10] == ("Đã trả kết quả", "Quá hạn") and a1[10] == pytest.approx(2.25, abs=0.05)
    assert rows["A3"][9] == "Trước hạn" and rows["A3"][10] is None
    # open at the period end, due Wed 25/03 17:00: 0.5 h + Thu, Fri, Mon, Tue = 32.5 working hours
    assert rows["A4"][4] == "Qua dịch vụ bưu chính công ích"
    assert rows["A4"][9] == "Đang giải quyết, quá hạn" and rows["A4"][10] == pytest.approx(32.5 / 8, abs=0.05)
    assert rows["A5"][9] == "Đang giải quyết, trong hạn" and rows["A5"][10] is None
    values = {str(v) for row in ws.iter_rows(values_only=True) for v in row}
    assert not values & {APPLICANT["name"], APPLICANT["personal_id"], APPLICANT["phone"], "Trần Thị Bình"}


def test_766_definition_shows_the_766_outcome(leader, dept_data):
    ws = sheet(leader.get(EXPORT, {**QUARTER, "measure": "finished_on_time", "definition": "766", "format": "xlsx"}))
    rows = by_code(ws)
    assert set(rows) == {"A3", "A7", "A9"} and {r[9] for r in rows.values()} == {"Đúng hạn"}


def test_group_filter_narrows_the_download_like_the_list(leader, dept_data):
    params = {**QUARTER, "measure": "received", "by": "channel", "key": "2"}
    listed = leader.get(LIST, params).context["count"]
    rows = by_code(sheet(leader.get(EXPORT, {**params, "format": "xlsx"})))
    assert len(rows) == listed == 2 and {r[4] for r in rows.values()} == {"Trực tuyến"}


def test_csv_is_streamed_with_bom_and_vietnamese_dates(leader, dept_data):
    response = leader.get(EXPORT, {**QUARTER, "measure": "finished", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff" + ",".join(HEADER))
    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert any(line.startswith("A1,") and "20/12/2025 09:00" in line and ",Quá hạn,2.2" in line for line in lines)


def test_another_agencys_officer_cannot_download(client, world, dept_data):
    client.force_login(staff("tp", world["other_dept"], Role.SPECIALIST))
    assert client.get(EXPORT, {**QUARTER, "measure": "received", "format": "xlsx"}).status_code == 404
    # their own department's list is empty of the other department's dossiers
    rows = by_code(sheet(client.get(EXPORT, {**QUARTER, "unit": "000.00.13.T99", "measure": "received"})))
    assert "A1" not in rows and set(rows) <= {"A11"}


def test_department_leader_cannot_download_the_province(leader, dept_data):
    assert leader.get(EXPORT, {**QUARTER, "unit": PC, "measure": "received"}).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(EXPORT, {**QUARTER, "measure": "received"}).status_code == 302


@pytest.mark.parametrize("params, field", [
    ({"measure": "nope"}, "measure"), ({"measure": "received", "format": "pdf"}, "format"),
    ({"measure": "received", "from": "2026-02-30"}, "from"), ({"measure": "received", "by": "x", "key": "1"}, "by"),
])
def test_bad_parameters_get_the_machine_readable_error(leader, world, params, field):
    response = leader.get(EXPORT, {**QUARTER, **params})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"] and error["message"]


def test_command_writes_the_list_with_a_progress_bar(dept_data, tmp_path, capsys):
    out = tmp_path / "ho-so.xlsx"
    call_command("export-dossiers", "--unit", DEPT, "--from", "2026-01-01", "--to", "2026-03-31", "--measure",
                 "received", "--output", str(out), stdout=StringIO())
    err = capsys.readouterr().err
    assert "Xuất hồ sơ" in err and "7/7" in err
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == HEADER and ws.max_row == 8


def test_command_csv_and_no_progress(dept_data, tmp_path, capsys):
    out = tmp_path / "ho-so.csv"
    stdout = StringIO()
    call_command("export-dossiers", "--unit", PC, "--from", "2026-01-01", "--to", "2026-03-31", "--measure",
                 "finished", "--definition", "766", "--format", "csv", "--output", str(out), "--no-progress",
                 stdout=stdout)
    assert "Xuất hồ sơ" not in capsys.readouterr().err
    lines = out.read_text(encoding="utf-8-sig").strip().splitlines()
    expected = period_report(PC, "2026-01-01", "2026-03-31", definition="766")["finished"]
    assert lines[0] == ",".join(HEADER) and len(lines) == 1 + expected and expected > 0
    assert "Đã ghi" in stdout.getvalue()


@pytest.mark.parametrize("args, message", [
    (["--measure", "nope"], "Chỉ tiêu «nope» không tồn tại"),
    (["--measure", "received", "--to", "2025-01-01"], "Ngày kết thúc phải từ ngày bắt đầu trở đi"),
    (["--measure", "received", "--unit", "nope"], "Không tìm thấy đơn vị «nope»"),
])
def test_command_bad_arguments_are_clear_errors(world, tmp_path, args, message):
    base = {"--unit": DEPT, "--from": "2026-01-01", "--to": "2026-03-31", "--output": str(tmp_path / "x.xlsx")}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    with pytest.raises(CommandError) as exc:
        call_command("export-dossiers", *[x for kv in base.items() for x in kv], stdout=StringIO())
    assert message in str(exc.value)
    assert not (tmp_path / "x.xlsx").exists()
