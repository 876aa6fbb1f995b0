from motcua.surveys.models import Questionnaire


def answers(value: int = 4, *, feedback: bool = False, **overrides) -> dict:
    """Posted answers of the builtin questionnaire: every required question `value`, the optional element
    (feedback handling) only when asked; overrides by question code."""
    questions = Questionnaire.objects.get(code="SIPAS-1001-2023").questions.all()
    data = {f"q-{q.code}": str(value) for q in questions if feedback or not q.optional}
    data.update({f"q-{code}": str(v) for code, v in overrides.items()})
    return data
