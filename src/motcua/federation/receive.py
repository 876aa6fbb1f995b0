"""National side: verify signed requests against the registered provinces, store what they publish idempotently.

Events: one row per dossier (`FederatedDossierStatus`), replaced only by an event with a higher number for that
dossier, so a resent or reordered batch changes nothing. Statistics: one row per (province, period, definition,
unit), replaced only by figures computed later than the stored ones.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.api_errors import DomainError
from motcua.federation import exchange, signing
from motcua.federation.models import FederatedDossierStatus, FederatedStatistic, FederationNonce, ProvinceFeed

MESSAGES = {
    "signature_missing": gettext_lazy("Thiếu chữ ký của yêu cầu liên thông."),
    "timestamp_invalid": gettext_lazy("Thời điểm ký không hợp lệ."),
    "timestamp_stale": gettext_lazy("Yêu cầu đã quá hạn hoặc đồng hồ hai hệ thống lệch nhau quá 5 phút."),
    "nonce_invalid": gettext_lazy("Mã dùng một lần không hợp lệ."),
    "key_unknown": gettext_lazy("Mã khoá không được đăng ký."),
    "signature_invalid": gettext_lazy("Chữ ký không đúng."),
    "replay": gettext_lazy("Yêu cầu này đã được nhận trước đó (gửi lại cần ký lại)."),
}


def _remember_nonce(key_id: str, nonce: str, timestamp: int) -> bool:
    # Nonces older than the window can go: a request that old is refused on its timestamp before its nonce.
    FederationNonce.objects.filter(timestamp__lt=int(timezone.now().timestamp()) - 2 * signing.WINDOW_SECONDS).delete()
    try:
        with transaction.atomic():
            FederationNonce.objects.create(key_id=key_id, nonce=nonce, timestamp=timestamp)
    except IntegrityError:
        return False
    return True


def authenticate(request) -> ProvinceFeed:
    """The province whose key signed `request`, or DomainError 401 (409 for a replay)."""
    feeds = {}

    def secret_for(key_id):
        feeds[key_id] = ProvinceFeed.objects.filter(key_id=key_id, active=True).first()
        return feeds[key_id].secret if feeds[key_id] else None

    try:
        verified = signing.verify(request.headers, request.method, request.get_full_path(), request.body,
                                  secret_for=secret_for, remember_nonce=_remember_nonce)
    except signing.SignatureError as exc:
        raise DomainError(exc.code, str(MESSAGES[exc.code]), status=exc.status) from None
    return feeds[verified.key_id]


def _check_province(feed: ProvinceFeed, document) -> None:
    exchange.check_format(document.format)
    if document.province.code != feed.code:
        raise DomainError("wrong_province", _("Khoá này chỉ được gửi dữ liệu của %(c)s.") % {"c": feed.code},
                          status=403, fields={"province.code": [document.province.code]})


def _status_row(feed, event) -> FederatedDossierStatus:
    return FederatedDossierStatus(
        feed=feed, code=event.code, seq=event.seq, procedure_code=event.procedure,
        receiving_agency_code=event.receiving_agency, competent_agency_code=event.competent_agency,
        channel=event.channel, status=event.status, status_at=event.at, submitted_at=event.submitted_at,
        received_at=event.received_at, due_at=event.due_at, finished_at=event.finished_at,
        delivered_at=event.delivered_at, outcome=event.outcome or "", outcome_766=event.outcome_766 or "")


@transaction.atomic
def store_events(feed: ProvinceFeed, document) -> dict:
    _check_province(feed, document)
    # One batch of a province at a time (overlapping pushes): rows not yet stored cannot be locked themselves.
    feed = ProvinceFeed.objects.select_for_update().get(pk=feed.pk)
    latest = {}
    for event in document.events:  # the highest event number per dossier inside the batch
        if event.code not in latest or event.seq > latest[event.code].seq:
            latest[event.code] = event
    known = {row.code: row for row in FederatedDossierStatus.objects.filter(feed=feed, code__in=list(latest))}
    fresh = [_status_row(feed, e) for code, e in latest.items() if code not in known or e.seq > known[code].seq]
    # A changed row is replaced (one DELETE and one INSERT per batch): bulk_update's CASE per column is ~10× slower.
    replaced = [known[row.code].pk for row in fresh if row.code in known]
    FederatedDossierStatus.objects.filter(pk__in=replaced).delete()
    FederatedDossierStatus.objects.bulk_create(fresh, batch_size=500)
    accepted = sum(1 for e in document.events
                   if e.seq > (known[e.code].seq if e.code in known else 0))
    feed.events_received += accepted
    feed.last_events_at = timezone.now()
    feed.save(update_fields=["events_received", "last_events_at"])
    return {"format": exchange.FORMAT, "accepted": accepted, "duplicates": len(document.events) - accepted,
            "dossiers": len(fresh), "cursor": document.cursor.last}


@transaction.atomic
def store_statistics(feed: ProvinceFeed, document) -> dict:
    _check_province(feed, document)
    feed = ProvinceFeed.objects.select_for_update().get(pk=feed.pk)
    period = _period(document.period.key)
    if (document.period.date_from, document.period.date_to) != (period.first, period.last):
        raise DomainError("invalid", _("Ngày đầu, ngày cuối không khớp với kỳ."), status=422,
                          fields={"period": [period.key]})
    stored = 0
    existing = {(s.definition, s.unit_code): s for s in
                FederatedStatistic.objects.filter(feed=feed, period=period.key)}
    for unit in document.units:
        row = existing.get((unit.definition, unit.code))
        if row is not None and row.computed_at >= document.computed_at:
            continue  # already have these figures or newer ones
        row = row or FederatedStatistic(feed=feed, period=period.key, definition=unit.definition,
                                        unit_code=unit.code)
        row.date_from, row.date_to = period.first, period.last
        row.unit_name, row.parent_code, row.figures = unit.name, unit.parent, unit.figures
        row.computed_at = document.computed_at
        row.save()
        existing[(unit.definition, unit.code)] = row  # a unit listed twice is stored once
        stored += 1
    feed.last_statistics_at = timezone.now()
    feed.save(update_fields=["last_statistics_at"])
    return {"format": exchange.FORMAT, "stored": stored, "unchanged": len(document.units) - stored,
            "period": period.key}


def _period(key: str):
    from motcua.indices.services import parse_period

    return parse_period(key)
