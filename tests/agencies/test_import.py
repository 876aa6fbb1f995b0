import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from motcua.agencies.models import Agency
from motcua.agencies.services import COLUMNS, import_agencies

HEADER = ",".join(COLUMNS)
# Children before parents and a successor defined after its predecessor: forward references must work.
GOOD_ROWS = [
    "000.01.12.H27,Phòng Quản lý xây dựng,,province,division,000.00.12.H27,,,,,,",
    "000.00.12.H27,Sở Xây dựng,SXD,Cấp tỉnh,department,000.00.00.H27,Số 6 Lý Thái Tổ,0222 3822 614,sxd@example.vn,,,",
    "000.22.00.H27,UBND huyện Tiên Du,,district,peoples_committee,000.00.00.H27,,,,,30/06/2025,000.22.34.H27",
    "000.00.00.H27,UBND tỉnh Bắc Ninh,,province,Ủy ban nhân dân,,,,,01/01/2020,,",
    "000.22.34.H27,UBND xã Tiên Du,,commune,peoples_committee,000.00.00.H27,,,,2025-07-01,,",
]


def csv_stream(rows, header=HEADER):
    return io.BytesIO(("\n".join([header, *rows]) + "\n").encode("utf-8"))


def errors_of(report):
    return {(e.row, e.column) for e in report.errors}


@pytest.mark.django_db
def test_csv_import_builds_tree_with_forward_references():
    report = import_agencies(csv_stream(GOOD_ROWS))
    assert report.ok, report.as_text()
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    pc, dept, division = (Agency.objects.get(code=c) for c in ("000.00.00.H27", "000.00.12.H27", "000.01.12.H27"))
    assert division.parent == dept and dept.parent == pc and pc.parent is None
    assert division.path == f"/{pc.pk}/{dept.pk}/{division.pk}/"
    assert dept.level == "province" and pc.kind == "peoples_committee"  # Vietnamese labels accepted
    assert dept.phone == "0222 3822 614" and dept.email == "sxd@example.vn"
    district = Agency.objects.get(code="000.22.00.H27")
    assert district.valid_to == date(2025, 6, 30)
    assert district.successor.code == "000.22.34.H27"
    assert district.successor.valid_from == date(2025, 7, 1)


@pytest.mark.django_db
def test_reimport_is_unchanged_and_changes_are_updates():
    import_agencies(csv_stream(GOOD_ROWS))
    again = import_agencies(csv_stream(GOOD_ROWS))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    renamed = [r.replace("Sở Xây dựng", "Sở Xây dựng tỉnh") for r in GOOD_ROWS]
    renamed[2] = renamed[2].rsplit(",", 1)[0] + ","  # successor removed
    third = import_agencies(csv_stream(renamed))
    assert (third.created, third.updated, third.unchanged) == (0, 2, 3)
    assert Agency.objects.get(code="000.00.12.H27").name == "Sở Xây dựng tỉnh"
    assert Agency.objects.get(code="000.22.00.H27").successor is None


@pytest.mark.django_db
def test_xlsx_import_with_typed_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    ws.append(["000.00.12.H27", "Sở Xây dựng", "", "province", "department", "000.00.00.H27", "", 2223822614,
               "", None, None, ""])
    ws.append(["000.00.00.H27", "UBND tỉnh", "", "province", "peoples_committee", "", "", "", "",
               date(2020, 1, 1), None, ""])
    ws.append([None] * len(COLUMNS))  # trailing blank row is ignored
    path = tmp_path / "agencies.xlsx"
    wb.save(path)
    report = import_agencies(path, format="xlsx")
    assert report.ok, report.as_text()
    assert report.created == 2
    assert Agency.objects.get(code="000.00.00.H27").valid_from == date(2020, 1, 1)
    assert Agency.objects.get(code="000.00.12.H27").phone == "2223822614"


BAD_CASES = {
    "bad code": (["000.00.12.h27,Sở Xây dựng,,province,department,,,,,,,"], {(2, "code")}),
    "unknown parent": (["000.00.12.H27,Sở Xây dựng,,province,department,000.00.99.H27,,,,,,"],
                       {(2, "parent_code")}),
    "parent cycle": (["000.00.12.H27,Sở A,,province,department,000.00.13.H27,,,,,,",
                      "000.00.13.H27,Sở B,,province,department,000.00.12.H27,,,,,,"],
                     {(2, "parent_code"), (3, "parent_code")}),
    "self parent": (["000.00.12.H27,Sở A,,province,department,000.00.12.H27,,,,,,"], {(2, "parent_code")}),
    "successor cycle": (["000.20.00.H27,Huyện A,,district,peoples_committee,,,,,,,000.21.00.H27",
                         "000.21.00.H27,Huyện B,,district,peoples_committee,,,,,,,000.20.00.H27"],
                        {(2, "successor_code"), (3, "successor_code")}),
    "duplicate code": (["000.00.12.H27,Sở Xây dựng,,province,department,,,,,,,",
                        "000.00.13.H27,Sở Tư pháp,,province,department,,,,,,,",
                        "000.00.12.H27,Sở Xây dựng 2,,province,department,,,,,,,"], {(4, "code")}),
    "bad date": (["000.00.12.H27,Sở Xây dựng,,province,department,,,,,31/02/2025,,"], {(2, "valid_from")}),
    "dates reversed": (["000.00.12.H27,Sở Xây dựng,,province,department,,,,,2025-07-01,2025-06-30,"],
                       {(2, "valid_to")}),
    "wrong level": (["000.00.12.H27,Sở Xây dựng,,tỉnh thành,department,,,,,,,"], {(2, "level")}),
    "level under lower level": (["000.20.31.H27,UBND xã,,commune,peoples_committee,,,,,,,",
                                 "000.00.12.H27,Sở Xây dựng,,province,department,000.20.31.H27,,,,,,"],
                                {(3, "level")}),
    "missing name and bad email": (["000.00.12.H27,,,province,department,,,,not-an-email,,,"],
                                   {(2, "name"), (2, "email")}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_CASES)
def test_invalid_file_is_rejected_whole_with_row_numbers(case):
    rows, expected = BAD_CASES[case]
    good = ["000.00.30.H27,Trung tâm Phục vụ hành chính công,,province,service_centre,,,,,,,"]
    report = import_agencies(csv_stream(rows + good))
    assert not report.ok
    assert errors_of(report) == expected
    assert all(e.message for e in report.errors)
    assert Agency.objects.count() == 0  # the valid row was not written either
    assert "Dòng" in report.as_text()


@pytest.mark.django_db
def test_cycle_through_existing_rows_is_refused():
    import_agencies(csv_stream(GOOD_ROWS))
    # Move the province PC under its own division: the database already holds division → dept → PC.
    report = import_agencies(csv_stream(["000.00.00.H27,UBND tỉnh,,province,peoples_committee,000.01.12.H27,,,,,,"]))
    assert errors_of(report) == {(2, "parent_code")}
    assert Agency.objects.get(code="000.00.00.H27").parent is None


@pytest.mark.django_db
def test_header_problems_reported_on_row_1():
    report = import_agencies(csv_stream([], header="code,ten,level"))
    assert errors_of(report) == {(1, "name"), (1, "ten")}


@pytest.mark.django_db
def test_code_pattern_is_configurable(settings):
    settings.MOTCUA = {**settings.MOTCUA, "AGENCY_CODE_PATTERN": r"^[A-Z]{2}\d{3}$"}
    report = import_agencies(csv_stream(["AB123,Sở A,,province,department,,,,,,,"]))
    assert report.ok, report.as_text()


@pytest.mark.django_db
def test_dry_run_writes_nothing_but_counts():
    report = import_agencies(csv_stream(GOOD_ROWS), dry_run=True)
    assert report.ok and report.created == 5 and report.dry_run
    assert Agency.objects.count() == 0
    import_agencies(csv_stream(GOOD_ROWS))
    before = list(Agency.objects.order_by("code").values())
    # Rename one unit, hang another under a new unit, add that unit: 1 created, 2 updated, 3 unchanged.
    rows = [r.replace("Sở Xây dựng,", "Sở Xây dựng tỉnh,") for r in GOOD_ROWS]
    rows[0] = rows[0].replace("000.00.12.H27,,", "000.00.19.H27,,")
    rows.append("000.00.19.H27,Sở mới,,province,department,000.00.00.H27,,,,,,")
    report = import_agencies(csv_stream(rows), dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (1, 2, 3), report.as_text()
    assert list(Agency.objects.order_by("code").values()) == before
    real = import_agencies(csv_stream(rows))
    assert (real.created, real.updated, real.unchanged) == (1, 2, 3)
    assert Agency.objects.get(code="000.01.12.H27").parent.code == "000.00.19.H27"


@pytest.mark.django_db
def test_import_is_audited_and_a_rejected_file_leaves_no_trail():
    from motcua.audit.models import AuditRecord

    import_agencies(csv_stream(BAD_CASES["bad code"][0]))
    assert not AuditRecord.objects.filter(stream="agencies").exists()
    import_agencies(csv_stream(GOOD_ROWS))
    audited = set(AuditRecord.objects.filter(stream="agencies").values_list("target_id", flat=True))
    assert {str(pk) for pk in Agency.objects.values_list("pk", flat=True)} <= audited


@pytest.mark.django_db
def test_command_imports_and_exits_2_on_invalid_file(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_stream(GOOD_ROWS).getvalue())
    call_command("import-agencies", str(good), "--dry-run")
    assert Agency.objects.count() == 0
    call_command("import-agencies", str(good))
    assert Agency.objects.count() == 5
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_stream(BAD_CASES["bad date"][0]).getvalue())
    with pytest.raises(CommandError) as excinfo:
        call_command("import-agencies", str(bad))
    assert excinfo.value.returncode == 2
    assert "Dòng 2, cột valid_from" in capsys.readouterr().err
    assert Agency.objects.count() == 5


@pytest.mark.django_db
def test_excel_style_csv_with_bom_and_semicolons():
    text = "\ufeff" + ";".join(COLUMNS) + "\n000.00.00.H27;UBND tỉnh, Bắc Ninh;;province;peoples_committee;;;;;;;\n"
    report = import_agencies(io.BytesIO(text.encode("utf-8")))
    assert report.ok, report.as_text()
    assert Agency.objects.get(code="000.00.00.H27").name == "UBND tỉnh, Bắc Ninh"


@pytest.mark.django_db
def test_unreadable_files_are_reported_not_raised():
    report = import_agencies(io.BytesIO(b"not a zip"), format="xlsx")
    assert [(e.row, e.column) for e in report.errors] == [(0, "")]
    report = import_agencies(io.BytesIO("code,name\n".encode("utf-16")))
    assert not report.ok and "UTF-8" in report.errors[0].message
    with pytest.raises(ValueError):
        import_agencies(io.BytesIO(b""), format="json")
