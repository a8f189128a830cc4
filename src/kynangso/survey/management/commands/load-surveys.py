"""`kynangso load-surveys [FILE.yaml…]`: load the questionnaires of content/surveys/ (or the files given); a file
whose content changed becomes a new version, an unchanged one is left as it is."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.survey import api as survey


class Command(BaseCommand):
    help = (
        "Nạp bảng hỏi khảo sát kỹ năng số từ content/surveys/ (hoặc các tệp chỉ ra); nội dung đổi thành phiên bản mới."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Tệp .yaml; để trống: mọi tệp trong content/surveys/")

    def handle(self, *args, files, **options):
        paths = [Path(name) for name in files] or sorted((Path(settings.CONTENT_DIR) / "surveys").glob("*.yaml"))
        if not paths:
            raise CommandError("Không có tệp bảng hỏi nào.")
        for path in paths:
            try:
                found, created = survey.load_questionnaire_file(path=path, actor=accounts.SYSTEM)
            except FileNotFoundError as error:
                raise CommandError(f"Không mở được tệp: {path}") from error
            except DomainError as error:
                raise CommandError(f"{path.name}: {error.message}") from error
            state = "phiên bản mới" if created else "không đổi"
            self.stdout.write(self.style.SUCCESS(f"{found.code} v{found.version}: {state}"))
