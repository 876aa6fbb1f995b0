"""Every form rendered to PDF and DOCX for dossiers in several states; the text read back from the files carries the
filled values with their Vietnamese diacritics, the national header and the layout basics (A4, serif font)."""

from datetime import date

import pytest

from motcua.forms import fonts
from motcua.forms.context import form_context, register_context
from motcua.forms.render import render_docx, render_pdf
from tests.forms.helpers import docx_document, docx_text, pdf_pages, pdf_text

HEADER = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

# (sample dossier, form number, texts that must appear in both files)
CASES = [
    ("received", "01", ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Thị Hương", "000.00.30.H27-260213-0001",
                        "17 giờ 30 phút, ngày 13 tháng 3 năm 2026", "Bắc Ninh, ngày 13 tháng 02 năm 2026",
                        "Bản sao giấy tờ chứng minh quyền sử dụng đất", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                        "Lê Thu Trang", "15 ngày làm việc"]),
    ("supplement", "02", ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Bản vẽ mặt bằng móng có chữ ký",
                          "Văn bản cam kết bảo đảm an toàn cho công trình liền kề", "Bản nộp là bản photo",
                          "Hồ sơ chưa đủ điều kiện thẩm định", "Phạm Minh Đức", "0222 3 824 115"]),
    ("refused", "03", ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                       "Thửa đất thuộc khu vực đã có quyết định thu hồi đất", "Nguyễn Thị Hương"]),
    ("extended", "04", ["VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                        "17 giờ 30 phút, ngày 13 tháng 3 năm 2026", "17 giờ 30 phút, ngày 27 tháng 3 năm 2026",
                        "Chờ kết quả kiểm tra hiện trạng công trình liền kề", "Cần lấy ý kiến của cơ quan phòng cháy",
                        "THỦ TRƯỞNG CƠ QUAN", "Phạm Minh Đức"]),
    ("stopped", "05", ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Hồ sơ thiết kế không còn phù hợp quy hoạch",
                       "Trần Quốc Hùng", "PHÒNG QUẢN LÝ HOẠT ĐỘNG XÂY DỰNG", "SỞ XÂY DỰNG"]),
    ("delivered", "06", ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Giao: Trung tâm Phục vụ hành chính công",
                         "Nhận: Phòng Quản lý hoạt động xây dựng", "Nhận: Sở Xây dựng",
                         "11 giờ 30 phút, ngày 13 tháng 02 năm 2026", "trước hạn", "Trình lãnh đạo Sở ký"]),
    ("old", "01", ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Thông tư số 01/2018/TT-VPCP", "Hoàng Văn Nam",
                   "Bắc Ninh, ngày 10 tháng 3 năm 2025"]),
    ("old_supplement", "02", ["Mẫu số 02 — Thông tư số 01/2018/TT-VPCP", "Bản vẽ mặt cắt công trình tỷ lệ 1/100"]),
    ("old_refused", "03", ["Thông tư số 01/2018/TT-VPCP", "Thửa đất đang có tranh chấp"]),
    ("old", "04", ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Chờ ý kiến của Sở Nông nghiệp và Môi trường",
                   "Tuy nhiên đến nay"]),
    ("old", "05", ["Mẫu số 05 — Thông tư số 01/2018/TT-VPCP", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                   "Nhận: Phòng Quản lý hoạt động xây dựng"]),
]


def test_a_vietnamese_serif_font_is_installed():
    assert fonts.has_vietnamese_font(), "run scripts/system-deps.sh (fonts-liberation2)"


def test_every_form_renders_to_pdf_and_docx_with_its_values(dossiers):
    for key, number, expected in CASES:
        ctx = form_context(dossiers[key], number)
        pdf, docx = render_pdf(ctx), render_docx(ctx)
        for label, text in (("pdf", pdf_text(pdf)), ("docx", docx_text(docx))):
            for value in [*HEADER, *expected]:
                assert value in text, f"{key}/{number}.{label}: «{value}» missing"
            assert "{{" not in text and "{%" not in text, f"{key}/{number}.{label}: unrendered tag"
        page = pdf_pages(pdf)[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 mm→pt
        section = docx_document(docx).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_pdf_embeds_the_serif_font_and_the_receipt_has_a_qr(dossiers):
    pdf = render_pdf(form_context(dossiers["received"], "01"))
    page = pdf_pages(pdf)[0]
    fonts_used = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("MotCua-Serif" in name for name in fonts_used), fonts_used
    assert "/XObject" in page["/Resources"] or b"/Image" in pdf or b"re f" in pdf  # QR drawn as vector or image
    assert "tra-cuu/?code=000.00.30.H27-260213-0001" in pdf_text(pdf)


def test_docx_header_layout_and_qr_image(dossiers):
    doc = docx_document(render_docx(form_context(dossiers["received"], "01")))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    header_cells = doc.tables[0].rows[0].cells
    motto = next(r for p in header_cells[1].paragraphs for r in p.runs if r.text == "Độc lập - Tự do - Hạnh phúc")
    assert motto.underline and motto.bold
    agency = next(r for p in header_cells[0].paragraphs for r in p.runs if "TRUNG TÂM" in r.text)
    assert agency.bold
    assert len(doc.inline_shapes) == 1  # the lookup QR code
    section = doc.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm), round(section.top_margin.mm)) == (30, 15, 20)


def test_register_renders_landscape_with_rows(world, dossiers):
    ctx = register_context(world["centre"], date(2026, 2, 1), date(2026, 3, 31))
    pdf, docx = render_pdf(ctx), render_docx(ctx)
    page = pdf_pages(pdf)[0]
    assert round(float(page.mediabox.width)) == 842
    for text in (pdf_text(pdf), docx_text(docx)):
        assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ 01/02/2026 đến 31/03/2026" in text
        assert dossiers["delivered"].code in text and "Nguyễn Thị Hương" in text and "Tổng số hồ sơ: 5" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_province_template_override(dossiers, settings, tmp_path, fmt):
    """A province replaces a form by a file of the same name under FORMS_TEMPLATE_DIR, without code."""
    from docx import Document

    folder = tmp_path / "tt03_2025"
    folder.mkdir()
    (folder / "03.html").write_text('{% extends "base.html" %}{% block body %}<p>Mẫu riêng của tỉnh: '
                                    '{{ dossier.code }}</p>{% endblock %}', encoding="utf-8")
    doc = Document()
    doc.add_paragraph("Mẫu riêng của tỉnh: {{ dossier.code }} — {{ reasons|join('; ') }}")
    doc.save(folder / "03.docx")
    settings.MOTCUA = {**settings.MOTCUA, "FORMS_TEMPLATE_DIR": str(tmp_path)}
    ctx = form_context(dossiers["refused"], "03")
    text = pdf_text(render_pdf(ctx)) if fmt == "pdf" else docx_text(render_docx(ctx))
    assert f"Mẫu riêng của tỉnh: {dossiers['refused'].code}" in text
    if fmt == "docx":
        assert "Thửa đất thuộc khu vực đã có quyết định thu hồi đất; Công trình" in text
    else:
        assert "Độc lập - Tự do - Hạnh phúc" in text  # the shipped base.html still frames it
    # the other forms keep the shipped templates
    assert "GIẤY TIẾP NHẬN" in pdf_text(render_pdf(form_context(dossiers["received"], "01")))


def test_shipped_docx_templates_match_the_build_script(tmp_path):
    """The committed .docx files are the build script's output (tags and all)."""
    from motcua.forms.build_docx_templates import build
    from motcua.forms.render import DOCX_DIR

    for built in build(tmp_path):
        shipped = DOCX_DIR / built.relative_to(tmp_path)
        assert shipped.is_file(), shipped
        assert docx_text(built.read_bytes()) == docx_text(shipped.read_bytes()), shipped
