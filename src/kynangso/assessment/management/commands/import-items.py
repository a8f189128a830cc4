"""`kynangso import-items FILE`: import questions from Moodle XML, GIFT, XLSX or our YAML, all or nothing, as drafts."""
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kynangso.accounts import api as accounts
from kynangso.assessment import api as assessment
from kynangso.assessment import interchange
from kynangso.errors import DomainError


def read_items(path: Path):
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return interchange.read_moodle_xml(data)
    if suffix in {".gift", ".txt"}:
        return interchange.read_gift(data.decode("utf-8-sig"))
    if suffix == ".xlsx":
        return interchange.read_xlsx(data)
    if suffix in {".yaml", ".yml"}:
        return yaml.safe_load(data) or [], []
    raise CommandError("Chỉ nhận tệp .xml (Moodle XML), .gift/.txt (GIFT), .xlsx hoặc .yaml.")


class Command(BaseCommand):
    help = "Nhập câu hỏi từ Moodle XML, GIFT, XLSX hoặc YAML vào ngân hàng (ở dạng bản nháp chờ thẩm định)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", help="Tài khoản người soạn được ghi nhận")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra")

    def handle(self, *args, file, username, dry_run, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Không mở được tệp: {file}")
        items, problems = read_items(path)
        for problem in problems:
            self.stderr.write(f"{problem.location}: {problem.message}")
        if problems:
            raise CommandError(f"Có {len(problems)} lỗi; không câu hỏi nào được nhập.")
        actor = accounts.SYSTEM  # the operator on the server, unless --as names the author to record
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản đang hoạt động tên «{username}».")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Tệp hợp lệ: {len(items)} câu hỏi (chưa ghi gì)."))
            return
        try:
            counts = assessment.save_items(items, actor=actor, source=path.name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Đã nhập: {counts['created']} câu mới, {counts['changed']} câu có phiên bản mới (bản nháp chờ thẩm định), "
            f"{counts['unchanged']} câu không đổi."))
