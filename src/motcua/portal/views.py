"""Citizens' pages: find a procedure (search, browse by field, agency or life event) and read it.

Only procedures with a published version in force today are shown; searching and ranking belong to
`catalog.search`, this module only lists and presents.
"""

from django.db.models import Count
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Field, Procedure
from motcua.catalog.search import (
    MAX_LIMIT,
    attach_current_version,
    highest_online_level,
    in_force_procedures,
    search_procedures,
)
from motcua.catalog.services import version_in_force
from motcua.portal import presenters
from motcua.portal.forms import SearchForm

RESULTS_PER_PAGE = 50


def home(request):
    """Search box and the three ways to browse; `/?q=` answers like `/thu-tuc/?q=`."""
    if request.GET.get("q", "").strip():
        return procedure_list(request)
    today = timezone.localdate()
    return render(request, "portal/home.html", {
        "form": SearchForm(),
        "fields": fields_in_force(today),
        "life_events": life_events_in_force(today),
    })


def procedure_list(request):
    today = timezone.localdate()
    fields = fields_in_force(today)
    form = SearchForm(request.GET or None, fields=[(f["code"], f["name"]) for f in fields])
    results = []
    if form.is_bound and form.is_valid():
        results = search_procedures(**form.search_arguments(), limit=RESULTS_PER_PAGE, on_date=today)
    elif not form.is_bound:
        results = search_procedures(limit=RESULTS_PER_PAGE, on_date=today)
    return render(request, "portal/results.html", {
        "form": form, "query": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
        "results": _cards(results), "limit": RESULTS_PER_PAGE,
    })


def field_index(request):
    return render(request, "portal/browse_index.html", {
        "title": _("Thủ tục theo lĩnh vực"),
        "entries": [{"url": reverse("portal:field", args=[f["code"]]), "name": f["name"], "count": f["count"]}
                    for f in fields_in_force(timezone.localdate())],
    })


def field_detail(request, code):
    field = Field.objects.filter(code=code).first()
    if field is None:
        return not_found(request, _("Không tìm thấy lĩnh vực có mã «%(code)s».") % {"code": code})
    results = search_procedures(field=code, limit=MAX_LIMIT)
    return _browse_page(request, _("Lĩnh vực: %(name)s") % {"name": field.name}, results)


def agency_index(request):
    return render(request, "portal/browse_index.html", {
        "title": _("Thủ tục theo cơ quan thực hiện"),
        "entries": [{"url": reverse("portal:agency", args=[a["code"]]), "name": a["name"], "count": a["count"]}
                    for a in agencies_in_force(timezone.localdate())],
    })


def agency_detail(request, code):
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        return not_found(request, _("Không tìm thấy cơ quan có mã «%(code)s».") % {"code": code})
    results = search_procedures(agency=code, limit=MAX_LIMIT)
    return _browse_page(request, _("Cơ quan: %(name)s") % {"name": agency.name}, results)


def life_event_index(request):
    return render(request, "portal/browse_index.html", {
        "title": _("Thủ tục theo sự kiện cuộc sống"),
        "entries": life_events_in_force(timezone.localdate()),
    })


def life_event_detail(request, slug):
    today = timezone.localdate()
    name, procedures = None, []
    for procedure in in_force_procedures(today).exclude(life_events="").order_by("name"):
        for event in presenters.split_life_events(procedure.life_events):
            if presenters.life_event_slug(event) == slug:
                name = name or event
                procedures.append(procedure)
                break
    if name is None:
        return not_found(request, _("Không tìm thấy sự kiện cuộc sống «%(slug)s».") % {"slug": slug})
    results = attach_current_version(procedures, today)
    return _browse_page(request, _("Sự kiện: %(name)s") % {"name": name}, results)


def procedure_detail(request, code):
    procedure = (Procedure.objects.select_related("field").prefetch_related("competent_agencies")
                 .filter(code=code).first())
    version = version_in_force(procedure) if procedure else None
    if version is None:
        return not_found(request, _("Không tìm thấy thủ tục có mã «%(code)s» đang có hiệu lực.") % {"code": code})
    variants = list(version.variants.order_by("order", "pk").prefetch_related("documents", "fees"))
    level = highest_online_level(version)
    return render(request, "portal/procedure.html", {
        "procedure": procedure, "version": version, "variants": [_variant_view(v) for v in variants],
        "agencies": list(procedure.competent_agencies.all()),
        "online_label": presenters.online_label(level), "online": presenters.is_online(level),
        "submit_url": submission_url(code) if presenters.is_online(level) else None,
        "templates": [d.template_name for v in variants for d in v.documents.all() if d.template_name],
        "life_events": [{"name": e, "slug": presenters.life_event_slug(e)}
                        for e in presenters.split_life_events(procedure.life_events)],
    })


def not_found(request, message: str):
    return render(request, "portal/not_found.html", {"message": message}, status=404)


# --- helpers ------------------------------------------------------------------------------------------------------

def submission_url(code: str) -> str | None:
    """The online submission page, only once such a page is routed (the submission flow is a later issue)."""
    url = f"/nop-ho-so/{code}/"
    try:
        resolve(url)
    except Resolver404:
        return None
    return url


def fields_in_force(today) -> list[dict]:
    rows = (in_force_procedures(today).values("field__code", "field__name").annotate(count=Count("pk"))
            .order_by("field__name"))
    return [{"code": r["field__code"], "name": r["field__name"], "count": r["count"]} for r in rows]


def agencies_in_force(today) -> list[dict]:
    through = Procedure.competent_agencies.through.objects
    rows = (through.filter(procedure__in=in_force_procedures(today).values("pk"))
            .values("agency__code", "agency__name").annotate(count=Count("procedure_id", distinct=True))
            .order_by("agency__name"))
    return [{"code": r["agency__code"], "name": r["agency__name"], "count": r["count"]} for r in rows]


def life_events_in_force(today) -> list[dict]:
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for text in in_force_procedures(today).exclude(life_events="").values_list("life_events", flat=True):
        for event in presenters.split_life_events(text):
            slug = presenters.life_event_slug(event)
            names.setdefault(slug, event)
            counts[slug] = counts.get(slug, 0) + 1
    return [{"url": reverse("portal:life_event", args=[slug]), "slug": slug, "name": names[slug], "count": counts[slug]}
            for slug in sorted(names, key=lambda s: names[s])]


def _browse_page(request, title: str, results):
    return render(request, "portal/browse.html", {"title": title, "results": _cards(results)})


def _cards(procedures) -> list[dict]:
    """What a result line shows: name, code, field, level and how it can be submitted."""
    cards = []
    for procedure in procedures:
        level = highest_online_level(getattr(procedure, "current_version", None))
        cards.append({"procedure": procedure, "online_label": presenters.online_label(level),
                      "online": presenters.is_online(level)})
    return cards


def _variant_view(variant) -> dict:
    documents = list(variant.documents.all())
    fees = [{"name": fee.name, "amount": presenters.money(fee.amount),
             "online_amount": presenters.money(fee.online_amount) if fee.online_amount is not None else "",
             "exemption": fee.exemption} for fee in variant.fees.all()]
    return {
        "variant": variant, "time_limit": presenters.time_limit(variant),
        "documents": [{"document": d, "counts": presenters.document_counts(d)} for d in documents],
        "fees": fees, "online_label": presenters.online_label(variant.online_level),
    }
