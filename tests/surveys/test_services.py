"""Campaign services: sampling from finished dossiers, invitations, one response per invitation, paper entry,
results and the index handed to PAR scoring."""

from datetime import date, timedelta

import pytest
from django.core import mail

from motcua.core.api_errors import DomainError
from motcua.dossiers.models import Dossier, Status
from motcua.notifications.models import Event, Notification
from motcua.surveys import services
from motcua.surveys.models import (
    Campaign,
    Invitation,
    InvitationStatus,
    Questionnaire,
    Response,
    ResponseChannel,
)
from tests.surveys.helpers import answers

pytestmark = pytest.mark.django_db
TODAY = date(2026, 2, 10)


def test_builtin_questionnaire_has_five_elements_and_three_aspects():
    q = Questionnaire.objects.get(code="SIPAS-1001-2023")
    assert [e["code"] for e in q.elements] == ["access", "procedure", "officials", "result", "feedback"]
    for element in q.elements:
        aspects = set(q.questions.filter(element=element["code"]).values_list("aspect", flat=True))
        assert aspects == {"assessment", "satisfaction", "expectation"}
    assert set(q.scales) == {"agreement", "satisfaction", "expectation"}
    assert all(len(labels) == 5 for labels in q.scales.values())
    assert q.questions.filter(element="feedback", optional=True).count() == q.questions.filter(
        element="feedback").count()


# -- sampling -----------------------------------------------------------------------------------------------------
def test_population_counts_distinct_applicants_of_finished_dossiers_only(world, finished, clone, campaign_for):
    clone(3)
    clone(1, start=0, code="SIPAS-dup")  # the same applicant (personal id) a second time: one person
    finished("delivered", personal_id="001203099991", email="a@example.vn")
    finished("payment", personal_id="001203099992")  # not finished
    Dossier.objects.filter(code="SIPAS-00002").update(finished_at=None, status=Status.PROCESSING)
    clone(1, start=50, status=Status.STOPPED)  # terminal but not finished
    clone(1, start=60, finished_at=Dossier.objects.get(code="SIPAS-00000").finished_at + timedelta(days=40))
    campaign = campaign_for()
    # clone's template (applicant Trần Thị Bình), SIPAS-00000, SIPAS-00001, the delivered one
    assert len(services.population(campaign)) == 4


def test_population_is_limited_to_the_units_subtree(world, clone, people, campaign_for):
    clone(2)
    other = campaign_for(agency=world["other_dept"], actor=people["province_admin"])
    province = campaign_for(agency=world["pc"], actor=people["province_admin"])
    assert services.population(other) == {}
    assert len(services.population(province)) == 3


def test_draw_sample_size_and_reproducibility(clone, campaign_for, people):
    clone(11)  # + the template's applicant = 12 people
    first = campaign_for(margin_percent="20", seed=99)
    second = campaign_for(margin_percent="20", seed=99)
    third = campaign_for(margin_percent="20", seed=100)
    for c in (first, second, third):
        assert services.draw_sample(people["leader"], c) == 9  # ⌈12 / (1 + 12 × 0,04)⌉ = ⌈8,11⌉
    first.refresh_from_db()
    assert (first.population, first.sample_size) == (12, 9)

    def chosen(c):
        return set(c.invitations.values_list("dossier_id", flat=True))

    assert chosen(first) == chosen(second)
    assert chosen(first) != chosen(third)
    assert first.invitations.values("applicant_key").distinct().count() == 9
    assert set(Dossier.objects.filter(pk__in=chosen(first)).values_list("status", flat=True)) <= {
        Status.FINISHED, Status.DELIVERED}


def test_sample_is_drawn_once(clone, campaign_for, people):
    clone(2)
    campaign = campaign_for()
    services.draw_sample(people["leader"], campaign)
    with pytest.raises(DomainError) as exc:
        services.draw_sample(people["leader"], campaign)
    assert exc.value.status == 409 and "đã chọn mẫu" in exc.value.message


# -- invitations --------------------------------------------------------------------------------------------------
def test_invitations_sent_after_commit_with_a_personal_link(clone, campaign_for, people,
                                                            django_capture_on_commit_callbacks):
    clone(2)
    clone(1, start=10, applicant_email="")  # no e-mail, no phone, no account: paper questionnaire
    campaign = campaign_for(closes_on=date.today() + timedelta(days=10))
    services.draw_sample(people["leader"], campaign)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.send_invitations(people["leader"], campaign)
        assert len(mail.outbox) == 0
    assert counts == {"invited": 3, "no_contact": 1}
    assert Invitation.objects.filter(status=InvitationStatus.NO_CONTACT).count() == 1
    rows = Notification.objects.filter(event=Event.SURVEY_INVITATION)
    assert rows.count() >= 3
    bodies = [m.body for m in mail.outbox]
    assert len(bodies) == 3 and all("/khao-sat/" in b for b in bodies)
    token = bodies[0].split("/khao-sat/")[1].split("/")[0]
    inv = services.find_invitation(token)
    assert inv is not None and inv.campaign == campaign and inv.notifications.exists()
    assert len(token) >= 32 and inv.token_hash != token  # only the hash is stored
    assert services.find_invitation("x" * 32) is None


def test_closed_campaign_sends_nothing(clone, campaign_for, people):
    clone(1)
    campaign = campaign_for()
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=date.today() - timedelta(days=1))
    campaign.refresh_from_db()
    services.draw_sample(people["leader"], campaign)
    with pytest.raises(DomainError) as exc:
        services.send_invitations(people["leader"], campaign)
    assert exc.value.status == 410


# -- responses ----------------------------------------------------------------------------------------------------
@pytest.fixture
def sampled(clone, campaign_for, people):
    clone(4)
    campaign = campaign_for()
    services.draw_sample(people["leader"], campaign)
    return campaign


def test_one_response_per_invitation(sampled):
    inv = sampled.invitations.first()
    services.submit_response(inv, answers(5), channel=ResponseChannel.ONLINE, today=TODAY)
    inv.refresh_from_db()
    assert inv.status == InvitationStatus.RESPONDED
    with pytest.raises(DomainError) as exc:
        services.submit_response(inv, answers(1), channel=ResponseChannel.ONLINE, today=TODAY)
    assert exc.value.status == 409 and exc.value.code == "already_answered"
    assert "một lần" in exc.value.message
    assert Response.objects.get(invitation=inv).answers["CC-HL"] == 5


def test_expired_campaign_refuses_responses(sampled):
    Campaign.objects.filter(pk=sampled.pk).update(closes_on=date(2026, 3, 31))
    inv = sampled.invitations.select_related("campaign").first()
    with pytest.raises(DomainError) as exc:
        services.submit_response(inv, answers(), channel=ResponseChannel.ONLINE, today=date(2026, 4, 1))
    assert exc.value.status == 410 and "31/03/2026" in exc.value.message
    assert not Response.objects.exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"q-TC1": "7"}, "TC1", "từ 1 đến 5"),
    ({"q-TC1": "bốn"}, "TC1", "từ 1 đến 5"),
    ({"q-TC-HL": ""}, "TC-HL", "Vui lòng chọn"),
    ({"q-PA1": "4"}, "PA2", "Vui lòng chọn"),  # optional element started: answer it in full
])
def test_invalid_answers_are_refused_in_vietnamese(sampled, data, field, message):
    inv = sampled.invitations.first()
    with pytest.raises(DomainError) as exc:
        services.submit_response(inv, {**answers(), **data}, channel=ResponseChannel.ONLINE, today=TODAY)
    assert exc.value.status == 422
    assert message in " ".join(exc.value.fields[field])
    assert not Response.objects.exists()


def test_optional_feedback_element_may_be_skipped_or_answered(sampled):
    first, second = sampled.invitations.all()[:2]
    r1 = services.submit_response(first, answers(), channel=ResponseChannel.ONLINE, today=TODAY)
    r2 = services.submit_response(second, answers(feedback=True), channel=ResponseChannel.ONLINE, today=TODAY)
    assert "PA-HL" not in r1.answers and r2.answers["PA-HL"] == 4


def test_paper_entry_by_unit_staff(sampled, people, world):
    inv = sampled.invitations.first()
    with pytest.raises(DomainError) as exc:  # an inspector reads, never writes
        services.enter_paper_response(people["inspector"], sampled, inv.pk, answers())
    assert exc.value.status == 403
    with pytest.raises(DomainError):  # reception at another unit
        services.enter_paper_response(world["tn"], sampled, inv.pk, answers())
    with pytest.raises(DomainError) as exc:
        services.enter_paper_response(people["reception"], sampled, "abc", answers())
    assert exc.value.fields["invitation"]
    resp = services.enter_paper_response(people["reception"], sampled, inv.pk, answers(3))
    assert resp.channel == ResponseChannel.PAPER and resp.entered_by == people["reception"]


def test_invitation_of_another_campaign_is_not_accepted(sampled, campaign_for, people):
    other = campaign_for(name="Khác")
    with pytest.raises(DomainError) as exc:
        services.enter_paper_response(people["reception"], other, sampled.invitations.first().pk, answers())
    assert exc.value.status == 422


# -- campaigns: permissions and bad input ---------------------------------------------------------------------------
def test_only_unit_managers_create_campaigns(world, people):
    fields = {"name": "Đợt 1", "period_start": "2026-01-01", "period_end": "2026-01-31", "closes_on": "2026-02-28"}
    for actor in (people["reception"], people["inspector"], people["other_leader"], world["cv"]):
        with pytest.raises(DomainError) as exc:
            services.create_campaign(actor, agency=world["dept"], **fields)
        assert exc.value.status == 403
    assert services.create_campaign(people["province_admin"], agency=world["dept"], **fields).pk


def test_campaign_bad_input(world, people):
    with pytest.raises(DomainError) as exc:
        services.create_campaign(people["leader"], agency=world["dept"], name=" ", period_start="2026-02-01",
                                 period_end="2026-01-01", closes_on="31/12/2026", margin_percent="50")
    fields = exc.value.fields
    assert exc.value.status == 422
    assert set(fields) == {"name", "period_end", "closes_on", "margin_percent"}
    assert "sau ngày bắt đầu" in fields["period_end"][0]


# -- results ------------------------------------------------------------------------------------------------------
def _respond_all(campaign, values: list[int]):
    for inv, value in zip(campaign.invitations.order_by("id"), values, strict=True):
        services.submit_response(inv, answers(value), channel=ResponseChannel.ONLINE, today=TODAY)


def test_results_and_comparison_with_previous_campaign(clone, campaign_for, people):
    clone(4)  # 5 people, e = 20 %: n = ⌈5 / 1,2⌉ = 5
    before = campaign_for(name="Tháng 12/2025", period_start=date(2025, 12, 1), period_end=date(2025, 12, 31),
                          margin_percent="20")
    # The previous campaign's period has no finished dossier: sample from January, then answer.
    Campaign.objects.filter(pk=before.pk).update(period_start=date(2026, 1, 1), period_end=date(2026, 1, 31))
    before.refresh_from_db()
    services.draw_sample(people["leader"], before)
    _respond_all(before, [2, 2, 4, 4, 4])  # 60 % satisfied on every element
    Campaign.objects.filter(pk=before.pk).update(period_start=date(2025, 12, 1), period_end=date(2025, 12, 31))
    now = campaign_for(margin_percent="20")
    services.draw_sample(people["leader"], now)
    _respond_all(now, [5, 5, 5, 4, 1])  # 80 %
    data = services.campaign_results(now)
    assert data["previous_campaign"].pk == before.pk
    assert data["results"].overall.value == pytest.approx(80.0)
    assert data["previous_overall"].value == pytest.approx(60.0)
    assert data["overall_change"].delta == pytest.approx(20.0)
    access = data["rows"][0]
    assert access["code"] == "access" and access["satisfaction"].value == pytest.approx(80.0)
    assert access["previous"].value == pytest.approx(60.0)
    assert data["rows"][4]["satisfaction"] is None  # nobody answered the optional feedback element
    assert [u["agency"].code for u in data["units"]] == ["000.00.12.T99"]  # the department's own dossiers


def test_satisfaction_index_for_par_scoring(clone, campaign_for, people, world):
    clone(3)
    province = campaign_for(agency=world["pc"], actor=people["province_admin"], margin_percent="20")
    services.draw_sample(people["province_admin"], province)
    _respond_all(province, [5, 4, 4, 2])  # 3 of 4 satisfied on every element → 75 %
    jan, dec = (date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))
    assert services.satisfaction_index(world["dept"], *jan) == pytest.approx(75.0)
    assert services.satisfaction_index(world["pc"], *jan) == pytest.approx(75.0)
    assert services.satisfaction_index(world["other_dept"], *jan) is None
    assert services.satisfaction_index(world["dept"], *dec) is None
    units = services.campaign_results(province)["units"]
    assert [(u["agency"].code, u["results"].respondents) for u in units] == [(world["dept"].code, 4)]
