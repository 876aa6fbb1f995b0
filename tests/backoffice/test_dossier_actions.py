from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from tests.backoffice.conftest import PDF, login


def act(client, d, action, **fields):
    d.refresh_from_db()
    data = {f"{action}-row_version": d.row_version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(reverse("backoffice:action", args=[d.code, action]), data)


def page(client, d) -> str:
    return client.get(reverse("backoffice:dossier", args=[d.code])).content.decode()


def timeline(html: str) -> str:
    return html.split('id="timeline-title"')[1]


def actions_section(html: str) -> str:
    return html.split('id="actions-title"')[1].split('id="docs-title"')[0]


def test_full_path_through_the_forms(client, world, intake):
    tn, cv, ld = world["tn"], world["cv"], world["ld"]
    d = intake()
    steps = [
        (tn, "hand_over", {}, "Bàn giao cho đơn vị khác"),
        (ld, "assign", {"assignee_id": cv.pk}, "Phân công xử lý"),
        (cv, "request_supplement", {"items": "Bản vẽ có chữ ký\nGiấy phép kinh doanh", "reason": "Thiếu chữ ký",
                                    "due_by": "31/12/2026"}, "Yêu cầu bổ sung hồ sơ"),
        (tn, "receive_supplement", {}, "Tiếp nhận hồ sơ bổ sung"),
        (cv, "request_payment", {"amount": "500000", "reason": "Lệ phí"}, "Yêu cầu thực hiện nghĩa vụ tài chính"),
        (tn, "confirm_payment", {"paid_online": "1"}, "Xác nhận đã thực hiện nghĩa vụ tài chính"),
        (cv, "forward", {"reason": "Đủ điều kiện"}, "Chuyển bước tiếp theo"),
        (ld, "return_step", {"reason": "Xem lại bản vẽ"}, "Trả lại bước trước"),
        (cv, "forward", {}, "Chuyển bước tiếp theo"),
        (ld, "approve", {}, "Phê duyệt"),
    ]
    for user, action, fields, label in steps:
        login(client, user)
        assert label in actions_section(page(client, d)), action
        response = act(client, d, action, **fields)
        assert response.status_code == 302, (action, response.content.decode()[:3000])
        html = page(client, d)
        assert label in timeline(html), action
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.current_step.code == "phe-duyet" and d.paid_online == 1
    assert d.supplement_requests.get().items == ["Bản vẽ có chữ ký", "Giấy phép kinh doanh"]
    html = page(client, d)
    assert "Xem lại bản vẽ" in timeline(html) and "Thiếu chữ ký" in timeline(html)
    assert "Mẫu 06" in html and html.count("<tr>") >= 4  # tracking-sheet rows

    login(client, ld)
    scan = SimpleUploadedFile("kq.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("backoffice:action", args=[d.code, "result_ready"]),
                           {"result_ready-row_version": Dossier.objects.get(pk=d.pk).row_version,
                            "result_ready-result_code": "KQ-2026-1", "result_ready-result_scan": scan})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.FINISHED and d.e_result and d.result_code == "KQ-2026-1"
    assert d.result_file.startswith(f"dossiers/{d.code}/ket-qua-") and d.result_file.endswith(".pdf")

    login(client, tn)
    assert act(client, d, "deliver", method="counter").status_code == 302
    d.refresh_from_db()
    assert d.status == Status.DELIVERED
    assert d.events.count() == 13  # receive + 10 steps + result_ready + deliver
    html = page(client, d)
    assert "Trả kết quả" in timeline(html) and "Bạn không có thao tác nào" in html


def test_extend_keeps_the_original_due_on_the_page(client, world, intake):
    d = intake()
    login(client, world["tn"])
    act(client, d, "hand_over")
    d.refresh_from_db()
    new_due = timezone.localtime(d.due_at + timedelta(days=5)).strftime("%d/%m/%Y %H:%M")
    login(client, world["cv"])
    assert act(client, d, "extend", new_due=new_due, reason="Cần xác minh thực địa").status_code == 302
    d.refresh_from_db()
    assert d.due_at != d.original_due_at
    html = page(client, d)
    shown = timezone.localtime(d.due_at).strftime("%d/%m/%Y %H:%M")
    original = timezone.localtime(d.original_due_at).strftime("%d/%m/%Y %H:%M")
    assert "Hạn ban đầu" in html and shown in html and original in html
    assert "Xin lỗi và gia hạn" in timeline(html) and "Cần xác minh thực địa" in timeline(html)


def test_engine_refusal_is_shown_beside_the_form(client, world, intake):
    d = intake()
    login(client, world["tn"])
    act(client, d, "hand_over")
    d.refresh_from_db()
    login(client, world["cv"])
    earlier = timezone.localtime(d.due_at - timedelta(days=1)).strftime("%d/%m/%Y %H:%M")
    response = act(client, d, "extend", new_due=earlier, reason="x")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Hạn mới phải sau hạn hiện tại." in html and 'role="alert"' in html
    assert d.events.count() == 2


def test_required_reason_is_checked_before_the_engine(client, world, intake):
    d = intake()
    login(client, world["tn"])
    response = act(client, d, "refuse")
    assert response.status_code == 422 and "Bắt buộc nhập lý do." in response.content.decode()
    assert d.events.count() == 1


def test_stale_row_version_gets_the_conflict_message(client, world, intake):
    d = intake()
    stale = d.row_version
    login(client, world["tn"])
    assert act(client, d, "hand_over").status_code == 302
    login(client, world["ld"])
    response = client.post(reverse("backoffice:action", args=[d.code, "stop"]),
                           {"stop-row_version": stale, "stop-reason": "Không đủ điều kiện"})
    assert response.status_code == 409
    assert "Hồ sơ đã được người khác cập nhật, vui lòng tải lại" in response.content.decode()
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.events.count() == 2


def test_only_actions_the_engine_allows_are_offered(client, world, intake):
    d = intake()
    login(client, world["cv"])  # specialist of the competent department while the dossier is at the desk step
    offered = actions_section(page(client, d))
    assert "Bàn giao cho đơn vị khác" not in offered and "Phê duyệt" not in offered
    assert act(client, d, "hand_over").status_code == 403
    login(client, world["tn"])
    offered = actions_section(page(client, d))
    assert "Bàn giao cho đơn vị khác" in offered and "Phê duyệt" not in offered


def test_route_stop_and_withdraw(client, world, intake):
    world["procedure"].competent_agencies.add(world["other_dept"])
    d, stopped, withdrawn = (intake(competent_agency=world["dept"]) for _ in range(3))
    login(client, world["tn"])
    html = actions_section(page(client, d))
    assert "Chuyển cơ quan giải quyết" in html and world["other_dept"].name in html
    assert act(client, d, "route", agency_id=world["other_dept"].pk, reason="Sai thẩm quyền").status_code == 302
    d.refresh_from_db()
    assert d.competent_agency == world["other_dept"]
    assert act(client, withdrawn, "withdraw", reason="Người nộp xin rút").status_code == 302
    login(client, world["ld"])
    assert act(client, stopped, "stop", reason="Không đủ điều kiện").status_code == 302
    assert Dossier.objects.get(pk=stopped.pk).status == Status.STOPPED
    assert Dossier.objects.get(pk=withdrawn.pk).status == Status.WITHDRAWN
    assert "Dừng xử lý" in timeline(page(client, stopped))


def test_header_masks_the_personal_id(client, world, intake):
    d = intake()
    login(client, world["tn"])
    html = page(client, d)
    assert "001******345" in html and "001203012345" not in html
    assert d.procedure_version.procedure.name in html and "Đang tính" in html
