"""`motcua forms render …`: files written; bad input → Vietnamese message and exit code 2."""

import pytest
from django.core.management import CommandError, call_command

from tests.forms.helpers import docx_text, pdf_text


def test_render_dossier_form_and_register(dossiers, world, tmp_path):
    out = tmp_path / "phieu.pdf"
    call_command("forms", "render", "--dossier", dossiers["stopped"].code, "--form", "05", "--format", "pdf",
                 "--output", str(out))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in pdf_text(out.read_bytes())
    out = tmp_path / "so.docx"
    call_command("forms", "render", "--unit", world["centre"].code, "--from", "2026-02-01", "--to", "2026-03-31",
                 "--form", "07", "--format", "docx", "--output", str(out))
    assert dossiers["received"].code in docx_text(out.read_bytes())


@pytest.mark.parametrize(("args", "words"), [
    (["--dossier", "KHONG-CO", "--form", "01"], "Không tìm thấy hồ sơ «KHONG-CO»"),
    (["--dossier", "{received}", "--form", "03"], "không bị từ chối"),
    (["--dossier", "{received}", "--form", "09"], "không có trong bộ mẫu"),
    (["--dossier", "{received}", "--form", "01", "--format", "odt"], "Định dạng «odt» không hỗ trợ"),
    (["--form", "01"], "Cần --dossier"),
    (["--unit", "000.00.30.H27", "--form", "07"], "cần --from và --to"),
    (["--unit", "000.00.30.H27", "--from", "2025-03-01", "--to", "2025-03-31", "--form", "07"], "Mẫu số 06"),
    (["--unit", "000.00.30.H27", "--from", "01/03/2026", "--to", "2026-03-31", "--form", "07"], "không hợp lệ"),
    (["--unit", "KHONG-CO", "--from", "2026-03-01", "--to", "2026-03-31", "--form", "07"], "Không tìm thấy đơn vị"),
])
def test_bad_input_exits_2_with_a_vietnamese_message(dossiers, tmp_path, args, words):
    args = [a.replace("{received}", dossiers["received"].code) for a in args]
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError) as exc:
        call_command("forms", "render", *args, "--output", str(out))
    assert exc.value.returncode == 2 and words in str(exc.value)
    assert not out.exists()  # nothing half-written


def test_list_shows_which_forms_apply(dossiers, capsys):
    call_command("forms", "list", "--dossier", dossiers["refused"].code)
    output = capsys.readouterr().out
    assert "03  Phiếu từ chối tiếp nhận giải quyết hồ sơ: in được" in output
    assert "01  Giấy tiếp nhận hồ sơ và hẹn trả kết quả: Hồ sơ" in output
