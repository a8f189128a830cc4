"""`kynangso backup FOLDER`: one encrypted file with the database, the media and the keys (docs/deployment.md)."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.errors import DomainError
from kynangso.numbers import vietnamese_number
from kynangso.operations import api as operations
from kynangso.operations.management.commands._passphrase import read_passphrase


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu, tệp tải lên và khóa vào một tệp mã hóa bằng cụm mật khẩu "
        "(biến KYNANGSO_BACKUP_PASSPHRASE hoặc --passphrase-file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Thư mục chứa các bản sao lưu.")
        parser.add_argument("--passphrase-file", help="Tệp chứa cụm mật khẩu (ít nhất 16 ký tự).")
        parser.add_argument("--keep", type=int, help="Chỉ giữ lại N bản sao lưu mới nhất trong thư mục.")
        parser.add_argument(
            "--without-keys",
            action="store_true",
            help="Không kèm khóa (khi khóa được ký gửi riêng, xem docs/deployment.md).",
        )

    def handle(self, *args, folder, passphrase_file, keep, without_keys, **options):
        try:
            result = operations.create_backup(
                folder=folder, passphrase=read_passphrase(passphrase_file), include_keys=not without_keys, keep=keep
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        size = vietnamese_number(result.bytes)
        self.stdout.write(
            f"Đã sao lưu vào {result.path} ({size} byte, {result.media_files} tệp tải lên, "
            f"{'có' if result.includes_keys else 'không có'} khóa)."
        )
        for path in result.removed:
            self.stdout.write(f"Đã xóa bản cũ {path.name}.")
