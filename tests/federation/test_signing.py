"""The framework-free request signature: a good request passes once; a tampered body, path or method, a wrong key,
an unknown key, a stale or future timestamp and a replayed nonce are refused with their own code."""

import pytest

from motcua.federation import signing

SECRET = "s3cret-of-the-province"
NOW = 1_800_000_000
PATH = "/api/v1/federation/events"
BODY = b'{"format":"motcua.federation/1"}'


class Nonces:
    def __init__(self):
        self.seen = set()

    def __call__(self, key_id, nonce, timestamp):
        if (key_id, nonce) in self.seen:
            return False
        self.seen.add((key_id, nonce))
        return True


def check(headers, method="POST", path=PATH, body=BODY, now=NOW, nonces=None, secrets=None):
    secrets = {"hn": SECRET} if secrets is None else secrets
    return signing.verify(headers, method, path, body, secret_for=secrets.get,
                          remember_nonce=nonces if nonces is not None else Nonces(), now=now)


def signed(**kw):
    kw.setdefault("timestamp", NOW)
    return signing.sign("hn", SECRET, "POST", PATH, BODY, **kw)


def refused(code, status=401, **kw):
    with pytest.raises(signing.SignatureError) as exc:
        check(**kw)
    assert (exc.value.code, exc.value.status) == (code, status)


def test_good_request_passes_and_names_its_key():
    verified = check(signed(nonce="n1"))
    assert (verified.key_id, verified.timestamp, verified.nonce) == ("hn", NOW, "n1")


def test_signature_is_the_documented_hmac():
    import hashlib
    import hmac

    headers = signed(nonce="abc")
    text = f"motcua-hmac-sha256-v1\nPOST\n{PATH}\n{NOW}\nabc\n{hashlib.sha256(BODY).hexdigest()}".encode()
    assert headers[signing.HEADER_SIGNATURE] == hmac.new(SECRET.encode(), text, hashlib.sha256).hexdigest()


def test_tampered_body_path_or_method_is_refused():
    refused("signature_invalid", headers=signed(), body=BODY + b" ")
    refused("signature_invalid", headers=signed(), path=PATH + "?x=1")
    refused("signature_invalid", headers=signed(), method="PUT")


def test_wrong_secret_and_unknown_key_are_refused():
    refused("signature_invalid", headers=signing.sign("hn", "another-secret", "POST", PATH, BODY, timestamp=NOW))
    refused("key_unknown", headers=signing.sign("hcm", SECRET, "POST", PATH, BODY, timestamp=NOW))


def test_stale_and_future_timestamps_are_refused_at_the_window_edge():
    assert check(signed(timestamp=NOW - 300))
    refused("timestamp_stale", headers=signed(timestamp=NOW - 301))
    refused("timestamp_stale", headers=signed(timestamp=NOW + 301))
    headers = {**signed(), signing.HEADER_TIMESTAMP: "soon"}
    refused("timestamp_invalid", headers=headers)


def test_replayed_nonce_is_a_conflict_but_a_new_nonce_passes():
    nonces = Nonces()
    headers = signed(nonce="once")
    check(headers, nonces=nonces)
    refused("replay", status=409, headers=headers, nonces=nonces)
    assert check(signed(nonce="twice"), nonces=nonces)


def test_missing_header_is_refused_and_no_nonce_is_spent_by_a_bad_signature():
    for name in signing.HEADERS:
        headers = signed()
        del headers[name]
        refused("signature_missing", headers=headers)
    nonces = Nonces()
    bad = {**signed(nonce="keep"), signing.HEADER_SIGNATURE: "0" * 64}
    refused("signature_invalid", headers=bad, nonces=nonces)
    assert nonces.seen == set()
