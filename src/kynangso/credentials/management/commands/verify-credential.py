"""`kynangso verify-credential`: check a certificate file offline with the issuer's public key; exit 0 valid, 1 not."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.credentials import offline


class Command(BaseCommand):
    help = (
        "Kiểm tra chứng nhận (tệp JSON) mà không cần mạng hay cơ sở dữ liệu, chỉ với khóa công khai của đơn vị "
        "cấp. Mã thoát: 0 hợp lệ, 1 không hợp lệ, 2 lỗi cách dùng."
    )
    # Offline by design: system checks could reach the database.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp chứng nhận .json")
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            dest="public_keys",
            metavar="MULTIBASE_HOẶC_TỆP_PEM",
            help="Khóa công khai của đơn vị cấp (z6Mk… hoặc tệp .pem); có thể lặp lại",
        )
        parser.add_argument("--did-document", metavar="did.json", help="Tài liệu DID của đơn vị cấp (did.json)")
        parser.add_argument(
            "--status-list",
            metavar="TỆP",
            help="Danh sách trạng thái (BitstringStatusListCredential) để kiểm tra thu hồi",
        )

    def handle(self, *args, file, public_keys, did_document, status_list, **options):
        if not public_keys and not did_document:
            raise CommandError("Cần ít nhất một --public-key hoặc --did-document để kiểm tra chữ ký.", returncode=2)
        try:
            credential = offline.read_json_file(file, what="chứng nhận")
            keys = dict(offline.read_public_key(value) for value in public_keys)
            document = offline.read_json_file(did_document, what="tài liệu DID") if did_document else None
            if document is not None and not isinstance(document, dict):
                raise offline.OfflineInputError(f"Tệp {did_document} không phải tài liệu DID.")
            status = offline.read_status_list(status_list) if status_list else None
            report = offline.verify_credential_offline(
                credential, public_keys=keys, did_document=document, status=status
            )
        except offline.OfflineInputError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        for note in report.notes:
            self.stdout.write(str(note))
        if report.verified:
            self.stdout.write(self.style.SUCCESS(str(report.reason)))
            return
        reason = report.reason if report.reason.startswith("Không hợp lệ") else f"Không hợp lệ: {report.reason}"
        self.stderr.write(reason)
        raise SystemExit(1)
