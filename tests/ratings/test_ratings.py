import json
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.audit.models import AuditRecord
from motcua.ratings import indexdata
from motcua.ratings.models import IndexDefinition, IndexSet, Overall, Rating, RatingAnswer, Source
from motcua.ratings.services import RatingError, can_rate, current_index_set, rating_summary, submit_rating

pytestmark = pytest.mark.django_db

ALL_TWO = {str(i): 2 for i in range(1, 10)}


def test_tt01_index_set_is_data():
    s = current_index_set()
    assert s.code == "TT01-2018"
    indices = list(s.indices.order_by("order"))
    assert [i.code for i in indices] == [str(n) for n in range(1, 10)]
    assert all(sorted(o["points"] for o in i.options) == [0, 1, 2] for i in indices)
    assert indices[0].text == "Tổng thời gian giải quyết hồ sơ so với thời hạn theo quy định"
    assert s.max_points == 18
    assert {i.code for i in indices if i.officer_score} == {"1", "2", "3", "4", "7"}


def test_index_loading_is_idempotent_and_validated(tmp_path):
    data = json.loads(indexdata.BUILTIN.read_text(encoding="utf-8"))
    assert indexdata.load(data, IndexSet, IndexDefinition)[1] == 0
    local = {**data, "code": "BN-2026", "name": "Phiếu đánh giá tỉnh Bắc Ninh", "effective_from": "2026-01-01",
             "indices": data["indices"][:3]}
    path = tmp_path / "bn.json"
    path.write_text(json.dumps(local, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("ratings", "load-indices", str(path), stdout=out)
    assert "BN-2026: thêm 3 chỉ số" in out.getvalue()
    from datetime import date

    assert current_index_set(date(2026, 2, 1)).code == "BN-2026"
    assert current_index_set(date(2025, 2, 1)).code == "TT01-2018"
    bad = {**local, "code": "X", "indices": [{"code": "1", "text": "a", "options": [{"points": 2}, {"points": 2}]}]}
    with pytest.raises(indexdata.IndexDataError):
        indexdata.check(bad)


# -- who and when ----------------------------------------------------------------------------------------------
def test_applicant_rates_finished_dossier_once(make_dossier, world):
    d = make_dossier("finished")
    citizen = world["citizen"]
    assert can_rate(d, citizen)
    r = submit_rating(d, overall=Overall.SATISFIED, indices={"1": 2, "3": 1, "7": "2"}, comment="  Nhanh gọn ",
                      source=Source.ONLINE, user=citizen)
    assert (r.total_points, r.answered, r.comment, r.applicant_user, r.entered_by) == (5, 3, "Nhanh gọn", citizen,
                                                                                      None)
    labels = dict(RatingAnswer.objects.filter(rating=r).values_list("index__code", "label"))
    assert labels["3"] == "Một lần"
    assert AuditRecord.objects.filter(stream=f"dossier:{d.code}", action="rated").count() == 1
    assert not can_rate(d, citizen)
    with pytest.raises(RatingError) as exc:
        submit_rating(d, overall=Overall.VERY_SATISFIED, indices={}, user=citizen)
    assert exc.value.code == "already_rated" and exc.value.status == 409
    assert "đã được đánh giá" in exc.value.message
    assert Rating.objects.filter(dossier=d).count() == 1


def test_not_finished_dossier_cannot_be_rated(make_dossier, world):
    d = make_dossier("received")
    assert not can_rate(d, world["citizen"])
    with pytest.raises(RatingError) as exc:
        submit_rating(d, overall=Overall.SATISFIED, indices={}, user=world["citizen"])
    assert exc.value.code == "not_ratable" and "Được tiếp nhận" in exc.value.message


@pytest.mark.parametrize("who", ["other_citizen", "cv", None])
def test_online_rating_only_by_applicant(make_dossier, world, who):
    d = make_dossier("delivered")
    user = world[who] if who else None
    assert not can_rate(d, user)
    with pytest.raises(RatingError) as exc:
        submit_rating(d, overall=Overall.SATISFIED, indices={}, source=Source.ONLINE, user=user)
    assert exc.value.status == 403 and not Rating.objects.exists()


def test_desk_officer_enters_paper_form(make_dossier, world):
    d = make_dossier("delivered")
    assert can_rate(d, world["tn"]) and not can_rate(d, world["tn2"]) and not can_rate(d, world["cv"])
    with pytest.raises(RatingError) as exc:
        submit_rating(d, overall=Overall.NEUTRAL, indices={}, source=Source.PAPER, user=world["tn2"])
    assert exc.value.code == "forbidden"
    with pytest.raises(RatingError):  # a citizen cannot claim a paper form
        submit_rating(d, overall=Overall.NEUTRAL, indices={}, source=Source.PAPER, user=world["citizen"])
    r = submit_rating(d, overall=Overall.NEUTRAL, indices=ALL_TWO, source=Source.PAPER, user=world["tn"])
    assert r.source == "paper" and r.entered_by == world["tn"] and r.applicant_user == world["citizen"]
    assert r.total_points == 18


def test_invalid_answers_name_the_field_and_write_nothing(make_dossier, world):
    d = make_dossier("finished")
    with pytest.raises(RatingError) as exc:
        submit_rating(d, overall="tuyệt vời", indices={"1": 5, "99": 2, "2": "x"}, comment="a" * 2001,
                      user=world["citizen"])
    assert exc.value.status == 422
    assert set(exc.value.fields) == {"overall", "indices.1", "indices.99", "indices.2", "comment"}
    assert "Chọn một mức độ hài lòng" in exc.value.fields["overall"][0]
    assert not Rating.objects.exists() and not RatingAnswer.objects.exists()
    with pytest.raises(RatingError) as exc:
        submit_rating(d, overall=Overall.SATISFIED, indices={}, source="fax", user=world["citizen"])
    assert "source" in exc.value.fields


# -- statistics ------------------------------------------------------------------------------------------------
def test_rating_summary(make_dossier, world):
    from motcua.dossiers.models import Dossier

    levels = [Overall.VERY_SATISFIED, Overall.SATISFIED, Overall.SATISFIED, Overall.DISSATISFIED]
    answers = [ALL_TWO, {"1": 1, "7": 2}, {}, {"1": 0, "7": 0}]
    for level, idx in zip(levels, answers, strict=True):
        submit_rating(make_dossier("delivered"), overall=level, indices=idx, user=world["citizen"])
    make_dossier("finished")  # not rated: not counted
    s = rating_summary(Dossier.objects.all())
    assert s["total"] == 4 and s["satisfied"] == 3
    assert s["levels"] == {"very_satisfied": 1, "satisfied": 2, "neutral": 0, "dissatisfied": 1,
                           "very_dissatisfied": 0}
    assert s["satisfaction_rate"] == 75.0 and s["satisfaction_rate_display"] == "75 %"
    assert s["average_points"] == round((18 + 3 + 0) / 3, 2)  # ratings without answers are left out
    assert s["index_averages"]["1"] == 1.0 and s["index_averages"]["7"] == round(4 / 3, 2)
    assert s["officer_average"] == round((10 + 3 + 0) / 3, 2)
    empty = rating_summary(Dossier.objects.none())
    assert empty["total"] == 0 and empty["satisfaction_rate"] is None and empty["satisfaction_rate_display"] == "—"


def test_summary_rate_rounding(make_dossier, world):
    from motcua.dossiers.models import Dossier

    for level in [Overall.SATISFIED, Overall.SATISFIED, Overall.NEUTRAL]:
        submit_rating(make_dossier("delivered"), overall=level, indices={}, user=world["citizen"])
    s = rating_summary(Dossier.objects.all())
    assert s["satisfaction_rate"] == 66.7 and s["satisfaction_rate_display"] == "66,7 %"


def test_admin_freezes_an_answered_index_set(admin_client, make_dossier, world):
    index_set = current_index_set()
    url = f"/admin/ratings/indexset/{index_set.pk}/change/"
    assert 'name="indices-0-text"' in admin_client.get(url).content.decode()
    submit_rating(make_dossier("delivered"), overall=Overall.SATISFIED, indices={"1": 2}, user=world["citizen"])
    html = admin_client.get(url).content.decode()
    assert 'name="indices-0-text"' not in html and "Tổng thời gian giải quyết" in html
    rating = Rating.objects.get()
    assert admin_client.get(f"/admin/ratings/rating/{rating.pk}/change/").status_code == 200
