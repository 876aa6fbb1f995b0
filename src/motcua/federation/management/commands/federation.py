"""`motcua federation …`: province ↔ national federation (docs/federation.md).

Province side:  add-peer (the national instance to publish to), push (status changes since the cursor, and the
statistics of a period with --period). National side: add-province (register a province, prints its secret once).
Both: status.
"""

import json
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from motcua.federation.models import Peer, ProvinceFeed
from motcua.federation.publish import PushError, push
from motcua.federation.signing import new_secret

SECRET_ENV = "MOTCUA_FEDERATION_SECRET"


class Command(BaseCommand):
    help = "Liên thông tỉnh – quốc gia: gửi (push), đăng ký kết nối (add-peer, add-province), xem tình trạng."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        p = sub.add_parser("push", help="Gửi thay đổi trạng thái hồ sơ (và số liệu một kỳ) tới hệ thống quốc gia.")
        p.add_argument("--peer", required=True, help="Tên kết nối (add-peer --name).")
        p.add_argument("--to", dest="url", help="Địa chỉ hệ thống quốc gia (mặc định: địa chỉ của kết nối).")
        p.add_argument("--period", help="Gửi cả số liệu của kỳ: 2026-10, 2026-Q4 hoặc 2026.")
        p.add_argument("--no-events", action="store_true", help="Chỉ gửi số liệu thống kê.")
        p.add_argument("--rescan", action="store_true",
                       help="Gửi lại mọi thay đổi từ đầu (sau khi nhập dữ liệu hàng loạt; phía quốc gia bỏ qua trùng).")
        p.add_argument("--batch-size", type=int, help="Số sự kiện mỗi lần gửi (mặc định 500).")
        p.add_argument("--settle", type=float,
                       help="Chỉ gửi sự kiện cũ hơn số giây này (mặc định 5; tránh bỏ sót giao dịch chưa ghi xong).")
        a = sub.add_parser("add-peer", help="Tỉnh: khai báo hệ thống quốc gia nhận dữ liệu.")
        a.add_argument("--name", required=True)
        a.add_argument("--url", required=True)
        a.add_argument("--key-id", required=True)
        a.add_argument("--province-code", required=True, help="Mã đơn vị cấp tỉnh công bố (UBND tỉnh).")
        a.add_argument("--secret", help=f"Khoá bí mật dùng chung (hoặc biến môi trường {SECRET_ENV}).")
        n = sub.add_parser("add-province", help="Quốc gia: đăng ký một tỉnh được gửi dữ liệu.")
        n.add_argument("--code", required=True)
        n.add_argument("--name", required=True)
        n.add_argument("--key-id", required=True)
        n.add_argument("--secret", help=f"Khoá bí mật (mặc định: {SECRET_ENV} hoặc sinh ngẫu nhiên và in ra).")
        sub.add_parser("status", help="Tình trạng các kết nối.")

    def handle(self, *args, subcommand, **options):
        getattr(self, "_" + subcommand.replace("-", "_"))(**options)

    def _push(self, *, peer, url, period, no_events, rescan, batch_size, settle, **_):
        if batch_size is not None and not 1 <= batch_size <= 5000:
            raise CommandError("--batch-size phải từ 1 đến 5000.")
        try:
            result = push(peer, base_url=url, period_key=period, events=not no_events, batch_size=batch_size,
                          settle_seconds=settle, rescan=rescan)
        except PushError as exc:
            raise CommandError(f"Gửi không thành công ({exc.code}): {exc}") from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _add_peer(self, *, name, url, key_id, province_code, secret, **_):
        secret = secret or os.environ.get(SECRET_ENV)
        if not secret:
            raise CommandError(f"Cần --secret hoặc biến môi trường {SECRET_ENV}.")
        Peer.objects.update_or_create(name=name, defaults={"url": url, "key_id": key_id, "secret": secret,
                                                           "province_code": province_code, "active": True})
        self.stdout.write(f"Đã lưu kết nối {name} → {url}")

    def _add_province(self, *, code, name, key_id, secret, **_):
        given = secret or os.environ.get(SECRET_ENV)
        try:
            ProvinceFeed.objects.update_or_create(code=code, defaults={"name": name, "key_id": key_id,
                                                                       "secret": given or new_secret()})
        except IntegrityError:
            raise CommandError(f"Mã khoá {key_id} đã dùng cho tỉnh khác.") from None
        feed = ProvinceFeed.objects.get(code=code)
        self.stdout.write(f"Đã đăng ký {code} {name}, mã khoá {key_id}")
        if not given:
            self.stdout.write(f"Khoá bí mật (chỉ hiện một lần, chuyển cho tỉnh qua kênh an toàn): {feed.secret}")

    def _status(self, **_):
        for peer in Peer.objects.order_by("name"):
            self.stdout.write(f"peer {peer.name} {peer.url} cursor={peer.last_cursor} "
                              f"last_push={peer.last_push_at or '-'} error={peer.last_error or '-'}")
        for feed in ProvinceFeed.objects.order_by("code"):
            self.stdout.write(f"province {feed.code} {feed.name} events={feed.events_received} "
                              f"last_events={feed.last_events_at or '-'} last_statistics={feed.last_statistics_at or '-'}")
