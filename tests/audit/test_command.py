import io

import pytest
from django.core.management import CommandError, call_command

from motcua.audit.tasks import seal_streams
from tests.audit.helpers import sql, write

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_ok_and_checkpoint():
    write("dossier:A", 3)
    out, _ = run("checkpoint")
    assert "1:" in out
    anchor = out.rsplit(" ", 1)[-1].strip()
    out, _ = run("verify", "--anchor", anchor)
    assert out.startswith("OK: 3 ") and " 1 luồng" in out and "1 điểm niêm phong" in out


def test_verify_exits_1_and_names_the_first_broken_record():
    recs = write("dossier:A", 3)
    sql("UPDATE audit_auditrecord SET actor_label = %s WHERE id = %s", ["ke-gian", recs[1].pk])
    with pytest.raises(CommandError) as err:
        run("verify")
    assert err.value.returncode == 1
    assert "dossier:A" in str(err.value) and f"id={recs[1].pk}" in str(err.value)


def test_bad_anchor_is_a_clear_error():
    with pytest.raises(CommandError) as err:
        run("verify", "--anchor", "abc")
    assert "--anchor" in str(err.value)


def test_celery_task_function_seals():
    write("calendar", 1)
    seq, digest = seal_streams().split(":")
    assert seq == "1" and len(digest) == 64
