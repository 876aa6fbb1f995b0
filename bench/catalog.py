"""Catalogue: import of the demo procedures (first run, idempotent re-run), export, and search over a large catalogue.

    .venv/bin/python -m bench.catalog                   # SQLite file in a temporary directory
    .venv/bin/python -m bench.catalog --procedures 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python -m bench.catalog   # scratch DB!

The search figures run over the demo catalogue plus N synthetic procedures, each with one published version and two
variants, written with bulk_create (a benchmark shortcut that skips the per-row checks and the audit trail; the
import figures above it go through the real path).
"""

import argparse
import io
import os
import statistics
import tempfile
import time

from bench.results import figure

QUERIES = ["dang ky ket hon", "giấy phép xây dựng", "cap", "1.00", "ho tich khai sinh", "zzz khong co", ""]


def timed(label: str, fn):
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(f"{label:<52} {time.perf_counter() - start:8.2f} s wall {time.process_time() - cpu:8.2f} s CPU")
    return result


def synthetic(count: int) -> None:
    from datetime import date

    from motcua.catalog.models import Field, Procedure, ProcedureVersion, Variant
    from motcua.core.text import fold

    field, _ = Field.objects.get_or_create(code="BENCH", defaults={"name": "Lĩnh vực thử tải"})
    words = ["Cấp", "gia hạn", "điều chỉnh", "thu hồi", "đăng ký", "xác nhận", "giấy phép", "chứng chỉ", "hộ tịch",
             "đất đai", "xây dựng", "kinh doanh", "môi trường", "y tế", "khai sinh", "kết hôn"]
    procedures = []
    for i in range(count):
        name = " ".join(words[(i * k + k) % len(words)] for k in (1, 3, 5, 7)) + f" số {i}"
        code = f"9.{i:06d}"
        procedures.append(Procedure(code=code, name=name, field=field, level="province",
                                    search_text=fold(f"{name} {code} {field.name}")))
    Procedure.objects.bulk_create(procedures, batch_size=1000)
    ids = dict(Procedure.objects.filter(field=field).values_list("code", "pk"))
    versions = [ProcedureVersion(procedure_id=ids[p.code], decision_number="1/QĐ-BENCH", decision_date=date(2025, 1, 1),
                                 effective_from=date(2025, 1, 1), status="published") for p in procedures]
    ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
    version_ids = ProcedureVersion.objects.filter(decision_number="1/QĐ-BENCH").values_list("pk", flat=True)
    Variant.objects.bulk_create([Variant(version_id=v, order=o, name=f"Trường hợp {o}", legal_limit=5,
                                         online_level=("full", "partial", "none")[(v + o) % 3])
                                 for v in version_ids for o in (1, 2)], batch_size=2000)


def search_figures(repeat: int) -> None:
    from django.test import Client

    from motcua.catalog.search import search_procedures

    client = Client()
    print(f"{'query':<24} {'hits':>5} {'median ms':>10} {'p95 ms':>8} {'API median ms':>14}")
    worst = 0.0
    for query in QUERIES:
        times, api = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            hits = search_procedures(query)
            times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            client.get("/api/v1/procedures", {"q": query})
            api.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{query or '(empty)':<24} {len(hits):>5} {statistics.median(times):>10.1f} "
              f"{times[int(len(times) * 0.95) - 1]:>8.1f} {statistics.median(api):>14.1f}")
        worst = max(worst, times[int(len(times) * 0.95) - 1])
    from motcua.catalog.models import Procedure

    figure(f"catalogue search over {Procedure.objects.count():,} procedures, slowest query's p95", worst, "ms",
           lower_is_better=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("MOTCUA_DATA_DIR", tmp)
        os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
        import django

        django.setup()
        from django.core.management import call_command

        from motcua.agencies import demo as agencies_demo
        from motcua.catalog.demo import DATA_FILE
        from motcua.catalog.exchange import export_catalog, import_catalog
        from motcua.catalog.models import Procedure, ProcessStep

        call_command("migrate", verbosity=0)
        agencies_demo.load(io.StringIO())
        if not Procedure.objects.filter(code__startswith="9.").exists():
            first = timed("import demo catalogue (first run)", lambda: import_catalog(DATA_FILE, "json"))
            print(f"    {first}  ({ProcessStep.objects.count()} steps)")
            again = timed("re-import (idempotent, writes nothing)", lambda: import_catalog(DATA_FILE, "json"))
            print(f"    changed: {again.changed}")
            timed(f"synthetic procedures ×{args.procedures} (bulk_create)", lambda: synthetic(args.procedures))
        print(f"catalogue: {Procedure.objects.count()} procedures")
        timed("export JSON", lambda: export_catalog(io.BytesIO(), "json"))
        timed("export XLSX", lambda: export_catalog(io.BytesIO(), "xlsx"))
        search_figures(args.repeat)


if __name__ == "__main__":
    main()
