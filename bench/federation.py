"""Federation, national side: status changes stored per second (signature check + document validation + idempotent
upsert, batches of 500) for new dossiers, for updates and for a resent batch, next to the floor of a bare
bulk_create of the same rows in the same run.

    .venv/bin/python -m bench.federation                      # SQLite file in a temporary directory
    .venv/bin/python -m bench.federation --events 50000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python -m bench.federation   # scratch DB!

In-process (no HTTP): the web tier's cost per request is measured by bench.http_load; one request here carries a
whole batch, so it adds ≈ 1 request per 500 events.
"""

import argparse
import json
import os
import tempfile
import time

from bench.results import figure

BATCH = 500
PROVINCE = "000.00.00.B01"


def setup(tmp: str) -> None:
    os.environ.setdefault("MOTCUA_DATA_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def event(i: int, seq: int, run: str) -> dict:
    return {"code": f"{run}-{i:08d}", "seq": seq, "procedure": "1.000777", "receiving_agency": "000.00.30.B01",
            "competent_agency": "000.00.12.B01", "channel": 1 + i % 3, "from_status": None, "status": 2 + seq,
            "at": "2026-10-01T09:00:00+07:00", "submitted_at": "2026-10-01T08:00:00+07:00",
            "received_at": "2026-10-01T09:00:00+07:00", "due_at": "2026-10-15T17:00:00+07:00",
            "finished_at": None, "delivered_at": None, "outcome": "", "outcome_766": ""}


def body(events: list[dict]) -> bytes:
    from motcua.federation.exchange import FORMAT

    return json.dumps({"format": FORMAT, "kind": "events", "province": {"code": PROVINCE, "name": "Bench"},
                       "sent_at": "2026-11-01T08:00:00+07:00", "cursor": {"after": 0, "last": 1},
                       "events": events}).encode()


class Request:
    """What receive.authenticate reads from a Django request."""

    method = "POST"
    path = "/api/v1/federation/events"

    def __init__(self, raw: bytes, feed):
        from motcua.federation import signing

        self.body = raw
        self.headers = signing.sign(feed.key_id, feed.secret, self.method, self.path, raw)

    def get_full_path(self):
        return self.path


def ingest(feed, n: int, seq: int, run: str) -> float:
    from motcua.federation.api import EventsDocument
    from motcua.federation.receive import authenticate, store_events

    raws = [body([event(i, seq, run) for i in range(start, min(start + BATCH, n))]) for start in range(0, n, BATCH)]
    started = time.perf_counter()
    for raw in raws:
        authenticate(Request(raw, feed))
        store_events(feed, EventsDocument.model_validate_json(raw))
    return time.perf_counter() - started


def floor(feed, n: int, run: str) -> float:
    from motcua.federation.models import FederatedDossierStatus
    from motcua.federation.receive import _status_row

    class E:
        def __init__(self, d):
            self.__dict__.update(d)

    rows = [_status_row(feed, E(event(i, 1, run))) for i in range(n)]
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        FederatedDossierStatus.objects.bulk_create(rows[start:start + BATCH])
    return time.perf_counter() - started


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from motcua.federation.models import ProvinceFeed

        run = f"b{int(time.time())}"
        feed, _ = ProvinceFeed.objects.get_or_create(code=PROVINCE, defaults={
            "name": "Bench", "key_id": f"bench-{run}", "secret": "bench-secret"})
        n = args.events
        figures = [("bare bulk_create (floor)", floor(feed, n, run + "f")),
                   ("new dossiers", ingest(feed, n, 1, run)),
                   ("status updates (seq 2)", ingest(feed, n, 2, run)),
                   ("resent batch (all duplicates)", ingest(feed, n, 2, run))]
        base = n / figures[0][1]
        print(f"{'national side, batches of 500':<34} {'events/s':>10} {'× floor':>8}")
        for label, seconds in figures:
            print(f"{label:<34} {n / seconds:>10,.0f} {n / seconds / base:>8.2f}")
        figure("federation: national side stores new dossiers' statuses", n / figures[1][1], "events/s",
               floor=base, floor_name="bare bulk_create")


if __name__ == "__main__":
    main()
