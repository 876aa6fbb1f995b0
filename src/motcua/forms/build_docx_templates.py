"""Build the DOCX templates (docxtpl/Jinja tags) of every form once, with python-docx.

    .venv/bin/python -m motcua.forms.build_docx_templates [OUTPUT_DIR]

The generated files are committed under `templates_docx/<set>/<NN>.docx`; a province edits a copy in Word (keeping
the `{{ … }}` tags) and points settings.MOTCUA["FORMS_TEMPLATE_DIR"] at its folder. Layout per Decree 30/2020:
A4, margins 20/20/30/15 mm, Times New Roman 13 pt, national header on the right, issuing unit on the left.
Tags: `{{ x }}` inline, `{%p … %}` paragraph blocks, `{%tr … %}` table-row loops (see docxtpl's documentation).
The names are those of `motcua.forms.context`.
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from motcua.forms import registry

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


# -- building blocks ----------------------------------------------------------------------------------------------
def new_document(landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = (Mm(20) if landscape else Mm(30)), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(11 if landscape else 13)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(3)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing = 1.15
    return doc


def para(container, text: str = "", *, align=JUSTIFY, bold=False, italic=False, underline=False, size=None,
         space_before=None):
    """One paragraph, one run: docxtpl tags must not be split across runs."""
    p = container.add_paragraph()
    p.alignment = align
    if space_before is not None:
        p.paragraph_format.space_before = Pt(space_before)
    if text:
        run(p, text, bold=bold, italic=italic, underline=underline, size=size)
    return p


def run(p, text: str, *, bold=False, italic=False, underline=False, size=None):
    r = p.add_run(text)
    r.bold, r.italic, r.underline = bold or None, italic or None, underline or None
    if size:
        r.font.size = Pt(size)
    return r


def short_rule(cell, width_mm: float, cell_mm: float):
    """The short line under the issuing unit's name (Decree 30: ⅓–½ of the name's length)."""
    p = cell.add_paragraph()
    indent = Mm(max((cell_mm - width_mm) / 2, 0))
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = indent
    p.paragraph_format.space_after = Pt(4)
    p.paragraph_format.line_spacing = Pt(2)  # exact: the empty paragraph is just the rule
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)
    run(p, "", size=2)


def no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def set_widths(table, widths_mm: list[float]) -> None:
    """Fixed column widths in the grid AND every cell: Word reads the cells, LibreOffice the grid."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def first_paragraph(cell, text: str, **kw):
    p = cell.paragraphs[0]
    p.alignment = kw.pop("align", CENTER)
    run(p, text, **kw)
    return p


def national_header(doc, spec: registry.FormSpec, with_number: bool = True):
    width = 262 if spec.landscape else 165
    left_mm, right_mm = width * 0.42, width * 0.58
    para(doc, "{{ form.label }} — {{ form.circular }}", align=WD_ALIGN_PARAGRAPH.RIGHT, italic=True, size=10)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    set_widths(table, [left_mm, right_mm])
    left, right = table.rows[0].cells
    first_paragraph(left, "{{ header.parent_name }}", size=12.5)
    para(left, "{{ header.agency_name }}", align=CENTER, bold=True, size=12.5)
    short_rule(left, 25, left_mm)
    if with_number:
        para(left, "{{ header.number }}", align=CENTER)
    first_paragraph(right, "{{ header.nation }}", bold=True, size=12)
    para(right, "{{ header.motto }}", align=CENTER, bold=True, underline=True)
    para(right, "{{ header.place_date }}", align=CENTER, italic=True, space_before=8)
    para(doc, "{{ form.title }}", align=CENTER, bold=True, size=14, space_before=14)


def grid(doc, headers: list[str], cells: list[str], loop: str, widths_mm: list[float], size: float = 11):
    """A bordered table: header row, then one row per item (`{%tr for … %}` … `{%tr endfor %}`)."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    set_widths(table, widths_mm)
    for i, title in enumerate(headers):
        first_paragraph(table.rows[0].cells[i], title, bold=True, size=size)
    first_paragraph(table.rows[1].cells[0], "{%tr " + loop + " %}", align=LEFT)
    for i, text in enumerate(cells):
        cell = table.rows[2].cells[i]
        lines = text.split("\n")
        first_paragraph(cell, lines[0], align=LEFT, size=size)
        for line in lines[1:]:
            para(cell, line, align=LEFT, size=size)
    first_paragraph(table.rows[3].cells[0], "{%tr endfor %}", align=LEFT)
    return table


def numbered(doc, loop_var: str, items: str):
    para(doc, "{%p for " + loop_var + " in " + items + " %}")
    para(doc, "{{ loop.index }}. {{ " + loop_var + " }}")
    para(doc, "{%p endfor %}")


def signatures(doc, left: list[tuple[str, dict]] | None, right_prefix: str = "signer"):
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    width = doc.sections[0].page_width.mm - doc.sections[0].left_margin.mm - doc.sections[0].right_margin.mm
    set_widths(table, [width / 2, width / 2])
    lcell, rcell = table.rows[0].cells
    if left:
        first_paragraph(lcell, left[0][0], **left[0][1])
        for text, kw in left[1:]:
            para(lcell, text, **{"align": CENTER, **kw})
    first_paragraph(rcell, "{{ " + right_prefix + ".title }}", bold=True)
    para(rcell, "{{ " + right_prefix + ".note }}", align=CENTER, italic=True)
    for _ in range(3):
        para(rcell, "", align=CENTER)
    para(rcell, "{{ " + right_prefix + ".name }}", align=CENTER, bold=True)


def applicant_lines(doc, intro: str):
    para(doc, intro)
    para(doc, "Địa chỉ: {{ dossier.applicant_address }}")
    para(doc, "Số điện thoại: {{ dossier.applicant_phone }}     Thư điện tử: {{ dossier.applicant_email }}")
    para(doc, "Nội dung yêu cầu giải quyết: {{ dossier.procedure_name }} ({{ dossier.variant_name }}).")


def recipients(kind: str):
    return [("Nơi nhận:", {"bold": True, "italic": True, "align": LEFT, "size": 11}),
            ("- {{ dossier.applicant_name }};", {"align": LEFT, "size": 11}),
            ("- {{ dossier.receiving_agency }};", {"align": LEFT, "size": 11}),
            ("- Lưu: VT.", {"align": LEFT, "size": 11})]


# -- the forms ----------------------------------------------------------------------------------------------------
def build_receipt(doc, spec):
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, [130, 35])
    info, qr = table.rows[0].cells
    first_paragraph(info, "Mã hồ sơ: {{ dossier.code }}", bold=True, align=LEFT)
    para(info, "{{ header.agency_name_plain }} tiếp nhận hồ sơ của: {{ dossier.applicant_name }}", align=LEFT)
    para(info, "Địa chỉ: {{ dossier.applicant_address }}", align=LEFT)
    para(info, "Số điện thoại: {{ dossier.applicant_phone }}     Thư điện tử: {{ dossier.applicant_email }}",
         align=LEFT)
    first_paragraph(qr, "{{ qr }}")
    para(qr, "Quét mã để tra cứu", align=CENTER, size=9)
    para(doc, "Nội dung yêu cầu giải quyết: {{ dossier.procedure_name }} ({{ dossier.variant_name }}); mã thủ tục "
              "{{ dossier.procedure_code }}.")
    para(doc, "1. Thành phần hồ sơ nộp gồm:")
    grid(doc, ["STT", "Tên giấy tờ", "Loại bản", "Ghi chú"],
         ["{{ doc.no }}", "{{ doc.name }}", "{{ doc.kind }}", "{{ doc.digitised }}"], "for doc in documents",
         [12, 93, 35, 25])
    para(doc, "2. Số lượng hồ sơ: {{ sets }} (bộ)")
    para(doc, "3. Thời gian giải quyết hồ sơ theo quy định là: {{ dossier.limit }}")
    para(doc, "4. Thời gian nhận hồ sơ: {{ dossier.received }}")
    para(doc, "5. Thời gian trả kết quả giải quyết hồ sơ: {{ dossier.due }}")
    para(doc, "6. Đăng ký nhận kết quả tại: {{ pickup }}")
    para(doc, "7. Cơ quan giải quyết: {{ dossier.competent_agency }}")
    para(doc, "Tra cứu tình trạng hồ sơ tại {{ lookup_url }} — mã tra cứu: {{ lookup_secret }}", italic=True, size=11)
    signatures(doc, [("{{ applicant_signer.title }}", {"bold": True}),
                     ("{{ applicant_signer.note }}", {"italic": True}), ("", {}), ("", {}), ("", {}),
                     ("{{ applicant_signer.name }}", {"bold": True})])


def build_supplement(doc, spec):
    para(doc, "Mã hồ sơ: {{ dossier.code }}", align=CENTER, bold=True)
    applicant_lines(doc, "Hồ sơ của: {{ dossier.applicant_name }}")
    para(doc, "Sau khi xem xét, {{ header.agency_name_plain }} đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những "
              "nội dung sau:")
    grid(doc, ["STT", "Giấy tờ, nội dung cần bổ sung, hoàn thiện", "Lý do, hướng dẫn"],
         ["{{ item.no }}", "{{ item.name }}", "{{ item.reason }} {{ item.guidance }}"], "for item in items",
         [12, 98, 55])
    para(doc, "Lý do: {{ reason }}")
    para(doc, "{%p if due_by %}")
    para(doc, "Thời hạn bổ sung, hoàn thiện hồ sơ: trước {{ due_by }}.")
    para(doc, "{%p endif %}")
    para(doc, "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với {{ contact_name }}, số điện "
              "thoại {{ contact_phone }} để được hướng dẫn.")
    signatures(doc, None)


def build_refusal(doc, spec):
    para(doc, "Mã hồ sơ: {{ dossier.code }}", align=CENTER, bold=True)
    applicant_lines(doc, "{{ header.agency_name_plain }} tiếp nhận hồ sơ của: {{ dossier.applicant_name }}")
    para(doc, "Căn cứ quy định của pháp luật về thủ tục hành chính nêu trên, {{ header.agency_name_plain }} không "
              "tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:")
    numbered(doc, "reason", "reasons")
    para(doc, "Xin thông báo để ông/bà được biết và thực hiện./.")
    signatures(doc, None)


def build_apology(doc, spec):
    para(doc, "Kính gửi: {{ dossier.applicant_name }}", align=CENTER, italic=True)
    para(doc, "{{ header.agency_name_plain }} đã tiếp nhận hồ sơ mã số {{ dossier.code }} của ông/bà/tổ chức vào "
              "{{ dossier.received }}.")
    para(doc, "Nội dung yêu cầu giải quyết: {{ dossier.procedure_name }} ({{ dossier.variant_name }}).")
    if spec.template_set == registry.TT01:
        para(doc, "Theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, thời gian trả kết quả giải quyết hồ sơ vào "
                  "{{ dossier.due }}. Tuy nhiên đến nay, {{ header.agency_name_plain }} chưa trả kết quả giải quyết "
                  "hồ sơ của ông/bà/tổ chức.")
        para(doc, "Lý do: {{ reason }}")
        para(doc, "Sự chậm trễ này đã gây phiền hà cho ông/bà/tổ chức. {{ header.agency_name_plain }} xin lỗi "
                  "ông/bà/tổ chức và sẽ trả kết quả giải quyết hồ sơ cho ông/bà/tổ chức vào {{ new_due }}.")
    else:
        para(doc, "Theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, thời gian trả kết quả giải quyết hồ sơ là "
                  "{{ dossier.due }}. Tuy nhiên, {{ header.agency_name_plain }} chưa thể trả kết quả đúng hẹn.")
        para(doc, "Lý do: {{ reason }}")
        para(doc, "Sự chậm trễ này đã gây phiền hà cho ông/bà/tổ chức. {{ header.agency_name_plain }} trân trọng xin "
                  "lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ đến {{ new_due }}.")
    para(doc, "{%p if extensions|length > 1 %}")
    para(doc, "Các lần gia hạn của hồ sơ:")
    grid(doc, ["Lần", "Ngày đề nghị", "Hạn trước đó", "Hạn mới", "Lý do"],
         ["{{ e.no }}", "{{ e.at }}", "{{ e.previous }}", "{{ e.new }}", "{{ e.reason }}"], "for e in extensions",
         [12, 33, 33, 33, 54])
    para(doc, "{%p endif %}")
    para(doc, "Kính mong nhận được sự thông cảm của ông/bà/tổ chức./.")
    signatures(doc, recipients("apology"))


def build_stop(doc, spec):
    para(doc, "Kính gửi: {{ dossier.applicant_name }}", align=CENTER, italic=True)
    para(doc, "{{ header.agency_name_plain }} đã tiếp nhận hồ sơ mã số {{ dossier.code }} của ông/bà/tổ chức vào "
              "{{ dossier.received }}.")
    para(doc, "Nội dung yêu cầu giải quyết: {{ dossier.procedure_name }} ({{ dossier.variant_name }}).")
    para(doc, "{{ header.agency_name_plain }} thông báo dừng giải quyết hồ sơ nêu trên kể từ {{ stopped }}, với lý do "
              "như sau:")
    numbered(doc, "reason", "reasons")
    para(doc, "Xin thông báo để ông/bà/tổ chức được biết./.")
    signatures(doc, recipients("stop"))


def build_tracking(doc, spec):
    para(doc, "Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả", align=CENTER, italic=True)
    para(doc, "Mã hồ sơ: {{ dossier.code }}", align=CENTER, bold=True)
    para(doc, "Người nộp hồ sơ: {{ dossier.applicant_name }}; thủ tục: {{ dossier.procedure_name }}.")
    para(doc, "Thời gian tiếp nhận: {{ dossier.received }}. Hẹn trả kết quả: {{ dossier.due }}.")
    para(doc, "Cơ quan giải quyết hồ sơ: {{ dossier.competent_agency }}")
    para(doc, "Cơ quan phối hợp giải quyết hồ sơ: {{ coordinating }}")
    grid(doc, ["TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
               "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)", "GHI CHÚ"],
         ["1. Giao: {{ r.giver }}\n2. Nhận: {{ r.receiver }}",
          "{{ r.at }}\nNgười giao: {{ r.giver_person }}\nNgười nhận: {{ r.receiver_person }}",
          "{{ r.outcome }}", "{{ r.note }}"], "for r in rows", [48, 62, 32, 23])
    para(doc, "{%p if final_outcome %}")
    para(doc, "Kết quả giải quyết hồ sơ: {{ final_outcome }}.")
    para(doc, "{%p endif %}")


def build_register(doc, spec):
    para(doc, "{{ period }} — {{ header.agency_name_plain }}", align=CENTER, italic=True)
    headers = ["TT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
               "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả",
               "Chuyển hồ sơ đến cơ quan giải quyết", "Ngày có kết quả / yêu cầu bổ sung", "Trả kết quả", "Ghi chú"]
    cells = ["{{ r.no }}", "{{ r.code }}", "{{ r.procedure }}", "{{ r.sets }}", "{{ r.applicant }}",
             "{{ r.contact }}", "{{ r.competent }}", "{{ r.received }}", "{{ r.due }}", "{{ r.transferred }}",
             "{{ r.result_or_supplement }}", "{{ r.delivered }}", "{{ r.note }}"]
    grid(doc, headers, cells, "for r in rows", [8, 28, 30, 11, 22, 26, 22, 20, 20, 20, 20, 20, 15], size=8.5)
    para(doc, "Tổng số hồ sơ: {{ total }}")
    signatures(doc, None)


BUILDERS = {registry.RECEIPT: build_receipt, registry.SUPPLEMENT: build_supplement, registry.REFUSAL: build_refusal,
            registry.APOLOGY: build_apology, registry.STOP: build_stop, registry.TRACKING: build_tracking,
            registry.REGISTER: build_register}


def build(out_dir: Path) -> list[Path]:
    written = []
    for tset in (registry.TT03, registry.TT01):
        (out_dir / tset).mkdir(parents=True, exist_ok=True)
        for spec in registry.forms_of(tset):
            doc = new_document(spec.landscape)
            doc.core_properties.author = "MotCua"
            doc.core_properties.title = f"Mẫu số {spec.number} — {spec.short} ({registry.CIRCULAR_NAMES[tset]})"
            national_header(doc, spec, with_number=spec.kind != registry.REGISTER)
            BUILDERS[spec.kind](doc, spec)
            path = out_dir / tset / f"{spec.number}.docx"
            doc.save(path)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent / "templates_docx"
    for path in build(out):
        print(path)


if __name__ == "__main__":
    main()
