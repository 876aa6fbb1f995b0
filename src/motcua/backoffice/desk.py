"""Reception desk (Bộ phận tiếp nhận): find the procedure, pick the case, enter the applicant, tick the checklist,
receive. The dossier is created by `dossiers.services.create_dossier` (status 2, code and due instant); scans are
attached to its document rows in the same transaction. Missing required documents re-render the form with every
missing item and nothing is written; the officer can print Form 02 (phiếu yêu cầu bổ sung) listing them.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.accounts.scoping import visible_agency_ids
from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.backoffice.forms import DeskForm, DocumentRowForm
from motcua.backoffice.queries import by_due, list_queryset
from motcua.catalog.models import Procedure
from motcua.catalog.search import search_procedures
from motcua.catalog.services import version_in_force
from motcua.core.api_errors import DomainError
from motcua.dossiers.models import DossierDocument, Status
from motcua.dossiers.services import create_dossier, missing_documents

RECEIPT_SESSION_KEY = "backoffice_receipt"
APPLICANT_FIELDS = {"kind": "applicant_kind", "name": "name", "personal_id": "personal_id", "tax_code": "tax_code",
                    "phone": "phone", "email": "email", "address": "address", "representative": "representative"}


def reception_agencies(user) -> list[Agency]:
    """Units where the user may receive dossiers (reception role, that unit and its subtree)."""
    ids = visible_agency_ids(user, roles=[Role.RECEPTION])
    qs = Agency.objects.active().order_by("path")
    if ids is not None:
        qs = qs.filter(pk__in=ids, memberships__user=user, memberships__role=Role.RECEPTION).distinct()
    return list(qs[:200])


def pending_online(user):
    """Online submissions (status 1) waiting at one of the user's reception units."""
    ids = visible_agency_ids(user, roles=[Role.RECEPTION])
    qs = list_queryset(user).filter(status=Status.NEW)
    if ids is not None:
        qs = qs.filter(receiving_agency_id__in=ids)
    return by_due(qs).order_by("submitted_at", "pk")[:50]


def chosen_case(request):
    """(procedure, version, variants, variant) from ?procedure=&variant=; None where not chosen or not in force."""
    code = (request.GET.get("procedure") or "").strip()
    procedure = Procedure.objects.filter(code=code).select_related("field").first() if code else None
    version = version_in_force(procedure) if procedure else None
    variants = list(version.variants.order_by("order", "pk")) if version else []
    wanted = request.GET.get("variant") or (str(variants[0].pk) if len(variants) == 1 else "")
    variant = next((v for v in variants if str(v.pk) == wanted), None)
    return procedure, version, variants, variant


@staff_required
def desk(request):
    agencies = reception_agencies(request.user)
    if not agencies:
        raise PermissionDenied(_("Bạn không có vai trò cán bộ một cửa tại đơn vị nào."))
    procedure, version, variants, variant = chosen_case(request)
    if variant is None:
        return search_page(request, procedure, version, variants)
    return intake(request, procedure, variant, agencies)


def search_page(request, procedure, version, variants):
    q = (request.GET.get("q") or "").strip()
    results = search_procedures(q, limit=20) if q else []
    return render(request, "backoffice/desk_search.html", {
        "q": q, "results": results, "procedure": procedure, "version": version, "variants": variants,
        "pending": pending_online(request.user)})


def build_forms(request, variant, agencies):
    procedure = variant.version.procedure
    competent = [(a.pk, a.name) for a in procedure.competent_agencies.active().order_by("name")]
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = DeskForm(data, receiving_choices=[(a.pk, a.name) for a in agencies],
                    competent_choices=competent if len(competent) > 1 else [])
    rows = [DocumentRowForm(data, files, required_document=doc)
            for doc in variant.documents.order_by("order", "pk")]
    return form, rows


def intake(request, procedure, variant, agencies):
    form, rows = build_forms(request, variant, agencies)
    context = {"procedure": procedure, "variant": variant, "form": form, "rows": rows, "missing": [],
               "errors": []}
    if request.method != "POST":
        return render(request, "backoffice/desk_form.html", context)
    if request.POST.get("intent") == "form02":
        return form02(request, procedure, variant, form, rows)
    valid = form.is_valid() & all([row.is_valid() for row in rows])
    ticked = [row for row in rows if row["given"].value()]  # ticked, even when its scan was refused
    context["missing"] = missing_documents(variant, [{"required_document_id": row.required_document.pk}
                                                     for row in ticked])
    if valid and not context["missing"]:
        given = [row.as_document() for row in ticked]
        try:
            dossier = receive(request, procedure, variant, form, rows, given)
        except DomainError as exc:
            context["errors"] = engine_errors(form, exc)
        else:
            request.session[RECEIPT_SESSION_KEY] = {"code": dossier.code, "secret": dossier.lookup_secret_plain}
            return redirect("backoffice:dossier", code=dossier.code)
    context["errors"] = error_summary(form, rows, context["missing"]) + context["errors"]
    return render(request, "backoffice/desk_form.html", context, status=422)


def receive(request, procedure, variant, form, rows, given) -> object:
    """Create the dossier and attach the scans, all or nothing."""
    saved_files = []
    try:
        with transaction.atomic():
            d = form.cleaned_data
            dossier, _created = create_dossier(
                actor=request.user, procedure=procedure, variant=variant, receiving_agency=d["receiving_agency"],
                competent_agency=d.get("competent_agency"), channel=d["channel"], applicant=form.applicant(),
                documents=given, digitised=any(doc["digitised"] for doc in given))
            for row in rows:
                if row.cleaned_data.get("scan"):
                    saved_files.append(attach_scan(dossier, row))
    except Exception:
        for file in saved_files:
            file.storage.delete(file.name)
        raise
    return dossier


def attach_scan(dossier, row):
    checked = row.cleaned_data["scan"]
    document = DossierDocument.objects.get(dossier=dossier, required_document=row.required_document)
    document.file.save(checked.as_file(f"giay-to-{row.required_document.pk}").name,
                       checked.as_file(f"giay-to-{row.required_document.pk}"), save=False)
    document.content_type, document.size, document.sha256 = checked.content_type, checked.size, checked.sha256
    document.digitised = True
    document.save()
    return document.file


def error_summary(form, rows, missing) -> list[dict]:
    """Every problem once, each linked to its field (WCAG error summary)."""
    items = []
    for name, errors in form.errors.items():
        target = f"id_{name}" if name != "__all__" else ""
        label = form.fields[name].label if name in form.fields else ""
        items += [{"target": target, "text": f"{label}: {e}" if label else e} for e in errors]
    for row in rows:
        for name, errors in row.errors.items():
            items += [{"target": f"id_{row.prefix}-{name if name != '__all__' else 'given'}",
                       "text": f"{row.required_document.name}: {e}"} for e in errors]
    items += [{"target": f"id_doc{doc.pk}-given", "text": _("Thiếu giấy tờ bắt buộc: %(n)s.") % {"n": doc.name}}
              for doc in missing]
    return items


def engine_errors(form, exc: DomainError) -> list[dict]:
    """The engine's field errors ("applicant.name", "documents", ...) shown beside our fields where we have one."""
    items = []
    for key, messages in (exc.fields or {}).items():
        name = APPLICANT_FIELDS.get(key.removeprefix("applicant."), key)
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
            else:
                items.append({"target": "", "text": message})
    if not exc.fields:
        items.append({"target": "", "text": exc.message})
    return items


def form02(request, procedure, variant, form, rows):
    """Printable Form 02 (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): every required document not ticked, plus the
    officer's guidance. Nothing is stored: the dossier is not received."""
    given = {row.required_document.pk for row in rows if row["given"].value()}
    missing = [doc for doc in variant.documents.order_by("order", "pk") if doc.required and doc.pk not in given]
    return render(request, "backoffice/form02.html", {
        "procedure": procedure, "variant": variant, "missing": missing,
        "applicant_name": (request.POST.get("name") or "").strip(),
        "applicant_address": (request.POST.get("address") or "").strip(),
        "applicant_phone": (request.POST.get("phone") or "").strip(),
        "guidance": (request.POST.get("guidance") or "").strip(), "now": timezone.now(),
        "back_url": f"{reverse('backoffice:desk')}?procedure={procedure.code}&variant={variant.pk}"})
