from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from motcua.backoffice import queries
from motcua.dossiers.engine import perform
from motcua.dossiers.models import Dossier, Status
from tests.backoffice.conftest import build_procedure, login


def codes_in(html: str, dossiers) -> list[str]:
    """The dossiers' codes in the order they appear on the page."""
    found = [(html.find(f">{d.code}<"), d.code) for d in dossiers]
    return [code for pos, code in sorted(found) if pos >= 0]


def to_specialist(world, d, assignee=None):
    perform(d, "hand_over", world["tn"])
    if assignee is not None:
        perform(d, "assign", world["ld"], assignee_id=assignee.pk)
    d.refresh_from_db()
    return d


def test_queue_is_scoped_and_overdue_first(client, world, intake):
    fresh, old, older = intake(), intake(days_ago=30), intake(days_ago=20)
    login(client, world["cv"])
    html = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    assert codes_in(html, [fresh, old, older]) == [old.code, older.code, fresh.code]
    assert html.count("Quá hạn") >= 2 and "tag-late" in html and "Còn hạn" in html
    login(client, world["cv2"])  # another department sees none of them
    html = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    assert codes_in(html, [fresh, old, older]) == []
    assert "0 hồ sơ" in html


def test_my_tasks_are_the_dossiers_assigned_to_me(client, world, intake):
    mine = to_specialist(world, intake(), assignee=world["cv"])
    not_mine = to_specialist(world, intake())
    login(client, world["cv"])
    html = client.get(reverse("backoffice:inbox")).content.decode()  # default view: my tasks
    assert codes_in(html, [mine, not_mine]) == [mine.code]


def test_filters_status_procedure_and_due(client, world, intake, province):
    other_proc, other_variant = build_procedure(province, code="1.000002", name="Cấp chứng chỉ hành nghề")
    late, ok = intake(days_ago=30), intake()
    other = intake(procedure=other_proc.code, variant=other_variant.pk,
                   documents=[{"required_document_id": r.pk} for r in other_variant.documents.filter(required=True)])
    waiting = to_specialist(world, intake())
    perform(waiting, "request_supplement", world["cv"], items=["Bản vẽ"])
    login(client, world["cv"])
    url = reverse("backoffice:inbox")
    everyone = [late, ok, other, waiting]
    html = client.get(url, {"view": "queue", "due": "overdue"}).content.decode()
    assert codes_in(html, everyone) == [late.code]
    html = client.get(url, {"view": "queue", "procedure": "chung chi hanh nghe"}).content.decode()
    assert codes_in(html, everyone) == [other.code]
    html = client.get(url, {"view": "queue", "procedure": "1.000001"}).content.decode()
    assert set(codes_in(html, everyone)) == {late.code, ok.code, waiting.code}
    html = client.get(url, {"view": "queue", "status": str(Status.SUPPLEMENT)}).content.decode()
    assert codes_in(html, everyone) == [waiting.code] and "Tạm dừng tính thời gian" in html
    html = client.get(url, {"view": "queue", "due": "week"}).content.decode()
    assert late.code not in codes_in(html, everyone)


def test_due_soon_uses_remaining_working_hours(client, world, intake):
    soon, later = intake(), intake()
    Dossier.objects.filter(pk=soon.pk).update(due_at=timezone.now() + timedelta(minutes=30))
    login(client, world["cv"])
    html = client.get(reverse("backoffice:inbox"), {"view": "queue", "due": "soon"}).content.decode()
    assert codes_in(html, [soon, later]) == [soon.code] and "Sắp đến hạn" in html
    d = intake()
    now = timezone.now()
    d.due_at = now + timedelta(minutes=30)
    assert queries.urgency(d, now).key == "soon"
    d.due_at = now - timedelta(minutes=1)
    assert queries.urgency(d, now).key == "late"
    d.due_at = now + timedelta(days=30)
    assert queries.urgency(d, now).key == "ok"


def test_inbox_query_count_does_not_grow_with_rows(client, world, intake, django_assert_max_num_queries):
    for i in range(30):
        to_specialist(world, intake(days_ago=i % 15), assignee=world["cv"] if i % 2 else None)
    login(client, world["cv"])
    url = reverse("backoffice:inbox")
    client.get(url, {"view": "queue"})  # warm the calendar cache
    # session and user, scope, one count per scope part, page ids (dated, undated), the page's rows
    with django_assert_max_num_queries(12):
        response = client.get(url, {"view": "queue"})
    assert response.content.decode().count('class="code"') == 30
    with django_assert_max_num_queries(12):
        client.get(url, {"view": "mine"})
    with django_assert_max_num_queries(12):
        client.get(reverse("backoffice:home"))


def test_pagination_fifty_per_page(client, world, intake, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    made = [intake(days_ago=i) for i in range(5)]
    login(client, world["cv"])
    first = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    second = client.get(reverse("backoffice:inbox"), {"view": "queue", "page": "2"}).content.decode()
    assert len(codes_in(first, made)) == 3 and len(codes_in(second, made)) == 2
    assert "Trang 1/2" in first and "page=2" in first


def test_dashboard_counts_link_to_inbox_filters(client, world, intake):
    intake(days_ago=30)
    to_specialist(world, intake(), assignee=world["cv"])
    login(client, world["cv"])
    counts = queries.dashboard_counts(world["cv"])
    assert counts["mine"] == 1 and counts["queue"] == 2 and counts["overdue"] == 1
    html = client.get(reverse("backoffice:home")).content.decode()
    assert "?view=queue&amp;due=overdue" in html and "?view=mine" in html and "Chờ bổ sung" in html


def test_inbox_row_shows_the_dossier_and_links_to_its_page(client, world, intake):
    """The rows are read as `queries.InboxRow` (values, not models) and link relatively (ho-so/<code>/)."""
    from urllib.parse import urljoin

    world["cv"].full_name = "Lê Văn Cường"
    world["cv"].save(update_fields=["full_name"])
    mine = to_specialist(world, intake(), assignee=world["cv"])
    queued = intake()
    login(client, world["cv"])
    url = reverse("backoffice:inbox")
    html = client.get(url, {"view": "queue"}).content.decode()
    row = html[html.find(f">{mine.code}<"):]
    row = row[:row.find("</tr>")]
    for text in ("Cấp giấy phép xây dựng", "Trường hợp chung", "Đang xử lý", "Bước tham-dinh", "Lê Văn Cường",
                 "Còn hạn"):
        assert text in row, text
    queued_row = html[html.find(f">{queued.code}<"):]
    assert "Được tiếp nhận" in queued_row[:queued_row.find("</tr>")]
    for d in (mine, queued):
        href = html[:html.find(f">{d.code}<")].rsplit('href="', 1)[1].split('"', 1)[0]
        assert urljoin(f"http://testserver{url}?view=queue", href).removeprefix("http://testserver") == \
            reverse("backoffice:dossier", kwargs={"code": d.code})
    row_of = {row.pk: row for row in queries.inbox_pages(world["cv"], view="queue")[0:2]}
    assert row_of[mine.pk].assignee_name == "Lê Văn Cường" and row_of[queued.pk].assignee_name is None
    assert row_of[mine.pk].competent_agency.pk == mine.competent_agency_id
