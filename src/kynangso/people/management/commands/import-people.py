"""`kynangso import-people FILE`: a roster of people (CSV or XLSX) checked row by row and applied all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.people import api as people


class Command(BaseCommand):
    help = (
        "Nhập danh sách người dân, cán bộ từ tệp CSV hoặc XLSX theo mẫu (tất cả hoặc không có dòng nào). "
        "Dùng --template để lấy tệp mẫu."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Tệp .csv hoặc .xlsx cần nhập")
        parser.add_argument("--template", metavar="TỆP", help="Ghi tệp mẫu (.xlsx) vào đường dẫn này rồi thoát")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì vào cơ sở dữ liệu")
        parser.add_argument(
            "--as",
            dest="username",
            metavar="TÊN_ĐĂNG_NHẬP",
            help="Nhập với quyền của tài khoản này (chỉ các đơn vị trong phạm vi của tài khoản)",
        )
        parser.add_argument("--errors", metavar="TỆP", help="Khi có dòng lỗi: ghi tệp .xlsx đánh dấu từng dòng lỗi")
        parser.add_argument(
            "--include-hidden",
            action="store_true",
            help="Nhập cả các dòng đang bị ẩn hoặc bị lọc trong Excel (mặc định: bỏ qua và liệt kê)",
        )
        parser.add_argument(
            "--accept-unit-suggestions",
            action="store_true",
            help="Dùng các đơn vị được gợi ý (đơn vị ghi bằng tên, mã đơn vị đã sáp nhập) đã liệt kê khi kiểm tra",
        )

    def handle(
        self, *args, file, template, dry_run, username, errors, include_hidden, accept_unit_suggestions, **options
    ):
        actor = accounts.SYSTEM  # the operator on the server, unless --as names whose scope to import with
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản đang hoạt động tên «{username}».")
        if template:
            people.write_template(template, actor=actor)
            self.stdout.write(self.style.SUCCESS(f"Đã ghi tệp mẫu: {template}"))
            return
        if not file:
            raise CommandError("Cần chỉ ra tệp cần nhập (hoặc --template TỆP để lấy tệp mẫu).")
        if not Path(file).is_file():
            reason = _("đó là một thư mục") if Path(file).is_dir() else _("không tìm thấy tệp này")
            raise CommandError(
                _("Không mở được tệp «%(file)s»: %(reason)s. Hãy kiểm tra đường dẫn.")
                % {"file": file, "reason": reason}
            )
        try:
            report = people.import_roster(
                file,
                actor=actor,
                apply=not dry_run,
                include_hidden=include_hidden,
                accept_suggestions=accept_unit_suggestions,
            )
        except OSError as exc:
            raise CommandError(
                _("Không mở được tệp «%(file)s»: %(reason)s.") % {"file": file, "reason": exc.strerror}
            ) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in report.notes():
            self.stdout.write(line)
        if report.errors:
            for line, message in report.errors:
                self.stderr.write(f"Dòng {line}: {message}")
            if errors:
                people.write_error_report(file, report.errors, errors)
                self.stderr.write(f"Tệp đánh dấu các dòng lỗi: {errors}")
            raise CommandError(f"Có {len(report.errors)} dòng lỗi trên {report.total} dòng; không ai được nhập.")
        verb = "Kiểm tra xong (chưa ghi gì)" if dry_run else "Đã nhập"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {report.created} người mới, {report.updated} người cập nhật, {report.unchanged} người không đổi."
            )
        )
