"""Officer evaluation sheet (phiếu kết quả công tác): what one officer did in a period, from the system's data.

- **dossiers handled**: dossiers on which the officer performed at least one transition in the period
  (DossierEvent.actor);
- **early / on time / late**: of the dossiers the officer acted on, those whose result was ready in the period,
  by their frozen outcome (reports' local definition);
- **steps overdue**: tracking-sheet rows the officer handed over late in the period (HandOver.outcome, the per-step
  clock), plus steps the officer still holds whose step deadline passed in the period;
- **ratings**: `ratings.rating_summary` over those finished dossiers;
- **complaints about behaviour**: PAKN classified "về hành vi" naming the officer, received in the period; *upheld*
  = answered by the agency (answer approved or published). The PAKN register records no founded / unfounded verdict,
  so an answered complaint counts as upheld, as TT 01/2018 index 7 counts a complaint "unless verified false".

Who sees a sheet: the officer; a leader for officers holding a role in the leader's unit subtree; superusers.
"""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from motcua.accounts.models import AccountKind, Role, User
from motcua.accounts.scoping import user_roles, visible_agency_ids
from motcua.dossiers.models import RUNNING_STATUSES, Dossier, DossierEvent, HandOver, Status
from motcua.feedback.models import Category, Feedback
from motcua.feedback.models import Status as PaknStatus
from motcua.ratings.services import rating_summary
from motcua.reports.definitions import rate
from motcua.reports.report import bounds

ANSWERED = (PaknStatus.AWAITING_PUBLICATION, PaknStatus.PUBLISHED)


def is_leader(user) -> bool:
    return bool(user.is_active and (user.is_superuser or Role.LEADER in user_roles(user)))


def officers_for(user):
    """Staff accounts a leader may evaluate (with a role in the leader's subtrees); nobody for a non-leader."""
    staff = User.objects.filter(kind=AccountKind.STAFF, is_active=True)
    if not is_leader(user):
        return staff.none()
    ids = visible_agency_ids(user, roles=[Role.LEADER])
    if ids is not None:
        staff = staff.filter(memberships__agency_id__in=ids)
    return staff.distinct().order_by("full_name", "username")


def can_view(viewer, officer) -> bool:
    if viewer.pk == officer.pk:
        return viewer.is_active
    return officers_for(viewer).filter(pk=officer.pk).exists()


def figures(officer, date_from: date, date_to: date) -> dict:
    start, end = bounds(date_from, date_to)
    cut = min(end, timezone.now())
    acted = DossierEvent.objects.filter(actor=officer)
    handled = acted.filter(at__gte=start, at__lt=end).values("dossier").distinct().count()
    finished = Dossier.objects.filter(pk__in=acted.filter(at__lt=end).values("dossier"),
                                      status__in=(Status.FINISHED, Status.DELIVERED),
                                      finished_at__gte=start, finished_at__lt=end)
    outcomes = finished.aggregate(n=Count("pk"), early=Count("pk", filter=Q(outcome="early")),
                                  on_time=Count("pk", filter=Q(outcome="on_time")),
                                  late=Count("pk", filter=Q(outcome="late")))
    steps = HandOver.objects.filter(giver_user=officer, handed_at__gte=start, handed_at__lt=end).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(outcome="late")))
    held_overdue = Dossier.objects.filter(assignee=officer, status__in=RUNNING_STATUSES, step_due_at__gte=start,
                                          step_due_at__lt=cut).count()
    complaints = Feedback.objects.filter(category=Category.BEHAVIOUR, officer=officer, received_at__gte=start,
                                         received_at__lt=end).aggregate(
        n=Count("pk"), upheld=Count("pk", filter=Q(status__in=ANSWERED)))
    n = outcomes["n"]
    return {
        "officer": officer, "date_from": date_from, "date_to": date_to,
        "handled": handled, "finished": n, "early": outcomes["early"], "on_time": outcomes["on_time"],
        "late": outcomes["late"], "early_rate": rate(outcomes["early"], n), "on_time_rate": rate(outcomes["on_time"], n),
        "late_rate": rate(outcomes["late"], n), "steps": steps["n"], "steps_late": steps["late"],
        "steps_held_overdue": held_overdue, "steps_overdue": steps["late"] + held_overdue,
        "ratings": rating_summary(finished), "complaints": complaints["n"], "complaints_upheld": complaints["upheld"],
    }
