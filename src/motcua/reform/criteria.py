"""Criteria sets as data (reform/data/*.json), checked and loaded by code and by the data migration.

JSON shape::

    {"code": "BN-SO-2025", "version": 1, "name": "...", "decision": "...", "unit_kind": "department",
     "effective_year": 2025, "note": "...",
     "criteria": [{"code": "1", "title": "...", "max": 10, "children": [
         {"code": "1.1", "title": "...", "max": 2, "guidance": "...", "evidence": "...",
          "auto": {"source": "plan_completion", "rule": "proportional"}, "uncertain": true}]}]}

`kind: "survey"` on an area or a single criterion marks the survey component (scored from SIPAS, never
self-assessed). `uncertain: true` marks a criterion whose wording or points must still be checked against the
decision. Loading is idempotent by (code, version): an existing set is left untouched; a changed tree is a new version.
"""

import json
from decimal import Decimal
from pathlib import Path

from motcua.reform import scoring

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN = ("par_department.json", "par_commune.json", "par_province.json")


class CriteriaError(ValueError):
    pass


def read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _nodes(items: list[dict], kind: str = "assessed") -> list[scoring.Node]:
    return [scoring.Node(code=i["code"], max_points=Decimal(str(i["max"])), kind=i.get("kind", kind),
                         auto=i.get("auto") or {}, children=_nodes(i.get("children") or [], i.get("kind", kind)))
            for i in items]


def check(data: dict) -> None:
    missing = [k for k in ("code", "version", "name", "decision", "unit_kind", "effective_year", "criteria")
               if k not in data]
    if missing:
        raise CriteriaError(f"thiếu khóa: {', '.join(missing)}")
    errors = scoring.tree_errors(_nodes(data["criteria"]))
    codes = [c for c in _codes(data["criteria"])]
    if len(codes) != len(set(codes)):
        errors.append("mã tiêu chí bị trùng")
    if errors:
        raise CriteriaError("; ".join(errors))


def _codes(items):
    for i in items:
        yield i["code"]
        yield from _codes(i.get("children") or [])


def load(data: dict, set_model, criterion_model):
    """Create the set and its criteria unless (code, version) exists; returns (set, created)."""
    check(data)
    existing = set_model.objects.filter(code=data["code"], version=data["version"]).first()
    if existing is not None:
        return existing, False
    cset = set_model.objects.create(code=data["code"], version=data["version"], name=data["name"],
                                    decision=data["decision"], unit_kind=data["unit_kind"],
                                    effective_year=data["effective_year"], note=data.get("note", ""))
    order = 0

    def create(items, parent, kind):
        nonlocal order
        for i in items:
            order += 1
            row = criterion_model.objects.create(
                criteria_set=cset, parent=parent, code=i["code"], order=order, title=i["title"],
                max_points=Decimal(str(i["max"])), kind=i.get("kind", kind), guidance=i.get("guidance", ""),
                evidence_required=i.get("evidence", ""), auto=i.get("auto") or {},
                uncertain=bool(i.get("uncertain")))
            create(i.get("children") or [], row, i.get("kind", kind))

    create(data["criteria"], None, "assessed")
    return cset, True
