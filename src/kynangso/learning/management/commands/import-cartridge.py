"""`kynangso import-cartridge <file.imscc> --code <mã>`: read an IMS Common Cartridge into a new, unpublished course
draft (ADR 0044); an editor then tags its competences in the admin and publishes it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.learning.cartridge_import import import_cartridge


class Command(BaseCommand):
    help = "Nhập một gói IMS Common Cartridge thành bản nháp khóa học (chưa xuất bản)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .imscc")
        parser.add_argument("--code", required=True, help="Mã khóa học mới (chữ thường, số, dấu gạch ngang)")

    def handle(self, *args, path, code, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Không có tệp: {path}")
        try:  # run by an operator on the server: the system's own authority (ADR 0022)
            with source.open("rb") as handle:
                course = import_cartridge(handle, code=code, actor=accounts.SYSTEM)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        lessons = course.lessons.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo bản nháp «{course.title}» ({course.code}) với {lessons} bài; gắn năng lực rồi xuất bản trong "
                f"trang quản trị."
            )
        )
