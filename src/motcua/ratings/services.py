"""Rating services (full table in docs/portal-services.md §3).

    can_rate(dossier, user) -> bool
        Dossier in status 9 (result ready) or 10 (delivered), not rated yet, and `user` is the applicant's account
        (online rating) or staff holding the reception role at the receiving agency (paper / kiosk forms).
    submit_rating(dossier, *, overall, indices: dict, comment="", source="online", user) -> Rating
        overall ∈ Overall values; indices maps an index code of the current set to the chosen option's points
        (2 / 1 / 0); unanswered indices are allowed. RatingError: 409 already_rated, 409 not_ratable,
        403 forbidden, 422 invalid (fields name overall / indices.<code> / source / comment).
    rating_summary(dossiers) -> dict
        total, levels (count per Overall value), satisfied, satisfaction_rate (% of very satisfied + satisfied,
        None without ratings), satisfaction_rate_display ("97,6 %"), average_points (mean total points per rating
        with at least one answer), index_averages {code: mean points}, officer_average (mean of the
        officer-score indices' points per rating).
    current_index_set(on=None) -> IndexSet       the set in force on a date (today by default)
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.core.api_errors import DomainError
from motcua.core.text import format_percent_vi
from motcua.dossiers.actors import Actor
from motcua.dossiers.models import Dossier, Status
from motcua.ratings.models import SATISFIED_LEVELS, IndexSet, Overall, Rating, RatingAnswer, Source

RATABLE_STATUSES = frozenset({Status.FINISHED, Status.DELIVERED})
MAX_COMMENT = 2000

__all__ = ["Overall", "Source", "RatingError", "can_rate", "submit_rating", "rating_summary", "current_index_set"]


class RatingError(DomainError):
    pass


def current_index_set(on: date | None = None) -> IndexSet:
    on = on or timezone.localdate()
    found = (IndexSet.objects.filter(effective_from__lte=on).exclude(effective_to__lt=on)
             .order_by("-effective_from").prefetch_related("indices").first())
    if found is None:
        raise RatingError("no_index_set", _("Chưa có bộ chỉ số đánh giá áp dụng."), status=409)
    return found


# -- who may rate ---------------------------------------------------------------------------------------------------
def _is_applicant(dossier: Dossier, user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active
                and dossier.applicant_user_id and dossier.applicant_user_id == user.pk)


def _is_desk(dossier: Dossier, user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Role.RECEPTION in Actor(user=user).roles_at(dossier.receiving_agency)


def _permission_error(dossier: Dossier, user, source: str) -> RatingError | None:
    if source == Source.ONLINE:
        if not _is_applicant(dossier, user):
            return RatingError("forbidden", _("Chỉ người nộp hồ sơ mới được đánh giá trực tuyến."), status=403)
        return None
    if not _is_desk(dossier, user):
        return RatingError("forbidden", _("Chỉ cán bộ một cửa của đơn vị tiếp nhận được nhập phiếu đánh giá."),
                           status=403)
    return None


def _state_error(dossier: Dossier) -> RatingError | None:
    if dossier.status not in RATABLE_STATUSES:
        return RatingError("not_ratable", _("Chỉ đánh giá được hồ sơ đã có kết quả (đang ở trạng thái «%(s)s»).")
                           % {"s": Status(dossier.status).label}, status=409)
    if Rating.objects.filter(dossier=dossier).exists():
        return RatingError("already_rated", _("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần."),
                           status=409)
    return None


def can_rate(dossier: Dossier, user) -> bool:
    source = Source.ONLINE if _is_applicant(dossier, user) else Source.PAPER
    return _state_error(dossier) is None and _permission_error(dossier, user, source) is None


# -- submitting -----------------------------------------------------------------------------------------------------
def _clean(index_set: IndexSet, overall, indices, comment, source) -> tuple[list, dict]:
    """(answers as [(IndexDefinition, option)], field errors)."""
    errors: dict = {}
    if overall not in Overall.values:
        errors["overall"] = [_("Chọn một mức độ hài lòng.")]
    if source not in Source.values:
        errors["source"] = [_("Hình thức đánh giá không hợp lệ.")]
    if comment and len(comment) > MAX_COMMENT:
        errors["comment"] = [_("Ý kiến tối đa %(n)s ký tự.") % {"n": MAX_COMMENT}]
    if not isinstance(indices, dict):
        errors["indices"] = [_("Câu trả lời các chỉ số không hợp lệ.")]
        return [], errors
    by_code = {i.code: i for i in index_set.indices.all()}
    answers = []
    for code, value in indices.items():
        index = by_code.get(str(code))
        if index is None:
            errors[f"indices.{code}"] = [_("Chỉ số không có trong bộ chỉ số đang áp dụng.")]
            continue
        if value in (None, ""):
            continue  # unanswered
        try:
            option = index.option(int(value))
        except (TypeError, ValueError):
            option = None
        if option is None:
            errors[f"indices.{code}"] = [_("Phương án trả lời không hợp lệ cho chỉ số «%(t)s».") % {"t": index.text}]
            continue
        answers.append((index, option))
    return answers, errors


def submit_rating(dossier: Dossier, *, overall: str, indices: dict | None = None, comment: str = "",
                  source: str = Source.ONLINE, user=None) -> Rating:
    """Store the dossier's one rating; every check happens before anything is written."""
    index_set = current_index_set()
    comment = (comment or "").strip()
    answers, errors = _clean(index_set, overall, indices if indices is not None else {}, comment, source)
    with transaction.atomic():
        d = Dossier.objects.select_for_update(of=("self",)).select_related("receiving_agency").get(pk=dossier.pk)
        refusal = _permission_error(d, user, source) if "source" not in errors else None
        refusal = refusal or _state_error(d)
        if refusal is not None:
            raise refusal
        if errors:
            raise RatingError("invalid", _("Phiếu đánh giá chưa hợp lệ."), fields=errors, status=422)
        try:
            with transaction.atomic():
                rating = _insert(d, index_set, answers, overall, comment, source, user)
        except IntegrityError:  # a concurrent rating of the same dossier won
            raise _state_error(d) or RatingError("already_rated", _("Hồ sơ này đã được đánh giá."),
                                                 status=409) from None
    return rating


def _insert(d: Dossier, index_set, answers, overall, comment, source, user) -> Rating:
    from motcua.audit.services import record

    online = source == Source.ONLINE
    rating = Rating.objects.create(
        dossier=d, index_set=index_set, overall=overall, comment=comment, source=source,
        applicant_user=d.applicant_user if d.applicant_user_id else None, entered_by=None if online else user,
        total_points=sum(int(o["points"]) for _i, o in answers), answered=len(answers))
    RatingAnswer.objects.bulk_create([RatingAnswer(rating=rating, index=i, points=int(o["points"]),
                                                   label=o.get("label", "")[:500]) for i, o in answers])
    record(f"dossier:{d.code}", "rated", actor=user, target_type="rating", target_id=str(rating.pk),
           new={"overall": overall, "source": source, "total_points": rating.total_points,
                "index_set": index_set.code})
    return rating


# -- statistics -----------------------------------------------------------------------------------------------------
def rating_summary(dossiers) -> dict:
    """Aggregate the ratings of a queryset of dossiers (statistics, officer and agency evaluation)."""
    ratings = Rating.objects.filter(dossier__in=dossiers.values("pk"))
    levels = {level: 0 for level in Overall.values}
    for row in ratings.values("overall").annotate(n=Count("id")):
        levels[row["overall"]] = row["n"]
    total = sum(levels.values())
    satisfied = sum(levels[level] for level in SATISFIED_LEVELS)
    rate = round(100 * satisfied / total, 1) if total else None
    answered = ratings.filter(answered__gt=0)
    average = answered.aggregate(v=Avg("total_points"))["v"]
    answers = RatingAnswer.objects.filter(rating__in=ratings.values("pk"))
    index_averages = {row["index__code"]: round(float(row["v"]), 2)
                      for row in answers.values("index__code").annotate(v=Avg("points")).order_by("index__code")}
    officer = answers.filter(index__officer_score=True)
    officer_total = sum(officer.values_list("points", flat=True))
    officer_n = officer.values("rating").distinct().count()
    return {
        "total": total, "levels": levels, "satisfied": satisfied, "satisfaction_rate": rate,
        "satisfaction_rate_display": format_percent_vi(rate) if rate is not None else "—",
        "average_points": round(float(average), 2) if average is not None else None,
        "index_averages": index_averages,
        "officer_average": round(officer_total / officer_n, 2) if officer_n else None,
    }
