"""Render a form context to PDF (Django HTML template → WeasyPrint) or DOCX (docxtpl template).

Templates are files, not code: `templates/printforms/<set>/<NN>.html` and `templates_docx/<set>/<NN>.docx` ship with
MotCua; a province overrides any of them by placing a file with the same relative name under
settings.MOTCUA["FORMS_TEMPLATE_DIR"] (`<dir>/<set>/<NN>.html`, `<dir>/<set>/<NN>.docx`, `<dir>/base.html`).
"""

import io
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine

from motcua.forms import fonts

HERE = Path(__file__).resolve().parent
HTML_DIR = HERE / "templates" / "printforms"
DOCX_DIR = HERE / "templates_docx"
FORMATS = ("pdf", "docx")
CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def override_dir() -> Path | None:
    value = settings.MOTCUA.get("FORMS_TEMPLATE_DIR")
    return Path(value) if value else None


@lru_cache(maxsize=4)
def _engine(extra: str) -> Engine:
    dirs = [extra] if extra else []
    return Engine(dirs=[*dirs, str(HTML_DIR)], debug=False, autoescape=True,
                  libraries={}, builtins=["django.templatetags.i18n"])


def template_name(ctx: dict, ext: str) -> str:
    return f"{ctx['form']['template_set']}/{ctx['form']['number']}.{ext}"


def render_html(ctx: dict) -> str:
    extra = override_dir()
    engine = _engine(str(extra) if extra else "")
    template = engine.get_template(template_name(ctx, "html"))
    data = {k: v for k, v in ctx.items() if k != "qr_png"}
    data.update(font_faces=fonts.font_face_css(), font_family=fonts.font_family())
    return template.render(Context(data, autoescape=True))


def render_pdf(ctx: dict) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing (WeasyPrint loads it with cffi at import)
        from django.utils.translation import gettext as _

        from motcua.forms.context import FormError

        raise FormError(_("Máy chủ chưa cài thư viện Pango cho WeasyPrint (chạy scripts/system-deps.sh): %(e)s")
                        % {"e": exc}, code="unavailable", status=503, field="format") from None
    return HTML(string=render_html(ctx), base_url=str(HTML_DIR)).write_pdf()


def docx_template_path(ctx: dict) -> Path:
    name = template_name(ctx, "docx")
    extra = override_dir()
    if extra and (extra / name).is_file():
        return extra / name
    return DOCX_DIR / name


def render_docx(ctx: dict) -> bytes:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    tpl = DocxTemplate(str(docx_template_path(ctx)))
    data = dict(ctx)
    if data.get("qr_png"):
        data["qr"] = InlineImage(tpl, io.BytesIO(data.pop("qr_png")), width=Mm(28))
    tpl.render(data, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render(ctx: dict, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(ctx)
    if fmt == "docx":
        return render_docx(ctx)
    raise ValueError(fmt)
