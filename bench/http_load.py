"""HTTP under load: the app server (gunicorn, as `motcua serve` runs it) on loopback, loaded by wrk from a separate
process, each figure next to its floor measured in the same run.

    .venv/bin/python -m bench.http_load                               # SQLite, 2 000 generated dossiers, 10 s runs
    .venv/bin/python -m bench.http_load --db pg --dossiers 20000      # PostgreSQL scratch database (DROPPED)
    .venv/bin/python -m bench.http_load --write-docs                  # also rewrite docs/benchmarks.md's section
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_scale_bench motcua generate --dossiers 1000000 --years 2
    .venv/bin/python -m bench.http_load --db pg --reuse               # then load it (1 M / 10 M: docs/scaling.md)

Needs `wrk` (Debian package, `scripts/system-deps.sh --bench`); without it the module says so and exits 0.
Runs (each `--seconds` long, `--connections` clients unless noted):
- floor insert  POST /_bench/insert: one INSERT + commit (scale/bench_urls.py, only under scale.bench_settings);
- intake        POST /api/v1/dossiers (API client token, a fresh Idempotency-Key on each request, as a client that
                retries safely sends): validation, code, due date, dossier, documents, history, audit, rollups —
                one transaction;
- intake paced  the same requests offered at `--paced-rate` per second (default 300, the SQLite target) by
                `--paced-connections` (default 4) connections: see "Latency" below;
- floor select  GET /_bench/select?code=…: one SELECT by the unique code, random codes;
- lookup        POST /tra-cuu/ (code + phone, the citizen's status page), random codes;
- transitions   POST /api/v1/dossiers/{code}/actions/{action}: hand_over → assign → request_supplement →
                receive_supplement on fresh dossiers, one connection per wrk thread;
- burst         lookup at 4× the connections with load shedding on (in-flight bound 2 per process, 16 threads):
                share shed, latency of refusals, and the lookup latency 10 s after the burst.
Targets (issue #11): intake ≥ 800/s PG, ≥ 300/s SQLite, p95 ≤ 50 ms; lookup p95 ≤ 10 ms at ≥ 2 000/s; burst
refused in ≤ 50 ms and normal latency ≤ 10 s after; app memory ≤ 1 GiB. 1 M / 10 M-dossier runs: docs/scaling.md.

Latency. wrk keeps every connection busy (a new request as soon as the answer arrives), so the runs above measure
the server at saturation: their throughput is the capacity, and their p95 is mostly the time a request waits in
the queue (16 connections over 8 server threads and, on SQLite, one write lock), i.e. ≈ connections / throughput.
That figure is printed as measured, never hidden, but it is not the latency a client sees below capacity. The paced
intake run gives that one: each wrk thread sends on a schedule (one request every threads / rate seconds, from a
monotonic clock through LuaJIT's FFI; a thread behind schedule sends at once and does not catch up in a burst), so
the server is offered about `--paced-rate` requests per second, below its capacity, and the p95 is service time plus
the little queueing that rate causes. wrk times a request from its send, not from its scheduled instant, so when the
server cannot keep up the achieved rate (printed) falls short of the offered one instead of the latency growing:
a paced figure counts only when the achieved rate is close to the offered rate. `--runs` selects runs by name.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.results import figure

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
SECTION = "## HTTP under load"
BEGIN, END = "<!-- bench.http_load: begin -->", "<!-- bench.http_load: end -->"
CSRF = "b" * 32
DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %.3f, "non2xx": %d, "errors": %d, "p50": %.3f, '
    .. '"p95": %.3f, "p99": %.3f}\\n', summary.requests, summary.duration / 1e6, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- data -------------------------------------------------------------------------------------------------------------
def prepare(args, tmp: str) -> dict:
    from motcua.scale import benchdb

    benchdb.setup(args.db, tmp, args.pg_url, fresh=not args.reuse)
    from django.db import connection

    from bench.intake import bench_intake, world
    from motcua.dossiers.models import ApiClient, Dossier
    from motcua.scale.bench_urls import create_floor_table
    from motcua.scale.load import generate

    if not args.reuse:
        generate(args.dossiers, years=1, seed=21)
    proc, centre, users, docs = world()
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() - timedelta(hours=2)
    _rate, ids = bench_intake(args.transition_dossiers, proc, centre, users, docs, start)
    client = ApiClient(name="bench", roles=["reception", "specialist", "leader"])
    token = client.set_token()
    client.save()
    client.agencies.add(centre.parent)
    create_floor_table()
    lookups = list(Dossier.objects.exclude(applicant_phone="").filter(code__contains="H27")
                   .values_list("code", "applicant_phone")[:20000])
    fresh = list(Dossier.objects.filter(pk__in=ids).values_list("code", flat=True))
    connection.close()
    return {"token": token, "procedure": proc.code, "centre": centre.code, "docs": docs, "lookups": lookups,
            "fresh": fresh, "specialist": users["b.cv"].pk}


# -- server -----------------------------------------------------------------------------------------------------------
class Server:
    def __init__(self, env: dict, workers: int, threads: int, shed: int, tmp: str):
        from motcua.core.management.commands.serve import gunicorn_argv

        self.port = free_port()
        env = env | {"DJANGO_SETTINGS_MODULE": "motcua.scale.bench_settings", "MOTCUA_SHED_MAX_IN_FLIGHT": str(shed)}
        self.proc = subprocess.Popen(
            gunicorn_argv(f"127.0.0.1:{self.port}", workers, threads, access_log=False),
            env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "gunicorn.log"), "ab"))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_bench/select?code=warm", timeout=5)
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start, see gunicorn.log")

    def rss_mib(self) -> float:
        pids = [self.proc.pid] + [int(p) for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
                                  .read_text().split()]
        total = 0
        for pid in pids:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total / 1024

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# -- wrk --------------------------------------------------------------------------------------------------------------
def lua_str(value) -> str:
    """A Lua long string: no escapes to translate (LuaJIT does not read JSON's \\uXXXX)."""
    return f"[==[{value}]==]"


def lua_list(name: str, values) -> str:
    return f"{name} = {{" + ", ".join(lua_str(v) for v in values) + "}\n"


def wrk(port: int, script: str, seconds: float, connections: int, threads: int, tmp: str) -> dict:
    path = os.path.join(tmp, f"s{abs(hash(script))}.lua")
    Path(path).write_text(script + DONE_LUA, encoding="utf-8")
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
                          "--timeout", "10s", "-s", path, f"http://127.0.0.1:{port}"], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {out.stdout[-1500:]} {out.stderr[-1500:]}")
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / result["seconds"]
    return result


# Thread numbering, shared by the scripts that need a per-thread sequence (transitions, idempotency keys).
THREAD_IDS = "local threads = 0\nsetup = function(thread) thread:set('tid', threads); threads = threads + 1 end\n"
# A send schedule for the paced run: `delay()` returns the milliseconds until this thread's next slot.
PACE_LUA = """local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } pace_timespec; int clock_gettime(int, pace_timespec *); ]]
local ts = ffi.new("pace_timespec")
local function now_ms() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 end
local slot
delay = function()
  local t = now_ms()
  if slot == nil or slot < t then slot = t end
  local wait = slot - t
  slot = slot + interval
  return math.floor(wait)
end
"""


def paced(script: str, rate: float, threads: int) -> str:
    """`script` offered at `rate` requests/s in all, split evenly over the wrk threads (see "Latency" above)."""
    return f"interval = {threads * 1000 / rate!r}\n" + PACE_LUA + script


def scripts(data: dict) -> dict:
    form = "application/x-www-form-urlencoded"
    intake = json.dumps({"procedure": data["procedure"], "receiving_agency": data["centre"],
                         "applicant": {"name": "Nguyễn Văn Tải", "personal_id": "001203012345", "address": "Bắc Ninh"},
                         "documents": data["docs"]}, ensure_ascii=False)
    auth = f'["Authorization"] = "Bearer {data["token"]}", ["Content-Type"] = "application/json"'
    codes, phones = zip(*data["lookups"], strict=True)
    cycle = [("hand_over", "{}"), ("assign", json.dumps({"assignee_id": data["specialist"]})),
             ("request_supplement", json.dumps({"items": ["Bản vẽ"]}, ensure_ascii=False)),
             ("receive_supplement", "{}")]
    return {
        "floor_insert": 'wrk.method = "POST"\nwrk.path = "/_bench/insert"\n',
        # Keys unique across runs on the same database: a run nonce, the wrk thread, a per-thread counter.
        "intake": THREAD_IDS + f"local n = 0\nlocal body = {lua_str(intake)}\n"
                  f'request = function()\n  n = n + 1\n  return wrk.format("POST", "/api/v1/dossiers", '
                  f'{{{auth}, ["Idempotency-Key"] = "{os.urandom(6).hex()}-" .. tid .. "-" .. n}}, body)\nend\n',
        "floor_select": lua_list("codes", codes)
        + 'request = function() return wrk.format("GET", "/_bench/select?code=" .. codes[math.random(#codes)]) end\n',
        "lookup": lua_list("codes", codes) + lua_list("phones", phones)
        + f'request = function()\n  local i = math.random(#codes)\n  return wrk.format("POST", "/tra-cuu/", '
          f'{{["Content-Type"] = "{form}", ["Cookie"] = "csrftoken={CSRF}"}}, "csrfmiddlewaretoken={CSRF}&code=" '
          f'.. codes[i] .. "&secret=" .. phones[i])\nend\n',
        "transitions": lua_list("fresh", data["fresh"]) + lua_list("actions", [a for a, _b in cycle])
        + lua_list("bodies", [b for _a, b in cycle])
        + THREAD_IDS + "local n = 0\n"
        # The step advances on each answer, not in request(): wrk calls request() once more on the first thread
        # to check the script, which made that thread's first dossier skip hand_over (its assign then got 422).
        + f'request = function()\n  local k = n % 4\n  local d = fresh[(math.floor(n / 4) * 8 + tid) % #fresh + 1]\n'
          f'  return wrk.format("POST", "/api/v1/dossiers/" .. d .. "/actions/" .. actions[k + 1], '
          f'{{{auth}}}, bodies[k + 1])\nend\n'
          "response = function(status, headers, body) n = n + 1 end\n",
    }


# -- the runs ---------------------------------------------------------------------------------------------------------
RUNS = ("floor_insert", "intake", "intake_paced", "floor_select", "lookup", "transitions", "burst")


def run(args, data: dict, env: dict, tmp: str) -> list[dict]:
    s = scripts(data)
    s["intake_paced"] = paced(s["intake"], args.paced_rate, 2)
    rows = []
    server = Server(env, args.workers, args.threads, 0, tmp)
    try:
        def measure(name, conns=args.connections, threads=2, seconds=args.seconds):
            if name not in args.runs:
                return
            result = wrk(server.port, s[name], seconds, conns, threads, tmp)
            result |= {"name": name, "connections": conns, "rss": server.rss_mib(), "load": os.getloadavg()[0]}
            rows.append(result)
            print(f"{name:<13} {result['rps']:8.0f} /s  p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
                  f"p99 {result['p99']:7.1f} ms  non-2xx {result['non2xx']:>6}  errors {result['errors']:>4}  "
                  f"RSS {result['rss']:6.0f} MiB  ({conns} conn.; load average {result['load']:.1f})", flush=True)

        for name in ("floor_insert", "intake"):
            measure(name)
        measure("intake_paced", conns=args.paced_connections)
        for name in ("floor_select", "lookup"):
            measure(name)
        measure("transitions", conns=8, threads=8)  # one connection per wrk thread: each walks its own dossiers
    finally:
        server.stop()
    if "burst" in args.runs:
        rows.append(burst(args, s["lookup"], env, tmp))
    return rows


def burst(args, script: str, env: dict, tmp: str) -> dict:
    server = Server(env, args.workers, 16, 2, tmp)
    try:
        hot = wrk(server.port, script, args.seconds, args.connections * 4, 2, tmp)
        time.sleep(7)  # then 3 s of normal load: the window ends 10 s after the burst
        after = wrk(server.port, script, 3, 2, 1, tmp)  # within the bound: nothing should be refused
    finally:
        server.stop()
    shed = hot["non2xx"] / max(hot["requests"], 1)
    print(f"burst         {hot['rps']:8.0f} /s offered by {args.connections * 4} conn.: {shed:.0%} shed (503), "
          f"p50 {hot['p50']:.1f} ms p95 {hot['p95']:.1f} ms; 10 s later p95 {after['p95']:.1f} ms, "
          f"non-2xx {after['non2xx']}", flush=True)
    return {"name": "burst", "hot": hot, "after": after, "shed": shed}


def table(rows: list[dict], args, machine: str) -> str:
    by = {r["name"]: r for r in rows}

    def line(name, label, floor=None):
        r = by.get(name)
        if r is None:  # not among --runs
            return None
        floor = floor if floor in by else None
        ratio = f"{r['rps'] / by[floor]['rps']:.0%}" if floor else "—"
        floor_s = f"{by[floor]['rps']:,.0f}/s" if floor else "—"
        return (f"| {label} | {r['rps']:,.0f}/s | {r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f} ms | {floor_s} | "
                f"{ratio} | {r['non2xx'] + r['errors']} | {r['rss']:.0f} MiB |")

    lines = [
        f"`python -m bench.http_load --db {args.db} --dossiers {args.dossiers} --seconds {args.seconds:g} "
        f"--connections {args.connections} --paced-rate {args.paced_rate:g}` — {machine}, load average "
        f"{os.getloadavg()[0]:.1f}; gunicorn {args.workers} workers × {args.threads} threads, "
        f"wrk in a separate process on the same machine (shared, noisy: figures are a floor, re-run on a quiet "
        f"machine).", "",
        "| Run | Throughput | p50 / p95 / p99 | Floor | Ratio | Errors + non-2xx | App RSS |",
        "|---|---|---|---|---|---|---|",
        line("floor_insert", "Floor: bare endpoint, 1 INSERT + commit"),
        line("intake", f"Intake via API (full transaction), saturated ({args.connections} conn.)", "floor_insert"),
        line("intake_paced", f"Intake via API, paced at {args.paced_rate:g}/s offered ({args.paced_connections} "
                             f"conn.): latency below saturation"),
        line("floor_select", "Floor: bare endpoint, 1 indexed SELECT"),
        line("lookup", "Citizen lookup POST /tra-cuu/ (page)", "floor_select"),
        line("transitions", "Transitions via API (8 conn.)"),
        ""]
    b = by.get("burst")
    if b is not None:
        lines.append(
            f"Burst: lookup at {args.connections * 4} connections with shedding (bound 2 in flight per process, 16 "
            f"threads): {b['hot']['rps']:,.0f} answers/s, **{b['shed']:.0%} refused with 503 + Retry-After**, p50 "
            f"{b['hot']['p50']:.1f} ms, p95 {b['hot']['p95']:.1f} ms; 10 s after the burst: p95 "
            f"{b['after']['p95']:.1f} ms, {b['after']['non2xx']} non-2xx.")
        lines.append("")
    return "\n".join(x for x in lines if x is not None)


def hand_over(rows: list[dict], args) -> None:
    """The run's figures for `make bench`'s table (bench/results.py)."""
    by, db = {r["name"]: r for r in rows}, args.db

    def rate(name, what, floor=None, target=None):
        if name in by:
            figure(f"{what} over HTTP ({db})", by[name]["rps"], "/s", floor=by.get(floor, {}).get("rps"),
                   floor_name=f"bare endpoint, {'1 INSERT' if floor == 'floor_insert' else '1 indexed SELECT'}"
                   if floor in by else "", target=target)

    rate("intake", f"intake, saturated ({args.connections} conn.)", "floor_insert", 300 if db == "sqlite" else 800)
    if "intake_paced" in by:
        paced = by["intake_paced"]
        figure(f"intake over HTTP, p95 at {paced['rps']:,.0f}/s served of {args.paced_rate:g}/s offered ({db})",
               paced["p95"], "ms", target=50, lower_is_better=True)
    rate("lookup", "citizen lookup page", "floor_select", 2000)
    if "lookup" in by:
        figure(f"citizen lookup page over HTTP, p95 at saturation ({db})", by["lookup"]["p95"], "ms",
               floor=by.get("floor_select", {}).get("p95"), floor_name="bare endpoint, 1 indexed SELECT",
               target=10, lower_is_better=True)
    rate("transitions", "transitions (8 conn.)", target=2000)
    if "burst" in by:
        figure(f"burst of {args.connections * 4} connections on the lookup: refused with 503 ({db})",
               100 * by["burst"]["shed"], "%")
        figure(f"lookup p95 10 s after the burst ({db})", by["burst"]["after"]["p95"], "ms", lower_is_better=True)
    measured = [r["rss"] for r in rows if "rss" in r]
    if measured:
        figure(f"application memory under load, 2 gunicorn workers ({db})", max(measured), "MiB", target=1024,
               lower_is_better=True)


def write_docs(text: str) -> None:
    """Replace the measured block of the section (between its markers), or append the section."""
    block = f"{BEGIN}\n{text}\n{END}"
    doc = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if BEGIN in doc and END in doc:
        doc = doc[:doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + f"\n\n{SECTION}\n\n{block}\n"
    DOCS.write_text(doc, encoding="utf-8")


def main(argv: list[str]) -> int:
    from motcua.scale import benchdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", benchdb.PG_DEFAULT))
    parser.add_argument("--dossiers", type=int, default=2000, help="generated dossiers (lookup targets)")
    parser.add_argument("--transition-dossiers", type=int, default=1500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--paced-rate", type=float, default=300, help="offered rate of the paced intake run (/s)")
    parser.add_argument("--paced-connections", type=int, default=4)
    parser.add_argument("--runs", type=lambda v: v.split(","), default=list(RUNS),
                        help=f"comma-separated subset of {','.join(RUNS)}")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep the database and its dossiers (loaded before with `motcua generate`)")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk, or scripts/system-deps.sh --bench): skipped")
        return 0
    from bench.__main__ import machine

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        data = prepare(args, tmp)
        print(f"prepared {args.db}: {args.dossiers} generated + {len(data['fresh'])} fresh dossiers in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
        env = {k: v for k, v in os.environ.items()} | {"MOTCUA_DATA_DIR": tmp}
        rows = run(args, data, env, tmp)
    text = table(rows, args, machine())
    print("\n" + text)
    hand_over(rows, args)
    if args.write_docs:
        write_docs(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
