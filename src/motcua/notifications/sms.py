"""SMS / Zalo senders: the `SmsSender` protocol and two built-in senders.

settings.MOTCUA["SMS_BACKEND"] names the sender class (dotted path; default FileSmsSender). A real provider (an
SMS brandname gateway, Zalo ZNS) is one class with `send(to, text) -> provider message id`; it raises any
exception on failure and the notification is retried.
"""

import json
import sys
import threading
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "motcua.notifications.sms.FileSmsSender"
_file_lock = threading.Lock()


class SmsSender(Protocol):
    def send(self, to: str, text: str) -> str | None:
        """Send one message; return the provider's message id (or None); raise on failure."""


def get_sms_sender() -> SmsSender:
    return import_string(settings.MOTCUA.get("SMS_BACKEND") or DEFAULT_BACKEND)()


class ConsoleSmsSender:
    """Writes each message to standard output (development)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, to: str, text: str) -> str | None:
        self.stream.write(f"[SMS → {to}] {text}\n")
        self.stream.flush()
        return None


class FileSmsSender:
    """Appends one JSON object per message to DATA_DIR/sms/outbox.jsonl (or MOTCUA["SMS_FILE_PATH"])."""

    def __init__(self, path=None):
        self.path = Path(path or settings.MOTCUA.get("SMS_FILE_PATH") or Path(settings.DATA_DIR) / "sms" /
                         "outbox.jsonl")

    def send(self, to: str, text: str) -> str | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"to": to, "text": text, "at": timezone.now().isoformat()}, ensure_ascii=False)
        with _file_lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        return None
