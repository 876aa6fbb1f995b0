import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from motcua.audit.checkpoints import checkpoint
from motcua.audit.models import AuditCheckpoint, AuditImmutable, AuditRecord, CheckpointEntry
from motcua.audit.verify import verify
from tests.audit.helpers import write
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_orm_refuses_to_change_or_delete_records():
    rec = write("dossier:A", 2)[0]
    rec.action = "forged"
    with pytest.raises(AuditImmutable):
        rec.save()
    with pytest.raises(AuditImmutable):
        rec.delete()
    for attempt in (lambda: AuditRecord.objects.filter(pk=rec.pk).update(action="x"),
                    lambda: AuditRecord.objects.all().delete(),
                    lambda: AuditRecord.objects.bulk_update([rec], ["action"]),
                    lambda: AuditRecord.objects.bulk_create([AuditRecord(stream="x", seq=1)])):
        with pytest.raises(AuditImmutable):
            attempt()
    assert verify().ok and AuditRecord.objects.count() == 2


def test_orm_refuses_to_change_checkpoints():
    write("dossier:A", 1)
    cp = checkpoint()
    with pytest.raises(AuditImmutable):
        cp.delete()
    with pytest.raises(AuditImmutable):
        AuditCheckpoint.objects.update(record_count=0)
    with pytest.raises(AuditImmutable):
        CheckpointEntry.objects.all().delete()


def test_user_who_acted_cannot_be_deleted():
    from django.db.models import ProtectedError

    from motcua.audit.context import acting_as

    user = UserFactory()
    with acting_as(user):
        write("catalog", 1)
    with pytest.raises(ProtectedError):
        user.delete()


def test_admin_is_read_only_and_filters_by_stream_kind(admin_client):
    write("dossier:000.00.12.T99-251123-0001", 1)
    write("catalog", 1, action="publish")
    model_admin = site._registry[AuditRecord]
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    page = admin_client.get("/admin/audit/auditrecord/?stream_kind=dossier:")
    assert page.status_code == 200
    assert [r.stream for r in page.context["cl"].result_list] == ["dossier:000.00.12.T99-251123-0001"]
    page = admin_client.get("/admin/audit/auditrecord/?action=publish")
    assert [r.stream for r in page.context["cl"].result_list] == ["catalog"]
    assert admin_client.get("/admin/audit/auditcheckpoint/").status_code == 200
