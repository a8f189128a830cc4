"""`kynangso restore FILE`: restore a backup into a new, empty database (docs/deployment.md)."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.errors import DomainError
from kynangso.operations import api as operations
from kynangso.operations.management.commands._passphrase import read_passphrase


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu vào cơ sở dữ liệu mới, trống (đặt bằng DATABASE_URL)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .knsbak.")
        parser.add_argument("--passphrase-file", help="Tệp chứa cụm mật khẩu.")
        parser.add_argument(
            "--install-keys",
            action="store_true",
            help="Ngoài môi trường sản xuất: ghi khóa của bản sao lưu vào thư mục dữ liệu.",
        )
        parser.add_argument(
            "--export-keys",
            metavar="TỆP",
            help="Chỉ ghi các khóa trong bản sao lưu ra tệp riêng (quyền 0600), không khôi phục.",
        )

    def handle(self, *args, file, passphrase_file, install_keys, export_keys, **options):
        try:
            result = operations.restore_backup(
                source=file,
                passphrase=read_passphrase(passphrase_file),
                install_keys=install_keys,
                keys_export=export_keys,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if export_keys:
            self.stdout.write(f"Đã ghi khóa của bản sao lưu ra {export_keys}. Hãy cất giữ tệp này an toàn.")
            return
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lúc {result.created_at} ({result.engine}, {result.media_files} tệp tải lên)."
        )
        if result.keys_installed:
            self.stdout.write(
                "Đã cài khóa của bản sao lưu vào thư mục dữ liệu: "
                + ", ".join(result.keys_installed)
                + ". Khởi động lại trang web."
            )
