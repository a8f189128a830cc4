"""`kynangso assessment-report [STANDARD …]`: the validity report of standards (pool per cell, exposure after the
yearly attempts, pass probability of guessers and of a taker with a harvested answer sheet, reliability), as text or
as the Markdown table of docs/standards.md. `--check` exits with status 1 when a goal is missed."""

from django.core.management.base import BaseCommand, CommandError

from kynangso.assessment import validity
from kynangso.assessment.models import Standard


def _percent(value: float, digits: int = 1) -> str:
    return f"{100 * value:.{digits}f}".replace(".", ",") + " %"


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}".replace(".", ",")


def _mark(ok: bool) -> str:
    return "đạt" if ok else "CHƯA ĐẠT"


class Command(BaseCommand):
    help = "Báo cáo độ tin cậy của đề thi theo chuẩn: ngân hàng, độ lộ đề, xác suất đoán mò đạt, độ tin cậy."

    def add_arguments(self, parser):
        parser.add_argument("standards", nargs="*", help="Mã chuẩn (mặc định: mọi chuẩn đang áp dụng)")
        parser.add_argument("--takers", type=int, default=10_000, help="Số người thi mô phỏng mỗi loại")
        parser.add_argument("--seed", type=int, default=757)
        parser.add_argument("--markdown", action="store_true", help="In bảng Markdown (docs/standards.md)")
        parser.add_argument("--check", action="store_true", help="Trả mã lỗi 1 nếu chuẩn nào chưa đạt mục tiêu")

    def handle(self, *args, standards, takers, seed, markdown, check, **options):
        chosen = (
            Standard.objects.filter(is_active=True) if not standards else Standard.objects.filter(code__in=standards)
        )
        found = list(chosen.order_by("code"))
        missing = set(standards) - {s.code for s in found}
        if missing:
            raise CommandError("Không có chuẩn: " + ", ".join(sorted(missing)))
        reports = [validity.simulate(standard, takers=takers, seed=seed) for standard in found]
        if markdown:
            self._markdown(reports)
        else:
            for report in reports:
                self._text(report)
        failing = [r.code for r in reports if not r.all_goals_met]
        if check and failing:
            raise CommandError("Chưa đạt mục tiêu: " + ", ".join(failing))

    def _text(self, r: validity.ValidityReport) -> None:
        out = self.stdout.write
        out(f"\n{r.code} — {r.name}")
        out(
            f"  Đề: {r.form_length} câu; đạt từ {r.pass_percent} %"
            + (f", mỗi miền từ {r.domain_pass_percent} % (miền có từ 4 câu)" if r.domain_pass_percent else "")
            + f"; {r.attempts_per_year} lượt thi mỗi năm"
            + ("; chuẩn thi thích ứng: số liệu dưới đây cho đề theo ma trận" if r.adaptive else "")
        )
        out(
            f"  Ngân hàng: {r.pool_size} câu (họ câu hỏi tính là một) cho {len(r.cells)} ô ma trận; "
            f"ít nhất {validity.POOL_PER_DRAWN} câu cho mỗi câu rút: {_mark(r.pool_rule_met)}"
        )
        for cell in r.cells:
            flag = "" if cell.pool >= validity.POOL_PER_DRAWN * cell.drawn else "  ← thiếu"
            out(f"    {cell.competence} bậc {cell.level}: rút {cell.drawn}, có {cell.pool}{flag}")
        out(
            f"  Độ lộ ngân hàng sau {r.attempts_per_year} lượt thi: {_percent(r.exposure)} "
            f"(tối đa 40 %): {_mark(r.goals['exposure'])}"
        )
        out(f"  Xác suất đạt khi đoán ngẫu nhiên: {_percent(r.pass_random, 2)} (dưới 1 %): {_mark(r.goals['random'])}")
        out(
            f"  Xác suất đạt khi đoán theo mẹo (chọn phương án dài nhất, «Sai», chọn hết): "
            f"{_percent(r.pass_testwise, 2)} (dưới 1 %): {_mark(r.goals['testwise'])}"
        )
        out(
            f"  Người giữ đáp án của mọi lượt thi của mình, với đề mới: điểm {_number(r.score_harvest, 1)} % so với "
            f"{_number(r.score_testwise, 1)} % khi chỉ đoán theo mẹo, tăng {_number(r.harvest_gain, 1)} điểm phần "
            f"trăm (dưới 10): {_mark(r.goals['harvest'])}; xác suất đạt {_percent(r.pass_harvest, 2)}"
        )
        out(
            f"  Độ tin cậy KR-20: {_number(r.reliability)}; độ phân biệt trung bình của câu hỏi: "
            f"{_number(r.discrimination)} ({r.responses} câu trả lời đã chấm)"
        )
        out(f"  Mô phỏng {r.takers} người thi mỗi loại.")

    def _markdown(self, reports) -> None:
        out = self.stdout.write
        out(
            "| chuẩn | câu/đề | lượt/năm | ngân hàng (câu/ô ít nhất) | độ lộ sau các lượt | đạt khi đoán ngẫu nhiên "
            "| đạt khi đoán theo mẹo | tăng điểm nhờ đáp án đã giữ | KR-20 | độ phân biệt | mục tiêu |"
        )
        out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for r in reports:
            least = min((cell.per_drawn for cell in r.cells), default=0)
            out(
                f"| `{r.code}` | {r.form_length} | {r.attempts_per_year} | {r.pool_size} ({_number(least, 0)}) "
                f"| {_percent(r.exposure, 0)} | {_percent(r.pass_random, 2)} | {_percent(r.pass_testwise, 2)} "
                f"| {_number(r.harvest_gain, 1)} điểm | {_number(r.reliability)} | {_number(r.discrimination)} "
                f"| {'đạt' if r.all_goals_met else 'chưa đạt: ' + ', '.join(k for k, v in r.goals.items() if not v)} |"
            )
