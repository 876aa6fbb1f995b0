"""One data-building function per form: `form_context(dossier, form_code) -> dict`, shared by PDF and DOCX.

The dict holds only strings, lists and dicts of strings (plus the QR image bytes of the receipt), so an HTML
template and a docxtpl template read the same names: `form`, `header`, `dossier`, `signer`, and per form `documents`,
`items`, `reasons`, `rows`, `extensions`… Data comes from the dossier's own rows (history events, supplement requests,
clock ledger, tracking-sheet hand-overs), never typed again by an officer.
"""

import base64
import io
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.api_errors import DomainError
from motcua.dossiers.models import (
    ClockEvent,
    CopyKind,
    DeliveryMethod,
    Dossier,
    DossierEvent,
    HandOver,
    Outcome,
    Status,
    SupplementRequest,
)
from motcua.forms import registry
from motcua.forms import text as vn


class FormError(DomainError):
    """A form that cannot be printed for this dossier (wrong state, missing data): a clear Vietnamese message."""

    def __init__(self, message: str, code: str = "form_not_applicable", status: int = 409, field: str = "form"):
        super().__init__(code, message, fields={field: [message]}, status=status)


# -- configuration ------------------------------------------------------------------------------------------------
def cutover() -> date:
    value = settings.MOTCUA.get("FORMS_CUTOVER_DATE") or registry.DEFAULT_CUTOVER
    return date.fromisoformat(value) if isinstance(value, str) else value


def template_set_of(dossier: Dossier) -> str:
    """By the valid-reception day (submission day for a dossier never received)."""
    moment = dossier.received_at or dossier.submitted_at
    return registry.template_set_for(local(moment).date() if moment else None, cutover())


def resolve(dossier: Dossier, form_code: str) -> registry.FormSpec:
    tset = template_set_of(dossier)
    found = registry.spec(tset, form_code)
    if found is None:
        raise FormError(_("Mẫu «%(f)s» không có trong bộ mẫu của %(c)s (áp dụng cho hồ sơ này).")
                        % {"f": form_code, "c": registry.CIRCULAR_NAMES[tset]}, code="unknown_form", status=404)
    if found.kind == registry.REGISTER:
        raise FormError(_("Sổ theo dõi hồ sơ in theo đơn vị và kỳ, không theo một hồ sơ."))
    return found


# -- small helpers ------------------------------------------------------------------------------------------------
def local(dt: datetime | None) -> datetime | None:
    return timezone.localtime(dt) if dt is not None else None


def person_name(user) -> str:
    if user is None:
        return ""
    return (getattr(user, "full_name", "") or user.get_full_name() or user.get_username()).strip()


def place_name() -> str:
    """The place before the date ("Bắc Ninh, ngày …"): setting, else the province's People's Committee name."""
    from motcua.agencies.models import Agency

    configured = settings.MOTCUA.get("FORMS_PLACE")
    if configured:
        return configured
    root = Agency.objects.filter(code=settings.MOTCUA.get("PROVINCE_CODE")).first() or \
        Agency.objects.filter(parent__isnull=True).order_by("pk").first()
    return vn.place_from_root(root.name) if root else ""


def header(agency, spec: registry.FormSpec, number: str, day: date | None) -> dict:
    """National header, the issuing unit (its parent above it, both in capitals), number, place and date."""
    parent = agency.parent.name.upper() if agency.parent_id else ""
    return {"parent_name": parent, "agency_name": agency.name.upper(), "agency_name_plain": agency.name,
            "agency_address": agency.address, "agency_phone": agency.phone, "agency_email": agency.email,
            "number": f"Số: {number}/{spec.symbol}" if number else f"Số: ……/{spec.symbol}",
            "place_date": vn.place_date(place_name(), day),
            "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto": "Độc lập - Tự do - Hạnh phúc"}


def form_info(spec: registry.FormSpec) -> dict:
    return {"number": spec.number, "kind": spec.kind, "title": spec.title, "short": spec.short,
            "template_set": spec.template_set, "circular": registry.CIRCULAR_NAMES[spec.template_set],
            "label": f"Mẫu số {spec.number}", "landscape": spec.landscape}


def dossier_info(d: Dossier) -> dict:
    procedure = d.procedure_version.procedure
    return {
        "code": d.code, "procedure_name": procedure.name, "procedure_code": procedure.code,
        "variant_name": d.variant.name, "applicant_name": d.applicant_name,
        "applicant_address": d.applicant_address or "……", "applicant_phone": d.applicant_phone or "……",
        "applicant_email": d.applicant_email or "……", "representative": d.applicant_representative,
        "receiving_agency": d.receiving_agency.name, "competent_agency": d.competent_agency.name,
        "channel": d.get_channel_display(), "status": d.get_status_display(),
        "received": vn.long_datetime(local(d.received_at)), "received_short": vn.short_datetime(local(d.received_at)),
        "due": vn.long_datetime(local(d.original_due_at)),
        "due_short": vn.short_datetime(local(d.original_due_at)),
        "current_due": vn.long_datetime(local(d.due_at)),
        "limit": vn.duration_words(d.variant.effective_limit, d.variant.limit_unit),
    }


def signer(title: str, name: str, note: str = "(Ký và ghi rõ họ tên)") -> dict:
    return {"title": title, "name": name, "note": note}


def last_event(d: Dossier, action: str) -> DossierEvent | None:
    return d.events.filter(action=action).order_by("-seq").select_related("actor").first()


def reason_lines(reason: str) -> list[str]:
    """One reason per line, as the officer wrote them; leading "-"/"•" removed (the template numbers them)."""
    lines = [line.strip().lstrip("-•*").strip() for line in (reason or "").splitlines()]
    return [line for line in lines if line]


# -- per form -----------------------------------------------------------------------------------------------------
def receipt(d: Dossier, spec, lookup_secret: str = "", base_url: str | None = None) -> dict:
    if d.received_at is None:
        raise FormError(_("Hồ sơ %(c)s chưa được tiếp nhận nên chưa có Giấy tiếp nhận và hẹn trả kết quả.")
                        % {"c": d.code})
    event = d.events.filter(action="receive").order_by("seq").select_related("actor").first()
    officer = (event.actor if event else None) or d.created_by
    docs = [{"no": i, "name": doc.name, "kind": CopyKind(doc.copy_kind).label,
             "digitised": "Đã số hóa" if doc.digitised else ""}
            for i, doc in enumerate(d.documents.order_by("id"), start=1)]
    if d.delivery_method:
        pickup = DeliveryMethod(d.delivery_method).label
    else:
        pickup = _("Trực tiếp tại %(a)s") % {"a": d.receiving_agency.name}
    url = lookup_url(d.code, base_url)
    qr_png, qr_svg = qr_images(url)
    return {
        "documents": docs, "document_count": f"{len(docs):02d}", "sets": "01", "pickup": pickup,
        "lookup_url": url, "qr_png": qr_png, "qr_svg_data": qr_svg,
        # Only its hash is stored: printed when the caller still holds the plaintext (right after intake), otherwise
        # a dotted line the officer fills in by hand.
        "lookup_secret": lookup_secret or "……………………",
        "signer": signer("NGƯỜI TIẾP NHẬN HỒ SƠ", person_name(officer)),
        "applicant_signer": signer("NGƯỜI NỘP HỒ SƠ", d.applicant_name),
        "_agency": d.receiving_agency, "_day": local(d.received_at).date(),
    }


def supplement(d: Dossier, spec, request_id=None) -> dict:
    qs = SupplementRequest.objects.filter(dossier=d).select_related("requested_by")
    req = qs.filter(pk=request_id).first() if request_id else qs.order_by("-requested_at", "-pk").first()
    if req is None:
        raise FormError(_("Hồ sơ %(c)s chưa có yêu cầu bổ sung, hoàn thiện nào.") % {"c": d.code})
    items = []
    for i, item in enumerate(req.items, start=1):
        if isinstance(item, dict):
            name = str(item.get("name") or item.get("text") or "")
            items.append({"no": i, "name": name, "reason": str(item.get("reason") or ""),
                          "guidance": str(item.get("guidance") or "")})
        else:
            items.append({"no": i, "name": str(item), "reason": "", "guidance": ""})
    officer = req.requested_by
    phone = (getattr(officer, "phone", "") or d.receiving_agency.phone or "……")
    return {
        "items": items, "reason": req.reason or "……", "request_no": str(qs.filter(requested_at__lte=req.requested_at)
                                                                       .count()),
        "requested": vn.long_datetime(local(req.requested_at)),
        "due_by": vn.long_date(local(req.due_by).date()) if req.due_by else "",
        "contact_name": person_name(officer) or "……", "contact_phone": phone,
        "signer": signer("NGƯỜI HƯỚNG DẪN", person_name(officer)),
        "_agency": d.receiving_agency, "_day": local(req.requested_at).date(),
    }


def refusal(d: Dossier, spec) -> dict:
    event = last_event(d, "refuse")
    if d.status != Status.REFUSED or event is None:
        raise FormError(_("Hồ sơ %(c)s không bị từ chối tiếp nhận (trạng thái: %(s)s); không in Phiếu từ chối.")
                        % {"c": d.code, "s": d.get_status_display()})
    return {
        "reasons": reason_lines(event.reason), "refused": vn.long_datetime(local(event.at)),
        "signer": signer("NGƯỜI TIẾP NHẬN HỒ SƠ", person_name(event.actor) or event.actor_label),
        "_agency": d.receiving_agency, "_day": local(event.at).date(),
    }


def apology(d: Dossier, spec) -> dict:
    extensions = list(ClockEvent.objects.filter(dossier=d, kind="extend").order_by("at", "id"))
    if not extensions:
        raise FormError(_("Hồ sơ %(c)s chưa có đề nghị gia hạn (thao tác «Xin lỗi và gia hạn»); hãy nhập lý do và "
                          "ngày hẹn mới trước khi in.") % {"c": d.code})
    latest = extensions[-1]
    event = d.events.filter(action="extend").order_by("-seq").select_related("actor").first()
    history = [{"no": i, "at": vn.short_datetime(local(e.at)), "reason": e.reason,
                "previous": vn.short_datetime(local(parse_iso(e.data.get("previous_due")))),
                "new": vn.short_datetime(local(parse_iso(e.data.get("new_due"))))}
               for i, e in enumerate(extensions, start=1)]
    new_due = local(parse_iso(latest.data.get("new_due")))
    return {
        "original_due": vn.long_datetime(local(d.original_due_at)),
        "original_due_date": vn.long_date(local(d.original_due_at).date()) if d.original_due_at else "",
        "reason": latest.reason, "new_due": vn.long_datetime(new_due),
        "new_due_date": vn.long_date(new_due.date()) if new_due else "",
        "extensions": history, "extension_count": str(len(history)),
        "signer": signer("THỦ TRƯỞNG CƠ QUAN", person_name(event.actor) if event else "",
                         "(Ký, ghi rõ họ tên và đóng dấu)"),
        "_agency": d.competent_agency, "_day": local(latest.at).date(),
    }


def stop(d: Dossier, spec) -> dict:
    event = last_event(d, "stop")
    if d.status != Status.STOPPED or event is None:
        raise FormError(_("Hồ sơ %(c)s không bị dừng giải quyết (trạng thái: %(s)s); không in Thông báo dừng.")
                        % {"c": d.code, "s": d.get_status_display()})
    return {
        "reasons": reason_lines(event.reason), "stopped": vn.long_datetime(local(event.at)),
        "signer": signer("THỦ TRƯỞNG CƠ QUAN", person_name(event.actor) or event.actor_label,
                         "(Ký, ghi rõ họ tên và đóng dấu)"),
        "_agency": d.competent_agency, "_day": local(event.at).date(),
    }


def tracking(d: Dossier, spec) -> dict:
    if d.received_at is None:
        raise FormError(_("Hồ sơ %(c)s chưa được tiếp nhận nên chưa có Phiếu kiểm soát quá trình.") % {"c": d.code})
    rows = []
    for i, h in enumerate(HandOver.objects.filter(dossier=d).select_related(
            "giver_agency", "receiver_agency", "giver_user", "receiver_user").order_by("handed_at", "id"), start=1):
        rows.append({"no": i, "giver": h.giver_agency.name, "receiver": h.receiver_agency.name,
                     "giver_person": person_name(h.giver_user), "receiver_person": person_name(h.receiver_user),
                     "at": vn.long_datetime(local(h.handed_at)),
                     "outcome": Outcome(h.outcome).label.lower() if h.outcome else "",
                     "note": h.note})
    involved = {r["giver"] for r in rows} | {r["receiver"] for r in rows}
    coordinating = sorted(involved - {d.competent_agency.name, d.receiving_agency.name})
    return {
        "rows": rows, "coordinating": ", ".join(coordinating) or "……",
        "final_outcome": Outcome(d.outcome).label.lower() if d.outcome else "",
        "signer": signer("", ""), "_agency": d.receiving_agency, "_day": local(d.received_at).date(),
    }


def applies(d: Dossier, kind: str) -> bool:
    """Cheap check (no rendering) used by the "In phiếu" menu; the builders above raise FormError in exactly the
    opposite cases (tests/forms/test_context.py keeps them in step)."""
    if kind in (registry.RECEIPT, registry.TRACKING):
        return d.received_at is not None
    if kind == registry.SUPPLEMENT:
        return d.supplement_requests.exists()
    if kind == registry.REFUSAL:
        return d.status == Status.REFUSED and d.events.filter(action="refuse").exists()
    if kind == registry.APOLOGY:
        return d.clock_events.filter(kind="extend").exists()
    if kind == registry.STOP:
        return d.status == Status.STOPPED and d.events.filter(action="stop").exists()
    return False


def printable(d: Dossier) -> list[registry.FormSpec]:
    """The forms of the dossier's template set that apply to it now, in form order."""
    return [spec for spec in registry.forms_of(template_set_of(d)) if applies(d, spec.kind)]


BUILDERS = {registry.RECEIPT: receipt, registry.SUPPLEMENT: supplement, registry.REFUSAL: refusal,
            registry.APOLOGY: apology, registry.STOP: stop, registry.TRACKING: tracking}


def form_context(dossier: Dossier, form_code: str, **options) -> dict:
    """Everything a form of `dossier` prints. Raises FormError (Vietnamese message) when it does not apply."""
    spec = resolve(dossier, form_code)
    data = BUILDERS[spec.kind](dossier, spec, **options)
    agency, day = data.pop("_agency"), data.pop("_day")
    return {"form": form_info(spec), "header": header(agency, spec, document_number(dossier), day),
            "dossier": dossier_info(dossier), **data}


def document_number(d: Dossier) -> str:
    """The dossier code without its receiving-unit prefix ("260213-0001"): unique per unit, short enough for the
    "Số: …/TNHS" line. A province with a numbering register overrides the template's number line."""
    prefix = f"{d.receiving_agency.code}-"
    return d.code[len(prefix):] if d.code.startswith(prefix) else d.code


def parse_iso(value) -> datetime | None:
    if not value:
        return None
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value)


# -- QR code of the public lookup ---------------------------------------------------------------------------------
def lookup_url(code: str, base: str | None = None) -> str:
    """The portal's public lookup; settings.MOTCUA["PORTAL_BASE_URL"] wins over the request's host (a form printed
    from an internal back-office address must still point citizens at the public portal)."""
    base = (settings.MOTCUA.get("PORTAL_BASE_URL") or base or "http://127.0.0.1:8000").rstrip("/")
    from urllib.parse import quote

    return f"{base}/tra-cuu/?code={quote(code)}"


def qr_images(url: str) -> tuple[bytes, str]:
    """PNG bytes (for DOCX) and an SVG data URI (for the PDF, stays vector)."""
    import segno

    qr = segno.make(url, error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=6, border=2)
    svg = io.BytesIO()
    qr.save(svg, kind="svg", scale=4, border=2, xmldecl=False)
    return png.getvalue(), "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode()


# -- the register (Form 07 / TT 01/2018 Form 06) ------------------------------------------------------------------
def register_context(unit, date_from: date, date_to: date, user=None, form_code: str | None = None,
                     max_rows: int | None = None) -> dict:
    """Dossiers received in [date_from, date_to] (local days) whose receiving or competent agency is in `unit`'s
    subtree (and in `user`'s scope when given); one row each, in reception order."""
    from motcua.accounts.scoping import scope_queryset
    from motcua.agencies.models import Agency

    if date_to < date_from:
        raise FormError(_("Ngày kết thúc kỳ phải sau ngày bắt đầu."), code="invalid", status=422, field="to")
    tset = registry.template_set_for(date_from, cutover())
    spec = registry.spec_of_kind(tset, registry.REGISTER)
    if form_code and registry.spec(tset, form_code) != spec:
        raise FormError(_("Sổ theo dõi hồ sơ của kỳ này là Mẫu số %(n)s theo %(c)s.")
                        % {"n": spec.number, "c": registry.CIRCULAR_NAMES[tset]})
    ids = Agency.objects.subtree_of([unit]).values_list("pk", flat=True)
    qs = Dossier.objects.filter(received_at__date__gte=date_from, received_at__date__lte=date_to)
    qs = qs.filter(receiving_agency__in=ids) | qs.filter(competent_agency__in=ids)
    if user is not None:
        base = qs
        qs = scope_queryset(base, user, "competent_agency") | scope_queryset(base, user, "receiving_agency")
    qs = qs.select_related("procedure_version__procedure", "competent_agency").order_by("received_at", "pk")
    if max_rows is not None:
        count = qs.distinct().count()
        if count > max_rows:
            raise FormError(_("Kỳ đã chọn có %(n)s hồ sơ, vượt quá %(m)s dòng in trực tuyến; hãy chọn kỳ ngắn hơn hoặc "
                              "dùng lệnh «motcua forms render --unit …».") % {"n": count, "m": max_rows},
                            code="too_many_rows", status=422, field="to")
    rows = [register_row(i, d) for i, d in enumerate(qs.distinct(), start=1)]
    today = timezone.localdate()
    return {"form": form_info(spec), "header": header(unit, spec, "", today), "rows": rows,
            "period": f"Từ {vn.short_date(date_from)} đến {vn.short_date(date_to)}",
            "total": str(len(rows)), "signer": signer("NGƯỜI LẬP SỔ", "")}


def register_row(no: int, d: Dossier) -> dict:
    first_handover = d.handovers.order_by("handed_at", "id").first()
    supplement_at = d.supplement_requests.order_by("requested_at").values_list("requested_at", flat=True).first()
    notes = []
    if d.outcome:
        notes.append(str(Outcome(d.outcome).label))
    if d.status in (Status.REFUSED, Status.STOPPED, Status.WITHDRAWN):
        notes.append(str(d.get_status_display()))
    return {
        "no": str(no), "code": d.code, "procedure": d.procedure_version.procedure.name,
        "sets": "01", "applicant": d.applicant_name,
        "contact": ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
        "competent": d.competent_agency.name, "received": vn.short_datetime(local(d.received_at)),
        "due": vn.short_datetime(local(d.original_due_at)),
        "transferred": vn.short_datetime(local(first_handover.handed_at)) if first_handover else "",
        "result_or_supplement": vn.short_datetime(local(d.finished_at or supplement_at)),
        "delivered": vn.short_datetime(local(d.delivered_at)), "note": "; ".join(notes),
    }
