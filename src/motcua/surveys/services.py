"""SIPAS services (docs/surveys.md).

    create_campaign(actor, **fields) -> Campaign                         managers of the unit (MANAGE_ROLES)
    draw_sample(actor, campaign) -> int                                  once per campaign, reproducible (seed)
    send_invitations(actor, campaign) -> {"invited": n, "no_contact": m} e-mail/SMS via notifications, after commit
    find_invitation(token) -> Invitation | None                          the citizen's link
    submit_response(invitation, data, *, channel, actor=None) -> Response
    enter_paper_response(actor, campaign, invitation_id, data) -> Response   ENTRY_ROLES
    campaign_results(campaign) -> dict                                   indices, CIs, comparison with the previous
    satisfaction_index(agency, date_from, date_to) -> float | None       SIPAS in % for PAR scoring (app reform)

Refusals raise core.api_errors.DomainError (422 invalid data, 409 conflict, 410 closed campaign, 403 role) with a
Vietnamese message and per-field messages.
"""

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.accounts.permissions import can_act
from motcua.agencies.models import Agency
from motcua.audit.services import record
from motcua.core.api_errors import ConflictError, DomainError
from motcua.core.text import fold
from motcua.dossiers.models import Dossier, Status
from motcua.notifications.models import Event
from motcua.notifications.services import notify, recipients
from motcua.surveys import indices, sampling
from motcua.surveys.models import (
    Campaign,
    Invitation,
    InvitationStatus,
    Question,
    Questionnaire,
    Response,
    ResponseChannel,
    hash_token,
)
from motcua.surveys.questionnaire import ELEMENTS

MANAGE_ROLES = frozenset({Role.LEADER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})
ENTRY_ROLES = MANAGE_ROLES | {Role.RECEPTION}
FINISHED_STATUSES = (Status.FINISHED, Status.DELIVERED)
MAX_COMMENT = 2000


def _require(actor, agency, roles) -> None:
    if not can_act(actor, agency, roles):
        raise DomainError("forbidden", _("Bạn không có vai trò phù hợp tại %(a)s để thực hiện thao tác này.")
                          % {"a": agency}, status=403)


# -- campaigns --------------------------------------------------------------------------------------------------
def _parse_date(value, field: str, errors: dict):
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime((value or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        errors[field] = [_("Ngày không hợp lệ (định dạng ngày/tháng/năm).")]
        return None


def _parse_margin(value, errors: dict) -> Decimal:
    try:
        margin = Decimal(str(value).strip().replace(",", ".")) / 100  # entered in percent: "5" or "3,5"
    except InvalidOperation:
        margin = None
    if margin is None or not Decimal("0.01") <= margin <= Decimal("0.2"):
        errors["margin_percent"] = [_("Sai số cho phép phải từ 1 đến 20 (%).")]
        return Decimal("0.05")
    return margin


def create_campaign(actor, *, agency: Agency, name: str, period_start, period_end, closes_on,
                    margin_percent="5", seed=None) -> Campaign:
    _require(actor, agency, MANAGE_ROLES)
    errors: dict = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Vui lòng nhập tên đợt khảo sát.")]
    start = _parse_date(period_start, "period_start", errors)
    end = _parse_date(period_end, "period_end", errors)
    closes = _parse_date(closes_on, "closes_on", errors)
    margin = _parse_margin(margin_percent, errors)
    if start and end and end < start:
        errors["period_end"] = [_("Ngày kết thúc kỳ khảo sát phải sau ngày bắt đầu.")]
    if end and closes and closes < end:
        errors["closes_on"] = [_("Hạn trả lời không được trước ngày kết thúc kỳ khảo sát.")]
    questionnaire = Questionnaire.objects.filter(effective_from__lte=start or timezone.localdate()).first()
    if questionnaire is None:
        errors["period_start"] = [_("Chưa có phiếu khảo sát áp dụng cho kỳ này.")]
    if errors:
        raise DomainError("invalid", _("Dữ liệu đợt khảo sát chưa hợp lệ."), errors)
    return Campaign.objects.create(
        agency=agency, name=name[:255], questionnaire=questionnaire, period_start=start, period_end=end,
        closes_on=closes, margin_of_error=margin, seed=seed if seed is not None else secrets.randbits(48),
        created_by=actor)


# -- sampling ---------------------------------------------------------------------------------------------------
def applicant_key(d: Dossier) -> str:
    """One key per applicant: personal id, tax code, portal account, phone, e-mail, else folded name + address.
    Hashed: the key is compared, never shown."""
    identity = (f"id:{d.applicant_personal_id}" if d.applicant_personal_id else
                f"tax:{d.applicant_tax_code}" if d.applicant_tax_code else
                f"user:{d.applicant_user_id}" if d.applicant_user_id else
                f"tel:{''.join(c for c in d.applicant_phone if c.isdigit())}" if d.applicant_phone else
                f"mail:{d.applicant_email.lower()}" if d.applicant_email else
                f"name:{fold(d.applicant_name)}|{fold(d.applicant_address)}")
    return hashlib.sha256(identity.encode()).hexdigest()


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time(0), tzinfo=tz), datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz))


def finished_dossiers(agency: Agency, start: date, end: date):
    """Dossiers of the unit's subtree whose processing finished (result ready or delivered) in the period."""
    lo, hi = _day_bounds(start, end)
    return Dossier.objects.filter(
        competent_agency__in=Agency.objects.subtree_of([agency]), status__in=FINISHED_STATUSES,
        finished_at__gte=lo, finished_at__lt=hi)


def population(campaign: Campaign) -> dict[str, int]:
    """Distinct applicants → the id of their latest finished dossier in the period (the one the survey asks about)."""
    found: dict[str, int] = {}
    rows = finished_dossiers(campaign.agency, campaign.period_start, campaign.period_end).order_by("finished_at", "pk")
    for d in rows.only("pk", "applicant_personal_id", "applicant_tax_code", "applicant_user_id", "applicant_phone",
                       "applicant_email", "applicant_name", "applicant_address"):
        found[applicant_key(d)] = d.pk
    return found


def draw_sample(actor, campaign: Campaign) -> int:
    """Draw the sample once: N distinct applicants, n = ⌈N / (1 + N·e²)⌉, seeded. Returns n."""
    _require(actor, campaign.agency, MANAGE_ROLES)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.sampled_at is not None:
            raise ConflictError("already_sampled", _("Đợt khảo sát này đã chọn mẫu; không chọn lại."))
        people = population(campaign)
        n = sampling.sample_size(len(people), campaign.margin_of_error)
        chosen = sampling.draw(people, n, campaign.seed)
        Invitation.objects.bulk_create(Invitation(campaign=campaign, dossier_id=people[key], applicant_key=key)
                                       for key in chosen)
        campaign.population, campaign.sample_size, campaign.sampled_at = len(people), n, timezone.now()
        campaign.save(update_fields=["population", "sample_size", "sampled_at"])
        record("surveys", "draw_sample", actor=actor, target_type="surveys.campaign", target_id=campaign.pk,
               new={"population": len(people), "sample_size": n, "seed": campaign.seed,
                    "margin_of_error": campaign.margin_of_error})
    return n


# -- invitations ------------------------------------------------------------------------------------------------
def survey_url(token: str) -> str:
    base = (settings.MOTCUA.get("PORTAL_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("surveys:respond", args=[token])


def send_invitations(actor, campaign: Campaign) -> dict:
    """Invite every sampled applicant not invited yet (e-mail and/or SMS, sent after commit through the
    notifications queue); applicants without a contact are marked for a paper questionnaire."""
    _require(actor, campaign.agency, MANAGE_ROLES)
    if campaign.is_closed():
        raise DomainError("closed", _("Đợt khảo sát đã hết hạn trả lời; không gửi thư mời."), status=410)
    counts = {"invited": 0, "no_contact": 0}
    with transaction.atomic():
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins below.
        pending = (Invitation.objects.select_for_update(of=("self",))
                   .filter(campaign=campaign, status=InvitationStatus.SAMPLED)
                   .select_related("dossier__procedure_version__procedure", "dossier__receiving_agency",
                                   "dossier__applicant_user"))
        for inv in pending:
            if not recipients(inv.dossier):
                inv.status = InvitationStatus.NO_CONTACT
                inv.save(update_fields=["status"])
                counts["no_contact"] += 1
                continue
            token = inv.issue_token()
            rows = notify(inv.dossier, Event.SURVEY_INVITATION, survey_url=survey_url(token),
                          closes_on=campaign.closes_on.strftime("%d/%m/%Y"))
            inv.status, inv.invited_at = InvitationStatus.INVITED, timezone.now()
            inv.save(update_fields=["token_hash", "status", "invited_at"])
            inv.notifications.add(*rows)
            counts["invited"] += 1
        record("surveys", "send_invitations", actor=actor, target_type="surveys.campaign", target_id=campaign.pk,
               new=counts)
    return counts


def find_invitation(token: str) -> Invitation | None:
    token = (token or "").strip()
    if not 20 <= len(token) <= 64:
        return None
    return (Invitation.objects.select_related("campaign__questionnaire", "campaign__agency")
            .filter(token_hash=hash_token(token)).first())


# -- responses --------------------------------------------------------------------------------------------------
def validate_answers(questionnaire: Questionnaire, data) -> dict[str, int]:
    """Question code → 1 … 5 from posted data (`q-<code>` or `<code>` keys). Every required question must be
    answered; the optional element (feedback handling) may be skipped entirely or answered in full."""
    answers, errors = {}, {}
    questions = list(questionnaire.questions.all())
    for q in questions:
        raw = data.get(f"q-{q.code}", data.get(q.code))
        raw = "" if raw is None else str(raw).strip()
        if raw == "":
            continue
        if raw not in {"1", "2", "3", "4", "5"}:
            errors[q.code] = [_("Câu trả lời phải là một mức từ 1 đến 5.")]
            continue
        answers[q.code] = int(raw)
    optional_answered = any(q.code in answers for q in questions if q.optional)
    for q in questions:
        if q.code not in answers and q.code not in errors and (not q.optional or optional_answered):
            errors[q.code] = [_("Vui lòng chọn một mức đánh giá cho câu này.")]
    if errors:
        raise DomainError("invalid", _("Phiếu trả lời chưa hợp lệ: còn %(n)s câu chưa trả lời hoặc sai giá trị.")
                          % {"n": len(errors)}, errors)
    return answers


def submit_response(invitation: Invitation, data, *, channel: str, actor=None, today=None) -> Response:
    """Store the one response of an invitation; refuses a closed campaign (410) and a second response (409)."""
    campaign = invitation.campaign
    if campaign.is_closed(today):
        raise DomainError("closed", _("Đợt khảo sát đã kết thúc ngày %(d)s; phiếu không còn nhận trả lời.")
                          % {"d": campaign.closes_on.strftime("%d/%m/%Y")}, status=410)
    answers = validate_answers(campaign.questionnaire, data)
    comment = (data.get("comment") or "").strip()[:MAX_COMMENT]
    try:
        with transaction.atomic():
            inv = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if inv.status == InvitationStatus.RESPONDED:
                raise ConflictError("already_answered", _("Phiếu khảo sát này đã được trả lời; mỗi thư mời chỉ "
                                                          "trả lời một lần. Cảm ơn Ông/Bà."))
            response = store_response(inv, answers, channel=channel, actor=actor, comment=comment)
    except IntegrityError:  # two submissions racing past the check: the one-to-one constraint decides
        raise ConflictError("already_answered", _("Phiếu khảo sát này đã được trả lời.")) from None
    return response


def store_response(inv: Invitation, answers: dict, *, channel: str, actor=None, comment: str = "",
                   submitted_at=None) -> Response:
    """Write a validated response (used by submit_response and the demo loader)."""
    response = Response.objects.create(invitation=inv, campaign_id=inv.campaign_id, channel=channel,
                                       answers=answers, comment=comment,
                                       entered_by=actor if channel == ResponseChannel.PAPER else None,
                                       submitted_at=submitted_at or timezone.now())
    Invitation.objects.filter(pk=inv.pk).update(status=InvitationStatus.RESPONDED)
    return response


def enter_paper_response(actor, campaign: Campaign, invitation_id, data) -> Response:
    _require(actor, campaign.agency, ENTRY_ROLES)
    raw = str(invitation_id or "").strip()
    inv = (Invitation.objects.select_related("campaign__questionnaire").filter(campaign=campaign, pk=raw).first()
           if raw.isdigit() else None)
    if inv is None:
        message = _("Vui lòng chọn người được khảo sát (thư mời) trong mẫu.")
        raise DomainError("invalid", message, {"invitation": [message]})
    return submit_response(inv, data, channel=ResponseChannel.PAPER, actor=actor)


# -- results ----------------------------------------------------------------------------------------------------
def _items(questions) -> list[indices.Item]:
    """One item per question code (versions of the questionnaire reuse a code only for the same question)."""
    return list({q.code: indices.Item(q.code, q.element, q.aspect) for q in questions}.values())


def results_of(responses) -> indices.Results:
    """Indices over a queryset of responses (questions of their campaigns' questionnaires)."""
    questionnaire_ids = set(responses.values_list("campaign__questionnaire_id", flat=True).distinct())
    items = _items(Question.objects.filter(questionnaire_id__in=questionnaire_ids))
    return indices.compute(items, list(responses.values_list("answers", flat=True)), ELEMENTS)


def _about(agency: Agency):
    """Responses about dossiers handled in the unit's subtree (whichever campaign sampled them)."""
    return Response.objects.filter(invitation__dossier__competent_agency__in=Agency.objects.subtree_of([agency]))


def unit_breakdown(campaign: Campaign) -> list[dict]:
    """SIPAS per unit directly under the campaign's unit (and the unit itself), from the campaign's responses."""
    responses = Response.objects.filter(campaign=campaign)
    rows = []
    own = results_of(responses.filter(invitation__dossier__competent_agency=campaign.agency))
    if own.respondents:
        rows.append({"agency": campaign.agency, "results": own})
    for child in Agency.objects.filter(parent=campaign.agency).order_by("code"):
        found = results_of(responses & _about(child))
        if found.respondents:
            rows.append({"agency": child, "results": found})
    return rows


def previous_campaign(campaign: Campaign) -> Campaign | None:
    return (Campaign.objects.filter(agency=campaign.agency, period_end__lt=campaign.period_start)
            .order_by("-period_end", "-id").first())


def campaign_results(campaign: Campaign) -> dict:
    current = results_of(Response.objects.filter(campaign=campaign))
    prev_campaign = previous_campaign(campaign)
    previous = results_of(Response.objects.filter(campaign=prev_campaign)) if prev_campaign else None
    rows = []
    for element in campaign.questionnaire.elements:
        code = element["code"]
        aspects = current.elements[code]
        before = previous.elements[code]["satisfaction"] if previous else None
        rows.append({"code": code, "name": element["name"], **aspects, "previous": before,
                     "change": indices.compare(aspects["satisfaction"], before)})
    return {"campaign": campaign, "results": current, "rows": rows, "previous_campaign": prev_campaign,
            "previous_overall": previous.overall if previous else None,
            "overall_change": indices.compare(current.overall, previous.overall if previous else None),
            "units": unit_breakdown(campaign)}


def satisfaction_index(agency: Agency, date_from: date, date_to: date) -> float | None:
    """Overall SIPAS in % (0–100) for PAR index scoring (app reform): the responses about dossiers handled in the
    unit's subtree, from every campaign whose period lies within [date_from, date_to] — the unit's own campaigns
    and the share of a province-wide campaign that concerns it. None when there is no such response."""
    responses = _about(agency).filter(campaign__period_start__gte=date_from, campaign__period_end__lte=date_to)
    overall = results_of(responses).overall
    return None if overall is None else overall.value
