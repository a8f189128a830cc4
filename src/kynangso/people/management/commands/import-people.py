"""`kynangso import-people FILE`: a roster of people (CSV or XLSX) checked row by row and applied all or nothing."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kynangso.errors import DomainError
from kynangso.people import api as people


class Command(BaseCommand):
    help = ("Nhập danh sách người dân, cán bộ từ tệp CSV hoặc XLSX theo mẫu (tất cả hoặc không có dòng nào). "
            "Dùng --template để lấy tệp mẫu.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Tệp .csv hoặc .xlsx cần nhập")
        parser.add_argument("--template", metavar="TỆP", help="Ghi tệp mẫu (.xlsx) vào đường dẫn này rồi thoát")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì vào cơ sở dữ liệu")
        parser.add_argument("--as", dest="username", metavar="TÊN_ĐĂNG_NHẬP",
                            help="Nhập với quyền của tài khoản này (chỉ các đơn vị trong phạm vi của tài khoản)")
        parser.add_argument("--errors", metavar="TỆP", help="Khi có dòng lỗi: ghi tệp .xlsx đánh dấu từng dòng lỗi")

    def handle(self, *args, file, template, dry_run, username, errors, **options):
        if template:
            people.write_template(template)
            self.stdout.write(self.style.SUCCESS(f"Đã ghi tệp mẫu: {template}"))
            return
        if not file:
            raise CommandError("Cần chỉ ra tệp cần nhập (hoặc --template TỆP để lấy tệp mẫu).")
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản đang hoạt động tên «{username}».")
        try:
            report = people.import_roster(file, actor=actor, apply=not dry_run)
        except FileNotFoundError as exc:
            raise CommandError(f"Không mở được tệp: {file}") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if report.errors:
            for line, message in report.errors:
                self.stderr.write(f"Dòng {line}: {message}")
            if errors:
                people.write_error_report(file, report.errors, errors)
                self.stderr.write(f"Tệp đánh dấu các dòng lỗi: {errors}")
            raise CommandError(f"Có {len(report.errors)} dòng lỗi trên {report.total} dòng; không ai được nhập.")
        verb = "Kiểm tra xong (chưa ghi gì)" if dry_run else "Đã nhập"
        self.stdout.write(self.style.SUCCESS(
            f"{verb}: {report.created} người mới, {report.updated} người cập nhật, {report.unchanged} người không đổi."))
