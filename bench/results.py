"""The figures a benchmark module hands to `make bench`, and the table `make bench` writes into docs/benchmarks.md.

A module calls `figure(...)` for each figure it measured, next to the floor it measured in the same run. Run by
`python -m bench` (which sets $MOTCUA_BENCH_RESULTS to a file of its own), each call appends one JSON line there;
run alone, it does nothing beyond the module's own printing. The runner renders the lines as one table between
two markers in docs/benchmarks.md, replaced on every run: figure, value, floor, ratio, target, met, and the
machine, date and load average it ran at.
"""

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from motcua.core.text import format_number_vi

ENV = "MOTCUA_BENCH_RESULTS"
# MOTCUA_BENCH_DOCS: another file (the tests' own), never the checkout's docs.
DOCS = Path(os.environ.get("MOTCUA_BENCH_DOCS") or Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md")
FIGURES = DOCS.with_suffix(".jsonl")
START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"
ANCHOR = "## Quiet-machine round"  # the table goes just before this heading when the markers are not there yet


@dataclass
class Figure:
    module: str
    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_name: str = ""
    target: float | None = None
    lower_is_better: bool = False
    load: float = 0.0
    at: str = ""  # when it was measured, dd/mm/yyyy hh:mm

    @property
    def ratio(self) -> float | None:
        """How far from the floor: value ÷ floor for rates, floor ÷ value for durations (1 = the floor itself)."""
        if not self.floor or not self.value:
            return None
        return self.floor / self.value if self.lower_is_better else self.value / self.floor

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.lower_is_better else self.value >= self.target


def figure(name: str, value: float, unit: str, *, floor: float | None = None, floor_name: str = "",
           target: float | None = None, lower_is_better: bool = False) -> None:
    path = os.environ.get(ENV)
    if not path:
        return
    fig = Figure(os.environ.get(ENV + "_MODULE", ""), name, float(value), unit, None if floor is None else
                 float(floor), floor_name, target, lower_is_better, round(os.getloadavg()[0], 2),
                 f"{now():%d/%m/%Y %H:%M}")
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(asdict(fig), ensure_ascii=False) + "\n")


def now() -> datetime:
    """Vietnam's time, whatever the machine's zone."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))


def read(path: str | Path) -> list[Figure]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [Figure(**json.loads(line)) for line in text.splitlines() if line.strip()]


def save(figures: list[Figure], path: Path = FIGURES) -> None:
    path.write_text("".join(json.dumps(asdict(f), ensure_ascii=False) + "\n" for f in figures), encoding="utf-8")


def number(value: float | None) -> str:
    """Vietnamese notation, three significant digits or the whole number: 1.644; 97,6; 0,52."""
    if value is None:
        return "—"
    whole = abs(value) >= 100 or float(value).is_integer()
    return format_number_vi(value, 0 if whole else 1 if abs(value) >= 10 else 2)


def render(figures: list[Figure], machine: str, started: datetime, failed: list[str]) -> str:
    lines = [START, f"### `make bench`: last run {started:%d/%m/%Y %H:%M} (UTC+7), {machine}", "",
             "Written by `make bench` itself (bench/results.py); the sections below hold the detail and the history. "
             "Ratio: how the figure compares with its floor, above 1 when it does better than the floor.",
             "", "| Module | Figure | Value | Floor (same run) | Ratio to the floor | Target | Met | Load | Measured |",
             "|---|---|---|---|---|---|---|---|---|"]
    for f in figures:
        floor = f"{number(f.floor)} {f.unit}" + (f" ({f.floor_name})" if f.floor_name else "") if f.floor else "—"
        target = "—" if f.target is None else ("≤ " if f.lower_is_better else "≥ ") + f"{number(f.target)} {f.unit}"
        met = {None: "", True: "**yes**", False: "no"}[f.met]
        name = re.sub(r"(?<=\d),(?=\d{3}\b)", ".", f.name)  # 1,000,000 → 1.000.000
        lines.append(f"| {f.module} | {name} | {number(f.value)} {f.unit} | {floor} | {number(f.ratio)} | "
                     f"{target} | {met} | {number(f.load)} | {f.at} |")
    if failed:
        lines += ["", "Modules that failed in this run: " + ", ".join(failed) + "."]
    return "\n".join([*lines, END])


def write_docs(block: str, docs: Path = DOCS) -> None:
    text = docs.read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    elif ANCHOR in text:
        head, rest = text.split(ANCHOR, 1)
        text = head + block + "\n\n" + ANCHOR + rest
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    docs.write_text(text, encoding="utf-8")
