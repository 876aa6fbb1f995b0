"""The inbox pages in due order through `queries.DueOrdered` (two index-friendly queries instead of NULLS LAST)."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.backoffice import queries, views
from motcua.dossiers.models import Channel, Dossier
from tests.backoffice.conftest import login
from tests.factories import staff


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
    paged = queries.inbox_pages(world["tn"], view="queue")
    assert Paginator(paged, 3).count == 7 and [d.pk for d in paged[0:7]] == expected


def test_first_page_without_dated_rows_does_not_count_them(world, intake, django_assert_num_queries):
    """Page 1 of undated rows only: the dated rows before them are none, known without counting them."""
    intake(days_ago=3)
    undated = sorted(intake(actor=world["citizen"], channel=Channel.ONLINE, receive=False).pk for _ in range(3))
    only_undated = queries.DueOrdered(queries.inbox(world["tn"], view="queue").filter(due_at__isnull=True))
    with django_assert_num_queries(2):  # the window's dated ids (none), then its undated ids
        assert only_undated.page_ids(0, 2) == undated[:2]
    assert only_undated.page_ids(2, 4) == undated[2:]


def test_scope_parts_count_each_visible_dossier_once(world, intake):
    """Received at the centre for the department: the centre sees it as received, the department as competent,
    an officer of the whole province as both — counted once; another department not at all."""
    made = {intake(days_ago=days).pk for days in (1, 8, 15)}
    province_officer = staff("tinh", world["pc"], Role.SPECIALIST)
    for user, seen in ((world["tn"], made), (world["cv"], made), (province_officer, made), (world["cv2"], set())):
        paged = queries.inbox_pages(user, view="queue")
        reference = [d.pk for d in queries.inbox(user, view="queue")]
        assert paged.count() == len(seen) and set(reference) == seen, user.username
        assert [d.pk for d in paged[0:10]] == reference, user.username
    assert len(queries.scope_parts(Dossier.objects.all(), province_officer)) == 2
    assert len(queries.scope_parts(Dossier.objects.all(), world["cv"])) == 1  # the department received none


def test_running_filters_repeat_the_running_index_condition(world, intake):
    """The overdue/today/week filters write `status IN (2, 4)` literally (the `dossier_running_due` condition, which
    SQLite matches only literally) and leave paused dossiers out."""
    late = intake(days_ago=30)
    qs = queries.filter_due(Dossier.objects.all(), "overdue", timezone.now())
    assert list(qs) == [late] and "IN (2, 4)" in str(qs.query)
    Dossier.objects.filter(pk=late.pk).update(paused_since=timezone.now())
    assert not queries.filter_due(Dossier.objects.all(), "overdue", timezone.now()).exists()


def test_count_stops_at_the_cap_and_says_more(client, world, intake, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    made = sorted((intake(days_ago=days * 7) for days in range(5, 0, -1)), key=lambda d: d.due_at)
    paged = queries.inbox_pages(world["tn"], view="queue")
    assert paged.count() == 3 and paged.capped
    assert [d.pk for d in paged[0:3]] == [d.pk for d in made[:3]]
    login(client, world["tn"])
    html = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    assert "Hơn 3 hồ sơ" in html and made[0].code in html and made[2].code not in html
    Dossier.objects.filter(pk__in=[d.pk for d in made[3:]]).update(status=10)
    paged = queries.inbox_pages(world["tn"], view="queue")
    assert paged.count() == 3 and not paged.capped
    html = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    assert "Hơn" not in html and "3 hồ sơ" in html
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    html = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    assert "Hơn 2 hồ sơ" in html


def test_cap_is_written_with_digit_grouping(client, world, intake):
    intake()
    login(client, world["tn"])
    html = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    assert "1 hồ sơ" in html and "Hơn" not in html
    assert views._grouped(queries.COUNT_CAP) == "10.000"  # Vietnamese, the default language


def test_open_only_is_the_inbox_statuses(world, intake):
    d = intake()
    assert list(queries.open_only(Dossier.objects.all())) == [d]
    Dossier.objects.filter(pk=d.pk).update(status=10)
    qs = queries.open_only(Dossier.objects.all())
    assert not qs.exists()
    assert "IN (1, 2, 4, 5, 6, 9)" in str(qs.query)  # literal: it must match the partial indexes' condition
