"""Read side of the back office: which dossiers a staff member sees, the inbox filters and order, the urgency of
each dossier (remaining working time on the legal clock), the dashboard counts and the leader's approval queue.

Visibility is the engine's rule (a dossier is visible when its receiving or its competent agency lies in the
user's scope), expressed through `accounts.scoping.scope_queryset` so that lists and the engine agree.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import BooleanField, Count, F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role
from motcua.accounts.scoping import scope_queryset, visible_agency_ids
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcessStep
from motcua.core.text import fold
from motcua.dossiers.models import INBOX_STATUSES, RUNNING_STATUSES, Dossier, Status
from motcua.worktime.clock import working_seconds_between
from motcua.worktime.services import get_calendar

SOON_WORKING_SECONDS = 8 * 3600  # less than one working day left → "sắp đến hạn"
OPEN_STATUSES = INBOX_STATUSES  # waiting for someone in the administration (dossiers.models)
PAGE_SIZE = 50
# The inbox counts exactly up to this many dossiers and says "more than" beyond: an exact count of a centre that
# receives for the whole province reads every open dossier's index entry (~300 000 at 1 M dossiers) per page view.
COUNT_CAP = 10_000

DUE_FILTERS = {
    "overdue": _("Quá hạn"),
    "soon": _("Sắp đến hạn (dưới 8 giờ làm việc)"),
    "today": _("Đến hạn hôm nay"),
    "week": _("Đến hạn trong tuần này"),
}
VIEWS = {"mine": _("Việc của tôi"), "queue": _("Hồ sơ của đơn vị")}


def visible_dossiers(user):
    """Dossiers whose receiving or competent agency lies in the user's scope."""
    base = Dossier.objects.all()
    return scope_queryset(base, user, "competent_agency") | scope_queryset(base, user, "receiving_agency")


def scope_parts(qs, user) -> list:
    """`qs` within the user's scope as disjoint parts whose union is what `visible_dossiers` keeps: competent agency
    in scope; received in scope for a competent agency outside it. Each part seeks one agency column of an index
    (`dossier_inbox_agency`, `dossier_open_receiving`); the OR of both columns reads no index by agency. A scope
    where no dossier was ever received (a department, when the centre receives for it) has the first part only:
    SQLite, whose statistics cannot tell that an agency receives nothing, would otherwise count the second part by
    walking every overdue dossier of the province."""
    ids = visible_agency_ids(user)
    if ids is None:
        return [qs]
    competent = qs.filter(competent_agency_id__in=ids)
    if not Dossier.objects.filter(receiving_agency_id__in=ids).exists():
        return [competent]
    return [competent, qs.filter(receiving_agency_id__in=ids).exclude(competent_agency_id__in=ids)]


def list_queryset(user):
    return (visible_dossiers(user)
            .select_related("procedure_version__procedure", "variant", "current_step", "assignee",
                            "competent_agency", "receiving_agency"))


@dataclass(frozen=True)
class InboxRow:
    """One inbox line: what the `dossier_rows` tag (backoffice/_dossier_rows.html) shows and `urgency` reads. Read
    with `values()` over the page's joins: 50 dossiers built as model instances with their six related objects cost
    more than every query of the inbox together."""

    pk: int
    code: str
    applicant_name: str
    status: int
    due_at: datetime | None
    paused_since: datetime | None
    procedure_name: str
    variant_name: str
    step_name: str | None
    assignee_name: str | None
    competent_agency: Agency  # pk only, its path loaded on first use: what `get_calendar` reads


def inbox_rows(qs) -> list[InboxRow]:
    """The rows of `qs` (a page: 50 ids) as `InboxRow`s, one `Agency` per competent agency. The agency is not
    joined: the calendar reads its path only when its office hours are not cached (`worktime.services`), and the
    join cost PostgreSQL 0.4 ms of planning on every page; the path is then loaded by Django as a deferred field."""
    agencies: dict[int, Agency] = {}
    rows = []
    for v in qs.values("pk", "code", "applicant_name", "status", "due_at", "paused_since", "competent_agency_id",
                       "assignee__username", "assignee__full_name",
                       procedure_name=F("procedure_version__procedure__name"), variant_name=F("variant__name"),
                       step_name=F("current_step__name")):
        agency_id = v.pop("competent_agency_id")
        if agency_id not in agencies:
            agencies[agency_id] = Agency.from_db(qs.db, ["id"], [agency_id])
        username, full_name = v.pop("assignee__username"), v.pop("assignee__full_name")
        rows.append(InboxRow(**v, assignee_name=full_name or username,  # as User.__str__
                             competent_agency=agencies[agency_id]))
    return rows


def by_due(qs):
    """Earliest due first, so overdue dossiers lead; dossiers without a due instant last."""
    return qs.order_by(F("due_at").asc(nulls_last=True), "pk")


def open_only(qs):
    """Open dossiers (INBOX_STATUSES), written as literal SQL on purpose: SQLite uses the partial inbox indexes
    (`dossier_open_due`, `dossier_open_assignee`) only when the query repeats their condition literally — a
    `status IN (?, ?, …)` with bound parameters never matches."""
    return _status_in(qs, INBOX_STATUSES)


def running_only(qs):
    """Dossiers whose legal clock runs (RUNNING_STATUSES, not paused), literal like `open_only`: the condition of
    the partial index `dossier_running_due`."""
    return _status_in(qs, sorted(RUNNING_STATUSES)).filter(paused_since__isnull=True)


def _status_in(qs, statuses):
    values = ", ".join(str(int(s)) for s in statuses)
    column = f'"{Dossier._meta.db_table}"."status"'
    return qs.filter(RawSQL(f"{column} IN ({values})", (), output_field=BooleanField()))


class DueOrdered:
    """The rows of `qs` in inbox order — earliest due first (overdue lead), then those without a due instant —
    for Django's Paginator. Two index-friendly queries instead of `ORDER BY due_at NULLS LAST`, which SQLite
    cannot read from an index (it sorts every matching row). A page's ids are read first, from the narrow
    ordered index alone, then its rows with their joins (`rows`: model instances, or `inbox_rows`): PostgreSQL
    otherwise joins and sorts wide rows.

    `count_parts` (default: `qs` itself) are disjoint querysets whose union is `qs`, counted one by one and each
    at most up to COUNT_CAP (see `scope_parts`); `capped` tells whether the count stopped there."""

    def __init__(self, qs, count_parts=None, rows=list):
        self.qs = qs.order_by()
        self.count_parts = [part.order_by() for part in count_parts] if count_parts is not None else [self.qs]
        self.rows = rows  # a page's queryset → its objects (with .pk), in any order: model instances by default
        self.capped = False

    def count(self) -> int:
        total = sum(part.values("pk")[:COUNT_CAP + 1].count() for part in self.count_parts)
        self.capped = total > COUNT_CAP
        return min(total, COUNT_CAP)

    def __getitem__(self, window: slice) -> list:
        ids = self.page_ids(window.start or 0, window.stop)
        rows = {row.pk: row for row in self.rows(self.qs.filter(pk__in=ids))}
        return [rows[pk] for pk in ids]

    def page_ids(self, start: int, stop: int) -> list[int]:
        dated = self.qs.filter(due_at__isnull=False).order_by("due_at", "pk").values_list("pk", flat=True)
        ids = list(dated[start:stop])
        if len(ids) < stop - start:
            # How many dated rows precede the undated ones: known when this window holds some, or starts at 0;
            # else counted only up to the window's start (PostgreSQL planned a parallel count of every dated row
            # of the centre, 13 ms of workers' start-up for none, on page 1 of an undated-only filter).
            dated_total = start + len(ids) if ids or not start else dated[:start].count()
            offset = max(start - dated_total, 0)
            undated = self.qs.filter(due_at__isnull=True).order_by("pk").values_list("pk", flat=True)
            ids += list(undated[offset:offset + (stop - start - len(ids))])
        return ids


# -- urgency ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Urgency:
    key: str  # late | soon | ok | paused | none
    label: str
    remaining_hours: float | None = None


def urgency(dossier: "Dossier | InboxRow", now: datetime) -> Urgency:
    """Colour class and text label from the remaining working time before the legal due instant."""
    if dossier.paused_since is not None or dossier.status in (Status.SUPPLEMENT, Status.PAYMENT):
        return Urgency("paused", str(_("Tạm dừng tính thời gian")))
    if dossier.status not in RUNNING_STATUSES or dossier.due_at is None:
        return Urgency("none", "")
    if dossier.due_at < now:
        return Urgency("late", str(_("Quá hạn")))
    seconds = working_seconds_between(get_calendar(dossier.competent_agency), now, dossier.due_at)
    hours = round(seconds / 3600, 1)
    if seconds < SOON_WORKING_SECONDS:
        return Urgency("soon", str(_("Sắp đến hạn")), hours)
    return Urgency("ok", str(_("Còn hạn")), hours)


# -- inbox filters ------------------------------------------------------------------------------------------------
def _local_day_end(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=23, minute=59, second=59, microsecond=999999)


def due_soon_ids(qs, now: datetime, limit: int = 2000) -> list[int]:
    """Running dossiers with less than one working day left (computed with each agency's calendar)."""
    candidates = (qs.filter(status__in=RUNNING_STATUSES, paused_since__isnull=True, due_at__gte=now,
                            due_at__lte=now + timedelta(days=7))
                  .select_related(None).select_related("competent_agency").only("pk", "status", "due_at", "paused_since",
                                                           "competent_agency__path", "competent_agency__code")[:limit])
    return [d.pk for d in candidates if urgency(d, now).key == "soon"]


def filter_due(qs, due: str, now: datetime):
    running = running_only(qs)
    if due == "overdue":
        return running.filter(due_at__lt=now)
    if due == "today":
        return running.filter(due_at__gte=now, due_at__lte=_local_day_end(now))
    if due == "week":
        week_end = _local_day_end(now) + timedelta(days=6 - timezone.localtime(now).weekday())
        return running.filter(due_at__gte=now, due_at__lte=week_end)
    if due == "soon":
        return qs.filter(pk__in=due_soon_ids(qs, now))
    return qs


def filter_procedure(qs, text: str):
    """By procedure code, or every folded word of the procedure name (diacritic-insensitive)."""
    text = (text or "").strip()
    if not text:
        return qs
    by_code = Q(procedure_version__procedure__code=text)
    words = Q()
    for token in fold(text).split():
        words &= Q(procedure_version__procedure__search_text__contains=token)
    return qs.filter(by_code | words)


def inbox(user, *, view: str = "mine", status: str = "", procedure: str = "", due: str = "",
          now: datetime | None = None):
    """The user's inbox in due order (the order `inbox_pages` pages without ORDER BY … NULLS LAST)."""
    return by_due(inbox_filters(list_queryset(user), user, view=view, status=status, procedure=procedure, due=due,
                                now=now or timezone.now()))


def inbox_pages(user, *, now: datetime | None = None, **filters) -> DueOrdered:
    """The inbox for the paginator: `InboxRow`s through the scoped queryset, counted per scope part
    (`scope_parts`)."""
    now = now or timezone.now()
    parts = scope_parts(Dossier.objects.all(), user)
    return DueOrdered(inbox_filters(visible_dossiers(user), user, now=now, **filters),
                      [inbox_filters(part, user, now=now, **filters) for part in parts], rows=inbox_rows)


def inbox_filters(qs, user, *, view: str = "mine", status: str = "", procedure: str = "", due: str = "",
                  now: datetime):
    """The inbox's filters (view, status, procedure, due) on `qs`: the scoped list or one of its scope parts."""
    if view == "mine":
        qs = qs.filter(assignee=user)
    if status.isdigit() and int(status) in Status.values:
        # an open status keeps the literal open filter too, so the partial indexes still apply
        qs = (open_only(qs) if int(status) in OPEN_STATUSES else qs).filter(status=int(status))
    else:
        qs = open_only(qs)
    qs = filter_procedure(qs, procedure)
    if due in DUE_FILTERS:
        qs = filter_due(qs, due, now)
    return qs


# -- dashboard ----------------------------------------------------------------------------------------------------
def dashboard_counts(user, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    qs = visible_dossiers(user).filter(status__in=OPEN_STATUSES)
    running = Q(status__in=RUNNING_STATUSES, paused_since__isnull=True)
    counts = qs.aggregate(
        mine=Count("pk", filter=Q(assignee=user)),
        queue=Count("pk"),
        overdue=Count("pk", filter=running & Q(due_at__lt=now)),
        supplement=Count("pk", filter=Q(status=Status.SUPPLEMENT)),
        new=Count("pk", filter=Q(status=Status.NEW)),
    )
    counts["soon"] = len(due_soon_ids(qs, now))
    return counts


# -- leader approvals ---------------------------------------------------------------------------------------------
def approval_steps() -> list[int]:
    """Process steps whose actions include "approve" (JSON lists are filtered here: SQLite has no JSON contains)."""
    rows = ProcessStep.objects.filter(role=Role.LEADER).values_list("pk", "actions")
    return [pk for pk, actions in rows if "approve" in (actions or [])]


def approval_queue(user):
    """Dossiers in processing at an approval step whose agency (the step's, else the competent agency) lies in the
    scope of the user's leader memberships."""
    ids = visible_agency_ids(user, roles=[Role.LEADER])
    qs = list_queryset(user).filter(status=Status.PROCESSING, current_step_id__in=approval_steps())
    if ids is not None:
        qs = qs.filter(Q(current_step__agency_id__in=ids)
                       | Q(current_step__agency__isnull=True, competent_agency_id__in=ids))
    return by_due(qs)


# -- coordination of competence -------------------------------------------------------------------------------------
def coordination_queue(user):
    """Dossiers waiting at a service centre for their competent agency (dossiers.coordination), limited to centres
    where the user is reception staff or leader (that unit or an ancestor)."""
    from motcua.dossiers.coordination import awaiting_coordination

    ids = visible_agency_ids(user, roles=[Role.RECEPTION, Role.LEADER])
    qs = list_queryset(user).filter(awaiting_coordination())
    if ids is not None:
        qs = qs.filter(receiving_agency_id__in=ids)
    return by_due(qs)


def declines_by_dossier(dossiers) -> dict:
    """The latest "not competent" answer of each dossier (for "why is it here?")."""
    from motcua.dossiers.models import DossierEvent

    events = (DossierEvent.objects.filter(dossier__in=[d.pk for d in dossiers], action="decline_competence")
              .order_by("dossier_id", "seq"))
    return {e.dossier_id: e for e in events}

