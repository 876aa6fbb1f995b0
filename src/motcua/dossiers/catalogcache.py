"""Per-process cache of the catalogue rows every intake and transition reads.

Intake and the engine read the same few rows over and over: the procedure (with its competent agencies), the
version in force on the reception day, its variants with their required documents and process steps, and the
receiving agency named by its code. Published versions and everything under them are immutable
(`catalog.models`), so a cached variant never goes stale; what can change is which version is in force (publishing
a successor closes its predecessor), a procedure's competent agencies, the agencies a step points at and an
agency itself (renamed, closed).

- In this process any save/delete of a catalogue row or an agency, and any change of a procedure's competent
  agencies, clears the whole cache (signals below), so the next intake sees a newly published version at once.
- Other processes pick the change up within `MOTCUA["CATALOG_CACHE_SECONDS"]` (default 60 s), like the calendar
  cache of `worktime.services`.
- Entries are keyed by the local reception day, so a version taking effect at midnight is never missed.
"""

import threading
import time
from datetime import date

from django.conf import settings
from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save

from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep, RequiredDocument, Variant

_lock = threading.Lock()
_entries: dict[tuple, tuple[float, object]] = {}


def _ttl() -> float:
    return float(getattr(settings, "MOTCUA", {}).get("CATALOG_CACHE_SECONDS", 60))


def _cached(key: tuple, load):
    hit = _entries.get(key)
    if hit is not None and time.monotonic() - hit[0] < _ttl():
        return hit[1]
    value = load()
    with _lock:
        _entries[key] = (time.monotonic(), value)
    return value


def clear(*args, **kwargs) -> None:
    """Signal receiver (and test helper): forget everything."""
    with _lock:
        _entries.clear()


def _variants_prefetch() -> Prefetch:
    """Variants with their documents and steps in checklist / process order, so the cached rows answer
    `variant.documents.all()` and `variant.steps.all()` without a query."""
    return Prefetch("variants", queryset=Variant.objects.order_by("order", "pk").prefetch_related(
        Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "pk")),
        Prefetch("steps", queryset=ProcessStep.objects.select_related("agency").order_by("order"))))


def procedure(code: str) -> Procedure | None:
    """The procedure with this code, its competent agencies prefetched (None when unknown)."""
    return _cached(("procedure", code), lambda: Procedure.objects.prefetch_related("competent_agencies")
                   .filter(code=code).first())


def agency(code: str):
    """The agency with this identification code (None when unknown): intake resolves its receiving (and, when given,
    competent) agency by code on every request. Whether it is still valid is checked by the caller each time; an
    agency closed from another process is so refused within the cache's lifetime, like a withdrawn version."""
    from motcua.agencies.models import Agency

    return _cached(("agency", code), lambda: Agency.objects.filter(code=code).first())


def version_in_force(proc: Procedure, day: date) -> ProcedureVersion | None:
    """`catalog.services.version_in_force` with variants, documents and steps prefetched, cached per day."""
    from motcua.catalog.services import in_force_q

    def load():
        return (ProcedureVersion.objects.filter(in_force_q(day), procedure_id=proc.pk).select_related("procedure")
                .prefetch_related(_variants_prefetch()).order_by("-effective_from").first())

    return _cached(("version", proc.pk, day), load)


def variant(pk: int) -> Variant | None:
    """A variant with its version, documents and steps (for the engine, which starts from a dossier row)."""
    def load():
        return (Variant.objects.select_related("version").prefetch_related(
            Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "pk")),
            Prefetch("steps", queryset=ProcessStep.objects.select_related("agency").order_by("order")))
            .filter(pk=pk).first())

    return _cached(("variant", pk), load)


def steps(v: Variant) -> list[ProcessStep]:
    """The variant's steps in process order (from the prefetch when the variant came from this cache)."""
    cached = getattr(v, "_prefetched_objects_cache", {}).get("steps")
    if cached is not None:
        return list(cached)
    return list(v.steps.select_related("agency").order_by("order"))


def documents(v: Variant) -> list[RequiredDocument]:
    """The variant's checklist in order (from the prefetch when the variant came from this cache)."""
    cached = getattr(v, "_prefetched_objects_cache", {}).get("documents")
    if cached is not None:
        return list(cached)
    return list(v.documents.order_by("order", "pk"))


def _connect() -> None:
    from motcua.agencies.models import Agency
    from motcua.catalog.models import Fee

    for model in (Procedure, ProcedureVersion, Variant, RequiredDocument, ProcessStep, Fee, Agency):
        uid = f"motcua.dossiers.catalogcache:{model._meta.label_lower}"
        post_save.connect(clear, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(clear, sender=model, dispatch_uid=uid + ":delete")
    m2m_changed.connect(clear, sender=Procedure.competent_agencies.through,
                        dispatch_uid="motcua.dossiers.catalogcache:competent")


_connect()
