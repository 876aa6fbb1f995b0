"""Supplement deadline expiry ("quá hạn bổ sung → hủy", lifecycle §9), run by `motcua expire-supplements` (cron)
or the Celery task `motcua.dossiers.expire_supplements` (beat; in-process when no broker is configured).

Each expired dossier goes through the engine as `reception.SystemActor`, one transaction per dossier, so history,
audit chain and report facts are written exactly as for a person's action and one failure never blocks the rest.
The rules (which request counts, the deadline, the resulting status) live in `reception.py`.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from motcua.core.api_errors import DomainError
from motcua.dossiers.models import Status, SupplementRequest
from motcua.dossiers.reception import SystemActor, deadline_days

JOB = "expire-supplements"
ACTIONS = {Status.NEW: "expire_completion", Status.SUPPLEMENT: "expire_supplement"}


@dataclass
class ExpiryResult:
    expired: list[str] = field(default_factory=list)  # dossier codes closed
    skipped: dict[str, str] = field(default_factory=dict)  # code → why the engine declined (e.g. newer request)


def candidates(now: datetime) -> list[tuple[int, str, int]]:
    """(dossier id, code, status) with an open request whose deadline may have passed. A superset: the engine
    decides per dossier with the exact rule (latest open request, end of the local day)."""
    shortest = min(deadline_days(True), deadline_days(False))
    late = Q(due_by__lt=now) | Q(due_by__isnull=True, requested_at__lt=now - timedelta(days=shortest))
    rows = (SupplementRequest.objects.filter(late, fulfilled_at__isnull=True)
            # a Form 02 request left open when the desk received the dossier anyway is not a processing supplement
            .filter(Q(dossier__status=Status.SUPPLEMENT, requested_at__gte=F("dossier__received_at"))
                    | Q(dossier__status=Status.NEW, dossier__received_at__isnull=True))
            .values_list("dossier_id", "dossier__code", "dossier__status").order_by("dossier_id").distinct())
    return list(rows)


def expire_overdue(now: datetime | None = None, dry_run: bool = False) -> ExpiryResult:
    from motcua.dossiers.engine import perform

    now = now or timezone.now()
    actor, result = SystemActor(JOB), ExpiryResult()
    for pk, code, status in candidates(now):
        if dry_run:
            result.expired.append(code)
            continue
        try:
            perform(pk, ACTIONS[status], actor, now=now)
        except DomainError as exc:
            result.skipped[code] = exc.message
        else:
            result.expired.append(code)
    return result
