"""`motcua export-personal-data (--personal-id N | --username U) [--output F.json]`: everything held about a
person, as the data subject's right of access requires (Law 91/2025)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.privacy.services import export_person


class Command(BaseCommand):
    help = _("Xuất toàn bộ dữ liệu hệ thống lưu giữ về một người (JSON).")

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--personal-id")
        who.add_argument("--username")
        parser.add_argument("--output")

    def handle(self, *args, personal_id=None, username=None, output=None, **options):
        user = None
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(_("Không có tài khoản %(u)s.") % {"u": username})
        data = json.dumps(export_person(personal_id=personal_id or "", user=user), ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(data)
        else:
            self.stdout.write(data)
