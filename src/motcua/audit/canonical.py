"""Canonical JSON and hashing for the audit chain (framework-free: no Django import).

A record's hash must be recomputable years later from what the database hands back, whatever the backend. So
values are normalised to plain JSON *before* they are stored, and the hash is taken over that normalised form:
- datetimes → ISO 8601 with microseconds (aware ones converted to UTC), dates/times → ISO strings;
- Decimals and floats → strings (PostgreSQL jsonb rewrites numbers such as 1e20, and Decimals are not JSON);
- UUIDs, paths, lazy translation strings and anything unknown → str; sets → sorted lists; tuples → lists;
- model instances → their primary key (duck-typed through ``_meta``/``pk``), file fields → their name;
- mapping keys → str.
Canonical text: ``sort_keys``, ``ensure_ascii=False``, separators ``(",", ":")``, UTF-8 bytes into SHA-256.
"""

import base64
import datetime as dt
import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import PurePath

# prev_hash of the first record of a stream and of the first checkpoint.
GENESIS = "0" * 64
# Bumped if the hashed payload ever changes shape; part of every hash so old and new records stay verifiable.
HASH_VERSION = 1


def iso_utc(value: dt.datetime) -> str:
    """Aware datetime → '2026-11-23T09:15:00.000123+00:00' (always microseconds, always UTC)."""
    if value.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def to_jsonable(value):
    """Normalise ``value`` to str/int/bool/None/list/dict so that storing it as JSON and reading it back gives
    exactly the same structure on SQLite and PostgreSQL."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        # PostgreSQL text/jsonb cannot hold NUL; replace it so the stored value equals the hashed one.
        return str(value).replace("\x00", "\ufffd")
    if _is_lazy_text(value):
        return to_jsonable(str(value))
    if isinstance(value, enum.Enum):  # TextChoices/IntegerChoices: the stored value, not the label
        return to_jsonable(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.isoformat(timespec="microseconds")
        return iso_utc(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    if isinstance(value, uuid.UUID | PurePath):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "_meta") and hasattr(value, "pk"):  # a model instance
        return to_jsonable(value.pk)
    if hasattr(value, "field") and hasattr(value, "storage") and hasattr(value, "name"):  # FieldFile
        return value.name or None
    if isinstance(value, Mapping):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((to_jsonable(v) for v in value), key=lambda v: canonical_dumps(v))
    if isinstance(value, Iterable):
        return [to_jsonable(v) for v in value]
    return str(value)


def _is_lazy_text(value) -> bool:
    """Django's lazy translation strings look iterable; they must become one string, not a list of letters."""
    try:
        from django.utils.functional import Promise
    except ImportError:  # used without Django
        return False
    return isinstance(value, Promise)


def canonical_dumps(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_hash(*, stream: str, seq: int, at: dt.datetime, actor_id, actor_label: str, action: str,
                target_type: str, target_id: str, old, new, prev_hash: str) -> str:
    """Hash of one audit record: every field except the database id and the hash itself."""
    payload = {
        "v": HASH_VERSION, "stream": stream, "seq": int(seq), "at": iso_utc(at),
        "actor_id": actor_id, "actor_label": actor_label, "action": action,
        "target_type": target_type, "target_id": target_id, "old": old, "new": new, "prev_hash": prev_hash,
    }
    return sha256_hex(canonical_dumps(payload))


def entry_line(stream: str, last_seq: int, last_hash: str, prev_seq: int) -> str:
    """One checkpoint entry as it enters the streams digest (one line each, in entry order)."""
    return canonical_dumps([stream, int(last_seq), last_hash, int(prev_seq)]) + "\n"


class StreamsDigest:
    """Incremental SHA-256 over checkpoint entry lines, so a checkpoint with a million entries is digested
    without holding them all in memory."""

    def __init__(self):
        self._h = hashlib.sha256()

    def add(self, stream: str, last_seq: int, last_hash: str, prev_seq: int) -> None:
        self._h.update(entry_line(stream, last_seq, last_hash, prev_seq).encode("utf-8"))

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def checkpoint_hash(*, seq: int, at: dt.datetime, prev_hash: str, streams_digest: str, stream_count: int,
                    record_count: int, entry_count: int) -> str:
    payload = {
        "v": HASH_VERSION, "seq": int(seq), "at": iso_utc(at), "prev_hash": prev_hash,
        "streams_digest": streams_digest, "stream_count": int(stream_count), "record_count": int(record_count),
        "entry_count": int(entry_count),
    }
    return sha256_hex(canonical_dumps(payload))
