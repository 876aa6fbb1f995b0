"""Online submission (nộp hồ sơ trực tuyến): a multi-step form kept as a draft until the citizen submits.

Steps: 1 variant (skipped when the in-force version has one online variant) → 2 applicant (prefilled from the
account) → 3 one upload per checklist item → 4 result delivery → 5 review → submit. Submitting creates the dossier
through `dossiers.services.create_dossier(receive=False, channel=ONLINE)`: status 1 "Mới đăng ký", code assigned,
waiting for the receiving unit's desk. Only variants whose online level is partial or full can be submitted online.

Receiving unit (who checks the dossier at the desk): the first process step's fixed agency when the procedure
configures one; else the commune itself for commune-level procedures; else the province's public administrative
service centre (it receives for every provincial agency); else the competent agency.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import AccountKind
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.models import OnlineLevel, Procedure, ProcedureLevel, ResultType, Variant
from motcua.catalog.services import version_in_force
from motcua.core.api_errors import DomainError
from motcua.dossiers.models import ApplicantKind, Channel, DeliveryMethod, Dossier
from motcua.portal import oidc, uploads
from motcua.portal.citizen_forms import ApplicantForm, DeliveryForm, VariantForm
from motcua.portal.models import DraftFile, SubmissionDraft

ONLINE_LEVELS = (OnlineLevel.PARTIAL, OnlineLevel.FULL)
STEP_VARIANT, STEP_APPLICANT, STEP_FILES, STEP_DELIVERY, STEP_REVIEW = (
    "truong-hop", "nguoi-nop", "giay-to", "nhan-ket-qua", "xem-lai")
STEPS = (STEP_VARIANT, STEP_APPLICANT, STEP_FILES, STEP_DELIVERY, STEP_REVIEW)
SECRET_SESSION_KEY = "motcua_submitted_secrets"


def step_titles() -> dict:
    return {STEP_VARIANT: _("Chọn trường hợp"), STEP_APPLICANT: _("Thông tin người nộp"),
            STEP_FILES: _("Tải lên giấy tờ"), STEP_DELIVERY: _("Nhận kết quả"), STEP_REVIEW: _("Xem lại và nộp")}


# -- rules (no request) --------------------------------------------------------------------------------------------
def online_variants(procedure: Procedure) -> list[Variant]:
    version = version_in_force(procedure)
    if version is None:
        return []
    return [v for v in version.variants.order_by("order", "pk") if v.online_level in ONLINE_LEVELS]


def competent_choices(procedure: Procedure) -> list[Agency]:
    return list(procedure.competent_agencies.active().order_by("path"))


def receiving_agency_for(procedure: Procedure, variant: Variant, competent: Agency) -> Agency:
    first = variant.steps.select_related("agency").order_by("order").first()
    if first is not None and first.agency_id and first.agency.is_active:
        return first.agency
    if procedure.level == ProcedureLevel.COMMUNE:
        return competent
    root = competent.path.split("/")[1] if competent.path else ""
    centre = (Agency.objects.active().filter(kind=AgencyKind.SERVICE_CENTRE, path__startswith=f"/{root}/")
              .order_by("path").first())
    return centre or competent


def delivery_methods(variant: Variant) -> list[str]:
    methods = [DeliveryMethod.COUNTER]
    if variant.postal_out:
        methods.append(DeliveryMethod.POST)
    if variant.result_type in (ResultType.ELECTRONIC, ResultType.BOTH):
        methods.append(DeliveryMethod.ONLINE)
    return methods


def applicant_defaults(user) -> dict:
    return {"name": user.full_name or "", "phone": user.phone or "", "email": user.email or "",
            "address": user.address or ""}


def applicant_payload(user, data: dict) -> dict:
    """What create_dossier receives: the identity comes from the account, never from the form."""
    business = user.kind == AccountKind.BUSINESS
    return {"kind": ApplicantKind.BUSINESS if business else ApplicantKind.PERSON, "name": data.get("name", ""),
            "personal_id": "" if business else (user.personal_id or ""),
            "tax_code": (user.tax_code or "") if business else "", "phone": data.get("phone", ""),
            "email": data.get("email", ""), "address": data.get("address", "")}


def store_file(draft: SubmissionDraft, required_document, checked: uploads.CheckedFile) -> DraftFile:
    """Replace the draft's file for this checklist item (the old file is removed after commit)."""
    old = DraftFile.objects.filter(draft=draft, required_document=required_document).first()
    if old is not None:
        name = old.file.name
        transaction.on_commit(lambda: old.file.storage.delete(name))
        old.delete()
    row = DraftFile(draft=draft, required_document=required_document, original_name=checked.original_name,
                    content_type=checked.content_type, size=checked.size, sha256=checked.sha256)
    content = checked.as_file()
    row.file.save(content.name, content, save=False)
    row.save()
    return row


def attach_file(document, content_type: str, size: int, sha256: str, source) -> None:
    """Copy an uploaded file into a dossier document under a generated name (dossiers/<code>/<uuid>.<ext>)."""
    extension = source.name.rsplit(".", 1)[-1] if "." in source.name else "bin"
    with source.open("rb") as handle:
        content = handle.read()
    document.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    document.content_type, document.size, document.sha256 = content_type, size, sha256
    document.save(update_fields=["file", "content_type", "size", "sha256"])


def submit_draft(draft: SubmissionDraft, user, *, eid: bool) -> Dossier:
    """Create the dossier (status 1, online) from a complete draft; raises DomainError with fields otherwise."""
    from motcua.dossiers.services import create_dossier

    procedure, variant = draft.procedure, draft.variant
    competent = resolve_competent(draft)
    files = {f.required_document_id: f for f in draft.files.select_related("required_document")}
    documents = [{"required_document_id": rid, "name": f.required_document.name, "copy_kind": "copy",
                  "digitised": True} for rid, f in files.items()]
    delivery = draft.data.get("delivery") or {}
    with transaction.atomic():
        dossier, created = create_dossier(
            actor=user, procedure=procedure, variant=variant,
            receiving_agency=receiving_agency_for(procedure, variant, competent), competent_agency=competent,
            channel=Channel.ONLINE, applicant=applicant_payload(user, draft.data.get("applicant") or {}),
            documents=documents, receive=False, idempotency_key=f"portal-draft:{draft.pk}",
            vneid_authenticated=eid and user.eid_verified)
        if created:
            for document in dossier.documents.filter(required_document_id__in=files):
                f = files[document.required_document_id]
                attach_file(document, f.content_type, f.size, f.sha256, f.file)
            # The citizen's delivery choice; the desk's `deliver` action records how it was actually delivered.
            Dossier.objects.filter(pk=dossier.pk).update(delivery_method=delivery.get("method", ""),
                                                         delivery_address=delivery.get("address", ""))
            draft.submitted_at, draft.dossier = timezone.now(), dossier
            draft.save(update_fields=["submitted_at", "dossier", "updated_at"])
            notify_submitted(dossier)
            names = [f.file.name for f in files.values()]
            storage = next(iter(files.values())).file.storage if files else None
            transaction.on_commit(lambda: [storage.delete(n) for n in names] if storage else None)
    return dossier


def notify_submitted(dossier: Dossier) -> None:
    """The confirmation message with code and lookup secret (the secret's plaintext exists only now)."""
    try:
        from motcua.notifications.services import Event, notify
    except ImportError:  # the notifications app is not installed in this deployment
        return
    notify(dossier, Event.SUBMITTED, lookup_secret=getattr(dossier, "lookup_secret_plain", ""))


def resolve_competent(draft: SubmissionDraft) -> Agency:
    choices = competent_choices(draft.procedure)
    chosen = draft.data.get("competent_agency")
    for agency in choices:
        if len(choices) == 1 or str(agency.pk) == str(chosen):
            return agency
    if not choices:
        # No competent agency listed: the province's service centre decides where it goes.
        centre = Agency.objects.active().filter(kind=AgencyKind.SERVICE_CENTRE).order_by("path").first()
        if centre is not None:
            return centre
    raise DomainError("invalid", _("Chưa chọn cơ quan giải quyết."),
                      fields={"agency": [_("Chọn cơ quan giải quyết.")]}, status=422)


def draft_problems(draft: SubmissionDraft, user) -> dict[str, list[str]]:
    """Per step, what still prevents submitting (empty dict = ready)."""
    problems: dict[str, list[str]] = {}
    if draft.variant_id is None or draft.variant not in online_variants(draft.procedure):
        problems[STEP_VARIANT] = [_("Chọn trường hợp thực hiện thủ tục.")]
        return problems
    form = ApplicantForm(draft.data.get("applicant") or {}, agencies=competent_choices(draft.procedure))
    if not form.is_valid():
        problems[STEP_APPLICANT] = [f"{form.fields[k].label}: {e}" if k in form.fields else e
                                    for k, errors in form.errors.items() for e in errors]
    have = set(draft.files.values_list("required_document_id", flat=True))
    missing = [d.name for d in draft.variant.documents.filter(required=True).order_by("order") if d.pk not in have]
    if missing:
        problems[STEP_FILES] = [_("Chưa tải lên: %(n)s.") % {"n": name} for name in missing]
    delivery = DeliveryForm(draft.data.get("delivery") or {}, methods=delivery_methods(draft.variant))
    if not delivery.is_valid():
        problems[STEP_DELIVERY] = [e for errors in delivery.errors.values() for e in errors]
    return problems


# -- views ----------------------------------------------------------------------------------------------------------
def citizen_required(view):
    """Logged-in citizen or business account; others get a page explaining how to log in or register."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return render(request, "portal/account/login_needed.html", {
                "next": request.get_full_path(), "oidc_enabled": oidc.enabled(),
                "oidc_name": oidc.provider_name()})
        if user.kind not in (AccountKind.CITIZEN, AccountKind.BUSINESS):
            return render(request, "portal/not_found.html", {
                "message": _("Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy dùng chức năng tiếp nhận của "
                             "bộ phận một cửa.")}, status=403)
        return view(request, *args, **kwargs)
    return wrapper


def _not_found(request, message: str):
    return render(request, "portal/not_found.html", {"message": message}, status=404)


@citizen_required
def start(request, procedure_code):
    procedure = Procedure.objects.filter(code=procedure_code).first()
    if procedure is None or version_in_force(procedure) is None:
        return _not_found(request, _("Không tìm thấy thủ tục có mã «%(c)s» đang có hiệu lực.") % {"c": procedure_code})
    variants = online_variants(procedure)
    if not variants:
        return render(request, "portal/submit/not_online.html", {"procedure": procedure}, status=404)
    drafts = SubmissionDraft.objects.filter(user=request.user, procedure=procedure, submitted_at__isnull=True,
                                            expires_at__gt=timezone.now())
    draft = drafts.first()
    if draft is None:  # at most one open draft per procedure, so reloading this page never piles them up
        draft = SubmissionDraft(user=request.user, procedure=procedure,
                                variant=variants[0] if len(variants) == 1 else None,
                                data={"applicant": applicant_defaults(request.user)})
        draft.save()
    first = STEP_VARIANT if len(variants) > 1 else STEP_APPLICANT
    return redirect("portal:submit_step", draft=draft.pk, step=first)


def _load_draft(request, draft_id):
    draft = (SubmissionDraft.objects.select_related("procedure", "variant")
             .filter(pk=draft_id, user=request.user).first())
    return draft


@citizen_required
def step(request, draft, step):
    found = _load_draft(request, draft) if step in STEPS else None
    if found is None:  # someone else's draft looks exactly like a missing one
        return _not_found(request, _("Không tìm thấy hồ sơ nháp này trong tài khoản của bạn."))
    draft = found
    if draft.submitted_at is not None:
        return redirect("portal:my_dossier", code=draft.dossier.code) if draft.dossier else redirect("portal:my_dossiers")
    if draft.is_expired:
        return render(request, "portal/submit/expired.html", {"draft": draft, "days": _draft_days()}, status=410)
    if step != STEP_VARIANT and draft.variant_id is None:
        return redirect("portal:submit_step", draft=draft.pk, step=STEP_VARIANT)
    return STEP_VIEWS[step](request, draft)


def _draft_days() -> int:
    from motcua.portal.models import draft_days

    return draft_days()


def _page(request, draft, step, context, status=200):
    variants = online_variants(draft.procedure)
    shown = [s for s in STEPS if s != STEP_VARIANT or len(variants) > 1]
    titles = step_titles()
    return render(request, f"portal/submit/{step.replace('-', '_')}.html", {
        "draft": draft, "procedure": draft.procedure, "variant": draft.variant, "step": step,
        "title": titles[step], "steps": [{"slug": s, "title": titles[s], "current": s == step,
                                          "number": i} for i, s in enumerate(shown, start=1)],
        "step_number": shown.index(step) + 1, "step_count": len(shown), **context}, status=status)


def _after(request, draft, step):
    """Where the buttons lead: 'save' → my dossiers (draft kept), 'back' → previous step, else the next one."""
    action = request.POST.get("action", "next")
    if action == "save":
        messages.success(request, _("Đã lưu hồ sơ nháp. Bạn có thể tiếp tục đến hết ngày %(d)s.")
                         % {"d": timezone.localtime(draft.expires_at).strftime("%d/%m/%Y")})
        return redirect("portal:my_dossiers")
    index = STEPS.index(step)
    target = STEPS[index - 1] if action == "back" else STEPS[index + 1]
    if target == STEP_VARIANT and len(online_variants(draft.procedure)) <= 1:
        target = STEP_APPLICANT
    return redirect("portal:submit_step", draft=draft.pk, step=target)


def variant_step(request, draft):
    variants = online_variants(draft.procedure)
    form = VariantForm(request.POST or None, variants=variants,
                       initial={"variant": draft.variant_id})
    if request.method == "POST" and form.is_valid():
        chosen = next(v for v in variants if v.pk == form.cleaned_data["variant"])
        if chosen.pk != draft.variant_id:
            for f in draft.files.all():  # checklists differ between variants
                f.file.delete(save=False)
            draft.files.all().delete()
        draft.variant = chosen
        draft.save()
        return _after(request, draft, STEP_VARIANT)
    return _page(request, draft, STEP_VARIANT, {"form": form, "variants": variants},
                 status=422 if form.errors else 200)


def applicant_step(request, draft):
    agencies = competent_choices(draft.procedure)
    stored = {**(draft.data.get("applicant") or {}), "agency": draft.data.get("competent_agency") or ""}
    form = ApplicantForm(request.POST or None, agencies=agencies, initial=stored)
    if request.method == "POST":
        raw = {k: request.POST.get(k, "").strip() for k in ("name", "phone", "email", "address")}
        draft.data = {**draft.data, "applicant": raw, "competent_agency": request.POST.get("agency") or None}
        valid = form.is_valid()
        if valid:
            draft.data["applicant"] = {k: form.cleaned_data[k] for k in ("name", "phone", "email", "address")}
        draft.save()
        if valid or request.POST.get("action") == "save":
            return _after(request, draft, STEP_APPLICANT)
    return _page(request, draft, STEP_APPLICANT, {"form": form, "user": request.user},
                 status=422 if form.errors else 200)


def files_step(request, draft):
    documents = list(draft.variant.documents.order_by("order"))
    errors: dict[int, str] = {}
    if request.method == "POST":
        with transaction.atomic():
            for document in documents:
                upload = request.FILES.get(f"doc_{document.pk}")
                if upload is None:
                    continue
                try:
                    store_file(draft, document, uploads.check_upload(upload))
                except uploads.ValidationError as exc:
                    errors[document.pk] = exc.messages[0]
            draft.save()
        have = set(draft.files.values_list("required_document_id", flat=True))
        if request.POST.get("action", "next") == "next" and not errors:
            for document in documents:
                if document.required and document.pk not in have:
                    errors[document.pk] = _("Chưa tải lên «%(n)s» (bắt buộc).") % {"n": document.name}
        if not errors:
            return _after(request, draft, STEP_FILES)
    stored = {f.required_document_id: f for f in draft.files.all()}
    rows = [{"document": d, "stored": stored.get(d.pk), "error": errors.get(d.pk)} for d in documents]
    return _page(request, draft, STEP_FILES, {"rows": rows, "errors": errors, "accept": uploads.ACCEPT_ATTR},
                 status=422 if errors else 200)


def delivery_step(request, draft):
    methods = delivery_methods(draft.variant)
    form = DeliveryForm(request.POST or None, methods=methods, initial=draft.data.get("delivery") or {})
    if request.method == "POST":
        draft.data = {**draft.data, "delivery": {"method": request.POST.get("method", ""),
                                                 "address": request.POST.get("address", "").strip()}}
        valid = form.is_valid()
        if valid:
            draft.data["delivery"] = {"method": form.cleaned_data["method"], "address": form.cleaned_data["address"]}
        draft.save()
        if valid or request.POST.get("action") == "save":
            return _after(request, draft, STEP_DELIVERY)
    return _page(request, draft, STEP_DELIVERY, {"form": form}, status=422 if form.errors else 200)


def review_step(request, draft):
    problems = draft_problems(draft, request.user)
    if request.method == "POST" and request.POST.get("action") == "back":
        return _after(request, draft, STEP_REVIEW)
    error = None
    if request.method == "POST" and not problems:
        try:
            dossier = submit_draft(draft, request.user, eid=oidc.session_is_eid(request))
        except DomainError as exc:
            error = exc
        else:
            secrets = request.session.get(SECRET_SESSION_KEY, {})
            secrets[dossier.code] = getattr(dossier, "lookup_secret_plain", "")
            request.session[SECRET_SESSION_KEY] = secrets
            return redirect("portal:submitted", code=dossier.code)
    data = draft.data
    agencies = {str(a.pk): a for a in competent_choices(draft.procedure)}
    delivery = data.get("delivery") or {}
    return _page(request, draft, STEP_REVIEW, {
        "problems": problems, "titles": step_titles(), "applicant": data.get("applicant") or {},
        "agency": agencies.get(str(data.get("competent_agency"))) or (next(iter(agencies.values()))
                                                                     if len(agencies) == 1 else None),
        "files": draft.files.select_related("required_document").order_by("required_document__order"),
        "delivery_label": DeliveryMethod(delivery["method"]).label if delivery.get("method") in
        DeliveryMethod.values else "", "delivery_address": delivery.get("address", ""), "error": error,
    }, status=422 if (request.method == "POST" and (problems or error)) else 200)


STEP_VIEWS = {STEP_VARIANT: variant_step, STEP_APPLICANT: applicant_step, STEP_FILES: files_step,
              STEP_DELIVERY: delivery_step, STEP_REVIEW: review_step}


@citizen_required
def submitted(request, code):
    dossier = Dossier.objects.filter(code=code, applicant_user=request.user).select_related(
        "receiving_agency", "procedure_version__procedure").first()
    if dossier is None:
        return _not_found(request, _("Không tìm thấy hồ sơ «%(c)s» trong tài khoản của bạn.") % {"c": code})
    secrets = request.session.get(SECRET_SESSION_KEY, {})
    secret = secrets.pop(code, "")  # shown once
    request.session[SECRET_SESSION_KEY] = secrets
    return render(request, "portal/submit/submitted.html", {
        "dossier": dossier, "secret": secret, "procedure": dossier.procedure_version.procedure,
        "lookup_url": reverse("portal:lookup") + f"?code={dossier.code}",
        "qr_url": reverse("portal:lookup_qr", args=[dossier.code])})
