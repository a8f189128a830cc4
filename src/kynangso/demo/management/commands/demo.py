"""`kynangso demo`: migrate, load the synthetic demo province if absent, print the logins, serve the site."""

import io

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kynangso.demo import province
from kynangso.errors import DomainError
from kynangso.numbers import vietnamese_number
from kynangso.web import api as web

_RULE = "═" * 78


class Command(BaseCommand):
    help = (
        "Chuẩn bị cơ sở dữ liệu, tạo tỉnh mô phỏng (nếu chưa có), in danh sách tài khoản dùng thử "
        "rồi chạy trang web tại http://127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Chỉ chuẩn bị dữ liệu và in tài khoản, không chạy trang web."
        )
        parser.add_argument("--addr", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Cổng lắng nghe (mặc định 8000).")

    def handle(self, *args, no_serve=False, addr="127.0.0.1", port=8000, **options):
        self.stdout.write("Đang chuẩn bị cơ sở dữ liệu…")
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write("Đang nạp khung năng lực, chuẩn và ngân hàng câu hỏi…")
        call_command("load-content", verbosity=0, stdout=io.StringIO())
        if province.demo_province_exists():
            self.stdout.write(f"{province.PROVINCE_NAME} đã có sẵn; dữ liệu được giữ nguyên.")
        else:
            self.stdout.write(f"Đang tạo {province.PROVINCE_NAME}…")
            try:
                report = province.load_demo_province()
            except DomainError as exc:
                raise CommandError(f"Không tạo được tỉnh mô phỏng: {exc.message}") from exc
            people, seconds = vietnamese_number(report.people), vietnamese_number(report.seconds, 1)
            self.stdout.write(self.style.SUCCESS(f"Đã tạo tỉnh mô phỏng với {people} người trong {seconds} giây."))
        self.stdout.write("Đang bổ sung hoạt động mô phỏng: khóa học, sát hạch, chứng nhận, kế hoạch, chỉ tiêu…")
        web.populate_demo(today=timezone.localdate(), stdout=self.stdout)
        shown_host = "127.0.0.1" if addr in ("0.0.0.0", "::", "") else addr
        self.stdout.write(self._summary(f"http://{shown_host}:{port}", serving=not no_serve))
        if no_serve:
            return
        call_command("runserver", f"{addr}:{port}", use_reloader=False)

    def _summary(self, url: str, *, serving: bool) -> str:
        rows = province.demo_login_rows()
        headers = ("Vai trò", "Tên đăng nhập", "Mật khẩu", "Phạm vi", "Người dùng")
        table = [headers, *[(r.role_label, r.username, r.password, r.scope, r.person) for r in rows]]
        widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in table]
        lines.insert(1, "  ".join("─" * width for width in widths))
        return "\n".join(
            [
                "",
                _RULE,
                "  KỸ NĂNG SỐ — BẢN TRÌNH DIỄN VỚI DỮ LIỆU MÔ PHỎNG",
                _RULE,
                f"  Trang web:  {url}",
                f"  Tỉnh:       {province.PROVINCE_NAME} — mọi tên, số định danh, số điện thoại đều là giả.",
                f"  Mật khẩu chung của các tài khoản dùng thử: {province.DEMO_PASSWORD}",
                "",
                *("  " + line for line in lines),
                "",
                "  Chỉ dùng để thử nghiệm trên máy của bạn; đừng nhập dữ liệu thật vào bản trình diễn.",
                *(["  Nhấn Ctrl+C để dừng trang web."] if serving else []),
                _RULE,
                "",
            ]
        )
