"""form_context(): the values each form prints come from the dossier's own rows; forms that do not apply refuse
with a Vietnamese message."""

from datetime import date

import pytest

from motcua.forms.context import FormError, form_context, register_context


def test_receipt_values(dossiers):
    d = dossiers["received"]
    ctx = form_context(d, "01")
    assert ctx["form"]["template_set"] == "tt03_2025" and ctx["form"]["title"].startswith("GIẤY TIẾP NHẬN")
    assert ctx["header"]["agency_name"] == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH BẮC NINH"
    assert ctx["header"]["parent_name"] == "UBND TỈNH BẮC NINH"
    assert ctx["header"]["place_date"] == "Bắc Ninh, ngày 13 tháng 02 năm 2026"
    assert ctx["header"]["number"] == "Số: 260213-0001/TNHS"
    assert ctx["dossier"]["applicant_name"] == "Nguyễn Thị Hương"
    assert ctx["dossier"]["received"] == "09 giờ 30 phút, ngày 13 tháng 02 năm 2026"
    assert ctx["dossier"]["due"] == "17 giờ 30 phút, ngày 13 tháng 3 năm 2026"
    assert ctx["dossier"]["limit"] == "15 ngày làm việc"
    assert [doc["kind"] for doc in ctx["documents"]] == ["Bản chính", "Bản sao chứng thực", "Bản sao"]
    assert ctx["lookup_url"] == f"http://127.0.0.1:8000/tra-cuu/?code={d.code}"
    assert ctx["qr_png"].startswith(b"\x89PNG") and ctx["qr_svg_data"].startswith("data:image/svg+xml;base64,")
    assert ctx["signer"]["name"] == "Lê Thu Trang"


def test_portal_base_url_setting_drives_the_qr(dossiers, settings):
    settings.MOTCUA = {**settings.MOTCUA, "PORTAL_BASE_URL": "https://dichvucong.bacninh.gov.vn/"}
    ctx = form_context(dossiers["received"], "01")
    assert ctx["lookup_url"] == f"https://dichvucong.bacninh.gov.vn/tra-cuu/?code={dossiers['received'].code}"


def test_supplement_lists_every_item_with_reason_guidance_and_contact(dossiers):
    ctx = form_context(dossiers["supplement"], "02")
    names = [i["name"] for i in ctx["items"]]
    assert names == ["Bản vẽ mặt bằng móng có chữ ký của chủ đầu tư",
                     "Bản sao chứng thực Giấy chứng nhận quyền sử dụng đất",
                     "Văn bản cam kết bảo đảm an toàn cho công trình liền kề"]
    assert ctx["items"][0]["guidance"] == "Ký, ghi rõ họ tên trên từng trang"
    assert ctx["reason"] == "Hồ sơ chưa đủ điều kiện thẩm định"
    assert (ctx["contact_name"], ctx["contact_phone"]) == ("Phạm Minh Đức", "0222 3 824 115")
    assert ctx["header"]["place_date"].endswith("ngày 24 tháng 02 năm 2026")


def test_refusal_and_stop_give_reasons_in_words(dossiers):
    refusal = form_context(dossiers["refused"], "03")
    assert refusal["reasons"] == ["Thửa đất thuộc khu vực đã có quyết định thu hồi đất",
                                  "Công trình không thuộc thẩm quyền cấp phép của Sở Xây dựng"]
    stop = form_context(dossiers["stopped"], "05")
    assert stop["reasons"][0] == "Người đề nghị có văn bản xin dừng để điều chỉnh thiết kế"
    assert stop["header"]["agency_name"] == "PHÒNG QUẢN LÝ HOẠT ĐỘNG XÂY DỰNG"
    assert stop["signer"]["name"] == "Trần Quốc Hùng"


def test_apology_keeps_original_due_and_every_extension(dossiers):
    ctx = form_context(dossiers["extended"], "04")
    assert ctx["original_due"] == "17 giờ 30 phút, ngày 13 tháng 3 năm 2026"
    assert ctx["new_due"] == "17 giờ 30 phút, ngày 27 tháng 3 năm 2026"
    assert ctx["reason"] == "Chờ kết quả kiểm tra hiện trạng công trình liền kề"
    assert [(e["previous"], e["new"]) for e in ctx["extensions"]] == [
        ("17:30 13/03/2026", "17:30 20/03/2026"), ("17:30 20/03/2026", "17:30 27/03/2026")]
    assert ctx["signer"]["name"] == "Phạm Minh Đức"


def test_tracking_sheet_one_row_per_hand_over_with_outcome(dossiers):
    ctx = form_context(dossiers["delivered"], "06")
    rows = ctx["rows"]
    assert [(r["giver"], r["receiver"]) for r in rows] == [
        ("Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", "Phòng Quản lý hoạt động xây dựng"),
        ("Phòng Quản lý hoạt động xây dựng", "Sở Xây dựng"),
        ("Sở Xây dựng", "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh")]
    assert rows[0]["at"] == "11 giờ 30 phút, ngày 13 tháng 02 năm 2026"
    assert {r["outcome"] for r in rows} <= {"trước hạn", "đúng hạn", "quá hạn"} and rows[0]["outcome"]
    assert rows[0]["note"] == "Chuyển phòng chuyên môn thẩm định"
    assert ctx["coordinating"] == "Sở Xây dựng"


@pytest.mark.parametrize(("key", "form", "words"), [
    ("refused", "01", "chưa được tiếp nhận"),
    ("received", "02", "chưa có yêu cầu bổ sung"),
    ("received", "03", "không bị từ chối"),
    ("received", "04", "chưa có đề nghị gia hạn"),
    ("received", "05", "không bị dừng"),
    ("refused", "06", "chưa được tiếp nhận"),
    ("received", "07", "theo đơn vị và kỳ"),
    ("old", "07", "Thông tư số 01/2018/TT-VPCP"),
])
def test_forms_that_do_not_apply_say_why(dossiers, key, form, words):
    with pytest.raises(FormError) as exc:
        form_context(dossiers[key], form)
    assert words in exc.value.message


def test_old_dossiers_use_tt01_2018_and_the_cutover_is_configurable(dossiers, settings):
    old = dossiers["old"]
    assert form_context(old, "04")["form"]["title"] == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    assert form_context(old, "05")["form"]["kind"] == "tracking"
    settings.MOTCUA = {**settings.MOTCUA, "FORMS_CUTOVER_DATE": "2025-01-01"}
    assert form_context(old, "04")["form"]["title"].startswith("VĂN BẢN XIN LỖI")


def test_register_rows_period_and_scope(world, dossiers):
    from tests.factories import staff

    ctx = register_context(world["centre"], date(2026, 2, 1), date(2026, 3, 31))
    codes = [r["code"] for r in ctx["rows"]]
    # the refused online submission was never received: not in the reception register
    assert dossiers["refused"].code not in codes and dossiers["old"].code not in codes
    assert len(codes) == 5 and codes == sorted(codes, key=lambda c: [d for d in dossiers.values()
                                                                        if d.code == c][0].received_at)
    delivered = next(r for r in ctx["rows"] if r["code"] == dossiers["delivered"].code)
    assert delivered["delivered"] == "09:00 11/03/2026" and delivered["transferred"] == "11:30 13/02/2026"
    assert ctx["form"]["number"] == "07"
    old = register_context(world["centre"], date(2025, 3, 1), date(2025, 3, 31))
    assert old["form"]["number"] == "06" and old["form"]["template_set"] == "tt01_2018"
    outsider = staff("outsider", world["pc"].children.create(code="000.00.99.H27", name="Sở Khác", level="province"))
    assert register_context(world["centre"], date(2026, 2, 1), date(2026, 3, 31), user=outsider)["rows"] == []
    with pytest.raises(FormError):
        register_context(world["centre"], date(2026, 3, 31), date(2026, 2, 1))


def test_print_menu_lists_exactly_the_forms_that_build(dossiers):
    from motcua.forms import registry
    from motcua.forms.context import printable, template_set_of

    for key, d in dossiers.items():
        listed = {spec.number for spec in printable(d)}
        for spec in registry.forms_of(template_set_of(d)):
            if spec.kind == registry.REGISTER:
                continue
            try:
                form_context(d, spec.number)
                builds = True
            except FormError:
                builds = False
            assert builds == (spec.number in listed), (key, spec.number)
    assert [s.number for s in printable(dossiers["refused"])] == ["03"]
    assert [s.number for s in printable(dossiers["old"])] == ["01", "04", "05"]


def test_receipt_prints_the_lookup_secret_only_when_given(dossiers):
    assert form_context(dossiers["received"], "01")["lookup_secret"].startswith("……")
    assert form_context(dossiers["received"], "01", lookup_secret="abc123")["lookup_secret"] == "abc123"
