"""`kynangso credential-keys`: list the issuer's signing keys, or create a new one (a rotation)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from kynangso.credentials import issuer, keys


class Command(BaseCommand):
    help = (
        "Liệt kê các khóa ký chứng nhận (khóa đang dùng đánh dấu *), hoặc tạo khóa mới bằng --new MÃ_KHÓA "
        "(ví dụ key-2026-07): chứng nhận mới sẽ ký bằng khóa mới nhất, chứng nhận cũ vẫn kiểm tra được."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new", metavar="MÃ_KHÓA", help="tạo khóa Ed25519 mới trong thư mục khóa")

    def handle(self, *args, new, **options):
        try:
            if new:
                path = keys.generate_key(new)
                self.stdout.write(f"Đã tạo khóa {new}: {path} (quyền 0600). Hãy sao lưu tệp này.")
            public = keys.public_keys()
            try:
                active = keys.active_signing_key().key_id
            except ImproperlyConfigured:
                active = None
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if not public:
            self.stdout.write(f"Chưa có khóa nào trong {keys.keys_dir()}.")
        for key_id, public_key in sorted(public.items()):
            mark = "*" if key_id == active else " "
            self.stdout.write(f"{mark} {issuer.verification_method(key_id)}  {keys.public_key_multibase(public_key)}")
