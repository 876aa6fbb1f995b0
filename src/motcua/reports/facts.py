"""What one dossier contributes to the daily rollups: a pure function of its stored state (no Django).

A dossier's *facts* are a small JSON-able dict read from its row, its supplement requests and (for dossiers refused
or withdrawn before reception) the time of that terminal event. `contributions(facts)` turns them into counter
deltas keyed by (agency, procedure, channel, local day). The rollup table is by definition the sum of the
contributions of every dossier, so

- an incremental update is `contributions(new facts) - contributions(stored facts)` (a route, an extension or a
  supplement request all become the same diff), and
- a rebuild is the plain sum over the dossier tables,

and both agree exactly by construction.

Two kinds of counters:

- **flows** count events on the local day they happened (received, finished early/on time/late, refused, ...);
- **stocks** (open, waiting for supplement, overdue, result not collected) are stored as day intervals
  ``[start, end)`` of local days: ``<stock>_in`` +1 on the start day, ``<stock>_out`` +1 on the end day. The stock at
  the end of day T is the sum of (in - out) over days <= T, so carried-over and in-progress figures at a past date
  are read from the rollups too, never from the dossier table.

Day semantics (the raw-table definitions in `report.py` use the same): a dossier is open at the end of day T when it
was received on or before T and not ended by then; overdue at the end of T when its (current) due date is on or
before T.
"""

from collections import defaultdict
from datetime import date, datetime

from motcua.worktime.clock import to_local

FLOW_COUNTERS = (
    "received_counter", "received_online", "received_postal", "received_api", "received_import",
    "ended", "finished", "finished_early", "finished_on_time", "finished_late",
    "finished_766_on_time", "finished_766_late", "refused", "withdrawn", "stopped", "delivered",
    "supplement_requested", "digitised", "e_result", "paid_online", "handling_seconds_total",
)
STOCKS = ("open", "supplement", "overdue", "overdue766", "uncollected")
STOCK_COUNTERS = tuple(f"{s}_{io}" for s in STOCKS for io in ("in", "out"))
COUNTERS = FLOW_COUNTERS + STOCK_COUNTERS

# Channel code (Dossier.Channel) -> received counter.
CHANNEL_COUNTER = {1: "received_counter", 2: "received_online", 3: "received_postal", 4: "received_api",
                   5: "received_import"}
RESULT_STATUSES = (9, 10)
TERMINAL_KIND = {3: "refused", 7: "withdrawn", 8: "stopped", 9: "result", 10: "result"}


def day_of(dt: datetime | None) -> str | None:
    """Local (Asia/Ho_Chi_Minh) calendar day, ISO text."""
    return None if dt is None else to_local(dt).date().isoformat()


def build_facts(*, agency_id: int, procedure_id: int, channel: int, status: int, received_at, finished_at,
                due_at, delivered_at, outcome: str, outcome_766: str, digitised: bool, e_result: bool,
                paid_online: int, supplements: list[tuple], terminal_at=None) -> dict:
    """The facts of one dossier. `supplements` = [(requested_at, fulfilled_at | None)], `terminal_at` = time of the
    terminal event for dossiers that never got a finish time (refused or withdrawn before reception)."""
    kind = TERMINAL_KIND.get(status)
    end = finished_at if received_at is not None else None
    secs = 0
    if kind == "result" and end is not None:
        secs = max(int((end - received_at).total_seconds()), 0)
    return {
        "a": agency_id, "p": procedure_id, "c": int(channel or 1), "kind": kind,
        "recv": day_of(received_at), "end": day_of(end),
        "term": day_of(end if end is not None else terminal_at) if kind else None,
        "due": day_of(due_at), "deliv": day_of(delivered_at),
        "out": outcome or "", "o766": outcome_766 or "",
        "dig": bool(digitised), "eres": bool(e_result), "paid": bool(paid_online), "secs": secs,
        "supp": [[day_of(r), day_of(f)] for r, f in sorted(supplements, key=_request_order)],
    }


def _request_order(request: tuple) -> tuple:
    """Requests in time order (an open request last among those made at the same instant)."""
    requested, fulfilled = request
    return (requested, fulfilled is None, fulfilled or requested)


# -- day intervals ------------------------------------------------------------------------------------------------
INF = date.max.toordinal() + 1


def _ord(day: str | None, default: int) -> int:
    return default if day is None else date.fromisoformat(day).toordinal()


def _union(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(i for i in intervals if i[0] < i[1]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _minus(base: list[tuple[int, int]], cut: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in base:
        pieces = [(s, e)]
        for cs, ce in cut:
            pieces = [p for a, b in pieces for p in ((a, min(b, cs)), (max(a, ce), b)) if p[0] < p[1]]
        out.extend(pieces)
    return _union(out)


def stock_intervals(f: dict) -> dict[str, list[tuple[int, int]]]:
    """Day intervals [start, end) (ordinals; end INF = still open) of each stock for one dossier."""
    if f["recv"] is None:
        return {}
    recv, end = _ord(f["recv"], INF), _ord(f["end"], INF)
    opened = _union([(recv, end)])
    supp = _union([(max(_ord(r, INF), recv), min(_ord(ff, INF), end)) for r, ff in f["supp"]])
    overdue = _minus(_union([(max(recv, _ord(f["due"], INF)), end)]), supp) if f["due"] else []
    late766 = list(overdue)
    if len(f["supp"]) >= 2:  # Decision 766: more than one supplement request makes the dossier late
        late766 = _union(late766 + [(max(recv, _ord(f["supp"][1][0], INF)), end)])
    uncollected = _union([(end, _ord(f["deliv"], INF))]) if f["kind"] == "result" and f["end"] else []
    return {"open": opened, "supplement": supp, "overdue": overdue, "overdue766": late766,
            "uncollected": uncollected}


# -- contributions --------------------------------------------------------------------------------------------------
Key = tuple[int, int, int, str]


def contributions(f: dict | None) -> dict[Key, dict[str, int]]:
    """Counter deltas of one dossier, keyed (agency_id, procedure_id, channel, local day ISO)."""
    out: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not f:
        return out

    def add(day: str | None, counter: str, n: int = 1) -> None:
        if day is not None and n:
            out[(f["a"], f["p"], f["c"], day)][counter] += n

    recv, end = f["recv"], f["end"]
    if recv:
        add(recv, CHANNEL_COUNTER.get(f["c"], "received_counter"))
        add(recv, "digitised", int(f["dig"]))
        add(recv, "paid_online", int(f["paid"]))
    if recv and end:
        add(end, "ended")
        if f["o766"] in ("on_time", "late"):
            add(end, f"finished_766_{f['o766']}")
    if f["kind"] == "result" and end:
        add(end, "finished")
        if f["out"] in ("early", "on_time", "late"):
            add(end, f"finished_{f['out']}")
        add(end, "e_result", int(f["eres"]))
        add(end, "handling_seconds_total", f["secs"])
    elif f["kind"] in ("refused", "withdrawn", "stopped"):
        add(f["term"], f["kind"])
    add(f["deliv"], "delivered")
    for requested, _fulfilled in f["supp"]:
        add(requested, "supplement_requested")
    for stock, intervals in stock_intervals(f).items():
        for s, e in intervals:
            add(date.fromordinal(s).isoformat(), f"{stock}_in")
            if e != INF:
                add(date.fromordinal(e).isoformat(), f"{stock}_out")
    return out


def diff(old: dict | None, new: dict | None) -> dict[Key, dict[str, int]]:
    """contributions(new) - contributions(old), without zero entries."""
    out: dict[Key, dict[str, int]] = {}
    before, after = contributions(old), contributions(new)
    for key in set(before) | set(after):
        b, a = before.get(key, {}), after.get(key, {})
        delta = {c: a.get(c, 0) - b.get(c, 0) for c in set(a) | set(b)}
        delta = {c: v for c, v in delta.items() if v}
        if delta:
            out[key] = delta
    return out
