"""Catalogue services: versions from announcement decisions, publishing, the version in force on a date.

Versions
    A version is created as a draft from an announcement decision (decision number, decision date, effective date),
    optionally as a copy of an earlier version, and becomes immutable when published. Publishing goes through
    `publish`, which checks everything (see `catalog.rules`) and reports every problem at once.

Validity periods
    The published versions of one procedure never overlap; a dossier points at exactly one of them. When a version
    is published and an earlier published version is still open-ended (no end date) and starts strictly before the
    new one, the earlier version is closed on the day before the new version's effective date: a new announcement
    supersedes the previous one. This is the only change a published version ever accepts, and only once. Every
    other overlap (same start day, an open-ended new version before a later one, a bounded period crossing another)
    is refused with a message naming the other decision: the author sets the dates explicitly. If the new version
    has an end date, no version is in force after it ends until another is published.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.catalog import rules
from motcua.catalog.models import Procedure, ProcedureVersion, VersionStatus
from motcua.catalog.serialize import version_data

KNOWN_ROLES = frozenset(Role.values)


def in_force_q(on_date: date, prefix: str = "") -> Q:
    """Published and valid on `on_date`; `prefix` (e.g. "versions__") filters from a related model."""
    return (Q(**{f"{prefix}status": VersionStatus.PUBLISHED, f"{prefix}effective_from__lte": on_date})
            & (Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": on_date})))


def version_in_force(procedure: Procedure, on_date: date | None = None) -> ProcedureVersion | None:
    """The published version in force on `on_date` (today by default), or None. Periods never overlap, so there
    is at most one."""
    on_date = on_date or timezone.localdate()
    return (ProcedureVersion.objects.filter(in_force_q(on_date), procedure=procedure)
            .order_by("-effective_from").first())


def create_version(procedure: Procedure, *, decision_number: str, decision_date: date, effective_from: date,
                   effective_to: date | None = None, copy_from: ProcedureVersion | None = None,
                   **texts) -> ProcedureVersion:
    """A draft version from an announcement decision; with `copy_from`, its texts, variants, fees, documents and
    steps are copied (the usual case: the new decision amends the previous procedure)."""
    with transaction.atomic():
        if copy_from is not None:
            base = {key: getattr(copy_from, key) for key in (
                "steps_text", "method_text", "applicants_text", "implementing_agency_text", "result_text",
                "requirements_text", "legal_basis")}
            texts = {**base, **texts}
        version = ProcedureVersion(procedure=procedure, decision_number=decision_number, decision_date=decision_date,
                                   effective_from=effective_from, effective_to=effective_to, **texts)
        version.full_clean()
        version.save()
        if copy_from is not None:
            _copy_variants(copy_from, version)
    return version


def _copy_variants(source: ProcedureVersion, target: ProcedureVersion) -> None:
    for variant in source.variants.prefetch_related("fees", "documents", "steps"):
        fees, documents, steps = list(variant.fees.all()), list(variant.documents.all()), list(variant.steps.all())
        variant.pk, variant.id, variant.version = None, None, target
        variant._state.adding = True
        variant.save()
        for row in (*fees, *documents, *steps):
            row.pk, row.id, row.variant = None, None, variant
            row._state.adding = True
            row.save()


def publishing_problems(version: ProcedureVersion) -> dict[str, list[str]]:
    """Every reason `version` cannot be published (content rules and validity periods), keyed by path."""
    problems = rules.check_version(version.procedure.name, version_data(version), KNOWN_ROLES)
    problems += _period_problems(version)[0]
    errors: dict[str, list[str]] = {}
    for path, message in problems:
        errors.setdefault(path, []).append(message)
    return errors


def publish(version: ProcedureVersion, user=None) -> ProcedureVersion:
    """Publish a draft version after checking it; raises ValidationError({path: [messages]}) listing every problem.
    Closes an open-ended predecessor (see the module docstring). `user` is recorded in the audit trail."""
    with transaction.atomic():
        Procedure.objects.select_for_update().filter(pk=version.procedure_id).first()  # one publisher at a time
        version.refresh_from_db()
        if version.is_published:
            raise ValidationError({"status": [_("Phiên bản theo quyết định %(d)s đã được công bố.")
                                              % {"d": version.decision_number}]})
        errors = publishing_problems(version)
        if errors:
            raise ValidationError(errors)
        to_close = _period_problems(version)[1]
        if to_close is not None:
            _close(to_close, version.effective_from - timedelta(days=1))
        version.status, version.published_at = VersionStatus.PUBLISHED, timezone.now()
        version._publishing = True
        try:
            version.save(update_fields=["status", "published_at"])
        finally:
            version._publishing = False
        _audit(user, version, to_close)
    return version


def _period_problems(version: ProcedureVersion) -> tuple[list[rules.Problem], ProcedureVersion | None]:
    """Overlaps with the procedure's other published versions, and the open-ended predecessor to close."""
    start, end = version.effective_from, version.effective_to
    others = list(ProcedureVersion.objects.filter(procedure_id=version.procedure_id, status=VersionStatus.PUBLISHED)
                  .exclude(pk=version.pk).order_by("effective_from"))
    to_close = next((o for o in others if o.effective_to is None and o.effective_from < start), None)
    problems = []
    for other in others:
        other_end = start - timedelta(days=1) if other is to_close else other.effective_to
        if _overlaps(start, end, other.effective_from, other_end):
            problems.append(("effective_from", _(
                "Thời gian hiệu lực %(p)s trùng với phiên bản đã công bố theo quyết định %(d)s (%(o)s).")
                % {"p": _period(start, end), "d": other.decision_number,
                   "o": _period(other.effective_from, other.effective_to)}))
    return problems, (to_close if not problems else None)


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def _period(start: date, end: date | None) -> str:
    until = end.strftime("%d/%m/%Y") if end else _("không thời hạn")
    return f"{start.strftime('%d/%m/%Y')} – {until}"


def _close(previous: ProcedureVersion, last_day: date) -> None:
    previous.effective_to = last_day
    previous._closing = True
    try:
        previous.save(update_fields=["effective_to"])
    finally:
        previous._closing = False


def _audit(user, version: ProcedureVersion, closed: ProcedureVersion | None) -> None:
    """An explicit 'publish' record with the actor (model tracking, when installed, records the field changes)."""
    try:
        from motcua.audit.services import record
    except ImportError:
        return
    new = {"status": version.status, "decision_number": version.decision_number,
           "effective_from": version.effective_from.isoformat()}
    if closed is not None:
        new["closed_version"] = closed.decision_number
        new["closed_effective_to"] = closed.effective_to.isoformat()
    record("catalog", "publish", actor=user, target_type="catalog.ProcedureVersion", target_id=str(version.pk),
           old={"status": VersionStatus.DRAFT}, new=new)


def delete_draft(version: ProcedureVersion) -> None:
    """Delete a draft version with its variants (published versions are refused by the model layer)."""
    with transaction.atomic():
        version.delete()

