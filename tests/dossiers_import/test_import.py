"""The legacy import: happy path, computed clocks and outcomes, idempotency, per-line errors, dry run, counters,
audit chain, the command."""

import json

import pytest
from django.core.management import call_command

from motcua.audit.models import AuditRecord
from motcua.audit.services import verify
from motcua.dossiers.models import (
    ClockEvent,
    Dossier,
    DossierCounter,
    DossierEvent,
    HandOver,
    Status,
    SupplementRequest,
)
from motcua.dossiers.services import create_dossier
from tests.dossiers_import.conftest import BASE, at, line, refuse_batches_with, run, run_file

pytestmark = pytest.mark.django_db


def test_happy_path_writes_dossier_history_and_computes_outcomes(world):
    report = run([line(digitised=True, e_result=1, vneid_authenticated=True, paid_online=2)])
    assert (report.created, report.errors) == (1, [])
    d = Dossier.objects.get(code=BASE["code"])
    assert d.status == Status.DELIVERED and d.procedure_version.procedure.code == "1.009999"
    assert d.variant == world["days"] and d.receiving_agency == world["centre"] and d.competent_agency == world["dept"]
    assert d.applicant_name == "Trần Thị Bình" and d.applicant_personal_id == "001203012345"
    assert (d.digitised, d.e_result, d.vneid_authenticated, d.paid_online) == (True, True, True, 2)
    assert d.received_at == at(2026, 1, 5, 9) and d.delivered_at == at(2026, 1, 12, 9)
    # 10 working days from Mon 05/01/2026 09:00 (day 1 = Tue 06/01) → close of Mon 19/01
    assert d.due_at == d.original_due_at == at(2026, 1, 19, 17, 30)
    assert d.finished_at == at(2026, 1, 9, 11)  # first terminal status (9), not the delivery
    assert (d.outcome, d.outcome_766) == ("early", "on_time")
    assert d.row_version == 4 and d.current_step is None
    events = list(DossierEvent.objects.filter(dossier=d).order_by("seq"))
    assert [(e.seq, e.action, e.from_status, e.to_status) for e in events] == [
        (1, "receive", None, 2), (2, "forward", 2, 4), (3, "result_ready", 4, 9), (4, "deliver", 9, 10)]
    assert events[0].actor_label == "Nguyễn Văn An" and events[0].data == {"imported": "import"}
    rec = AuditRecord.objects.get(stream=f"dossier:{d.code}")
    assert (rec.seq, rec.action, rec.new["status"], rec.new["outcome"]) == (1, "import", 10, "early")


def test_supplements_pause_the_clock_and_two_requests_are_late_for_766(world):
    sup = [{"requested_at": "2026-01-06T09:00:00+07:00", "fulfilled_at": "2026-01-08T09:00:00+07:00",
            "items": ["Bản vẽ có chữ ký"], "reason": "Thiếu chữ ký"},
           {"requested_at": "2026-01-12T09:00:00+07:00", "fulfilled_at": "2026-01-13T09:00:00+07:00",
            "items": ["Bản sao sổ đỏ"]}]
    history = [{"status": 2, "at": "2026-01-05T09:00:00+07:00"}, {"status": 4, "at": "2026-01-05T10:00:00+07:00"},
               {"status": 5, "at": "2026-01-06T09:00:00+07:00"}, {"status": 4, "at": "2026-01-08T09:00:00+07:00"},
               {"status": 5, "at": "2026-01-12T09:00:00+07:00"}, {"status": 4, "at": "2026-01-13T09:00:00+07:00"},
               {"status": 9, "at": "2026-01-20T10:00:00+07:00"}]
    report = run([line(history=history, supplements=sup)])
    assert report.errors == []
    d = Dossier.objects.get(code=BASE["code"])
    assert d.supplement_count == 2 and d.status == Status.FINISHED
    assert d.original_due_at == at(2026, 1, 19, 17, 30)
    # resume policy: 2 + 1 working days of pause move the due to Thu 22/01 close
    assert d.due_at == at(2026, 1, 22, 17, 30)
    assert d.outcome == "early" and d.outcome_766 == "late"  # more than one supplement request → late (766)
    assert SupplementRequest.objects.filter(dossier=d).count() == 2
    assert list(ClockEvent.objects.filter(dossier=d).values_list("kind", flat=True)) == [
        "pause", "resume", "pause", "resume"]
    actions = list(DossierEvent.objects.filter(dossier=d).order_by("seq").values_list("action", flat=True))
    assert actions == ["receive", "forward", "request_supplement", "receive_supplement", "request_supplement",
                       "receive_supplement", "result_ready"]


def test_late_dossier_and_given_outcome_kept(world):
    late = line(history=[{"status": 2, "at": "2026-01-05T09:00:00+07:00"},
                         {"status": 9, "at": "2026-01-21T09:00:00+07:00"}])
    given = line(code="X-2", history=late["history"], outcome="on_time", outcome_766="on_time",
                 due_at="2026-01-30T17:00:00+07:00")
    report = run([late, given])
    assert report.errors == [] and report.created == 2
    assert Dossier.objects.get(code=BASE["code"]).outcome == "late"
    kept = Dossier.objects.get(code="X-2")
    assert (kept.outcome, kept.outcome_766, kept.due_at) == ("on_time", "on_time", at(2026, 1, 30, 17))


def test_open_dossier_waiting_for_supplement_gets_step_and_paused_clock(world):
    history = [{"status": 1, "at": "2026-01-05T08:50:00+07:00"}, {"status": 2, "at": "2026-01-05T09:00:00+07:00"},
               {"status": 4, "at": "2026-01-05T10:00:00+07:00"}, {"status": 5, "at": "2026-01-07T08:00:00+07:00"}]
    sup = [{"requested_at": "2026-01-07T08:00:00+07:00", "fulfilled_at": None, "items": ["Đơn có chữ ký"]}]
    report = run([line(history=history, supplements=sup, step="tham-dinh", variant="Cấp lại", channel=2)])
    assert report.errors == []
    d = Dossier.objects.get(code=BASE["code"])
    assert d.variant.name == "Cấp lại"
    assert (d.status, d.previous_status, d.channel) == (Status.SUPPLEMENT, Status.PROCESSING, 2)
    assert d.paused_since == at(2026, 1, 7, 8) and d.current_step.code == "tham-dinh"
    assert d.finished_at is None and d.outcome == ""
    assert d.original_due_at == at(2026, 1, 7, 9)  # 16 working hours from Mon 09:00
    # the engine can take over: receiving the supplement resumes the clock from the ledger
    from motcua.dossiers.engine import perform

    perform(d, "receive_supplement", world["tn"], now=at(2026, 1, 8, 8))
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.paused_since is None
    assert d.due_at == at(2026, 1, 8, 9)  # 8 working hours paused (Wed 08:00 → Thu 08:00)


def test_extensions_and_handovers(world):
    report = run([line(history=[{"status": 2, "at": "2026-01-05T09:00:00+07:00"},
                                {"status": 4, "at": "2026-01-05T14:00:00+07:00"}],
                       extensions=[{"at": "2026-01-16T09:00:00+07:00", "new_due": "2026-01-23T17:30:00+07:00",
                                    "reason": "Cần xác minh thực địa"}],
                       handovers=[{"at": "2026-01-05T14:00:00+07:00", "from_agency": "000.00.30.T99",
                                   "to_agency": "000.00.12.T99", "outcome": "early"}])])
    assert report.errors == []
    d = Dossier.objects.get(code=BASE["code"])
    assert d.original_due_at == at(2026, 1, 19, 17, 30) and d.due_at == at(2026, 1, 23, 17, 30)
    assert d.current_step.code == "tiep-nhan" and d.step_started_at == at(2026, 1, 5, 14)
    ext = ClockEvent.objects.get(dossier=d, kind="extend")
    assert ext.data["previous_due"].startswith("2026-01-19T17:30")
    ho = HandOver.objects.get(dossier=d)
    assert (ho.giver_agency, ho.receiver_agency, ho.outcome) == (world["centre"], world["dept"], "early")


def test_idempotent_by_code_and_duplicates_in_file(world):
    first = run([line(), line(code="X-2")])
    assert first.created == 2
    again = run([line(), line(code="X-2"), line(code="X-3"), line(code="X-3")])
    assert (again.created, again.skipped_existing, again.skipped_duplicate, again.errors) == (1, 2, 1, [])
    assert Dossier.objects.count() == 3
    assert DossierEvent.objects.count() == 12 and AuditRecord.objects.filter(action="import").count() == 3


BAD = [
    ("{not json", "(json)"),
    (json.dumps(line(procedure="9.999999")), "procedure"),
    (json.dumps(line(receiving_agency="000.99.99.T99")), "receiving_agency"),
    (json.dumps(line(competent_agency="nope")), "competent_agency"),
    (json.dumps(line(submitted_at="05/01/2026 08:50")), "submitted_at"),
    (json.dumps(line(history=[{"status": 2, "at": "2026-01-05T09:00:00+07:00"},
                              {"status": 4, "at": "2026-01-05T08:00:00+07:00"}])), "history[1].at"),
    (json.dumps(line(history=[{"status": 2, "at": "2026-01-05T09:00:00+07:00"}, {"status": 9, "at":
                     "2026-01-06T09:00:00+07:00"}, {"status": 4, "at": "2026-01-07T09:00:00+07:00"}])),
     "history[2].status"),
    (json.dumps(line(applicant={"name": "A", "personal_id": "12345"})), "applicant.personal_id"),
    (json.dumps(line(applicant={"name": "A", "personal_id": "999203012345"})), "applicant.personal_id"),
    (json.dumps(line(variant=7)), "variant"),
    (json.dumps(line(paid_online=3)), "paid_online"),
    (json.dumps(line(colour="blue")), "colour"),
    (json.dumps(line(history=[{"status": 2, "at": "2026-01-05T09:00:00+07:00"}, {"status": 5, "at":
                     "2026-01-06T09:00:00+07:00"}])), "supplements"),
    (json.dumps([1, 2]), "(dòng)"),
]


def test_bad_lines_reported_with_line_and_field_and_nothing_written(world, tmp_path):
    texts = [json.dumps(line(code=f"OK-{i}")) if i % 2 == 0 else BAD[i // 2][0] for i in range(2 * len(BAD))]
    report, _path = run_file(tmp_path, texts)
    assert report.created == len(BAD)
    by_line = {}
    for e in report.errors:
        by_line.setdefault(e.line, set()).add(e.field)
    for k, (_text, field) in enumerate(BAD):
        assert field in by_line[2 * k + 2], (k, by_line.get(2 * k + 2))
    assert set(by_line) == {2 * k + 2 for k in range(len(BAD))}
    assert Dossier.objects.count() == len(BAD) and not Dossier.objects.exclude(code__startswith="OK-").exists()
    assert all(str(e).startswith(f"Dòng {e.line}, trường «{e.field}»") for e in report.errors)


def test_legacy_nine_digit_id_accepted(world):
    report = run([line(applicant={"name": "Lê Văn C", "personal_id": "125678901"})])
    assert report.errors == [] and Dossier.objects.get().applicant_personal_id == "125678901"


def test_dry_run_writes_nothing(world):
    audit_before = AuditRecord.objects.count()
    report = run([line(), line(code="X-2"), line(code="bad", procedure="0")], dry_run=True)
    assert (report.created, len(report.errors), report.dry_run) == (2, 1, True)
    assert not Dossier.objects.exists() and AuditRecord.objects.count() == audit_before
    assert not DossierCounter.objects.exists()


def test_failed_batch_is_retried_line_by_line(world, monkeypatch):
    refuse_batches_with(monkeypatch, "X-2")
    report = run([line(), line(code="X-2"), line(code="X-3")])
    assert report.created == 2 and [(e.line, e.field) for e in report.errors] == [(2, "code")]
    assert set(Dossier.objects.values_list("code", flat=True)) == {BASE["code"], "X-3"}


def test_counter_bumped_so_live_intake_gets_next_sequence(world):
    run([line(code="000.00.30.T99-260105-0007"), line(code="000.00.30.T99-260105-0003"),
         line(code="LEGACY/2026/15")])
    assert DossierCounter.objects.get(agency=world["centre"]).last_seq == 7
    doc = world["days"].documents.get()
    d, _created = create_dossier(actor=world["tn"], procedure="1.009999", variant=world["days"].pk,
                                 receiving_agency=world["centre"], applicant=BASE["applicant"],
                                 documents=[{"required_document_id": doc.pk, "name": doc.name}],
                                 now=at(2026, 1, 5, 15))
    assert d.code == "000.00.30.T99-260105-0008"
    run([line(code="000.00.30.T99-260105-0005")])  # a lower sequence never lowers the counter
    assert DossierCounter.objects.get(agency=world["centre"]).last_seq == 8


def test_audit_chain_verifies_after_import_and_later_transitions(world):
    from motcua.dossiers.engine import perform

    open_line = line(code="X-OPEN", history=[{"status": 2, "at": "2026-01-05T09:00:00+07:00"}])
    before = AuditRecord.objects.count()
    run([line(), open_line], batch_size=1)
    perform(Dossier.objects.get(code="X-OPEN"), "hand_over", world["tn"], now=at(2026, 1, 5, 14))
    result = verify()
    assert result.ok, [str(p) for p in result.problems]
    assert result.records == before + 3
    assert list(AuditRecord.objects.filter(stream="dossier:X-OPEN").values_list("seq", "action")) == [
        (1, "import"), (2, "hand_over")]


def test_command_reports_errors_and_exit_status(world, tmp_path, capsys):
    path = tmp_path / "hoso.jsonl"
    path.write_text(json.dumps(line()) + "\n" + json.dumps(line(code="X-2", procedure="0")) + "\n", "utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("import-dossiers", str(path), "--batch-size", "10")
    assert exc.value.code == 1
    out = capsys.readouterr()
    assert "Dòng 2, trường «procedure»" in out.err and "đã nhập 1 hồ sơ" in out.out
    ok = tmp_path / "ok.jsonl"
    ok.write_text(json.dumps(line()) + "\n", "utf-8")
    call_command("import-dossiers", str(ok))
    assert "bỏ qua 1 hồ sơ đã có" in capsys.readouterr().out
    assert AuditRecord.objects.get(stream=f"dossier:{BASE['code']}").actor_label == "command:import-dossiers:hoso.jsonl"


def test_command_progress_bar_on_a_terminal(world, tmp_path, capsys, monkeypatch):
    import sys

    path = tmp_path / "hoso.jsonl"
    path.write_text("\n".join(json.dumps(line(code=f"T-{i}")) for i in range(5)) + "\n", "utf-8")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    call_command("import-dossiers", str(path), "--batch-size", "2")
    out = capsys.readouterr()
    assert "5/5" in out.err and "đã nhập 5 hồ sơ" in out.out
    assert Dossier.objects.filter(code__startswith="T-").count() == 5


def test_code_patterns_are_read_back():
    from datetime import date

    from motcua.dossiers.codes import format_code
    from motcua.dossiers.importer import code_regex, read_code

    for pattern in ("{unit}-{yymmdd}-{seq:04d}", "{yyyy}{mm}{dd}/{unit}/{seq}", "HS-{unit}.{yyyymmdd}.{seq:06d}"):
        rx = code_regex(pattern)
        code = format_code("000.00.30.H27", date(2026, 2, 13), 42, pattern)
        assert read_code(rx, code) == ("000.00.30.H27", date(2026, 2, 13), 42), pattern
        assert read_code(rx, "LEGACY/2026/15") is None
    assert code_regex("{unit}-{seq}") is None  # no day in the pattern: counters cannot be bumped
    assert read_code(code_regex("{unit}-{yymmdd}-{seq:04d}"), "X-261340-0001") is None  # not a date
