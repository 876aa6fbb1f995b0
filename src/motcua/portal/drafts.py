"""Housekeeping of online-submission drafts: expired drafts and their uploaded files are deleted.

Run daily (`motcua purge-drafts`, e.g. from cron or Celery beat). Submitted drafts are kept as the link between the
citizen's draft and the dossier; their files were already copied to the dossier and removed when it was submitted.
"""

from django.db import transaction
from django.utils import timezone

from motcua.portal.models import DraftFile, SubmissionDraft


def purge_expired(now=None) -> tuple[int, int]:
    """Delete drafts that expired before `now` (never submitted) and their files; returns (drafts, files)."""
    now = now or timezone.now()
    expired = SubmissionDraft.objects.filter(submitted_at__isnull=True, expires_at__lt=now)
    ids = list(expired.values_list("pk", flat=True))
    names = [n for n in DraftFile.objects.filter(draft_id__in=ids).values_list("file", flat=True) if n]
    storage = DraftFile._meta.get_field("file").storage
    with transaction.atomic():
        SubmissionDraft.objects.filter(pk__in=ids).delete()  # cascades to DraftFile rows
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(ids), len(names)
