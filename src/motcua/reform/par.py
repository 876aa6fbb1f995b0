"""PAR index rounds: opening, proposals from the system's data, self-assessment, appraisal, phase locks, results.

Who does what:

- a unit's leader, administrator or specialist self-assesses **its own** unit (`plans.EDIT_ROLES` through
  `can_act`) while the round is in the self-assessment phase;
- the council (hội đồng thẩm định) = the reform office or province administrators **of the organising agency**
  (`has_role`; the reform office is read-only for dossiers, but scoring is its own work) appraises, refreshes the
  figures and closes each phase;
- everyone whose scope holds the organiser sees the whole round; a unit's staff see their own unit and the ranking.

Every refused change raises DomainError (409 `locked` after a phase lock, 403 without the role, 422 bad values).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.accounts.permissions import can_act, has_role
from motcua.accounts.scoping import visible_agency_ids
from motcua.audit.services import record
from motcua.core.api_errors import DomainError
from motcua.reform import registry, scoring
from motcua.reform.models import Criterion, CriterionKind, Phase, Round, Score, UnitAssessment
from motcua.reform.plans import EDIT_ROLES

COUNCIL_ROLES = (Role.REFORM_OFFICE, Role.PROVINCE_ADMIN)
SCORE_ERRORS = {
    "negative": lambda m: _("Điểm không được âm."),
    "over_max": lambda m: _("Điểm vượt quá điểm tối đa (%(m)s).") % {"m": m},
    "decimals": lambda m: _("Điểm chỉ được có tối đa hai chữ số thập phân."),
}


# -- visibility and roles -------------------------------------------------------------------------------------------
def visible_rounds(user):
    ids = visible_agency_ids(user)
    qs = Round.objects.select_related("criteria_set", "agency")
    if ids is None:
        return qs
    return qs.filter(Q(agency_id__in=ids) | Q(assessments__agency_id__in=ids)).distinct()


def sees_all_units(user, rnd: Round) -> bool:
    ids = visible_agency_ids(user)
    return ids is None or rnd.agency_id in ids


def is_council(user, rnd: Round) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(has_role(user, role, rnd.agency) for role in COUNCIL_ROLES)


def can_self_assess(user, assessment: UnitAssessment) -> bool:
    return assessment.round.phase == Phase.SELF and can_act(user, assessment.agency, EDIT_ROLES)


def can_see_assessment(user, assessment: UnitAssessment) -> bool:
    ids = visible_agency_ids(user)
    return ids is None or assessment.agency_id in ids or assessment.round.agency_id in ids


def period(rnd: Round) -> tuple[date, date]:
    return date(rnd.year, 1, 1), date(rnd.year, 12, 31)


# -- opening and proposals ------------------------------------------------------------------------------------------
def leaves(criteria_set) -> list[Criterion]:
    rows = list(criteria_set.criteria.all())
    parents = {c.parent_id for c in rows}
    return [c for c in rows if c.pk not in parents]


def open_round(criteria_set, agency, year: int, units, *, actor=None) -> Round:
    """A new round with an assessment and one empty score per scored criterion for each unit."""
    with transaction.atomic():
        rnd = Round.objects.create(criteria_set=criteria_set, agency=agency, year=year)
        scored = leaves(criteria_set)
        for unit in units:
            assessment = UnitAssessment.objects.create(round=rnd, agency=unit)
            for criterion in scored:
                Score.objects.create(assessment=assessment, criterion=criterion)
        record(f"reform:round:{rnd.pk}", "open", actor=actor, target_type="reform.round", target_id=rnd.pk,
               new={"set": criteria_set.code, "year": year, "units": [u.code for u in units]})
    return rnd


def refresh_figures(assessment: UnitAssessment, *, actor=None) -> int:
    """Fetch every auto source of the unit for the round's year and store the proposal with its figures.
    Returns the number of criteria proposed. Refused once the appraisal is closed (results are frozen)."""
    rnd = assessment.round
    if rnd.phase == Phase.CLOSED:
        raise _locked(_("Đợt đánh giá đã khóa thẩm định; số liệu không được cập nhật lại."))
    date_from, date_to = period(rnd)
    cache: dict[str, registry.Figure] = {}
    n = 0
    with transaction.atomic():
        for score in assessment.scores.select_related("criterion").select_for_update():
            auto = score.criterion.auto
            source = registry.get(auto.get("source", "")) if auto else None
            if source is None:
                continue
            if source.key not in cache:
                cache[source.key] = source.fetch(assessment.agency, date_from, date_to)
            fig = cache[source.key]
            score.proposed = scoring.propose(auto, fig.value, score.criterion.max_points)
            score.figures = {"source": source.key, "label": str(source.label), "value": fig.value,
                             "details": fig.details, "text": fig.text, "at": timezone.now().isoformat()}
            score.save(update_fields=["proposed", "figures"])
            n += 1
        assessment.figures_at = timezone.now()
        assessment.save(update_fields=["figures_at"])
    return n


# -- scoring --------------------------------------------------------------------------------------------------------
def _locked(message: str) -> DomainError:
    return DomainError("locked", message, status=409)


def _decimal(raw, key: str, errors: dict, max_points) -> Decimal | None:
    text = ("" if raw is None else str(raw)).strip().replace(",", ".")
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[key] = [_("Điểm phải là một số (ví dụ 1,5).")]
        return None
    code = scoring.score_error(value, max_points)
    if code:
        errors[key] = [SCORE_ERRORS[code](max_points)]
        return None
    return value


def _scores(assessment: UnitAssessment) -> dict[str, Score]:
    return {s.criterion.code: s for s in assessment.scores.select_related("criterion").select_for_update()
            if s.criterion.kind == CriterionKind.ASSESSED}


def save_self(assessment: UnitAssessment, user, values: dict) -> None:
    """values: {criterion code: {"score": "1,5", "note": "..."}}; blank score = not assessed yet."""
    rnd = assessment.round
    if not can_act(user, assessment.agency, EDIT_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ của %(a)s được tự đánh giá.") % {"a": assessment.agency})
    if rnd.phase != Phase.SELF:
        raise _locked(_("Đã khóa tự đánh giá từ %(t)s; điểm tự đánh giá không được sửa.")
                      % {"t": timezone.localtime(rnd.self_closed_at).strftime("%d/%m/%Y %H:%M")})
    errors: dict = {}
    with transaction.atomic():
        for _code, s, value, note in _entries(assessment, values, "note", errors):
            if (value, note) != (s.self_score, s.self_note):
                s.self_score, s.self_note, s.self_by = value, note, user
                s.save(update_fields=["self_score", "self_note", "self_by"])
        if errors:
            raise DomainError("invalid", _("Có điểm không hợp lệ; chưa lưu gì."), fields=errors, status=422)


def save_appraisal(assessment: UnitAssessment, user, values: dict) -> None:
    """values: {criterion code: {"score": ..., "reason": ...}}. A score different from the self-assessed one needs
    a reason; a blank score means the council accepts the self-assessed score."""
    rnd = assessment.round
    if not is_council(user, rnd):
        raise PermissionDenied(_("Chỉ thành viên hội đồng thẩm định (%(a)s) được thẩm định.") % {"a": rnd.agency})
    if rnd.phase == Phase.SELF:
        raise _locked(_("Chưa khóa tự đánh giá; chưa thể thẩm định."))
    if rnd.phase == Phase.CLOSED:
        raise _locked(_("Đã khóa thẩm định từ %(t)s; điểm thẩm định không được sửa.")
                      % {"t": timezone.localtime(rnd.appraisal_closed_at).strftime("%d/%m/%Y %H:%M")})
    errors: dict = {}
    with transaction.atomic():
        for code, s, value, reason in _entries(assessment, values, "reason", errors):
            differs = value is not None and (s.self_score is None or value != s.self_score)
            if differs and not reason:
                errors[f"reason-{code}"] = [_("Tiêu chí %(c)s: điểm thẩm định khác điểm tự đánh giá, vui lòng ghi "
                                              "lý do.") % {"c": code}]
                continue
            if (value, reason) != (s.appraised, s.appraisal_reason):
                s.appraised, s.appraisal_reason, s.appraised_by = value, reason, user
                s.save(update_fields=["appraised", "appraisal_reason", "appraised_by"])
        if errors:
            raise DomainError("invalid", _("Có điểm thẩm định không hợp lệ; chưa lưu gì."), fields=errors,
                              status=422)


def _entries(assessment: UnitAssessment, values: dict, text_key: str, errors: dict):
    """(code, locked score row, parsed score, text) per submitted criterion; unknown codes and bad scores go to
    `errors` (the caller saves nothing when there are any)."""
    scores = _scores(assessment)
    for code, entry in values.items():
        s = scores.get(code)
        if s is None:
            errors[f"score-{code}"] = [_("Tiêu chí «%(c)s» không thuộc bộ tiêu chí hoặc không tự chấm.") % {"c": code}]
            continue
        value = _decimal(entry.get("score"), f"score-{code}", errors, s.criterion.max_points)
        yield code, s, value, (entry.get(text_key) or "").strip()[:2000]


# -- phase locks ----------------------------------------------------------------------------------------------------
def close_phase(rnd: Round, user, phase: str) -> Round:
    """Close the self-assessment (→ appraisal) or the appraisal (→ results published)."""
    if not is_council(user, rnd):
        raise PermissionDenied(_("Chỉ hội đồng thẩm định được khóa giai đoạn."))
    expected = {"self": Phase.SELF, "appraisal": Phase.APPRAISAL}.get(phase)
    if expected is None:
        raise DomainError("invalid", _("Giai đoạn không hợp lệ."), fields={"phase": [phase]}, status=422)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if rnd.phase != expected:
            raise _locked(_("Giai đoạn này đã được khóa."))
        now = timezone.now()
        if phase == "self":
            rnd.phase, rnd.self_closed_at = Phase.APPRAISAL, now
        else:
            rnd.phase, rnd.appraisal_closed_at = Phase.CLOSED, now
        rnd.save(update_fields=["phase", "self_closed_at", "appraisal_closed_at"])
        record(f"reform:round:{rnd.pk}", f"close_{phase}", actor=user, target_type="reform.round",
               target_id=rnd.pk, new={"phase": rnd.phase})
    return rnd


# -- results --------------------------------------------------------------------------------------------------------
def unit_total(assessment: UnitAssessment, scores=None) -> scoring.Total:
    scores = scores if scores is not None else list(assessment.scores.select_related("criterion"))
    assessed = [s for s in scores if s.criterion.kind == CriterionKind.ASSESSED]
    survey = [s for s in scores if s.criterion.kind == CriterionKind.SURVEY]
    survey_points = None if any(s.proposed is None for s in survey) or not survey else \
        sum((s.proposed for s in survey), Decimal(0))
    return scoring.total(sum((scoring.effective(s.self_score, s.appraised) for s in assessed), Decimal(0)),
                         sum((s.criterion.max_points for s in assessed), Decimal(0)), survey_points,
                         sum((s.criterion.max_points for s in survey), Decimal(0)))


def results(rnd: Round) -> list[dict]:
    """Units of the round with their totals and ranks, best first."""
    assessments = list(rnd.assessments.select_related("agency").prefetch_related("scores__criterion"))
    totals = {a.pk: unit_total(a, list(a.scores.all())) for a in assessments}
    ranks = scoring.rank({pk: t.total for pk, t in totals.items()})
    counts: dict[int, int] = {}
    for r in ranks.values():
        counts[r] = counts.get(r, 0) + 1
    rows = [{"assessment": a, "total": totals[a.pk], "rank": ranks[a.pk], "tied": counts[ranks[a.pk]] > 1,
             "phrase": scoring.rank_phrase(ranks[a.pk], counts[ranks[a.pk]] > 1, rnd.group_label)}
            for a in assessments]
    return sorted(rows, key=lambda r: (r["rank"], r["assessment"].agency.name))


def tree(assessment: UnitAssessment) -> list[dict]:
    """The criteria in order with their score rows (leaves) or subtotals (areas, criteria with children)."""
    criteria = list(assessment.round.criteria_set.criteria.all())
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    children: dict = {}
    for c in criteria:
        children.setdefault(c.parent_id, []).append(c)

    def sums(c) -> tuple[Decimal, Decimal]:
        if c.pk in scores:
            s = scores[c.pk]
            if c.kind == CriterionKind.SURVEY:
                return (s.proposed or Decimal(0),) * 2
            return s.self_score or Decimal(0), scoring.effective(s.self_score, s.appraised)
        parts = [sums(k) for k in children.get(c.pk, [])]
        return sum((p[0] for p in parts), Decimal(0)), sum((p[1] for p in parts), Decimal(0))

    rows = []
    for c in criteria:
        self_sum, effective_sum = sums(c)
        rows.append({"c": c, "score": scores.get(c.pk), "self_sum": self_sum, "effective_sum": effective_sum,
                     "depth": c.depth})
    return rows
