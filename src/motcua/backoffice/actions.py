"""Dossier actions in the back office: which ones the current user may take (asked of the engine, never
re-implemented here), the choices their forms need, and running one through `engine.perform`.
"""

from dataclasses import dataclass

from motcua.accounts.models import READ_ONLY_ROLES, Membership
from motcua.agencies.models import Agency
from motcua.backoffice.forms import ACTION_FORMS, ActionForm, ReasonOptionalForm
from motcua.core.api_errors import DomainError
from motcua.dossiers import coordination, engine, reception
from motcua.dossiers.actors import as_actor
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.services import missing_documents
from motcua.dossiers.transitions import TRANSITIONS

# Preconditions beyond status and role, defined next to their handlers in the dossiers context.
PRECONDITIONS = {**reception.PRECONDITIONS, **coordination.PRECONDITIONS}

# The order buttons appear in: the usual next step first, terminal and exceptional actions last.
DISPLAY_ORDER = ("receive", "request_completion", "approve", "forward", "hand_over", "assign", "result_ready",
                 "deliver", "request_supplement", "receive_supplement", "request_payment", "confirm_payment", "return_step",
                 "route", "decline_competence", "extend", "refuse", "stop", "withdraw")


@dataclass
class ActionView:
    name: str
    label: str
    form: ActionForm
    error: str = ""
    danger: bool = False


def allowed_actions(dossier: Dossier, user) -> list[str]:
    """Actions the engine would accept from `user` now (status, current step and permission). Uses the engine's
    own `allowed_actions` when it has one, else its status and permission checks, so the rules live only there."""
    if hasattr(engine, "allowed_actions"):
        names = list(engine.allowed_actions(dossier, user))
    else:
        actor, names = as_actor(user), []
        for name, transition in TRANSITIONS.items():
            try:
                engine.check_allowed(dossier, transition)
                engine.check_permission(dossier, transition, actor)
            except DomainError:
                continue
            names.append(name)
    names = [n for n in names if n not in PRECONDITIONS or PRECONDITIONS[n](dossier) is None]
    rank = {n: i for i, n in enumerate(DISPLAY_ORDER)}
    return sorted(names, key=lambda n: rank.get(n, len(rank)))


def form_class(action: str) -> type[ActionForm]:
    return ACTION_FORMS.get(action, ReasonOptionalForm)


# -- choices for the action forms -----------------------------------------------------------------------------------
def staff_choices(agency: Agency) -> list[tuple[int, str]]:
    """Active staff with an acting role at `agency` (membership there or at an ancestor)."""
    ancestor_ids = [int(x) for x in agency.path.strip("/").split("/") if x] or [agency.pk]
    rows = (Membership.objects.filter(agency_id__in=ancestor_ids, user__is_active=True)
            .exclude(role__in=READ_ONLY_ROLES).select_related("user").order_by("user__full_name", "user__username"))
    seen: dict[int, str] = {}
    for m in rows:
        seen.setdefault(m.user_id, f"{m.user} ({m.get_role_display()})")
    return list(seen.items())


def route_choices(dossier: Dossier) -> list[tuple[int, str]]:
    listed = list(dossier.procedure_version.procedure.competent_agencies.active().order_by("name"))
    if not listed:
        root = dossier.receiving_agency.path.split("/")[1] if dossier.receiving_agency.path else ""
        listed = list(Agency.objects.active().filter(path__startswith=f"/{root}/").order_by("path")[:500])
    return [(a.pk, a.name) for a in listed if a.pk != dossier.competent_agency_id]


def later_step_choices(dossier: Dossier) -> list[tuple[str, str]]:
    current = dossier.current_step.order if dossier.current_step_id else 0
    steps = dossier.variant.steps.filter(order__gt=current).select_related("agency").order_by("order")
    return [(s.code, f"{s.order}. {s.name} — {(s.agency or dossier.competent_agency).name}") for s in steps]


def choices_for(action: str, dossier: Dossier) -> dict:
    if action == "assign":
        return {"assignee_id": staff_choices(engine.step_agency(dossier))}
    if action == "route":
        return {"agency_id": route_choices(dossier)}
    if action == "hand_over":
        return {"to_step": later_step_choices(dossier)}
    return {}


def initial_for(action: str, dossier: Dossier) -> dict:
    initial = {"row_version": dossier.row_version}
    if action == "request_completion":  # Form 02: start from every required item the citizen did not send
        given = [{"required_document_id": d.required_document_id} for d in dossier.documents.all()]
        initial["items"] = "\n".join(r.name for r in missing_documents(dossier.variant, given))
    return initial


def build_form(action: str, dossier: Dossier, data=None, files=None) -> ActionForm:
    return form_class(action)(data, files, dossier=dossier, choices=choices_for(action, dossier),
                              initial=initial_for(action, dossier), prefix=action)


def action_views(dossier: Dossier, user, failed: ActionView | None = None) -> list[ActionView]:
    views = []
    for name in allowed_actions(dossier, user):
        if failed is not None and failed.name == name:
            views.append(failed)
            continue
        t = TRANSITIONS[name]
        views.append(ActionView(name, str(t.label), build_form(name, dossier), danger=t.terminal and
                                name not in ("result_ready", "deliver")))
    return views


# -- running an action -----------------------------------------------------------------------------------------------
def run(dossier: Dossier, action: str, user, form: ActionForm) -> Dossier:
    """Call the engine with the form's parameters. A result file is stored first and removed again when the
    engine refuses the action, so a refused action leaves nothing behind."""
    params, stored = form.params(), None
    scan = form.cleaned_data.get("result_scan")
    if scan is not None:
        stored = params["result_file"] = store_result_file(dossier, scan)
    try:
        return engine.perform(dossier.pk, action, user, expected_version=form.cleaned_data["row_version"],
                              **params)
    except Exception:
        if stored:
            DossierDocument._meta.get_field("file").storage.delete(stored)
        raise


def store_result_file(dossier: Dossier, checked) -> str:
    """Save the result file under the dossier's folder; the engine keeps its storage name as `result_file`."""
    field = DossierDocument._meta.get_field("file")
    upload = checked.as_file("ket-qua")
    return field.storage.save(field.generate_filename(DossierDocument(dossier=dossier), upload.name), upload)
