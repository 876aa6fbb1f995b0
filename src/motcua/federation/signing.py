"""Signed federation requests (framework-free): HMAC-SHA256 with a per-peer shared secret.

The string signed is the scheme name, the upper-case method, the path with its query string, the Unix timestamp,
a random nonce and the hex SHA-256 of the body, one per line:

    motcua-hmac-sha256-v1\\nPOST\\n/api/v1/federation/events\\n1793000000\\n3f9c…\\ne3b0c442…

The four headers below carry the key id, timestamp, nonce and hex signature. `verify` checks, in this order: all
headers present, timestamp inside the window, key known, signature (constant-time compare), and only then records
the nonce, so an unauthenticated caller cannot use up nonces. A nonce seen before for the same key is a replay.
Errors carry a stable code and the HTTP status the API answers with (401, or 409 for a replay).
"""

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

SCHEME = "motcua-hmac-sha256-v1"
HEADER_KEY = "X-MotCua-Key-Id"
HEADER_TIMESTAMP = "X-MotCua-Timestamp"
HEADER_NONCE = "X-MotCua-Nonce"
HEADER_SIGNATURE = "X-MotCua-Signature"
HEADERS = (HEADER_KEY, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE)
WINDOW_SECONDS = 300
NONCE_MAX_LENGTH = 64


class SignatureError(Exception):
    """A refused request: `code` is machine-readable, `status` the HTTP status to answer with."""

    def __init__(self, code: str, status: int = 401):
        super().__init__(code)
        self.code, self.status = code, status


@dataclass(frozen=True)
class Verified:
    key_id: str
    timestamp: int
    nonce: str


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body or b"").hexdigest()


def string_to_sign(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> bytes:
    return "\n".join((SCHEME, method.upper(), path, str(timestamp), nonce, body_digest(body))).encode()


def signature(secret: str, method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode(), string_to_sign(method, path, timestamp, nonce, body), hashlib.sha256).hexdigest()


def new_secret() -> str:
    """A fresh shared secret (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def sign(key_id: str, secret: str, method: str, path: str, body: bytes = b"", *, timestamp: int | None = None,
         nonce: str | None = None) -> dict[str, str]:
    """The headers to send with a request; a fresh nonce each call (a resent request is signed again)."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    nonce = nonce or secrets.token_hex(16)
    return {HEADER_KEY: key_id, HEADER_TIMESTAMP: str(timestamp), HEADER_NONCE: nonce,
            HEADER_SIGNATURE: signature(secret, method, path, timestamp, nonce, body)}


def verify(headers: Mapping[str, str], method: str, path: str, body: bytes, *,
           secret_for: Callable[[str], str | None], remember_nonce: Callable[[str, str, int], bool],
           now: float | None = None, window: int = WINDOW_SECONDS) -> Verified:
    """Check a request's signature; returns the verified key id or raises SignatureError.

    `secret_for(key_id)` returns the peer's secret (None when unknown or disabled); `remember_nonce(key_id, nonce,
    timestamp)` stores the nonce and returns False when it was already stored (a replay).
    """
    values = {name: (headers.get(name) or "").strip() for name in HEADERS}
    if not all(values.values()):
        raise SignatureError("signature_missing")
    try:
        timestamp = int(values[HEADER_TIMESTAMP])
    except ValueError:
        raise SignatureError("timestamp_invalid") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > window:
        raise SignatureError("timestamp_stale")
    nonce = values[HEADER_NONCE]
    if len(nonce) > NONCE_MAX_LENGTH:
        raise SignatureError("nonce_invalid")
    key_id = values[HEADER_KEY]
    secret = secret_for(key_id)
    if not secret:
        raise SignatureError("key_unknown")
    expected = signature(secret, method, path, timestamp, nonce, body)
    if not hmac.compare_digest(expected, values[HEADER_SIGNATURE].lower()):
        raise SignatureError("signature_invalid")
    if not remember_nonce(key_id, nonce, timestamp):
        raise SignatureError("replay", status=409)
    return Verified(key_id, timestamp, nonce)
