"""Two MotCua instances on loopback: this test's instance is the province; a second server process (gunicorn, its
own SQLite database under its own MOTCUA_DATA_DIR, migrated in a subprocess) is the national instance. The province
pushes its status changes and October's statistics with `motcua federation push`; the national ranking, read over
HTTP, shows the province's own report; a resend changes nothing; a replayed or forged request is refused."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command

from motcua.federation import signing
from motcua.federation.models import Peer
from motcua.reports.report import period_report
from tests.core.instances import gunicorn
from tests.federation.conftest import OCTOBER, PROVINCE

KEY_ID, SECRET = "t99-national", "two-instance-shared-secret"
NATIONAL = "/api/v1/federation/national?period=2026-10&definition={}"


def _call(port, method, path, body=b"", headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body or None, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    data = tmp_path_factory.mktemp("national")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"MOTCUA_DATA_DIR": str(data), "MOTCUA_SECRET_KEY": "national-instance-" + "k" * 40}
    motcua = os.path.join(os.path.dirname(sys.executable), "motcua")
    subprocess.run([motcua, "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([motcua, "federation", "add-province", "--code", PROVINCE, "--name", "Tỉnh Thử", "--key-id",
                    KEY_ID, "--secret", SECRET], env=env, check=True, timeout=120, capture_output=True)
    with gunicorn(env, data, _national_up, "--workers", "2") as port:
        yield port


def _national_up(port) -> bool:
    return _call(port, "GET", "/api/v1/federation/national?period=2026-10")[0] == 401


def _signed_get(port, path):
    return _call(port, "GET", path, headers=signing.sign(KEY_ID, SECRET, "GET", path))


@pytest.mark.django_db
def test_province_pushes_and_the_national_instance_ranks_it(national, load, capsys):
    load(*OCTOBER)
    Peer.objects.create(name="quoc-gia", url="http://127.0.0.1:1", key_id=KEY_ID, secret=SECRET,
                        province_code=PROVINCE)
    url = f"http://127.0.0.1:{national}"
    call_command("federation", "push", "--peer", "quoc-gia", "--to", url, "--period", "2026-10",
                 "--batch-size", "5")
    pushed = json.loads(capsys.readouterr().out)
    assert (pushed["batches"], pushed["sent"], pushed["accepted"], pushed["duplicates"]) == (2, 8, 8, 0)

    for definition in ("local", "766"):
        status, ranking = _signed_get(national, NATIONAL.format(definition))
        assert status == 200, ranking
        [row] = ranking["provinces"]
        mine = period_report(PROVINCE, "2026-10-01", "2026-10-31", definition=definition)
        assert row["province"] == PROVINCE and row["rank"] == 1
        for measure in ("received", "finished", "finished_on_time", "finished_late", "on_time_rate",
                        "online_rate", "late_rate"):
            assert row[measure] == mine[measure], measure
        assert (row["dossiers_tracked"], row["overdue_now"]) == (3, 1)  # F3 is still processing past its due day
        assert ranking["totals"]["received"] == mine["received"] == 3
    assert _signed_get(national, NATIONAL.format("local"))[1]["provinces"][0]["on_time_rate"] == 50.0

    call_command("federation", "push", "--peer", "quoc-gia", "--to", url, "--rescan", "--period", "2026-10")
    again = json.loads(capsys.readouterr().out)
    assert (again["sent"], again["accepted"], again["duplicates"]) == (8, 0, 8)
    assert _signed_get(national, NATIONAL.format("local"))[1]["provinces"][0]["dossiers_tracked"] == 3
    assert Peer.objects.get().last_error == ""


def test_replayed_and_forged_requests_are_refused_over_http(national):
    path = NATIONAL.format("766")
    headers = signing.sign(KEY_ID, SECRET, "GET", path)
    assert _call(national, "GET", path, headers=headers)[0] == 200
    status, body = _call(national, "GET", path, headers=headers)
    assert (status, body["error"]["code"]) == (409, "replay")
    forged = signing.sign(KEY_ID, "guessed-secret", "GET", path)
    status, body = _call(national, "GET", path, headers=forged)
    assert (status, body["error"]["code"]) == (401, "signature_invalid")
    stale = signing.sign(KEY_ID, SECRET, "POST", "/api/v1/federation/events", b"{}", timestamp=time.time() - 3600)
    status, body = _call(national, "POST", "/api/v1/federation/events", b"{}", stale)
    assert (status, body["error"]["code"]) == (401, "timestamp_stale")
