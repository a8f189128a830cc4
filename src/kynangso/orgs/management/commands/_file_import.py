"""The shape shared by the all-or-nothing file import commands: read, report every bad row, or print the counts."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.errors import DomainError


class FileImportCommand(BaseCommand):
    """Subclasses set `help`, `nothing_imported` (the failure sentence), `summary` (with {created}, {updated},
    {unchanged}) and implement `run(path)` returning a report with those counts and `errors`."""

    nothing_imported: str
    summary: str

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .csv hoặc .xlsx")

    def run(self, path):
        raise NotImplementedError

    def handle(self, *args, file, **options):
        try:
            report = self.run(file)
        except (DomainError, FileNotFoundError) as exc:
            raise CommandError(getattr(exc, "message", None) or f"Không mở được tệp: {file}") from exc
        if report.errors:
            for line, message in report.errors:
                self.stderr.write(f"Dòng {line}: {message}")
            raise CommandError(f"Có {len(report.errors)} dòng lỗi; {self.nothing_imported}")
        self.stdout.write(
            self.style.SUCCESS(
                self.summary.format(created=report.created, updated=report.updated, unchanged=report.unchanged)
            )
        )
