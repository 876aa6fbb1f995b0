"""`motcua calendar show YEAR` lists days off and make-up days; `motcua calendar confirm YEAR` confirms a year."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.worktime import services
from motcua.worktime.calendar_vn import WORK, year_listing
from motcua.worktime.clock import WEEKDAY_NAMES, ClockError


class Command(BaseCommand):
    help = "Xem hoặc xác nhận lịch làm việc của một năm: motcua calendar show 2026 | motcua calendar confirm 2026"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "confirm"])
        parser.add_argument("year", type=int)
        parser.add_argument("--user", default=None, help="tên đăng nhập của người xác nhận (confirm)")

    def handle(self, *args, action, year, user=None, **o):
        first, last = services.year_range()
        if not first <= year <= last:
            raise CommandError("year: " + _("Năm %(year)s nằm ngoài phạm vi lịch hỗ trợ (%(first)s–%(last)s).")
                               % {"year": year, "first": first, "last": last}, returncode=2)
        if action == "confirm":
            try:
                row = services.confirm_year(year, self._user(user))
            except ClockError as exc:
                raise CommandError(f"{exc.field}: {exc.message}", returncode=2) from None
            self.stdout.write(_("Lịch làm việc năm %(year)s đã được xác nhận lúc %(at)s.")
                              % {"year": year, "at": f"{timezone.localtime(row.confirmed_at):%d/%m/%Y %H:%M}"})
            return
        cal = services.get_calendar(None)
        self.stdout.write(_("Lịch làm việc năm %(year)s") % {"year": year})
        for row in year_listing(cal, year):
            label = _("Làm bù") if row["kind"] == WORK else _("Nghỉ")
            day = row["date"]
            self.stdout.write(f"{day:%d/%m/%Y}  {WEEKDAY_NAMES[day.weekday()]:<9} {label:<7} {row['name']}")
        from motcua.worktime.models import CalendarYear

        confirmed = CalendarYear.objects.filter(year=year, confirmed_at__isnull=False).first()
        self.stdout.write(_("Đã xác nhận.") if confirmed else _("Chưa xác nhận."))

    @staticmethod
    def _user(username):
        if not username:
            return None
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ClockError("user", _("Không tìm thấy người dùng %(name)s."), name=username)
        return user
