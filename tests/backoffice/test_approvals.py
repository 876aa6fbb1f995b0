from django.urls import reverse

from motcua.dossiers.engine import perform
from motcua.dossiers.models import Status
from tests.backoffice.conftest import login


def at_approval(world, d):
    perform(d, "hand_over", world["tn"])
    perform(d, "forward", world["cv"])
    d.refresh_from_db()
    assert d.current_step.code == "phe-duyet"
    return d


def test_queue_lists_dossiers_at_an_approval_step_in_the_leaders_scope(client, world, intake):
    waiting, still_with_specialist = at_approval(world, intake()), intake()
    perform(still_with_specialist, "hand_over", world["tn"])
    login(client, world["ld"])
    html = client.get(reverse("backoffice:approvals")).content.decode()
    assert waiting.code in html and still_with_specialist.code not in html
    assert "Phê duyệt" in html and "Trả lại bước trước" in html
    login(client, world["ld2"])  # leader of another department
    assert waiting.code not in client.get(reverse("backoffice:approvals")).content.decode()
    login(client, world["cv"])  # no leader role: empty queue
    assert waiting.code not in client.get(reverse("backoffice:approvals")).content.decode()


def test_approve_and_return_from_the_queue(client, world, intake):
    approved, returned = at_approval(world, intake()), at_approval(world, intake())
    login(client, world["ld"])
    url = reverse("backoffice:approvals")
    response = client.post(reverse("backoffice:action", args=[approved.code, "approve"]),
                           {"approve-row_version": approved.row_version, "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert approved.events.filter(action="approve").exists()
    response = client.post(reverse("backoffice:action", args=[returned.code, "return_step"]),
                           {"return_step-row_version": returned.row_version, "return_step-reason": "Thiếu thẩm định",
                            "next": url})
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.current_step.code == "tham-dinh" and returned.status == Status.PROCESSING
    html = client.get(url).content.decode()
    assert reverse("backoffice:dossier", args=[returned.code]) not in html


def test_refusal_from_the_queue_comes_back_as_a_message(client, world, intake):
    d = at_approval(world, intake())
    login(client, world["ld"])
    url = reverse("backoffice:approvals")
    response = client.post(reverse("backoffice:action", args=[d.code, "approve"]),
                           {"approve-row_version": d.row_version - 1, "next": url}, follow=True)
    assert "Hồ sơ đã được người khác cập nhật, vui lòng tải lại" in response.content.decode()
    assert not d.events.filter(action="approve").exists()


def test_next_must_stay_on_this_site(client, world, intake):
    d = at_approval(world, intake())
    login(client, world["ld"])
    response = client.post(reverse("backoffice:action", args=[d.code, "approve"]),
                           {"approve-row_version": d.row_version, "next": "https://evil.example/"})
    assert response["Location"] == reverse("backoffice:dossier", args=[d.code])
