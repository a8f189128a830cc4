"""`kynangso import-items FILE`: import questions from Moodle XML, GIFT or XLSX as drafts (every readable item, with a
note per item where something was lost), or our reviewed YAML all or nothing; the same service as the web page."""

from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kynangso.accounts import api as accounts
from kynangso.assessment import api as assessment
from kynangso.assessment import bank, imports
from kynangso.errors import DomainError


class Command(BaseCommand):
    help = "Nhập câu hỏi từ Moodle XML, GIFT, XLSX hoặc YAML vào ngân hàng (ở dạng bản nháp chờ thẩm định)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", help="Tài khoản người soạn được ghi nhận")
        parser.add_argument("--dry-run", action="store_true", help="Chạy thử toàn bộ rồi hoàn tác, không lưu gì")
        parser.add_argument(
            "--competence", default="", help="Năng lực cho các câu chưa gắn, dạng KHUNG|MÃ, ví dụ TT02-2025|4.2"
        )
        parser.add_argument("--level", type=int, choices=range(1, 9), help="Mức cho các câu chưa gắn (1–8)")

    def handle(self, *args, file, username, dry_run, competence, level, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không mở được tệp: {file}")
        actor = accounts.SYSTEM  # the operator on the server, unless --as names the author to record
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản đang hoạt động tên «{username}».")
        if path.suffix.lower() in {".yaml", ".yml"}:
            self._yaml(path, actor, dry_run)
            return
        framework, _sep, code = competence.partition("|")
        try:
            report = imports.import_upload(
                filename=path.name,
                data=path.read_bytes(),
                actor=actor,
                dry_run=dry_run,
                batch=imports.Batch(framework=framework, competence=code, level=level),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for problem in report.problems:
            self.stderr.write(problem)
        if report.refused:
            raise CommandError("Không đọc được tệp; không câu hỏi nào được nhập.")
        for entry in report.with_notes:
            for note in entry.notes:
                self.stdout.write(f"{entry.code}: {note}")
        counts = report.counts or {"created": 0, "changed": 0, "unchanged": 0}
        prefix = "Chạy thử, chưa lưu gì; khi nhập thật sẽ có" if dry_run else "Đã nhập"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}: {counts['created']} câu mới, {counts['changed']} câu có phiên bản mới (bản nháp chờ thẩm "
                f"định), {counts['unchanged']} câu không đổi; {len(report.with_notes)} câu có ghi chú, "
                f"{report.untagged} câu chưa gắn năng lực, {len(report.problems)} câu không nhập được."
            )
        )

    def _yaml(self, path: Path, actor, dry_run: bool):
        """Our own reviewed format: checked as a whole, all or nothing, like the content loader."""
        try:
            items = yaml.safe_load(path.read_bytes()) or []
        except yaml.YAMLError as exc:
            raise CommandError("Không đọc được tệp YAML.") from exc
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise CommandError("Tệp YAML phải là một danh sách câu hỏi.")
        problems = bank.validate_items(items, path.name)
        if problems:
            for problem in problems:
                self.stderr.write(f"{problem.location}: {problem.message}")
            raise CommandError(f"Có {len(problems)} lỗi; không câu hỏi nào được nhập.")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Tệp hợp lệ: {len(items)} câu hỏi (chưa ghi gì)."))
            return
        try:
            counts = assessment.save_items(items, actor=actor, source=path.name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập: {counts['created']} câu mới, {counts['changed']} câu có phiên bản mới (bản nháp chờ thẩm định), "
                f"{counts['unchanged']} câu không đổi."
            )
        )
