"""766 group 6 over a hand-built May 2026: every figure below is worked out by hand in the comments."""

from datetime import date

import pytest
from openpyxl import load_workbook

from motcua.feedback import services
from motcua.feedback.models import Category
from motcua.feedback.stats import pakn_stats
from tests.feedback.conftest import local

pytestmark = pytest.mark.django_db
IN = Category.IN_COMPETENCE


def handled(world, fb, classified, approved, published=None):
    services.perform(fb, "classify", world["tn"], category=IN, now=classified)
    services.perform(fb, "draft_answer", world["cv"], answer="Trả lời: đã kiến nghị sửa quy định.", now=classified)
    fb = services.perform(fb, "approve", world["ld"], now=approved)
    if published:
        fb = services.perform(fb, "publish", world["tn"], now=published)
    return fb


@pytest.fixture
def may(world, submit):
    """A–H at the department (H' its forwarded copy at the other department), I outside the period."""
    s = {}
    s["A"] = handled(world, submit(at=local(2026, 5, 4))[0], local(2026, 5, 4, 10), local(2026, 5, 20),
                     local(2026, 5, 21))  # handling due 25/05 on time; publication due 22/05 on time
    for value, key in ((1, "u1"), (1, "u2"), (-1, "u3")):
        services.vote(s["A"], value, session_key=key)
    s["B"] = handled(world, submit(at=local(2026, 5, 4))[0], local(2026, 5, 4, 10), local(2026, 5, 27, 10),
                     local(2026, 5, 28))  # approved after 25/05: handled late; published by 29/05: on time
    s["C"] = submit(at=local(2026, 5, 4))[0]
    services.perform(s["C"], "reject", world["tn"], reason="Khiếu nại", now=local(2026, 5, 7, 9))  # due 06/05
    s["D"] = submit(at=local(2026, 5, 4))[0]
    services.perform(s["D"], "classify", world["tn"], category=IN, now=local(2026, 5, 5))  # open past 25/05
    s["E"] = submit(at=local(2026, 5, 20, 10))[0]  # never classified: reject due 22/05 passed, handling 10/06
    s["G"] = handled(world, submit(at=local(2026, 5, 5))[0], local(2026, 5, 5, 10), local(2026, 5, 15),
                     local(2026, 5, 18))
    for key in ("u1", "u2"):
        services.vote(s["G"], -1, session_key=key)  # more dislikes than likes
    s["F"] = submit(at=local(2026, 5, 25), repeat_of=s["A"].code)[0]  # "Tôi chưa hài lòng" with A
    s["H"] = submit(at=local(2026, 5, 4))[0]
    services.perform(s["H"], "classify", world["tn"], category=Category.OUT_OF_COMPETENCE, now=local(2026, 5, 5))
    services.perform(s["H"], "forward", world["tn"], agency=world["other_dept"].code, now=local(2026, 5, 6, 10))
    submit(at=local(2026, 4, 29))  # I: before the period
    return s


def test_counts_clocks_and_indicators(world, may):
    stats = pakn_stats(world["pc"].code, date(2026, 5, 1), date(2026, 5, 31))
    assert stats["total"] == 9  # A B C D E F G H H'
    assert {e["key"]: e["count"] for e in stats["by_category"]} == {
        "": 3, "in_competence": 4, "not_receivable": 1, "out_of_competence": 1}
    assert {e["key"]: e["count"] for e in stats["by_channel"]} == {"web": 8, "forwarded": 1}
    assert {e["code"]: e["count"] for e in stats["by_agency"]} == {world["dept"].code: 8,
                                                                     world["other_dept"].code: 1}
    clocks = stats["clocks"]
    # reject: C late (07/05 > 06/05); E (due 22/05), F (due 27/05), H' (due 08/05) still unclassified on 31/05
    assert clocks["reject"] == {"on_time": 0, "late": 1, "within_time": 0, "overdue": 3}
    # handling: A, G on time; B late; D overdue (25/05), H' overdue (27/05); E, F within time (June)
    assert clocks["handling"] == {"on_time": 2, "late": 1, "within_time": 2, "overdue": 2}
    assert clocks["publication"] == {"on_time": 3, "late": 0, "within_time": 0, "overdue": 0}
    assert clocks["forward"]["on_time"] == 1
    # 5.2: on time = A, G, H (forwarded in time) → 3 / 9
    assert stats["on_time"] == 3 and stats["on_time_rate"] == 33.33
    # 5.3: first received = A B C D E G H (F is a repeat, H' a copy inside the unit); minus A (repeated with
    # dissatisfaction), B (handled late), G (more dislikes) → C D E H = 4 / 7
    assert stats["first_received"] == 7 and stats["satisfied"] == 4 and stats["satisfaction_rate"] == 57.14


def test_the_receiving_agency_counts_the_forwarded_copy_as_first_received(world, may):
    stats = pakn_stats(world["other_dept"], date(2026, 5, 1), date(2026, 5, 31))
    assert stats["total"] == 1 and stats["first_received"] == 1


def test_xlsx_report_command(world, may, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "pakn.xlsx"
    call_command("pakn-report", "--unit", world["pc"].code, "--from", "2026-05-01", "--to", "2026-05-31",
                 "--output", str(out))
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == ["Nhóm chỉ tiêu", "Chỉ tiêu", "Giá trị"]
    assert ws.freeze_panes == "A2"
    values = {(r[1].value): r[2].value for r in ws.iter_rows(min_row=2)}
    assert values["Tổng số phản ánh, kiến nghị tiếp nhận"] == 9
    assert values["Tỷ lệ hài lòng"] == "57,14 %"


def test_report_command_rejects_bad_input(world, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("pakn-report", "--unit", world["pc"].code, "--from", "2026-13-01", "--to", "2026-05-31",
                     "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        call_command("pakn-report", "--unit", "KHONG-CO", "--from", "2026-05-01", "--to", "2026-05-31",
                     "--output", str(tmp_path / "x.xlsx"))
