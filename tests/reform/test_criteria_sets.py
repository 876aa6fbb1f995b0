"""The province-level criteria set (data/par_province.json, the 876/QĐ-BNV template): what the migration loads,
its arithmetic, and a round of the province People's Committee scored from self-assessment to the total."""

import importlib
import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from motcua.accounts.models import Role
from motcua.core.api_errors import DomainError
from motcua.reform import criteria, par
from motcua.reform.models import CriteriaSet, Criterion, Phase, Round
from tests.factories import staff
from tests.reform.conftest import at, make_plan

pytestmark = pytest.mark.django_db
CODE = "PAR-BNV-TINH"
AREAS = ["chỉ đạo, điều hành", "văn bản quy phạm pháp luật tại tỉnh", "thủ tục hành chính", "tổ chức bộ máy",
         "chế độ công vụ", "tài chính công", "chính quyền điện tử, chính quyền số", "tác động của cải cách hành chính"]


def province_set() -> CriteriaSet:
    return CriteriaSet.objects.get(code=CODE, version=1)


def leaves_by_code(cset) -> dict[str, Criterion]:
    return {c.code: c for c in par.leaves(cset)}


def scores(assessment) -> dict:
    return {s.criterion.code: s for s in assessment.scores.select_related("criterion")}


@pytest.fixture
def vp(people):
    """A specialist of the province People's Committee (its office prepares the province's self-assessment)."""
    return staff("vp", people["pc"], Role.SPECIALIST)


@pytest.fixture
def province_round(people, no_sipas):
    return par.open_round(province_set(), people["pc"], 2026, [people["pc"]])


def test_province_set_is_loaded_by_the_migration():
    cset = province_set()
    assert cset.unit_kind == "province" and cset.effective_year == 2022
    assert "876/QĐ-BNV" in cset.decision and "MẪU" in cset.decision and "Bảng 2" in cset.note
    roots = list(cset.criteria.filter(parent=None).order_by("order"))
    assert [r.code for r in roots] == [str(i) for i in range(1, 9)]                   # eight areas, no survey area
    assert all(area in r.title.lower() for r, area in zip(roots, AREAS, strict=True))
    assert sum(r.max_points for r in roots) == D(100)
    for parent in cset.criteria.filter(children__isnull=False).distinct():
        assert sum(c.max_points for c in parent.children.all()) == parent.max_points, parent.code
    leaves = par.leaves(cset)
    survey = [c for c in leaves if c.kind == "survey"]
    assert sum(c.max_points for c in survey) == D(33)                                  # about a third
    assert len({c.code.split(".")[0] for c in survey}) == 8                            # every area has its share
    assert all(c.auto.get("source") == "sipas" for c in survey)                        # else never scored
    assert not cset.criteria.filter(uncertain=False).exists()                          # nothing taken from Bảng 2
    sources = {c.auto["source"] for c in cset.criteria.exclude(auto={})}
    assert sources == {"plan_completion", "on_time_rate", "online_rate", "pakn_on_time", "satisfaction", "sipas"}
    assert cset.criteria.count() == len(list(criteria._codes(criteria.read("par_province.json")["criteria"])))


def test_province_migration_loads_it_once():
    step = importlib.import_module("motcua.reform.migrations.0003_load_province_set")
    size = province_set().criteria.count()
    province_set().delete()                          # as on an installation that ran 0002 before the set existed
    others = (CriteriaSet.objects.count(), Criterion.objects.count())
    step.load(apps, None)
    step.load(apps, None)
    assert (CriteriaSet.objects.count(), Criterion.objects.count()) == (others[0] + 1, others[1] + size)
    assert province_set().criteria.count() == size
    assert "par_province.json" in criteria.BUILTIN


def test_province_round_from_self_assessment_to_total(people, vp, province_round, monkeypatch):
    rnd = province_round
    a = rnd.assessments.get()
    assert a.agency == people["pc"] and set(scores(a)) == set(leaves_by_code(rnd.criteria_set))
    with pytest.raises(PermissionDenied):                                   # a department is not the province
        par.save_self(a, people["cv"], {"1.2": {"score": "1"}})
    with pytest.raises(DomainError) as survey_err:                          # survey criteria are never self-scored
        par.save_self(a, vp, {"1.2": {"score": "1"}, "1.6": {"score": "3"}})
    assert "score-1.6" in survey_err.value.fields
    assert scores(a)["1.2"].self_score is None                              # nothing saved
    par.save_self(a, vp, {"1.1.1": {"score": "0,5"}, "1.2": {"score": "1,5"}, "2.1": {"score": "2"},
                          "3.3.2": {"score": "2,5", "note": "Số liệu hệ thống"}, "8.2.1": {"score": "3"}})
    par.close_phase(rnd, people["cchc"], "self")
    rnd.refresh_from_db()
    with pytest.raises(DomainError) as no_reason:                           # a changed score needs a reason
        par.save_appraisal(a, people["cchc"], {"3.3.2": {"score": "2"}})
    assert "reason-3.3.2" in no_reason.value.fields
    par.save_appraisal(a, people["cchc"], {"3.3.2": {"score": "2", "reason": "Có hồ sơ trễ hạn chưa xin lỗi"},
                                           "8.2.1": {"score": "2,5", "reason": "Vốn thực hiện đạt 95 % kế hoạch"}})
    t = par.unit_total(a)
    # 0,5 + 1,5 + 2 + 2 (appraised) + 2,5 (appraised) = 8,5 of the 67 assessed points; no survey → 8,5 × 100 / 67
    assert (t.assessed, t.assessed_max, t.survey, t.total, t.rescaled) == (
        D("8.50"), D("67.00"), None, D("12.69"), True)
    monkeypatch.setattr("motcua.surveys.services.satisfaction_index", lambda agency, f, to: 90.0)
    par.refresh_figures(a)                                                  # the council refreshes while appraising
    s = scores(a)
    assert (s["1.6"].proposed, s["3.5"].proposed, s["8.1.1"].proposed) == (D("2.70"), D("3.60"), D("5.40"))
    t = par.unit_total(a)
    assert (t.survey, t.survey_max, t.total, t.rescaled) == (D("29.70"), D("33.00"), D("38.20"), False)
    par.close_phase(rnd, people["cchc"], "appraisal")
    rnd.refresh_from_db()
    assert rnd.phase == Phase.CLOSED
    [row] = par.results(rnd)
    assert (row["total"].total, row["phrase"]) == (D("38.20"), "đứng thứ 1 trong khối tỉnh")
    with pytest.raises(DomainError, match="khóa thẩm định"):
        par.refresh_figures(a)


def test_province_figures_cover_the_whole_province(people, province_round, load):
    # 20 dossiers decided by a department of the province in 2026: 1 late → 95 %; 4 received online → 20 %.
    specs = []
    for i in range(20):
        t = at(2026, 3 + i // 10, 2 + i % 10)
        specs.append({"code": f"P-{i:02d}", "channel": 2 if i < 4 else 1, "received_at": t,
                      "outcome": "late" if i == 0 else "on_time",
                      "history": [(1, t), (2, t), (4, t + timedelta(hours=2)), (9, t + timedelta(days=3))]})
    load(*specs)
    make_plan(people["pc"], 2026, "dddddddddp")                             # the province's own plan: 9 of 10
    a = province_round.assessments.get()
    assert par.refresh_figures(a) == 5 + 9                                  # five assessed auto criteria + 9 survey
    s = scores(a)
    assert s["3.3.2"].figures["details"]["finished"] == 20 and s["3.3.2"].figures["value"] == 95.0
    assert s["3.3.2"].proposed == D("1.50")                                 # 95 ≤ 95 < 98 → 1,5
    assert s["7.3.2"].proposed == D("0.50") and s["7.3.2"].figures["value"] == 20.0   # 15 ≤ 20 < 30 → 0,5
    assert s["1.1.2"].proposed == D("1.50") and s["1.1.2"].figures["details"]["done"] == 9   # 90 % → 1,5
    assert s["3.4"].proposed == D("1.50") and s["3.4"].figures["value"] is None       # no PAKN: full points
    assert s["3.3.3"].proposed is None                                      # no rating: no proposal
    assert s["8.1.1"].proposed is None                                      # no SIPAS response


def test_par_round_command_opens_the_province_round(people, no_sipas):
    call_command("par-round", "--set", CODE, "--year", "2026", "--organiser", people["pc"].code, "--refresh",
                 stdout=io.StringIO())
    rnd = Round.objects.get(criteria_set__code=CODE)
    assert [a.agency for a in rnd.assessments.all()] == [people["pc"]]     # default unit: the province itself
    assert rnd.group_label == "khối tỉnh"
    assert rnd.assessments.get().scores.get(criterion__code="3.4").proposed == D("1.50")


def test_province_sheet_page(client, people, vp, province_round):
    page = f"/backoffice/cai-cach/chi-so/{province_round.pk}/{people['pc'].code}/"
    client.force_login(vp)
    body = client.get(page).content.decode()
    assert 'name="score-8.2.1"' in body and 'name="score-1.6"' not in body and 'name="score-8.1.1"' not in body
    assert body.count("Không tự chấm: lấy từ kết quả khảo sát SIPAS") == 9 and "cần đối chiếu" in body
    assert client.post(page, {"mode": "self", "score-1.2": "1,5", "score-3.3.2": "3"}).status_code == 422
    assert client.post(page, {"mode": "self", "score-1.2": "1,5"}).status_code == 302
    assert scores(province_round.assessments.get())["1.2"].self_score == D("1.5")
    client.force_login(people["cv"])
    assert client.get(page).status_code == 404                              # a department's staff
