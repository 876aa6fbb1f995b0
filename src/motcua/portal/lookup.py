"""Public dossier lookup (tra cứu hồ sơ) by code + lookup secret, or code + the applicant's phone number.

- No enumeration: an unknown code, a wrong secret and a wrong phone give the very same response, and the secret
  is compared in constant time (a dummy comparison runs when the code is unknown).
- Rate limited per client IP and per dossier code (settings.MOTCUA["LOOKUP_RATE"], default "10/m") through
  django-ratelimit on Django's cache: 429 with a Vietnamese message. Several server processes need a shared cache
  (CACHES → Redis) for the limit to hold across them.
- The QR code printed on the receipt links to /tra-cuu/?code=<code> (`qr_svg`).
"""

import hashlib
import hmac
import re
import weakref

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connections
from django.db.models.query import ModelIterable, get_related_populators
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    Status,
    SupplementRequest,
    hash_secret,
    secret_matches,
)
from motcua.dossiers.transitions import TRANSITIONS
from motcua.portal.citizen_forms import LookupForm, normalise_phone

CODE_RE = re.compile(r"^[A-Za-z0-9.\-_]{1,64}$")
DUMMY_HASH = hashlib.sha256(b"motcua-no-such-dossier").hexdigest()


PLAIN_STATUS = {
    Status.NEW: gettext_lazy("Đã nộp trực tuyến, đang chờ cán bộ tiếp nhận"),
    Status.RECEIVED: gettext_lazy("Đã được tiếp nhận"),
    Status.REFUSED: gettext_lazy("Không được tiếp nhận"),
    Status.PROCESSING: gettext_lazy("Đang được giải quyết"),
    Status.SUPPLEMENT: gettext_lazy("Cần bổ sung giấy tờ"),
    Status.PAYMENT: gettext_lazy("Cần nộp phí, lệ phí"),
    Status.WITHDRAWN: gettext_lazy("Đã rút hồ sơ"),
    Status.STOPPED: gettext_lazy("Đã dừng giải quyết"),
    Status.FINISHED: gettext_lazy("Đã có kết quả, mời nhận kết quả"),
    Status.DELIVERED: gettext_lazy("Đã trả kết quả"),
}


def plain_status(status: int) -> str:
    """What a status means for the citizen, in everyday words."""
    return plain_labels().get(status, "")


_PLAIN_LABELS: dict[str, dict[int, str]] = {}
setting_changed.connect(lambda **kwargs: _PLAIN_LABELS.clear(), weak=False)  # tests switching languages or catalogs


def plain_labels() -> dict[int, str]:
    """PLAIN_STATUS translated into the active language, once per process and language (a timeline shows up to a
    dozen of them)."""
    language = get_language()
    labels = _PLAIN_LABELS.get(language)
    if labels is None:
        labels = _PLAIN_LABELS[language] = {status: str(label) for status, label in PLAIN_STATUS.items()}
    return labels


def lookup_rate() -> str:
    return settings.MOTCUA.get("LOOKUP_RATE", "10/m")


def _code_key(group, request) -> str:
    return (request.POST.get("code") or "").strip().upper()[:64]


def rate_limited(request) -> bool:
    """Counts this attempt against the client IP and against the code; True once either is over the rate."""
    by_ip = is_ratelimited(request, group="portal-lookup-ip", key="ip", rate=lookup_rate(), increment=True)
    by_code = is_ratelimited(request, group="portal-lookup-code", key=_code_key, rate=lookup_rate(), increment=True)
    return by_ip or by_code


# The columns the lookup and its page read — of the procedure version and procedure only what the page shows. The
# payment and rating checks read many more: dossier_context loads the rest for them (status 6, or the applicant
# signed in), one query, instead of every lookup carrying 49 columns (their SQL, conversion and objects were a
# fifth of the dossier query's cost).
PAGE_FIELDS = ("id", "code", "lookup_secret", "procedure_version", "applicant_name", "applicant_phone",
               "applicant_user", "status", "received_at", "due_at", "procedure_version__procedure__code",
               "procedure_version__procedure__name")


class CompiledQuery:
    """An ORM query turned into SQL once per database connection, then run with a new parameter on each call.

    Building the SQL of the lookup's dossier query (two joins) cost the CPU several times more than running it, on
    every request: Django compiles each queryset anew. This keeps what its compiler produced — the SQL, the column
    converters and the row-to-object mapping of `select_related` — and replays them as `ModelIterable` /
    `ValuesListIterable` would. `build(param)` must give the same query shape whatever the parameter; `marker` is a
    value of the parameter's type that appears nowhere else in the query. Plans are kept per connection object
    (one per thread): the converters are bound to the connection they were compiled for."""

    def __init__(self, build, marker):
        self.build, self.marker = build, marker
        self.plans = weakref.WeakKeyDictionary()

    def plan(self, alias: str):
        connection = connections[alias]
        plan = self.plans.get(connection)
        if plan is None:
            queryset = self.build(self.marker)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            slots = [i for i, p in enumerate(params) if p == self.marker]
            if len(slots) != 1:
                raise ValueError("the parameter must appear exactly once in the compiled query")
            converters = compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]])
            klass_info = compiler.klass_info
            if klass_info is not None and issubclass(queryset._iterable_class, ModelIterable):
                fields = klass_info["select_fields"]
                start, end = fields[0], fields[-1] + 1
                init_list = [f[0].target.attname for f in compiler.select[start:end]]
                model = (klass_info["model"], start, end, init_list,
                         get_related_populators(klass_info, compiler.select, alias))
            else:
                model = None
            plan = self.plans[connection] = (connection, sql, list(params), slots[0], converters, model)
        return plan

    def rows(self, param, alias: str) -> list[list]:
        """The result rows, each column converted to its Python value (datetimes, booleans, JSON…)."""
        connection, sql, params, slot, converters, _model = self.plan(alias)
        params = params.copy()
        params[slot] = param
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters.items():
                    value = row[position]
                    for convert in functions:
                        value = convert(value, expression, connection)
                    row[position] = value
        return rows

    def column(self, alias: str, attname: str) -> int:
        """Position of a field of the main model in a row."""
        _model_cls, start, _end, init_list, _populators = self.plan(alias)[5]
        return start + init_list.index(attname)

    def instance(self, row, alias: str):
        """The model instance of a row, its select_related objects attached (a queryset's own objects)."""
        model_cls, start, end, init_list, populators = self.plan(alias)[5]
        obj = model_cls.from_db(alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        return obj


NO_CODE = "\x00no-such-code\x00"
PAGE_QUERY = CompiledQuery(lambda code: Dossier.objects.filter(code=code)
                           .select_related("procedure_version__procedure").only(*PAGE_FIELDS)[:1], NO_CODE)
# Plain rows, no model instances: the page only reads three columns.
TIMELINE_QUERY = CompiledQuery(lambda dossier_id: DossierEvent.objects.filter(dossier_id=dossier_id).order_by("seq")
                               .values_list("to_status", "at", "reason"), -7_310_000_013)


def find_dossier(code: str, secret: str) -> Dossier | None:
    """The dossier when `secret` is its lookup secret or its applicant's phone; None otherwise (same timing).

    The secret and the phone are checked on the raw row: no objects are built for a wrong secret."""
    alias = Dossier.objects.db  # the replica router's choice (the lookup may read from a replica)
    rows = PAGE_QUERY.rows(code, alias) if CODE_RE.match(code or "") else []
    if not rows:
        hmac.compare_digest(DUMMY_HASH, hash_secret(secret or ""))
        hmac.compare_digest("0000000000", normalise_phone(secret) or "-")
        return None
    row = rows[0]
    by_secret = secret_matches(row[PAGE_QUERY.column(alias, "lookup_secret")], secret)
    phone = normalise_phone(row[PAGE_QUERY.column(alias, "applicant_phone")])
    by_phone = bool(phone) and hmac.compare_digest(phone, normalise_phone(secret) or "-")
    return PAGE_QUERY.instance(row, alias) if (by_secret or by_phone) else None


def lookup(request):
    if request.method != "POST":
        initial_code = (request.GET.get("code") or request.GET.get("ma") or "").strip()[:64]
        return render(request, "portal/lookup/lookup.html",
                      {"form": LookupForm(initial={"code": initial_code}), "dossier": None, "error": ""})
    if rate_limited(request):
        return render(request, "portal/lookup/lookup.html", {
            "form": LookupForm(request.POST), "dossier": None,
            "error": _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau một phút.")}, status=429)
    pair = LookupForm.cleaned_pair(request.POST)
    if pair is not None:
        dossier = find_dossier(*pair)
        if dossier is not None:
            return render(request, "portal/lookup/result.html", dossier_context(dossier, request.user))
    # Same page whatever went wrong: the secret is never echoed back, only the code typed.
    return render(request, "portal/lookup/lookup.html", {
        "form": LookupForm(initial={"code": (request.POST.get("code") or "").strip()[:64]}), "dossier": None,
        "error": _("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu (hoặc số điện thoại) đã nhập. "
                   "Vui lòng kiểm tra lại.")}, status=200)


# -- what a dossier page shows the citizen ----------------------------------------------------------------------------
def timeline(dossier: Dossier) -> list[dict]:
    """Status changes only (internal step moves are the agencies' business), oldest first. Each row carries its time
    already formatted ("iso" for <time datetime>, "when" shown: what the date filter gave, at a fraction of its
    cost)."""
    rows, last = [], None
    tz = timezone.get_current_timezone()
    labels = plain_labels()
    for status, at, reason in TIMELINE_QUERY.rows(dossier.pk, DossierEvent.objects.db):
        if status is None or status == last:
            continue
        last = status
        shown_reason = reason if status in (Status.REFUSED, Status.STOPPED, Status.SUPPLEMENT) else ""
        at = at.astimezone(tz)
        rows.append({"at": at, "iso": at.isoformat(), "when": at.strftime("%H:%M %d/%m/%Y"),
                     "label": labels.get(status, ""), "reason": shown_reason})
    return rows


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status == Status.NEW:  # Form 02 from the desk before reception (dossiers.reception)
        from motcua.dossiers.reception import awaiting_completion

        return awaiting_completion(dossier)
    if dossier.status != Status.SUPPLEMENT:
        return None
    return dossier.supplement_requests.filter(fulfilled_at__isnull=True).order_by("-requested_at").first()


def item_name(item) -> str:
    if isinstance(item, dict):
        return str(item.get("name") or item.get("text") or "")
    return str(item)


def dossier_context(dossier: Dossier, user) -> dict:
    """Status, timeline, due date and what is expected of the citizen (shared by lookup and "my dossiers")."""
    from motcua.portal import services_bridge

    supplement = open_supplement(dossier)
    owner = bool(user.is_authenticated and dossier.applicant_user_id == user.pk)
    if owner or dossier.status == Status.PAYMENT:
        deferred = dossier.get_deferred_fields()
        if deferred:  # a lookup's dossier (PAGE_FIELDS): the payment and rating checks read the other columns
            dossier.refresh_from_db(fields=sorted(deferred))
    due = timezone.localtime(dossier.due_at) if dossier.due_at else None
    return {
        "dossier": dossier, "procedure": dossier.procedure_version.procedure,
        "status_label": plain_status(dossier.status), "timeline": timeline(dossier),
        "due": due, "due_text": due.strftime("%d/%m/%Y") if due else "",
        "supplement": supplement, "supplement_items": [item_name(i) for i in supplement.items] if supplement else [],
        # The page offers payment only in status 6 (fees requested): no payment queries for other statuses.
        "can_pay": dossier.status == Status.PAYMENT and services_bridge.can_pay(dossier),
        "can_rate": owner and services_bridge.can_rate(dossier, user),
        "finished": dossier.status in (Status.FINISHED, Status.DELIVERED), "owner": owner,
        "can_withdraw": owner and dossier.status in TRANSITIONS["withdraw"].from_statuses,
    }


def qr_svg(request, code):
    """An SVG QR code of the public lookup link for `code` (reveals nothing: the code is printed beside it)."""
    import io

    import segno

    if not CODE_RE.match(code):
        return HttpResponseBadRequest(_("Mã hồ sơ không hợp lệ."))
    base = (settings.MOTCUA.get("PORTAL_BASE_URL") or request.build_absolute_uri("/")).rstrip("/")
    buffer = io.BytesIO()
    segno.make(f"{base}/tra-cuu/?code={code}", error="m").save(
        buffer, kind="svg", scale=4, border=4, title=_("Mã QR tra cứu hồ sơ %(c)s") % {"c": code})
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
