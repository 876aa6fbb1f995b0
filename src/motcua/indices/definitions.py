"""Loading 766 index versions from JSON (the shipped version is data/qd766_2022.json, loaded by a migration; a
revision of the national formulas is a new file with a new code, loaded with `motcua index766 --load FILE`).

A loaded version is never edited in place (scores already shown keep their rules); loading is idempotent. `check`
refuses files whose measures are unknown, whose indicators do not add up to their group maxima, or with bad
targets, units or periods.
"""

import json
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from motcua.indices import measures

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN = DATA_DIR / "qd766_2022.json"
UNITS = {"province", "department", "commune"}
PERIODS = {"month", "quarter", "year"}
DISPLAYS = {"percent", "average", "count"}


class DefinitionError(ValueError):
    pass


def read(path) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    check(data)
    return data


def _check_indicator(ind: dict, groups: dict) -> None:
    code = ind.get("code") or "?"
    for key in ("code", "group", "name", "numerator", "denominator"):
        if not ind.get(key):
            raise DefinitionError(_("chỉ số %(c)s: thiếu «%(k)s»") % {"c": code, "k": key})
    if ind["group"] not in groups:
        raise DefinitionError(_("chỉ số %(c)s: nhóm «%(g)s» không có") % {"c": code, "g": ind["group"]})
    for key in ("numerator", "denominator"):
        if ind[key] not in measures.REGISTRY:
            raise DefinitionError(_("chỉ số %(c)s: phép đo «%(m)s» không có") % {"c": code, "m": ind[key]})
    if (ind["numerator"] == "manual") != (ind["denominator"] == "manual"):
        raise DefinitionError(_("chỉ số %(c)s: số liệu nhập tay cần cả tử số và mẫu số") % {"c": code})
    target = ind.get("target")
    if target is not None and not (isinstance(target, int | float) and 0 < target <= 100):
        raise DefinitionError(_("chỉ số %(c)s: chỉ tiêu phải trong (0, 100]") % {"c": code})
    if not isinstance(ind.get("max_points"), int | float) or ind["max_points"] < 0:
        raise DefinitionError(_("chỉ số %(c)s: điểm tối đa không hợp lệ") % {"c": code})
    if not set(ind.get("units") or []) <= UNITS or not set(ind.get("periods") or []) <= PERIODS:
        raise DefinitionError(_("chỉ số %(c)s: đơn vị hoặc kỳ đánh giá không hợp lệ") % {"c": code})
    if ind.get("display", "percent") not in DISPLAYS:
        raise DefinitionError(_("chỉ số %(c)s: cách hiển thị không hợp lệ") % {"c": code})


def check(data: dict) -> None:
    for key in ("code", "name", "effective_from", "groups", "indicators"):
        if not data.get(key):
            raise DefinitionError(_("thiếu trường «%(k)s»") % {"k": key})
    date.fromisoformat(data["effective_from"])
    if data.get("zero_denominator", "zero") not in ("zero", "not_applicable"):
        raise DefinitionError(_("zero_denominator: chỉ nhận zero hoặc not_applicable"))
    groups = {g["code"]: g for g in data["groups"]}
    codes = set()
    for ind in data["indicators"]:
        _check_indicator(ind, groups)
        if ind["code"] in codes:
            raise DefinitionError(_("chỉ số «%(c)s» bị trùng") % {"c": ind["code"]})
        codes.add(ind["code"])
    for g in data["groups"]:
        points = sum(i["max_points"] for i in data["indicators"] if i["group"] == g["code"])
        if abs(points - g["max_points"]) > 1e-9:
            raise DefinitionError(_("nhóm %(g)s: tổng điểm các chỉ số (%(p)s) khác điểm tối đa của nhóm (%(m)s)")
                                  % {"g": g["code"], "p": points, "m": g["max_points"]})


def load(data: dict, version_model, indicator_model) -> tuple[object, bool]:
    """Create the version and its indicators unless the code exists; returns (version, created)."""
    check(data)
    version = version_model.objects.filter(code=data["code"]).first()
    if version is not None:
        return version, False
    version = version_model.objects.create(
        code=data["code"], name=data["name"], legal_basis=data.get("legal_basis", ""),
        effective_from=date.fromisoformat(data["effective_from"]),
        effective_to=date.fromisoformat(data["effective_to"]) if data.get("effective_to") else None,
        zero_denominator=data.get("zero_denominator", "zero"),
        groups=[{"code": g["code"], "name": g["name"], "max_points": g["max_points"]} for g in data["groups"]])
    indicator_model.objects.bulk_create([indicator_model(
        version=version, order=order, group=i["group"], code=i["code"], name=i["name"], numerator=i["numerator"],
        denominator=i["denominator"], max_points=i["max_points"], target=i.get("target"),
        units=i.get("units") or sorted(UNITS), periods=i.get("periods") or sorted(PERIODS),
        display=i.get("display", "percent"), note=i.get("note", "")) for order, i in enumerate(data["indicators"], 1)])
    return version, True
