"""Province side: send pending status changes (in batches, cursor persisted after each acknowledged batch) and
period statistics to the national instance, over signed HTTP requests.

A batch the national instance stored but whose answer was lost is sent again on the next push (the cursor did not
move); the national side keeps the highest event number per dossier, so the resend changes nothing.
"""

import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from motcua.federation import exchange, signing

EVENTS_PATH = "/api/v1/federation/events"
STATISTICS_PATH = "/api/v1/federation/statistics"
NATIONAL_PATH = "/api/v1/federation/national"
TIMEOUT_SECONDS = 30


class PushError(Exception):
    """The national instance refused or could not be reached; `code` is its machine-readable error code."""

    def __init__(self, message: str, code: str = "unreachable", status: int | None = None):
        super().__init__(message)
        self.code, self.status = code, status


@dataclass
class PushResult:
    batches: int = 0
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    cursor: int = 0
    statistics_units: int = 0


def _option(name: str, default):
    return settings.MOTCUA.get(name, default)


def request(peer, method: str, path: str, payload: dict | None = None, base_url: str | None = None) -> dict:
    """One signed request to the peer; returns the JSON answer or raises PushError."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode() if payload is not None else b""
    url = (base_url or peer.url).rstrip("/") + path
    parts = urlsplit(url)
    signed_path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Content-Type": "application/json", "Accept": "application/json",
               **signing.sign(peer.key_id, peer.secret, method, signed_path, body)}
    req = urllib.request.Request(url, data=body if method != "GET" else None, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            error = json.loads(exc.read())["error"]
            error = error if isinstance(error, dict) else {}
        except (ValueError, KeyError, TypeError):
            error = {}
        raise PushError(error.get("message") or str(exc), error.get("code") or "http_error", exc.code) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PushError(str(exc)) from None


def _province(peer):
    from motcua.agencies.models import Agency

    province = Agency.objects.filter(code=peer.province_code).first()
    if province is None:
        raise PushError(f"Không có đơn vị {peer.province_code} trong hệ thống tỉnh.", "province_unknown")
    return province


def push_events(peer, *, base_url=None, batch_size: int | None = None, settle_seconds: float | None = None,
                result: PushResult | None = None) -> PushResult:
    result = result or PushResult()
    batch_size = batch_size or _option("FEDERATION_BATCH_SIZE", 500)
    settle = _option("FEDERATION_SETTLE_SECONDS", 5) if settle_seconds is None else settle_seconds
    province = _province(peer)
    while True:
        events, last = exchange.pending_events(peer.last_cursor, batch_size, settle)
        if not events:
            break
        answer = request(peer, "POST", EVENTS_PATH,
                         exchange.events_document(province, events, peer.last_cursor, last), base_url)
        result.batches += 1
        result.sent += len(events)
        result.accepted += int(answer.get("accepted", 0))
        result.duplicates += int(answer.get("duplicates", 0))
        peer.last_cursor = last
        peer.last_push_at = timezone.now()
        peer.save(update_fields=["last_cursor", "last_push_at"])
        if len(events) < batch_size:
            break
    result.cursor = peer.last_cursor
    return result


def push_statistics(peer, period, *, base_url=None, result: PushResult | None = None) -> PushResult:
    result = result or PushResult()
    document = exchange.statistics_document(_province(peer), period)
    answer = request(peer, "POST", STATISTICS_PATH, document, base_url)
    result.statistics_units += int(answer.get("stored", 0))
    return result


def push(peer_name: str, *, base_url: str | None = None, period_key: str | None = None, events: bool = True,
         batch_size: int | None = None, settle_seconds: float | None = None, rescan: bool = False) -> dict:
    """Events, then (when `period_key` is given) statistics; the error, if any, is kept on the peer. `rescan`
    sends every status change again from the first (the national side keeps only what it lacks)."""
    from motcua.federation.models import Peer
    from motcua.indices.periods import PeriodError, parse

    peer = Peer.objects.filter(name=peer_name, active=True).first()
    if peer is None:
        raise PushError(f"Không có kết nối «{peer_name}» đang hoạt động.", "peer_unknown")
    try:
        period = parse(period_key) if period_key else None
    except PeriodError:
        raise PushError(f"Kỳ «{period_key}» không hợp lệ (2026-10, 2026-Q4 hoặc 2026).", "invalid_period") from None
    if rescan:
        peer.last_cursor = 0
        peer.save(update_fields=["last_cursor"])
    result = PushResult(cursor=peer.last_cursor)
    try:
        if events:
            push_events(peer, base_url=base_url, batch_size=batch_size, settle_seconds=settle_seconds,
                        result=result)
        if period:
            push_statistics(peer, period, base_url=base_url, result=result)
    except PushError as exc:
        peer.last_error = f"{exc.code}: {exc}"
        peer.save(update_fields=["last_error"])
        raise
    if peer.last_error:
        peer.last_error = ""
        peer.save(update_fields=["last_error"])
    return asdict(result)
