"""Import/export: JSON and XLSX round trips, errors located and nothing written, idempotent re-import, commands."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from motcua.catalog.exchange import CatalogImportError, dump_catalog, export_catalog, import_catalog
from motcua.catalog.models import Field, Procedure, ProcedureVersion, ProcessStep, Variant, VersionStatus
from tests.catalog.conftest import sample_catalog

pytestmark = pytest.mark.django_db


def as_stream(data: dict) -> io.BytesIO:
    return io.BytesIO(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def wipe_catalogue() -> None:
    """Empty the catalogue the way a fresh database is (bypassing the published lock on purpose)."""
    with connection.cursor() as cursor:
        for model in (ProcessStep, Variant._meta.get_field("fees").related_model,
                      Variant._meta.get_field("documents").related_model, Variant, ProcedureVersion,
                      Procedure.competent_agencies.through, Procedure, Field):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


def test_json_round_trip(catalog):
    exported = dump_catalog()
    wipe_catalogue()
    assert Procedure.objects.count() == 0
    import_catalog(as_stream(exported), "json")
    assert dump_catalog() == exported
    assert ProcedureVersion.objects.get(decision_number="10/QĐ-UBND").effective_to.isoformat() == "2025-06-30"


def test_export_matches_the_imported_file(catalog):
    exported = dump_catalog()
    source = sample_catalog()
    assert [p["code"] for p in exported["procedures"]] == [p["code"] for p in source["procedures"]]
    marriage = exported["procedures"][0]
    assert marriage["versions"][0]["decision_number"] == "20/QĐ-UBND"  # newest first
    assert marriage["versions"][0]["variants"][0]["steps"] == source["procedures"][0]["versions"][1]["variants"][0]["steps"]
    assert exported["procedures"][1]["versions"][0]["variants"][0]["same_day_cutoff"] == "15:00"


def test_xlsx_round_trip(catalog, tmp_path):
    exported = dump_catalog()
    path = tmp_path / "catalog.xlsx"
    export_catalog(path, "xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["fields", "procedures", "versions", "variants", "fees", "documents", "steps"]
    assert book["steps"].max_row == 1 + 4 * 7  # header + 4 steps × 7 variants
    wipe_catalogue()
    summary = import_catalog(path, "xlsx")
    assert summary.counts["versions_created"] == 6 and summary.counts["versions_published"] == 5
    assert dump_catalog() == exported


def test_reimport_changes_nothing(catalog):
    exported = dump_catalog()
    with CaptureQueriesContext(connection) as queries:
        summary = import_catalog(as_stream(sample_catalog()), "json")
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert not summary.changed and summary.counts["versions_unchanged"] == 6
    assert dump_catalog() == exported


def test_reimport_ignores_order_of_steps_and_agencies(catalog):
    data = sample_catalog()
    data["procedures"][0]["versions"][1]["variants"][0]["steps"].reverse()
    data["procedures"][2]["competent_agencies"].reverse()
    data["procedures"][2]["versions"][1]["variants"][0]["steps"].reverse()  # the draft
    summary = import_catalog(as_stream(data), "json")
    assert not summary.changed


def test_reimport_of_the_export_changes_nothing(catalog, tmp_path):
    path = tmp_path / "catalog.xlsx"
    export_catalog(path, "xlsx")
    summary = import_catalog(path, "xlsx")
    assert not summary.changed


def test_reimport_updates_draft_and_procedure(catalog):
    data = sample_catalog()
    data["procedures"][2]["name"] = "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    data["procedures"][2]["versions"][1]["variants"][0]["legal_limit"] = 10
    summary = import_catalog(as_stream(data), "json")
    assert summary.counts["procedures_updated"] == 1 and summary.counts["versions_updated"] == 1
    assert Variant.objects.get(version__decision_number="31/QĐ-UBND").legal_limit == 10
    assert Procedure.objects.get(code="1.009994").search_text.startswith("cap giay phep xay dung nha o")


def test_changed_published_version_is_refused(catalog):
    data = sample_catalog()
    data["procedures"][0]["versions"][1]["variants"][0]["fees"][0]["amount"] = 20000
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(as_stream(data), "json")
    assert "đã công bố trong hệ thống và khác nội dung" in exc.value.message_dict["procedures[0].versions[1]"][0]


def test_invalid_file_reports_every_problem_with_paths_and_writes_nothing(province):
    data = sample_catalog()
    first_variant = data["procedures"][0]["versions"][1]["variants"][1]
    first_variant["steps"][2]["role"] = "boss"
    first_variant["limit_unit"] = "weeks"
    data["procedures"][1]["versions"][0]["effective_from"] = "31/02/2025"
    data["procedures"][2]["competent_agencies"] = ["000.99.99.T99"]
    data["procedures"][3]["field"] = "ZZ"
    data["procedures"][3]["versions"][0]["variants"][0]["documents"] = []
    data["procedures"][3]["versions"][0]["colour"] = "red"
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(as_stream(data), "json")
    errors = exc.value.message_dict
    assert set(errors) == {
        "procedures[0].versions[1].variants[1].limit_unit",
        "procedures[1].versions[0].effective_from",
        "procedures[2].competent_agencies",
        "procedures[3].field",
        "procedures[3].versions[0].colour",
    }
    assert "weeks" in errors["procedures[0].versions[1].variants[1].limit_unit"][0]
    assert "000.99.99.T99" in errors["procedures[2].competent_agencies"][0]
    assert Procedure.objects.count() == 0 and Field.objects.count() == 0


def test_publishing_rules_are_reported_with_paths(province):
    data = sample_catalog()
    variant = data["procedures"][0]["versions"][1]["variants"][1]
    variant["steps"][2]["role"] = "boss"
    data["procedures"][3]["versions"][0]["variants"][0]["documents"] = []
    data["procedures"][2]["versions"][1]["variants"][0]["documents"] = []  # a draft may be incomplete
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(as_stream(data), "json")
    errors = exc.value.message_dict
    assert set(errors) == {"procedures[0].versions[1].variants[1].steps[2].role",
                           "procedures[3].versions[0].variants[0].documents"}
    assert "bước 3 «Phê duyệt»: vai trò «boss»" in errors["procedures[0].versions[1].variants[1].steps[2].role"][0]
    assert Procedure.objects.count() == 0


def test_overlap_found_while_writing_rolls_everything_back(province):
    data = sample_catalog()
    versions = data["procedures"][0]["versions"]
    versions[0]["effective_to"] = "2026-01-01"  # crosses 20/QĐ (from 2025-07-01)
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(as_stream(data), "json")
    (key,) = exc.value.message_dict
    assert key == "procedures[0].versions[1].effective_from"
    assert Procedure.objects.count() == 0 and ProcedureVersion.objects.count() == 0


def test_xlsx_errors_are_located_by_sheet_and_row(catalog, tmp_path):
    path = tmp_path / "catalog.xlsx"
    export_catalog(path, "xlsx")
    wipe_catalogue()
    book = load_workbook(path)
    steps = book["steps"]
    role_column = [c.value for c in steps[1]].index("role") + 1
    steps.cell(row=3, column=role_column, value="boss")
    book["variants"].append(["9.999999", "1/QĐ", 1, "Mồ côi"])
    book.save(path)
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(path, "xlsx")
    report = "\n".join(exc.value.report())
    assert "Trang variants, dòng 9: không có phiên bản (thủ tục «9.999999»" in report
    assert "Trang steps, dòng 3, cột role: Trường hợp 1 «Đăng ký kết hôn», bước 2 «Thẩm định»: vai trò «boss»" in report
    assert Procedure.objects.count() == 0


def test_xlsx_rule_errors_name_the_row(catalog, tmp_path):
    path = tmp_path / "catalog.xlsx"
    export_catalog(path, "xlsx")
    wipe_catalogue()
    book = load_workbook(path)
    steps = book["steps"]
    role_column = [c.value for c in steps[1]].index("role") + 1
    steps.cell(row=3, column=role_column, value="boss")
    book.save(path)
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(path, "xlsx")
    assert list(exc.value.message_dict) == ["Trang steps, dòng 3, cột role"]


def test_not_json_and_wrong_format(db):
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(io.BytesIO(b"{not json"), "json")
    assert "Tệp JSON không hợp lệ: dòng 1" in exc.value.report()[0]
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(as_stream({"format": "other", "fields": [], "procedures": []}), "json")
    assert "format" in exc.value.message_dict


def test_dry_run_writes_nothing(province):
    summary = import_catalog(as_stream(sample_catalog()), "json", dry_run=True)
    assert summary.dry_run and summary.counts["procedures_created"] == 4
    assert Procedure.objects.count() == 0


def test_draft_status_in_file_for_published_version_is_refused(catalog):
    data = copy.deepcopy(sample_catalog())
    data["procedures"][1]["versions"][0]["status"] = "draft"
    with pytest.raises(CatalogImportError):
        import_catalog(as_stream(data), "json")
    assert ProcedureVersion.objects.get(decision_number="21/QĐ-UBND").status == VersionStatus.PUBLISHED


def test_commands(province, tmp_path, capsys):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(sample_catalog(), ensure_ascii=False), encoding="utf-8")
    call_command("import-catalog", str(source), "--dry-run")
    assert Procedure.objects.count() == 0
    call_command("import-catalog", str(source))
    assert Procedure.objects.count() == 4
    out = tmp_path / "out.json"
    call_command("export-catalog", "--format", "json", "--output", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == dump_catalog()
    call_command("export-catalog", "--format", "xlsx", "--output", str(tmp_path / "out.xlsx"))
    assert load_workbook(tmp_path / "out.xlsx").sheetnames[0] == "fields"


def test_import_command_exits_2_with_report(province, tmp_path, capsys):
    data = sample_catalog()
    data["procedures"][0]["level"] = "village"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("import-catalog", str(source))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "procedures[0].level: giá trị «village» không hợp lệ" in err
    assert Procedure.objects.count() == 0


def test_not_a_workbook(db):
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(io.BytesIO(b"PK not really"), "xlsx")
    assert len(exc.value.problems) == 1 and "không đọc được tệp XLSX" in exc.value.report()[0]
