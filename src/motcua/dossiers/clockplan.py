"""The dossier's two clocks, computed by the worktime context (never here): this module only translates dossier
rows into `worktime.ledger.ClockLedger` / `worktime.clock` calls.

- Legal clock: budget = the variant's effective limit from `received_at`; ledger = the dossier's ClockEvent rows
  (pause / resume / extend). `due_at` on the dossier is a stored copy of `ledger.current_due()` for the inbox index,
  rewritten by the engine whenever the ledger changes.
- Per-step clock: `step_due_at` = the step's budget in working time from the hand-over (`clock.step_due`); the
  tracking-sheet outcome is `clock.classify_step`. Steps of variants counted in calendar days or with no limit have
  no step clock (the clock refuses those units for steps).
"""

from datetime import datetime

from motcua.worktime import clock
from motcua.worktime.ledger import ClockLedger


def calendar_for(agency):
    from motcua.worktime.services import get_calendar

    return get_calendar(agency)


def amount(value):
    """Decimal limits from the catalogue → int/float as the clock expects."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def ledger_for(dossier, events=None) -> ClockLedger:
    """Rebuild the legal clock ledger from the dossier's fields and its ClockEvent rows (oldest first)."""
    from motcua.worktime.services import day_mode

    variant = dossier.variant
    led = ClockLedger(received_at=dossier.received_at, amount=amount(variant.effective_limit),
                      unit=variant.limit_unit, cutoff=variant.same_day_cutoff, policy=variant.supplement_policy,
                      day_mode=day_mode())
    if events is None:
        events = dossier.clock_events.order_by("at", "id")
    for event in events:
        if event.kind == "pause":
            led = led.pause(event.at, event.data.get("cause", "supplement"))
        elif event.kind == "resume":
            led = led.resume(event.at)
        elif event.kind == "extend":
            led = led.extend(datetime.fromisoformat(event.data["new_due"]), event.reason, event.at)
    return led


def initial_due(dossier, cal) -> datetime | None:
    return ledger_for(dossier, events=[]).original_due(cal)


def step_due(cal, started_at: datetime, step, unit: str) -> datetime | None:
    budget = amount(step.budget) if step is not None else None
    if not budget or unit not in ("working_hours", "working_days"):
        return None
    return clock.step_due(cal, started_at, budget, unit)


def step_outcome(cal, started_at: datetime | None, finished_at: datetime, step, unit: str) -> str:
    budget = amount(step.budget) if step is not None else None
    if started_at is None or not budget or unit not in ("working_hours", "working_days"):
        return ""
    return clock.classify_step(cal, started_at, finished_at, budget, unit)


def shift_step_due(cal, step_due_at: datetime | None, paused_from: datetime, paused_to: datetime):
    """The per-step clock does not run while the citizen holds the dossier: move it by the paused working time."""
    if step_due_at is None:
        return None
    seconds = max(clock.working_seconds_between(cal, paused_from, paused_to), 0)
    return clock.add_working_seconds(cal, step_due_at, seconds)


def outcomes(dossier, cal, finished_at: datetime, ledger: ClockLedger) -> tuple[str, str]:
    """(local outcome against the current due, 766 outcome against the original due), frozen by the engine.

    A dossier ended while waiting for the citizen is judged at the moment the clock stopped."""
    unit = dossier.variant.limit_unit
    judged_at = dossier.paused_since or finished_at
    local = clock.classify(judged_at, dossier.due_at, unit, cal)
    o766 = clock.classify_766(dossier.received_at, finished_at, dossier.original_due_at, ledger.pauses,
                              dossier.supplement_count, unit, cal, amount(dossier.variant.legal_limit))
    return local, o766
