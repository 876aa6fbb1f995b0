"""Load shedding for the public read paths (status lookup, procedure search): a bounded number of such requests
run at once in each server process; the ones over the bound are answered at once with 503 and `Retry-After`,
before any session, database or template work.

Why: under a national burst (VNeID, exam results: docs/scaling.md) a queue that grows without bound makes every
request slow and then times them all out. Answering the excess in microseconds keeps the requests that are admitted
fast, keeps threads free for the back office (officers are never shed), and the service is back to normal latency
as soon as the burst ends: nothing is left queued.

Settings: `MOTCUA["SHED_PATHS"]` (path prefixes), `MOTCUA["SHED_MAX_IN_FLIGHT"]` (per process; 0 turns shedding
off), `MOTCUA["SHED_RETRY_AFTER"]` (seconds), `MOTCUA["SHED_STATUS"]` (503 or 429). The bound only bites when the
server runs more threads than it (`motcua serve --threads 16` with a bound of 4, say).
"""

from __future__ import annotations

import json
import threading

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class InFlight:
    """A non-blocking counting gate: `enter()` is False when `limit` holders are already inside."""

    def __init__(self, limit: int):
        self.limit = limit
        self.count = 0
        self.lock = threading.Lock()

    def enter(self) -> bool:
        with self.lock:
            if self.count >= self.limit:
                return False
            self.count += 1
            return True

    def leave(self) -> None:
        with self.lock:
            self.count -= 1


class LoadSheddingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        conf = settings.MOTCUA
        self.prefixes = tuple(conf.get("SHED_PATHS", ()))
        self.gate = InFlight(int(conf.get("SHED_MAX_IN_FLIGHT", 0)))
        self.retry_after = str(int(conf.get("SHED_RETRY_AFTER", 1)))
        self.status = int(conf.get("SHED_STATUS", 503))

    def __call__(self, request):
        if self.gate.limit <= 0 or not request.path.startswith(self.prefixes):
            return self.get_response(request)
        if not self.gate.enter():
            return self.reject(request)
        try:
            return self.get_response(request)
        finally:
            self.gate.leave()

    def reject(self, request) -> HttpResponse:
        message = _("Hệ thống đang quá tải. Vui lòng thử lại sau ít giây.")
        if request.path.startswith("/api/"):
            body = json.dumps({"error": {"code": "overloaded", "message": message, "fields": {}}},
                              ensure_ascii=False)
            response = HttpResponse(body, status=self.status, content_type="application/json")
        else:
            response = HttpResponse(message, status=self.status, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = self.retry_after
        response["Cache-Control"] = "no-store"
        return response
