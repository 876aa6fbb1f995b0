"""The contribution function alone (no database): intervals and counters of single dossiers."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from motcua.reports import facts as F

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def dt(m, d, hh=9):
    return datetime(2026, m, d, hh, tzinfo=TZ)


def make(**kw):
    base = dict(agency_id=1, procedure_id=2, channel=1, status=4, received_at=dt(1, 5), finished_at=None,
                due_at=dt(1, 19, 17), delivered_at=None, outcome="", outcome_766="", digitised=False,
                e_result=False, paid_online=0, supplements=[])
    base.update(kw)
    return F.build_facts(**base)


def stock_at(contrib, stock, day):
    return sum(c.get(f"{stock}_in", 0) - c.get(f"{stock}_out", 0) for k, c in contrib.items() if k[3] <= day)


def test_local_day_is_vietnam_time():
    # 23:30 UTC on 4 Jan is 06:30 on 5 Jan in Hà Nội
    f = make(received_at=datetime(2026, 1, 4, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert f["recv"] == "2026-01-05"


def test_open_dossier_becomes_overdue_on_its_due_day():
    c = F.contributions(make())
    assert stock_at(c, "open", "2026-01-04") == 0
    assert stock_at(c, "open", "2026-01-05") == 1
    assert stock_at(c, "overdue", "2026-01-18") == 0
    assert stock_at(c, "overdue", "2026-01-19") == 1
    assert c[(1, 2, 1, "2026-01-05")]["received_counter"] == 1


def test_supplement_interval_is_cut_out_of_overdue_and_two_requests_are_late_for_766():
    f = make(due_at=dt(1, 10), supplements=[(dt(1, 12), dt(1, 15)), (dt(1, 20), None)], status=5)
    c = F.contributions(f)
    assert stock_at(c, "overdue", "2026-01-11") == 1
    assert stock_at(c, "overdue", "2026-01-13") == 0  # waiting: not counted overdue
    assert stock_at(c, "supplement", "2026-01-13") == 1
    assert stock_at(c, "overdue", "2026-01-16") == 1
    assert stock_at(c, "supplement", "2026-01-21") == 1 and stock_at(c, "overdue", "2026-01-21") == 0
    assert stock_at(c, "overdue766", "2026-01-21") == 1  # second request made on 20/01
    assert sum(v.get("supplement_requested", 0) for v in c.values()) == 2


def test_finished_result_counts_once_and_leaves_every_stock():
    f = make(status=10, finished_at=dt(1, 9), outcome="early", outcome_766="on_time", delivered_at=dt(1, 12),
             e_result=True)
    c = F.contributions(f)
    day = c[(1, 2, 1, "2026-01-09")]
    assert (day["finished"], day["finished_early"], day["finished_766_on_time"], day["ended"], day["e_result"]) == \
        (1, 1, 1, 1, 1)
    assert day["handling_seconds_total"] == 4 * 86400
    assert stock_at(c, "open", "2026-01-09") == 0
    assert stock_at(c, "uncollected", "2026-01-10") == 1 and stock_at(c, "uncollected", "2026-01-12") == 0


def test_refusal_before_reception_counts_on_the_event_day_only():
    f = make(status=3, received_at=None, due_at=None, terminal_at=dt(2, 3))
    c = F.contributions(f)
    assert dict(c) == {(1, 2, 1, "2026-02-03"): {"refused": 1}}


def test_diff_of_a_route_moves_everything():
    before = make()
    after = {**before, "a": 9}
    d = F.diff(before, after)
    assert sum(v.get("received_counter", 0) for k, v in d.items() if k[0] == 1) == -1
    assert sum(v.get("received_counter", 0) for k, v in d.items() if k[0] == 9) == 1
    assert F.diff(before, before) == {}


def test_interval_helpers():
    assert F._union([(1, 3), (2, 5), (7, 7), (6, 8)]) == [(1, 5), (6, 8)]
    assert F._minus([(1, 10)], [(3, 4), (6, 12)]) == [(1, 3), (4, 6)]
    assert date.fromordinal(F._ord("2026-01-05", 0)) == date(2026, 1, 5)


def test_requests_on_the_same_day_one_still_open():
    f = make(status=5, supplements=[(dt(1, 7, 15), None), (dt(1, 7, 9), dt(1, 7, 11))])
    assert f["supp"] == [["2026-01-07", "2026-01-07"], ["2026-01-07", None]]
    c = F.contributions(f)
    assert stock_at(c, "supplement", "2026-01-07") == 1 and stock_at(c, "overdue766", "2026-01-07") == 1
