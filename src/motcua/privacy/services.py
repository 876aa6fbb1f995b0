"""Retention and personal data (Law 91/2025): which dossiers have outlived their retention period, the purge that
clears their personal data while keeping an anonymised record, and the export of everything held about a person.

Purge keeps the dossier row (code, procedure, agencies, instants, status, outcome): statistics, indices and the
audit chain are unchanged. It clears the applicant's identity and contacts, deletes uploaded files, blanks the
notification recipients, payer name and rating comment, and appends an audit record naming the cleared fields
(never their values).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, Status
from motcua.privacy.models import Outcome, PurgedDossier, RetentionRule

PERSONAL_FIELDS = ("applicant_name", "applicant_personal_id", "applicant_tax_code", "applicant_phone",
                   "applicant_email", "applicant_address", "applicant_representative", "delivery_address")
OUTCOME_OF_STATUS = {Status.FINISHED: Outcome.RESULT, Status.DELIVERED: Outcome.RESULT,
                     Status.REFUSED: Outcome.REFUSED, Status.WITHDRAWN: Outcome.WITHDRAWN,
                     Status.STOPPED: Outcome.STOPPED}
DAYS_PER_YEAR = 365.25
CHUNK = 500


@dataclass(frozen=True)
class Retention:
    years: int
    rule: RetentionRule | None = None

    @property
    def label(self) -> str:
        return str(self.rule) if self.rule else _("mặc định %(y)s năm") % {"y": self.years}


def default_retention() -> Retention:
    return Retention(int(settings.MOTCUA.get("RETENTION_DEFAULT_YEARS", 10)))  # [verify] per archive regulations


def retention_for(rules: list[RetentionRule], outcome: str, field_id, procedure_id) -> Retention:
    """The most specific matching rule: procedure (4) over field (2), a named outcome (1) over `any`."""
    best, best_score = None, -1
    for rule in rules:
        if rule.procedure_id not in (None, procedure_id) or rule.field_id not in (None, field_id):
            continue
        if rule.outcome not in (Outcome.ANY, outcome):
            continue
        score = 4 * (rule.procedure_id is not None) + 2 * (rule.field_id is not None) + (rule.outcome != Outcome.ANY)
        if score > best_score:
            best, best_score = rule, score
    return Retention(best.years, best) if best else default_retention()


def ended_at(dossier: Dossier) -> datetime:
    return dossier.delivered_at or dossier.finished_at or dossier.updated_at


def expired(now: datetime | None = None):
    """Yield (dossier, retention) for every ended, not yet purged dossier whose retention has run out."""
    now = now or timezone.now()
    rules = list(RetentionRule.objects.select_related("field", "procedure"))
    shortest = min([r.years for r in rules] + [default_retention().years])
    cutoff = now - timedelta(days=shortest * DAYS_PER_YEAR)
    candidates = (Dossier.objects.filter(status__in=list(OUTCOME_OF_STATUS), purge__isnull=True)
                  .annotate(ended=Coalesce("delivered_at", "finished_at", "updated_at")).filter(ended__lt=cutoff)
                  .select_related("procedure_version__procedure").order_by("pk"))
    for dossier in candidates.iterator(chunk_size=CHUNK):
        procedure = dossier.procedure_version.procedure
        retention = retention_for(rules, OUTCOME_OF_STATUS[dossier.status], procedure.field_id, procedure.pk)
        if ended_at(dossier) + timedelta(days=retention.years * DAYS_PER_YEAR) <= now:
            yield dossier, retention


def purge(dossier: Dossier, retention: Retention, now: datetime | None = None) -> PurgedDossier:
    from motcua.audit.services import record

    now = now or timezone.now()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        cleared = [f for f in PERSONAL_FIELDS if getattr(dossier, f)]
        for name in PERSONAL_FIELDS:
            setattr(dossier, name, "")
        dossier.applicant_name = _("[đã xoá dữ liệu cá nhân]")
        dossier.applicant_user = None
        dossier.save(update_fields=[*PERSONAL_FIELDS, "applicant_user"])
        files = _delete_files(dossier)
        dossier.notifications.update(recipient="", body="", subject="")
        dossier.payments.update(payer_name="")
        _clear_rating_comment(dossier)
        trace = PurgedDossier.objects.create(dossier=dossier, purged_at=now, rule=retention.label[:255],
                                             cleared=cleared, files_deleted=files)
        record(f"dossier:{dossier.code}", "purge_personal_data", actor="command:purge-personal-data",
               target_type="dossier", target_id=dossier.code,
               new={"cleared": cleared, "files_deleted": files, "rule": retention.label})
    return trace


def _delete_files(dossier: Dossier) -> int:
    count = 0
    for document in dossier.documents.exclude(file=""):
        document.file.delete(save=False)  # storage.delete: the upload is gone, the checklist row stays
        document.save(update_fields=["file"])
        count += 1
    return count


def _clear_rating_comment(dossier: Dossier) -> None:
    from motcua.ratings.models import Rating

    Rating.objects.filter(dossier=dossier).update(comment="")


def person_filter(*, personal_id: str = "", user=None) -> Q:
    condition = Q(pk__in=[])
    if personal_id:
        condition |= Q(applicant_personal_id=personal_id)
    if user is not None:
        condition |= Q(applicant_user=user)
    return condition


def export_person(*, personal_id: str = "", user=None) -> dict:
    """Everything held about one person: account, dossiers with history and documents, payments, ratings, PAKN."""
    from motcua.feedback.models import Feedback

    if user is None and personal_id:
        from motcua.accounts.models import User

        user = User.objects.filter(personal_id=personal_id).first()
    personal_id = personal_id or (getattr(user, "personal_id", "") or "")
    dossiers = (Dossier.objects.filter(person_filter(personal_id=personal_id, user=user))
                .select_related("procedure_version__procedure", "receiving_agency", "competent_agency")
                .prefetch_related("events", "documents", "payments").order_by("submitted_at"))
    contacts = Q(sender_user=user) if user is not None else Q(pk__in=[])
    if user is not None and user.email:
        contacts |= Q(sender_email__iexact=user.email)
    if user is not None and user.phone:
        contacts |= Q(sender_phone=user.phone)
    feedback = Feedback.objects.filter(contacts).order_by("received_at")
    return {
        "format": "motcua.personal-data/1", "generated_at": timezone.now().isoformat(),
        "account": _account(user),
        "dossiers": [_dossier(d) for d in dossiers],
        "feedback": [{"code": f.code, "received_at": _iso(f.received_at),
                      "sender_name": f.sender_name, "sender_phone": f.sender_phone, "sender_email": f.sender_email}
                     for f in feedback],
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _account(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "full_name": user.get_full_name(), "email": user.email, "phone": user.phone,
            "personal_id": user.personal_id, "tax_code": user.tax_code, "kind": user.kind,
            "date_joined": _iso(user.date_joined), "last_login": _iso(user.last_login)}


def _dossier(d: Dossier) -> dict:
    from motcua.ratings.models import Rating

    rating = Rating.objects.filter(dossier=d).first()
    return {
        "code": d.code, "procedure": d.procedure_version.procedure.name, "status": d.get_status_display(),
        "submitted_at": _iso(d.submitted_at), "received_at": _iso(d.received_at), "due_at": _iso(d.due_at),
        "finished_at": _iso(d.finished_at), "receiving_agency": d.receiving_agency.name,
        "competent_agency": d.competent_agency.name,
        "applicant": {f.removeprefix("applicant_"): getattr(d, f) for f in PERSONAL_FIELDS},
        "history": [{"at": _iso(e.at), "action": e.action, "reason": e.reason} for e in d.events.all()],
        "documents": [{"name": doc.name, "file": bool(doc.file)} for doc in d.documents.all()],
        "payments": [{"amount": p.amount, "status": p.status, "payer_name": p.payer_name}
                     for p in d.payments.all()],
        "rating": {"overall": rating.overall, "comment": rating.comment} if rating else None,
        "purged": hasattr(d, "purge"),
    }
