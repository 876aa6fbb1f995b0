"""`motcua forms render --dossier CODE --form 01 --format pdf|docx --output FILE`
`motcua forms render --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD --form 07 --format pdf --output FILE` (register)
`motcua forms list --dossier CODE` (the forms of the dossier's template set and whether each applies)

Bad input (unknown dossier or unit, a form that does not apply, bad dates) → a Vietnamese message and exit code 2.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.forms import registry, services
from motcua.forms.context import FormError, form_context, template_set_of


class Command(BaseCommand):
    help = _("In các mẫu phiếu (TT 03/2025/TT-VPCP, TT 01/2018/TT-VPCP) ra PDF hoặc DOCX.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        render = sub.add_parser("render", help=_("Xuất một mẫu phiếu ra tệp."))
        render.add_argument("--dossier", help=_("Mã hồ sơ (mẫu 01–06)."))
        render.add_argument("--unit", help=_("Mã đơn vị (sổ theo dõi hồ sơ)."))
        render.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
        render.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
        render.add_argument("--form", required=True, help=_("Số mẫu: 01–07."))
        render.add_argument("--format", dest="fmt", default="pdf", help="pdf | docx")
        render.add_argument("--output", required=True, help=_("Tệp kết quả."))
        listing = sub.add_parser("list", help=_("Liệt kê các mẫu áp dụng cho hồ sơ."))
        listing.add_argument("--dossier", required=True)

    def handle(self, *args, **opts):
        try:
            if opts["sub"] == "list":
                return self.list_forms(opts["dossier"])
            content = self.render(opts)
        except FormError as exc:
            raise CommandError(exc.message, returncode=2) from None
        output = Path(opts["output"])
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(_("Không ghi được tệp «%(p)s»: %(e)s") % {"p": output, "e": exc.strerror},
                               returncode=2) from None
        self.stdout.write(_("Đã ghi %(p)s (%(n)s byte).") % {"p": output, "n": len(content)})

    def render(self, opts) -> bytes:
        if opts["unit"]:
            if opts["dossier"]:
                raise FormError(_("Chỉ dùng --dossier hoặc --unit, không dùng cả hai."), field="unit")
            if not opts["date_from"] or not opts["date_to"]:
                raise FormError(_("Sổ theo dõi hồ sơ cần --from và --to (YYYY-MM-DD)."), field="from")
            content, _name = services.render_register(opts["unit"], opts["date_from"], opts["date_to"], opts["fmt"],
                                                      form=opts["form"])
            return content
        if not opts["dossier"]:
            raise FormError(_("Cần --dossier MÃ_HỒ_SƠ (hoặc --unit cho sổ theo dõi hồ sơ)."), field="dossier")
        content, _name = services.render_dossier_form(opts["dossier"], opts["form"], opts["fmt"])
        return content

    def list_forms(self, code: str) -> None:
        dossier = services.find_dossier(code)
        tset = template_set_of(dossier)
        self.stdout.write(registry.CIRCULAR_NAMES[tset])
        for spec in registry.forms_of(tset):
            if spec.kind == registry.REGISTER:
                continue
            try:
                form_context(dossier, spec.number)
                state = _("in được")
            except FormError as exc:
                state = exc.message
            self.stdout.write(f"  {spec.number}  {spec.short}: {state}")
