"""Loading evaluation index sets from JSON (the TT 01/2018 set ships in data/tt01_2018.json and is loaded by a
migration; a province adds its own form with `motcua ratings load-indices <file.json>`).

A loaded set is never edited in place: a new legal basis or a new wording is a new set (new code), so old ratings
keep the questions they answered. Loading is idempotent (existing sets and indices are left untouched).
"""

import json
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN = DATA_DIR / "tt01_2018.json"


class IndexDataError(ValueError):
    pass


def read(path) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    check(data)
    return data


def check(data: dict) -> None:
    for key in ("code", "name", "effective_from", "indices"):
        if not data.get(key):
            raise IndexDataError(_("thiếu trường «%(k)s»") % {"k": key})
    date.fromisoformat(data["effective_from"])
    codes = set()
    for i, index in enumerate(data["indices"]):
        if not index.get("code") or not index.get("text") or not index.get("options"):
            raise IndexDataError(_("chỉ số thứ %(n)s: cần code, text và options") % {"n": i + 1})
        if index["code"] in codes:
            raise IndexDataError(_("chỉ số «%(c)s» bị trùng") % {"c": index["code"]})
        codes.add(index["code"])
        points = [o.get("points") for o in index["options"]]
        if not all(isinstance(p, int) and p >= 0 for p in points) or len(set(points)) != len(points):
            raise IndexDataError(_("chỉ số «%(c)s»: điểm của các phương án phải là số nguyên khác nhau")
                                 % {"c": index["code"]})


def load(data: dict, index_set_model, index_model) -> tuple[object, int]:
    """Create the set and its missing indices; returns (set, number of indices created)."""
    check(data)
    index_set, _ = index_set_model.objects.get_or_create(code=data["code"], defaults={
        "name": data["name"], "legal_basis": data.get("legal_basis", ""),
        "effective_from": date.fromisoformat(data["effective_from"]),
        "effective_to": date.fromisoformat(data["effective_to"]) if data.get("effective_to") else None})
    existing = set(index_model.objects.filter(index_set=index_set).values_list("code", flat=True))
    created = 0
    for order, index in enumerate(data["indices"], start=1):
        if index["code"] in existing:
            continue
        index_model.objects.create(index_set=index_set, code=index["code"], order=order, text=index["text"],
                                   options=index["options"], officer_score=bool(index.get("officer_score")))
        created += 1
    return index_set, created
