"""`motcua generate`: the demo province (agencies, officers, calendar, catalogue) and N generated dossiers written
through the bulk import path (`dossiers.importer.import_records`), plus the ratings of delivered dossiers."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from io import StringIO

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.importer import Catalogue, ImportReport, TableWriter, import_records, reserve_ids
from motcua.scale import generator

PROVINCE_STEPS = ["motcua.agencies.demo", "motcua.accounts.demo", "motcua.worktime.demo", "motcua.catalog.demo"]
CHUNK = 50_000  # records per import call: delivered codes of a chunk are rated right after it


def ensure_province(out=None) -> None:
    """Load the demo province's agencies, officers, calendar and catalogue (idempotent, like `motcua demo`)."""
    for name in PROVINCE_STEPS:
        with transaction.atomic():
            importlib.import_module(name).load(out or StringIO())


@dataclass
class GenerateReport:
    created: int = 0
    skipped: int = 0
    rated: int = 0
    seconds: float = 0.0
    errors: list = field(default_factory=list)


def _chunks(items: Iterator[dict], size: int) -> Iterator[list[dict]]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def generate(n: int, *, years: float = 1.0, seed: int = generator.DEFAULT_SEED, today: date | None = None,
             code_prefix: str = "", batch_size: int | None = None, chunk: int = CHUNK,
             progress: Callable[[int], None] | None = None) -> GenerateReport:
    import time

    started = time.perf_counter()
    first, last = generator.period(years, today or timezone.localdate())
    cat = Catalogue()
    report = GenerateReport()
    stream = generator.records(cat, n, first=first, last=last, seed=seed, code_prefix=code_prefix)
    extra = {"batch_size": batch_size} if batch_size else {}
    for records in _chunks(stream, chunk):
        result: ImportReport = import_records(records, source=generator.SOURCE, progress=progress, **extra)
        report.created += result.created
        report.skipped += result.skipped_existing + result.skipped_duplicate
        report.errors.extend(result.errors)
        report.rated += rate([r["code"] for r in records if r["history"][-1]["status"] == 10], seed)
    report.seconds = time.perf_counter() - started
    return report


def rate(delivered: Iterable[str], seed: int) -> int:
    """Ratings (with one answer per index) for the share of delivered dossiers their applicants rate; dossiers
    already rated are left alone. Written like the import's rows (COPY on PostgreSQL), not as model instances."""
    from motcua.dossiers.models import Dossier
    from motcua.ratings.models import SATISFIED_LEVELS, Rating, RatingAnswer
    from motcua.ratings.services import RatingError, current_index_set

    try:
        index_set = current_index_set()
    except RatingError:
        return 0
    picked = dict(generator.ratings_for(list(delivered), seed))
    pks = dict(Dossier.objects.filter(code__in=list(picked), rating__isnull=True).values_list("code", "pk"))
    # Each index's (worst, best) option, read once: satisfied applicants give the best, others the worst.
    extremes = [(i.pk, _extremes(i)) for i in index_set.indices.all() if i.options]
    now = timezone.now()
    ratings = TableWriter(Rating, ("id", "dossier_id", "index_set_id", "overall", "source", "total_points",
                                   "answered"), now, with_pk=True)
    answers = TableWriter(RatingAnswer, ("rating_id", "index_id", "points", "label"), now)
    with transaction.atomic():
        rating_rows, answer_rows = [], []
        for rating_id, (code, pk) in zip(reserve_ids(Rating, len(pks)), pks.items(), strict=True):
            best = picked[code] in SATISFIED_LEVELS
            chosen = [(index_id, options[best]) for index_id, options in extremes]
            rating_rows.append(ratings.row({
                "id": rating_id, "dossier_id": pk, "index_set_id": index_set.pk, "overall": picked[code],
                "source": "online", "total_points": sum(int(o["points"]) for _i, o in chosen),
                "answered": len(chosen)}))
            answer_rows += [answers.row({"rating_id": rating_id, "index_id": index_id, "points": int(o["points"]),
                                         "label": o.get("label", "")[:500]}) for index_id, o in chosen]
        ratings.write(rating_rows)
        answers.write(answer_rows)
    return len(rating_rows)


def _extremes(index) -> tuple[dict, dict]:
    """An index's (worst, best) option by points."""
    by_points = sorted(index.options, key=lambda o: int(o["points"]))
    return by_points[0], by_points[-1]
