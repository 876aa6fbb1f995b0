"""Demo SIPAS campaigns for the province "Bắc Ninh" (called by `motcua demo` after the dossiers step).

Two half-year campaigns over the whole province (the People's Committee's subtree): the earlier one closed, the
latest one still open, so the results page shows indices, intervals and the comparison, and one invitation of the
open campaign stays unanswered with a printed link to try the public questionnaire. Samples are drawn by the real
service from the demo's finished dossiers; answers are generated with a fixed seed (the later campaign slightly
better). Idempotent: nothing is done when the campaigns exist.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.surveys import services
from motcua.surveys.models import Campaign, InvitationStatus, ResponseChannel

PC = "000.00.00.H27"
ADMIN = "tinh.quantri"
SEED = 20251001
RESPONSE_RATE = 0.7
# Element → shift of the mean answer (the officials are rated best, feedback handling worst, as in published
# SIPAS reports).
SHIFT = {"access": 0.0, "procedure": -0.1, "officials": 0.2, "result": 0.1, "feedback": -0.3}


def _months_back(day, months: int):
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=y, month=m + 1, day=1)


def load(stdout) -> None:
    agency, admin = Agency.objects.filter(code=PC).first(), User.objects.filter(username=ADMIN).first()
    if agency is None or admin is None:
        return
    from motcua.dossiers.demo import reference_date

    ref = reference_date()
    plans = [(_months_back(ref, 12), _months_back(ref, 6), 0.0, True),
             (_months_back(ref, 6), ref, 0.25, False)]
    for start, end_exclusive, boost, closed in plans:
        end = end_exclusive - timedelta(days=1)
        name = f"Khảo sát SIPAS {start:%m/%Y}–{end:%m/%Y} (mẫu)"
        if Campaign.objects.filter(agency=agency, name=name).exists():
            continue
        campaign = services.create_campaign(admin, agency=agency, name=name, period_start=start, period_end=end,
                                            closes_on=end + timedelta(days=45), seed=SEED + start.month)
        services.draw_sample(admin, campaign)
        campaign.refresh_from_db()
        link = _answer(campaign, random.Random(SEED + start.toordinal()), boost)
        if closed:
            Campaign.objects.filter(pk=campaign.pk).update(closes_on=min(campaign.closes_on, ref - timedelta(days=1)))
        else:
            Campaign.objects.filter(pk=campaign.pk).update(closes_on=timezone.localdate() + timedelta(days=30))
        stdout.write(f"Khảo sát SIPAS «{name}»: N = {campaign.population}, n = {campaign.sample_size}"
                     + (f"; thử phiếu trực tuyến: {link}" if link else ""))


def _answer(campaign, rng: random.Random, boost: float) -> str:
    """Answer ~70 % of the sample; returns the link of one unanswered online invitation (or "")."""
    questions = list(campaign.questionnaire.questions.all())
    link = ""
    for inv in campaign.invitations.select_related("dossier").order_by("id"):
        online = bool(inv.dossier.applicant_email or inv.dossier.applicant_phone)
        if rng.random() > RESPONSE_RATE:
            if online and not link:
                token = inv.issue_token()
                inv.status = InvitationStatus.INVITED
                inv.save(update_fields=["token_hash", "status"])
                link = services.survey_url(token)
            continue
        mood = rng.uniform(2.8, 4.7) + boost
        gave_feedback = rng.random() < 0.3
        answers = {q.code: min(5, max(1, round(rng.gauss(mood + SHIFT[q.element], 0.8))))
                   for q in questions if gave_feedback or not q.optional}
        when = timezone.make_aware(datetime.combine(campaign.period_end, time(0))) + timedelta(
            days=rng.randint(1, 20), hours=rng.randint(8, 16))
        services.store_response(inv, answers, channel=ResponseChannel.ONLINE if online else ResponseChannel.PAPER,
                                submitted_at=when)
    return link
