"""`motcua deadline`: the due instant of a time limit, for officers, auditors and tests."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from motcua.worktime import inputs, services
from motcua.worktime.clock import ClockError, _


def clock_command_error(exc: ClockError) -> CommandError:
    return CommandError(f"{exc.field}: {exc.message}", returncode=2)


class Command(BaseCommand):
    help = ("Tính hạn giải quyết từ thời điểm tiếp nhận hợp lệ. Ví dụ: motcua deadline --received 2026-02-13T10:00 "
            "--duration 3 --unit working_days")

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, help="thời điểm tiếp nhận hợp lệ, ISO 8601 (giờ địa phương)")
        parser.add_argument("--duration", default=None, help="thời hạn (số, có thể là 0,5)")
        parser.add_argument("--unit", required=True, help="working_hours | working_days | calendar_days | none")
        parser.add_argument("--province", default=None, help="mã định danh cơ quan có giờ làm việc riêng")
        parser.add_argument("--pause", action="append", default=[], help="khoảng tạm dừng BẮT_ĐẦU/KẾT_THÚC")
        parser.add_argument("--same-day-cutoff", default=None, help="giờ tiếp nhận muộn nhất để trả trong ngày")
        parser.add_argument("--policy", default="resume", help="resume | restart (sau khi bổ sung)")
        parser.add_argument("--day-mode", default=None, help="end_of_day | hours")
        parser.add_argument("--json", action="store_true", help="in kết quả và diễn giải dạng JSON")

    def handle(self, *args, **o):
        try:
            payload = self._compute(o)
        except ClockError as exc:
            raise clock_command_error(exc) from None
        if o["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(payload["due"] or gettext("không quy định thời hạn"))

    def _compute(self, o) -> dict:
        unit = inputs.parse_unit(o["unit"])
        duration = inputs.parse_duration(o["duration"], unit)
        received = inputs.parse_instant(o["received"], "received")
        cutoff = inputs.parse_cutoff(o["same_day_cutoff"])
        pauses = inputs.parse_pauses(o["pause"])
        policy = inputs.parse_policy(o["policy"])
        mode = o["day_mode"] or services.day_mode()
        if mode not in ("end_of_day", "hours"):
            raise ClockError("day_mode", _("Cách tính ngày làm việc không hợp lệ: %(value)r (end_of_day hoặc hours)."),
                             value=mode)
        cal = services.get_calendar(self._agency(o["province"]))
        return inputs.deadline_payload(cal, received, duration, unit, cutoff=cutoff, pauses=pauses, policy=policy,
                                       day_mode=mode)

    @staticmethod
    def _agency(code):
        if not code:
            return None
        from motcua.agencies.models import Agency

        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise ClockError("province", _("Không tìm thấy cơ quan có mã %(code)s."), code=code)
        return agency
