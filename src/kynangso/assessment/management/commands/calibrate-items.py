"""`kynangso calibrate-items`: fit the 2PL model to the answers collected and print the item-analysis flags."""

from django.core.management.base import BaseCommand

from kynangso.assessment import psychometrics


class Command(BaseCommand):
    help = "Hiệu chỉnh tham số IRT (2PL) của câu hỏi từ các bài đã nộp và in các câu cần xem lại."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-responses",
            type=int,
            default=200,
            help="Số lượt trả lời tối thiểu để hiệu chỉnh một câu (mặc định 200)",
        )

    def handle(self, *args, min_responses, **options):
        counts = psychometrics.calibrate_items(min_responses=min_responses)
        self.stdout.write(
            f"Đã hiệu chỉnh {counts['calibrated']} câu từ {counts['responses']} lượt trả lời; "
            f"{counts['excluded']} câu chưa đủ dữ liệu."
        )
        for item, analysis in psychometrics.item_report():
            for flag in analysis.flags:
                self.stdout.write(f"{item.code}: {flag.message}")
