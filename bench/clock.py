"""Benchmark of the legal clock: single due instants (timeit) and bulk re-planning (numpy), against a naive
day-by-day Python loop as the floor. Run: .venv/bin/python -m bench.clock [--bulk N]

Targets (shared/domain/scale.md T6): single ≤ 5–10 µs including pause rules; bulk ≥ 1 M due dates/s.
"""

from __future__ import annotations

import argparse
import os
import time as _time
import timeit
from datetime import UTC, date, datetime, timedelta

import numpy as np

from bench.results import figure
from motcua.worktime.bulk import bulk_due_working_days
from motcua.worktime.calendar_vn import build_calendar
from motcua.worktime.clock import TZ, Pause, due_instant
from motcua.worktime.ledger import ClockLedger


def naive_due(cal, received: datetime, days: int) -> datetime:
    """The floor: walk day by day from the reception date (what a first implementation does)."""
    d = received.astimezone(TZ).date()
    counted = 0
    while counted < days:
        d += timedelta(days=1)
        if (d.weekday() < 5 and d not in cal.days_off) or d in cal.working_days:
            counted += 1
    return cal.close_of(d)


def per_call_us(fn, number: int, timer=_time.perf_counter) -> float:
    best = min(timeit.Timer(fn, timer=timer).repeat(number=number, repeat=5))
    return best / number * 1e6


def both(fn, number: int) -> tuple[float, float]:
    """(wall µs, CPU µs): on a shared machine the CPU time of this process is the steadier figure."""
    return per_call_us(fn, number), per_call_us(fn, number, _time.process_time)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bulk", type=int, default=2_000_000)
    args = parser.parse_args()
    cal = build_calendar(2015, 2030)
    received = datetime(2026, 2, 13, 10, 0, tzinfo=TZ)
    pause = [Pause(datetime(2026, 2, 24, 9, tzinfo=TZ), datetime(2026, 3, 3, 9, tzinfo=TZ))]
    ledger = ClockLedger(received, 10, "working_days", pauses=tuple(pause))
    rows = [
        ("single: 10 working days", both(lambda: due_instant(cal, received, 10, "working_days"), 50_000)),
        ("single: 80 working hours", both(lambda: due_instant(cal, received, 80, "working_hours"), 50_000)),
        ("single: 30 calendar days", both(lambda: due_instant(cal, received, 30, "calendar_days"), 50_000)),
        ("single: 10 days + 1 pause", both(
            lambda: due_instant(cal, received, 10, "working_days", pauses=pause), 20_000)),
        ("single: ledger.current_due", both(lambda: ledger.current_due(cal), 20_000)),
        ("single: naive day walk", both(lambda: naive_due(cal, received, 10), 20_000)),
    ]
    print(f"{'measure':<34}{'wall µs':>10}{'CPU µs':>10}{'calls/s (CPU)':>16}")
    for name, (wall, cpu) in rows:
        print(f"{name:<34}{wall:>10.2f}{cpu:>10.2f}{1e6 / cpu:>16,.0f}")

    rng = np.random.default_rng(1)
    start = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
    recv = start + rng.integers(0, 3 * 365 * 86400, size=args.bulk)
    amounts = rng.integers(1, 30, size=args.bulk)
    bulk_due_working_days(cal, recv[:1000], amounts[:1000])  # build the numpy index once
    best = cpu_best = float("inf")
    for _ in range(3):
        t0, c0 = _time.perf_counter(), _time.process_time()
        bulk_due_working_days(cal, recv, amounts)
        best = min(best, _time.perf_counter() - t0)
        cpu_best = min(cpu_best, _time.process_time() - c0)
    n_naive = 100_000
    dts = [datetime.fromtimestamp(int(r), UTC) for r in recv[:n_naive]]
    t0 = _time.perf_counter()
    for r, n in zip(dts, amounts[:n_naive], strict=False):
        naive_due(cal, r, int(n))
    naive = _time.perf_counter() - t0
    t0 = _time.perf_counter()
    for r, n in zip(dts, amounts[:n_naive], strict=False):
        due_instant(cal, r, int(n), "working_days")
    single_loop = _time.perf_counter() - t0
    holidays = np.array([np.datetime64(d) for d in sorted(cal.days_off) if d.weekday() < 5], dtype="datetime64[D]")
    days = (recv + 7 * 3600) // 86400
    t0 = _time.perf_counter()
    np.busday_offset(days.astype("datetime64[D]"), amounts, roll="forward", holidays=holidays)
    busday = _time.perf_counter() - t0
    print()
    print(f"{'bulk (' + format(args.bulk, ',') + ' dossiers)':<34}{'due dates/s':>14}")
    print(f"{'bulk_due_working_days (numpy)':<34}{args.bulk / best:>14,.0f}  (CPU time: {args.bulk / cpu_best:,.0f}/s)")
    print(f"{'numpy.busday_offset (no make-up)':<34}{args.bulk / busday:>14,.0f}")
    print(f"{'due_instant in a Python loop':<34}{n_naive / single_loop:>14,.0f}")
    print(f"{'naive day walk (floor)':<34}{n_naive / naive:>14,.0f}")
    naive_cpu = rows[-1][1][1]
    for name, (_wall, cpu) in rows[:-1]:
        figure(f"due instant, {name.removeprefix('single: ')} (CPU)", cpu, "µs", floor=naive_cpu,
               floor_name="naive day walk", target=10, lower_is_better=True)
    figure(f"bulk due dates ({args.bulk:,})", args.bulk / best, "/s", floor=args.bulk / busday,
           floor_name="numpy.busday_offset", target=1_000_000)
    load = os.getloadavg()[0]
    print(f"\ncalendar {cal.first_day:%d/%m/%Y}–{cal.last_day:%d/%m/%Y}; run {date.today():%d/%m/%Y}, "
          f"load average {load:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
