"""Gap-free daily sequences per agency (dossier codes, PAKN codes).

A counter row per (agency, day) with a unique constraint, incremented inside the caller's transaction: a rollback
gives the number back, two concurrent first allocations of a day race on the insert and the loser increments."""

from django.db import IntegrityError, transaction
from django.db.models import F

MAX_COUNTER_ATTEMPTS = 5


def next_daily_seq(counter_model, agency, day) -> int:
    """Next number of `agency` on `day` from `counter_model` (fields agency, day, last_seq; unique agency+day)."""
    counters = counter_model.objects.filter(agency=agency, day=day)
    for _attempt in range(MAX_COUNTER_ATTEMPTS):
        if counters.update(last_seq=F("last_seq") + 1):
            return counters.values_list("last_seq", flat=True).get()
        try:
            with transaction.atomic():  # savepoint: a concurrent first allocation of the day may win the insert
                counter_model.objects.create(agency=agency, day=day, last_seq=1)
            return 1
        except IntegrityError:
            continue  # the row exists now (committed by the winner): increment it
    raise RuntimeError(f"could not allocate a {counter_model.__name__} number for {agency.code} on {day}")
