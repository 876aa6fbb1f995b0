"""Procedure search: diacritic- and case-insensitive, every word must match, best matches first.

`Procedure.search_text` stores fold(name code field) ("dang ky ket hon 1.000894 ho tich"); the query is folded the
same way and split into tokens, and each token must occur in the column (plain LIKE, so SQLite and PostgreSQL give
the same answers). Ranking: exact code, then the name starting with the whole phrase, then the phrase at a word
start, then the phrase anywhere, then the remaining AND matches; ties go to the shorter name, then the code.

Typo tolerance, only when no procedure has every word (so exact queries stay exact and cheap):
1. each word that is not a word of any procedure in force is replaced by its closest words (difflib over the
   vocabulary of the procedures in force), and "ky"/"ki", "ly"/"li"… are the same spelling;
2. if still nothing, the procedures with the most words (at least 60 % of them) are returned, so
   "dang ky kinh doanh ho ca the" (the old name) finds "Đăng ký thành lập hộ kinh doanh".
"""

import difflib
import math
from datetime import date

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from motcua.catalog.models import OnlineLevel, Procedure, ProcedureVersion, Variant
from motcua.catalog.rules import ONLINE_LEVELS
from motcua.catalog.services import in_force_q
from motcua.core.text import fold

MAX_LIMIT = 200
PARTIAL_SHARE = 0.6  # share of the query's words a procedure must have when none has them all
CLOSE_MATCH_CUTOFF = 0.75
VOWELS = set("aeiouy")


def tokenize(q: str) -> list[str]:
    return fold(q).split()


def spellings(token: str) -> set[str]:
    """The word and its i/y twin: "ky" and "ki", "ly" and "li" are both correct Vietnamese spellings."""
    found = {token}
    if len(token) >= 2 and token[-1] in "iy" and token[-2] not in VOWELS:
        found.add(token[:-1] + ("y" if token[-1] == "i" else "i"))
    return found


def token_condition(token: str, alternatives: set[str] = frozenset()) -> Q:
    """How one query word matches a procedure: any of its spellings (or typo corrections) as a substring."""
    condition = Q()
    for word in spellings(token) | set(alternatives):
        condition |= Q(search_text__contains=word)
    return condition


def corrections(tokens: list[str], vocabulary: set[str]) -> list[set[str]]:
    """For each word unknown to the vocabulary, its closest known words (typos: "doanh" for "doahn")."""
    words = sorted(vocabulary)
    return [set() if token in vocabulary or len(token) < 3 else
            set(difflib.get_close_matches(token, words, n=3, cutoff=CLOSE_MATCH_CUTOFF)) for token in tokens]


def matching(qs, tokens: list[str], on_date: date):
    """Every word matches; failing that, typo-corrected words; failing that, the most words (≥ 60 %)."""
    exact = qs
    for token in tokens:
        exact = exact.filter(token_condition(token))
    if len(tokens) < 2 or exact.exists():
        return exact
    vocabulary = {w for text in in_force_procedures(on_date).values_list("search_text", flat=True)
                  for w in text.split()}
    conditions = [token_condition(t, alt) for t, alt in zip(tokens, corrections(tokens, vocabulary), strict=True)]
    corrected = qs
    for condition in conditions:
        corrected = corrected.filter(condition)
    if corrected.exists() or len(tokens) < 3:
        return corrected
    hits = sum((Case(When(c, then=Value(1)), default=Value(0), output_field=IntegerField()) for c in conditions),
               Value(0))
    return qs.annotate(hits=hits).filter(hits__gte=max(2, math.ceil(PARTIAL_SHARE * len(tokens))))


def search_procedures(q: str = "", *, field: str | None = None, agency: str | None = None, level: str | None = None,
                      online_level: str | None = None, limit: int = 50, on_date: date | None = None) -> list[Procedure]:
    """Procedures with a published version in force on `on_date` (today) matching every word of `q`, ranked.

    field/agency are codes (agency = one of the competent agencies); online_level is the highest level among the
    in-force version's variants. Each result carries `current_version` (variants prefetched)."""
    on_date = on_date or timezone.localdate()
    qs = in_force_procedures(on_date)
    tokens = tokenize(q)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(level=level)
    if agency:
        through = Procedure.competent_agencies.through.objects.filter(agency__code=agency)
        qs = qs.filter(pk__in=through.values("procedure_id"))  # a subquery, not a join: no duplicate rows
    if online_level:
        qs = filter_online_level(qs, online_level, on_date)
    qs = rank(matching(qs, tokens, on_date), q, tokens)
    order = ("rank", Length("name"), "code")
    qs = qs.order_by(F("hits").desc(), *order) if "hits" in qs.query.annotations else qs.order_by(*order)
    limit = max(1, min(int(limit or 50), MAX_LIMIT))
    return attach_current_version(list(qs[:limit]), on_date)


def in_force_procedures(on_date: date):
    current = ProcedureVersion.objects.filter(in_force_q(on_date), procedure=OuterRef("pk"))
    return Procedure.objects.select_related("field").filter(Exists(current))


def rank(qs, q: str, tokens: list[str]):
    if not tokens:
        return qs.annotate(rank=Value(0, output_field=IntegerField()))
    phrase = " ".join(tokens)
    return qs.annotate(rank=Case(
        When(code__iexact=q.strip(), then=Value(0)),
        When(search_text__startswith=phrase, then=Value(1)),
        When(search_text__contains=f" {phrase}", then=Value(2)),
        When(search_text__contains=phrase, then=Value(3)),
        default=Value(4), output_field=IntegerField(),
    ))


def filter_online_level(qs, online_level: str, on_date: date):
    """Keep procedures whose highest online level (among the in-force version's variants) is `online_level`."""
    if online_level not in ONLINE_LEVELS:
        return qs.none()
    higher = ONLINE_LEVELS[ONLINE_LEVELS.index(online_level) + 1:]
    variants = Variant.objects.filter(in_force_q(on_date, "version__"), version__procedure=OuterRef("pk"))
    if online_level != OnlineLevel.NONE:
        qs = qs.filter(Exists(variants.filter(online_level=online_level)))
    if higher:
        qs = qs.exclude(Exists(variants.filter(online_level__in=higher)))
    return qs


def attach_current_version(procedures: list[Procedure], on_date: date) -> list[Procedure]:
    """Set `current_version` on each procedure with its variants loaded (two queries in all)."""
    versions = (ProcedureVersion.objects.filter(in_force_q(on_date), procedure__in=procedures)
                .prefetch_related(Prefetch("variants", queryset=Variant.objects.order_by("order", "pk"))))
    by_procedure = {v.procedure_id: v for v in versions}
    for procedure in procedures:
        procedure.current_version = by_procedure.get(procedure.pk)
    return procedures


def highest_online_level(version: ProcedureVersion | None) -> str:
    levels = [v.online_level for v in version.variants.all()] if version else []
    return max(levels, key=ONLINE_LEVELS.index, default=OnlineLevel.NONE)
