"""Retention: the most specific rule decides, expired dossiers lose their personal data (not their statistics),
the purge is audited, and a person can export everything held about them."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from motcua.audit.verify import verify
from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier, Status
from motcua.privacy.models import Outcome, PurgedDossier, RetentionRule
from motcua.privacy.services import expired, export_person, purge, retention_for
from motcua.reports.models import DailyRollup
from tests.dossiers.conftest import APPLICANT, intake, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
YEARS = timedelta(days=366)


def rule(outcome=Outcome.ANY, field=None, procedure=None, years=1):
    return RetentionRule(outcome=outcome, field_id=field, procedure_id=procedure, years=years)


def test_most_specific_rule_wins(settings):
    rules = [rule(years=5), rule(Outcome.REFUSED, years=2), rule(field=7, years=8), rule(procedure=3, years=20),
             rule(Outcome.REFUSED, field=7, years=3)]
    assert retention_for(rules, Outcome.RESULT, 1, 1).years == 5
    assert retention_for(rules, Outcome.REFUSED, 1, 1).years == 2
    assert retention_for(rules, Outcome.RESULT, 7, 1).years == 8
    assert retention_for(rules, Outcome.REFUSED, 7, 1).years == 3
    assert retention_for(rules, Outcome.REFUSED, 7, 3).years == 20
    settings.MOTCUA = {**settings.MOTCUA, "RETENTION_DEFAULT_YEARS": 12}
    assert retention_for([], Outcome.RESULT, 1, 1).years == 12


@pytest.fixture
def ended(world, intake):  # noqa: F811
    """A withdrawn dossier with a scanned file, and one still in progress."""
    done = intake()
    document = done.documents.first()
    document.file.save("scan.pdf", ContentFile(b"%PDF-1.4 personal"))
    perform(done, "withdraw", world["tn"], reason="Công dân rút")
    running = intake(applicant={**APPLICANT, "name": "Lê Văn Chạy", "personal_id": "001203099999"})
    return Dossier.objects.get(pk=done.pk), running, document.file.name


def test_nothing_expires_before_its_time(ended):
    assert list(expired(timezone.now() + 9 * YEARS)) == []  # default 10 years


def test_purge_clears_personal_data_keeps_statistics(ended):
    done, running, path = ended
    rollups = sorted(DailyRollup.objects.values_list("day", "received_counter", "finished", "withdrawn"))
    found = list(expired(timezone.now() + 11 * YEARS))
    assert [d.pk for d, _ in found] == [done.pk]  # the running dossier never expires
    purge(*found[0])
    d = Dossier.objects.get(pk=done.pk)
    assert d.applicant_personal_id == "" and d.applicant_phone == "" and "Bình" not in d.applicant_name
    assert d.status == Status.WITHDRAWN and d.code == done.code and d.applicant_user is None
    assert not default_storage.exists(path) and d.documents.exclude(file="").count() == 0
    trace = PurgedDossier.objects.get(dossier=d)
    assert "applicant_personal_id" in trace.cleared and trace.files_deleted == 1
    assert sorted(DailyRollup.objects.values_list("day", "received_counter", "finished", "withdrawn")) == rollups
    last = d.events.model.objects.filter(dossier=d).count()
    assert last >= 2  # history kept
    assert verify().ok
    from motcua.audit.models import AuditRecord

    audit = AuditRecord.objects.get(stream=f"dossier:{d.code}", action="purge_personal_data")
    assert "001203012345" not in json.dumps(audit.new) and audit.new["files_deleted"] == 1
    assert list(expired(timezone.now() + 11 * YEARS)) == []  # purged once
    assert Dossier.objects.get(pk=running.pk).applicant_personal_id == "001203099999"


def test_a_shorter_rule_for_withdrawals(ended):
    RetentionRule.objects.create(outcome=Outcome.WITHDRAWN, years=1)
    assert [d.pk for d, _ in expired(timezone.now() + 2 * YEARS)] == [ended[0].pk]


def test_command_dry_run_then_purge(ended):
    RetentionRule.objects.create(outcome=Outcome.ANY, years=0)
    out = io.StringIO()
    call_command("purge-personal-data", "--dry-run", stdout=out)
    assert "1 hồ sơ đã hết thời hạn" in out.getvalue() and not PurgedDossier.objects.exists()
    call_command("purge-personal-data", stdout=io.StringIO())
    assert PurgedDossier.objects.count() == 1


def test_export_everything_about_one_person(ended):
    done, running, _ = ended
    data = export_person(personal_id=APPLICANT["personal_id"])
    codes = [d["code"] for d in data["dossiers"]]
    assert codes == [done.code] and running.code not in json.dumps(data, ensure_ascii=False)
    first = data["dossiers"][0]
    assert first["applicant"]["name"] == APPLICANT["name"] and first["history"][-1]["action"] == "withdraw"
    out = io.StringIO()
    call_command("export-personal-data", "--personal-id", APPLICANT["personal_id"], stdout=out)
    assert json.loads(out.getvalue())["dossiers"][0]["code"] == done.code


def test_citizen_downloads_own_data_only(client, world, intake):  # noqa: F811
    from tests.factories import UserFactory

    alice = UserFactory(kind="citizen", personal_id="001203012345")
    bob = UserFactory(kind="citizen", personal_id="001203055555")
    mine = intake()
    Dossier.objects.filter(pk=mine.pk).update(applicant_user=alice)
    client.force_login(bob)
    body = client.get("/du-lieu-cua-toi/").content.decode()
    assert mine.code not in body
    client.force_login(alice)
    response = client.get("/du-lieu-cua-toi/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["dossiers"][0]["code"] == mine.code
