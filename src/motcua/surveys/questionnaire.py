"""The SIPAS questionnaire as versioned data (data/sipas_2023.json, loaded by migration 0002).

A loaded questionnaire is never edited: a new method or wording is a new file with a new code, so earlier
campaigns keep the questions their respondents answered. Loading is idempotent. Wording still to be checked
against the official form carries "[verify]" in the data.
"""

import json
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN = DATA_DIR / "sipas_2023.json"
ELEMENTS = ("access", "procedure", "officials", "result", "feedback")
ASPECTS = ("assessment", "satisfaction", "expectation")
SCALE_FOR = {"assessment": "agreement", "satisfaction": "satisfaction", "expectation": "expectation"}


class QuestionnaireError(ValueError):
    pass


def read(path=BUILTIN) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    check(data)
    return data


def check(data: dict) -> None:
    for key in ("code", "name", "effective_from", "scales", "elements"):
        if not data.get(key):
            raise QuestionnaireError(_("thiếu trường «%(k)s»") % {"k": key})
    date.fromisoformat(data["effective_from"])
    for scale, labels in data["scales"].items():
        if len(labels) != 5:
            raise QuestionnaireError(_("thang đo «%(s)s» phải có đúng 5 mức") % {"s": scale})
    if [e.get("code") for e in data["elements"]] != list(ELEMENTS):
        raise QuestionnaireError(_("phiếu phải có đúng 5 yếu tố theo thứ tự: %(e)s") % {"e": ", ".join(ELEMENTS)})
    codes = set()
    for element in data["elements"]:
        aspects = [item.get("aspect") for item in element.get("items", [])]
        if aspects.count("satisfaction") != 1 or not {"assessment", "expectation"} <= set(aspects):
            raise QuestionnaireError(_("yếu tố «%(e)s»: cần câu nhận định, đúng một câu hài lòng và câu mong đợi")
                                     % {"e": element["code"]})
        for item in element["items"]:
            if item.get("aspect") not in ASPECTS or not item.get("code") or not item.get("text"):
                raise QuestionnaireError(_("câu hỏi không hợp lệ trong yếu tố «%(e)s»") % {"e": element["code"]})
            if item["code"] in codes:
                raise QuestionnaireError(_("câu hỏi «%(c)s» bị trùng") % {"c": item["code"]})
            codes.add(item["code"])


def load(data: dict, questionnaire_model, question_model):
    """Create the questionnaire and its questions unless the code exists; returns the questionnaire."""
    check(data)
    existing = questionnaire_model.objects.filter(code=data["code"]).first()
    if existing is not None:
        return existing
    elements = [{k: e.get(k, "") for k in ("code", "name", "note")} | {"optional": bool(e.get("optional"))}
                for e in data["elements"]]
    questionnaire = questionnaire_model.objects.create(
        code=data["code"], name=data["name"], legal_basis=data.get("legal_basis", ""),
        effective_from=date.fromisoformat(data["effective_from"]), scales=data["scales"], elements=elements)
    order = 0
    for element in data["elements"]:
        for item in element["items"]:
            order += 1
            question_model.objects.create(
                questionnaire=questionnaire, code=item["code"], element=element["code"], aspect=item["aspect"],
                order=order, text=item["text"], scale=item.get("scale", SCALE_FOR[item["aspect"]]),
                optional=bool(element.get("optional")))
    return questionnaire


def ensure_builtin():
    """The builtin questionnaire, loaded if missing (a database flushed after migrations, e.g. by transactional
    tests, has lost the rows migration 0002 wrote)."""
    from motcua.surveys.models import Question, Questionnaire

    return load(read(), Questionnaire, Question)
