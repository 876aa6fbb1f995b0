"""XLSX exports of 100 000 rows (issue #6: ≤ 10 s with a progress bar on the CLI).

    .venv/bin/python -m bench.export                       # 100 000-row dossier list + 100 000-group report
    .venv/bin/python -m bench.export --n 20000 --report-rows 0 --openpyxl

1. Dossier list: ~100 000 dossiers are bulk-inserted into a scratch SQLite file (`bench.inbox.build_world` and
   `bulk_insert`: a province of 40 departments, a year of dossiers), then the list behind the province's
   "to process" figure for that year is written exactly as `motcua export-dossiers` writes it
   (`reports.dossier_export.write_xlsx`, XlsxWriter constant-memory mode, tqdm bar on stderr). Measured: the
   fetch alone (values_list iterator + name/calendar resolution, no writer), the full XLSX and CSV exports, and
   the floor: the bare XlsxWriter loop writing the same number of cells of the same types with no database.
   `--openpyxl` adds the same floor with openpyxl's write-only mode (the alternative that was measured).
2. Report table: `reports.export.to_xlsx` on a report of `--report-rows` groups × every table measure (no
   database), the `motcua report --by ... --format xlsx` path.
Each file is re-read with openpyxl (read-only) to check the row count. Prints JSON: wall and CPU seconds, rows/s.
CPU is this process's (SQLite runs in-process, so it includes the database work).
"""

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta

from bench.results import figure

COLUMNS = 11


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def figures(rows: int, wall: float, cpu: float, **extra) -> dict:
    return {"rows": rows, "wall_s": wall, "cpu_s": cpu, "rows_per_s": round(rows / wall) if wall else None, **extra}


def count_rows(path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    n = sum(1 for _r in wb.active.iter_rows(min_row=2, values_only=True))
    wb.close()
    return n


def synthetic_rows(n: int):
    """Rows shaped like the dossier list (7 strings, 3 datetimes, 1 number) without a database."""
    start = datetime(2026, 1, 1, 8)
    return [(f"000.00.30.I99-{i:09d}", "9.800001 Thủ tục thử tải số 1", "Trung tâm PVHCC", f"Sở thử {i % 40}",
             "Trực tiếp", start + timedelta(minutes=i), start + timedelta(days=14), start + timedelta(days=7),
             "Đã trả kết quả", "Đúng hạn", 1.5 if i % 10 == 0 else None) for i in range(n)]


def floor_xlsxwriter(path, data) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("Hồ sơ")
    fmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for r, row in enumerate(data, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            elif isinstance(v, datetime):
                ws.write_datetime(r, c, v, fmt)
            else:
                ws.write_number(r, c, v)
    wb.close()


def floor_openpyxl(path, data) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Hồ sơ")
    ws.append([f"c{i}" for i in range(COLUMNS)])
    for row in data:
        cells = list(row)
        for i in (5, 6, 7):
            cell = WriteOnlyCell(ws, value=cells[i])
            cell.number_format = "dd/mm/yyyy hh:mm"
            cells[i] = cell
        ws.append(cells)
    wb.save(path)


def dossier_list(n: int, tmp: str, with_openpyxl: bool) -> dict:
    from django.core.management import call_command
    from tqdm import tqdm

    from bench.inbox import TZ, build_world, bulk_insert
    from motcua.reports import dossier_export

    call_command("migrate", verbosity=0)
    centre, depts, users, variants = build_world()
    now = datetime.now(TZ)
    inserted = bulk_insert(n, centre, depts, users, variants, now)
    qs, _first, _last, end = dossier_export.behind(
        "000.00.00.I99", (now - timedelta(days=366)).date(), now.date(), "to_process")
    total = qs.count()
    out = {"inserted": n, "insert_s": round(inserted, 1), "measure": "to_process (province, one year)"}

    fetched, wall, cpu = timed(lambda: sum(1 for _r in dossier_export.rows(qs, "local", end)))
    out["fetch_only"] = figures(fetched, wall, cpu)
    xlsx = os.path.join(tmp, "ho-so.xlsx")
    with tqdm(total=total, desc="Xuất hồ sơ", unit="hồ sơ", file=sys.stderr) as bar, open(xlsx, "wb") as f:
        written, wall, cpu = timed(lambda: dossier_export.write_xlsx(f, qs, "local", end, bar.update))
    out["xlsx"] = figures(written, wall, cpu, bytes=os.path.getsize(xlsx), read_back=count_rows(xlsx))
    csv_path = os.path.join(tmp, "ho-so.csv")

    def write_csv():
        with open(csv_path, "wb") as f:
            for chunk in dossier_export.iter_csv(qs, "local", end):
                f.write(chunk)

    _none, wall, cpu = timed(write_csv)
    out["csv"] = figures(total, wall, cpu, bytes=os.path.getsize(csv_path))
    data = synthetic_rows(total)
    _none, wall, cpu = timed(lambda: floor_xlsxwriter(os.path.join(tmp, "floor.xlsx"), data))
    out["floor_xlsxwriter"] = figures(total, wall, cpu)
    if with_openpyxl:
        _none, wall, cpu = timed(lambda: floor_openpyxl(os.path.join(tmp, "floor-openpyxl.xlsx"), data))
        out["floor_openpyxl_write_only"] = figures(total, wall, cpu)
    out["ok"] = out["xlsx"]["read_back"] == total == written
    figure(f"XLSX export of the dossier list, {written:,} rows", out["xlsx"]["wall_s"], "s",
           floor=out["floor_xlsxwriter"]["wall_s"], floor_name="bare XlsxWriter, same cells", target=10,
           lower_is_better=True)
    return out


def build_report(n: int) -> dict:
    from motcua.reports.definitions import RATE_MEASURES, TABLE_MEASURES

    rnd = random.Random(6)

    def row(i: int) -> dict:
        r = {m: round(rnd.uniform(0, 100), 2) if m in RATE_MEASURES or m == "avg_handling_days"
             else rnd.randrange(0, 5000) for m in TABLE_MEASURES}
        return {**r, "key": i, "label": f"1.{i:06d} Cấp giấy phép xây dựng nhà ở riêng lẻ số {i}"}

    return {**row(0), "groups": [row(i) for i in range(1, n + 1)], "by": "procedure", "date_from": "2026-01-01",
            "date_to": "2026-12-31", "unit": "000.00.H27", "unit_name": "UBND tỉnh Bắc Ninh",
            "summary_vi": "Năm 2026, UBND tỉnh Bắc Ninh tiếp nhận 1.644 hồ sơ.", "definition_label": "Địa phương"}


def report_table(n: int) -> dict:
    from openpyxl import load_workbook
    from tqdm import tqdm

    from motcua.reports.definitions import TABLE_MEASURES
    from motcua.reports.export import to_xlsx

    report = build_report(n)
    with tqdm(total=n + 1, desc="Xuất XLSX", unit="dòng", file=sys.stderr) as bar:
        data, wall, cpu = timed(lambda: to_xlsx(report, bar.update))
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    read_back = sum(1 for _r in sheet.iter_rows(min_row=5, values_only=True))
    return figures(n + 1, wall, cpu, columns=len(TABLE_MEASURES) + 1, bytes=len(data), read_back=read_back,
                   ok=read_back == n + 1)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=103_000,
                        help="dossiers to insert (default 103 000: ~100 000 of them are in the exported list)")
    parser.add_argument("--report-rows", type=int, default=100_000, help="groups of the report table (0: skip)")
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl write-only on the same cells")
    args = parser.parse_args(argv)
    out = {"load_average": os.getloadavg(), "cpus": os.cpu_count(), "target_s": 10}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MOTCUA_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
        import django

        django.setup()
        if args.n:
            out["dossier_list"] = dossier_list(args.n, tmp, args.openpyxl)
        if args.report_rows:
            out["report_table"] = report_table(args.report_rows)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return out


if __name__ == "__main__":
    main()
