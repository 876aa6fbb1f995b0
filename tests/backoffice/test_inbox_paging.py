"""The inbox pages in due order through `queries.DueOrdered` (two index-friendly queries instead of NULLS LAST)."""

from django.core.paginator import Paginator

from motcua.backoffice import queries
from motcua.dossiers.models import Channel, Dossier


def test_due_order_across_the_dated_undated_boundary(world, intake):
    dated = [intake(days_ago=days) for days in (1, 20, 5, 30)]  # older reception → earlier due
    undated = [intake(actor=world["citizen"], channel=Channel.ONLINE, receive=False) for _ in range(3)]
    qs = queries.inbox(world["tn"], view="queue")
    expected = [d.pk for d in sorted(dated, key=lambda d: (d.due_at, d.pk))] + sorted(d.pk for d in undated)
    assert [d.pk for d in queries.by_due(qs)] == expected  # the plain ORDER BY … NULLS LAST reference
    for size in (1, 2, 3, 4, 5, 7, 50):
        paginator = Paginator(queries.DueOrdered(qs), size)
        assert paginator.count == 7
        got = [d.pk for n in paginator.page_range for d in paginator.page(n).object_list]
        assert got == expected, size


def test_open_only_is_the_inbox_statuses(world, intake):
    d = intake()
    assert list(queries.open_only(Dossier.objects.all())) == [d]
    Dossier.objects.filter(pk=d.pk).update(status=10)
    qs = queries.open_only(Dossier.objects.all())
    assert not qs.exists()
    assert "IN (1, 2, 4, 5, 6, 9)" in str(qs.query)  # literal: it must match the partial indexes' condition
