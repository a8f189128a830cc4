"""The XLSX export of a plan's progress in the plan's own layout: its heading, its groups and task codes, one
column per quarter of the year, the outputs reported and the evidence count."""

import datetime

from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kynangso.numbers import vietnamese_number
from kynangso.plans.models import OutputCount, OutputKind, Plan, Recurrence
from kynangso.plans.selectors import occurrence_state, plan_board
from kynangso.tabular import save_workbook

QUARTERS = ["Quý I", "Quý II", "Quý III", "Quý IV"]
HEADERS = ["Mục", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện", "Kết quả (theo kế hoạch)"]
FILLS = {
    "done": "FFC8E6C9",
    "overdue": "FFF8C9C4",
    "in_progress": "FFFFE9A8",
    "cancelled": "FFE0E0E0",
    "not_started": "FFFFFFFF",
    "upcoming": "FFFFFFFF",
}
_THIN = Side(style="thin", color="FF9E9E9E")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def cell_text(occurrence, today) -> str:
    """What a period's cell says: the state, with the percent while in progress."""
    state = occurrence_state(occurrence, today)
    if state.key == "in_progress":
        return f"{state.label} ({occurrence.progress}%)"
    return state.label


def _outputs_text(occurrence_ids) -> str:
    rows = (
        OutputCount.objects.filter(occurrence_id__in=occurrence_ids)
        .values("kind")
        .annotate(total=Sum("count"))
        .order_by("kind")
    )
    order = {kind: index for index, kind in enumerate(OutputKind.values)}
    rows = sorted(rows, key=lambda row: order[row["kind"]])
    return "\n".join(f"{OutputKind(row['kind']).label}: {vietnamese_number(row['total'])}" for row in rows)


def export_filename(plan: Plan, year: int) -> str:
    from django.utils.text import slugify

    name = slugify((plan.number_symbol or plan.key).replace("/", "-"))
    return f"tien-do-ke-hoach-{name}-{year}.xlsx"


def write_board_xlsx(target, plan: Plan, *, year: int, unit_ids=None, today: datetime.date | None = None) -> None:
    """Write the progress of `plan` in `year` (limited to the tasks of `unit_ids` when given) to `target`."""
    today = today or timezone.localdate()
    board = plan_board(plan, unit_ids=unit_ids, year=year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Tiến độ {year}"
    last_column = len(HEADERS) + len(QUARTERS) + 2
    heading = [
        (plan.issuing_body.upper(), Font(bold=True)),
        (f"Số: {plan.number_symbol}" if plan.number_symbol else f"Số: /KH (mã kế hoạch: {plan.key})", None),
        ("TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH", Font(bold=True, size=14)),
        (plan.title, Font(italic=True)),
        (f"Năm {year}; số liệu đến ngày {today:%d/%m/%Y}", None),
    ]
    for row, (text, font) in enumerate(heading, start=1):
        sheet.cell(row=row, column=1, value=text)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, horizontal="center")
        if font:
            sheet.cell(row=row, column=1).font = font
    sheet.row_dimensions[4].height = 45
    header_row = len(heading) + 2
    headers = HEADERS + [f"{quarter}/{year}" for quarter in QUARTERS] + ["Kết quả thực hiện", "Số minh chứng"]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.fill = PatternFill("solid", fgColor="FFDCE6F1")
        cell.border = _BORDER
    row = header_row + 1
    first_quarter_column = len(HEADERS) + 1
    for group in board:
        sheet.cell(row=row, column=1, value=group.code).font = Font(bold=True)
        sheet.cell(row=row, column=2, value=group.title).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_column)
        row += 1
        for item in group.tasks:
            task = item.task
            values = [
                task.code,
                task.title,
                task.lead_unit_label,
                task.cooperating_label,
                task.schedule_label or task.get_recurrence_display(),
                task.expected_outputs,
            ]
            for column, value in enumerate(values, start=1):
                sheet.cell(row=row, column=column, value=value)
            by_quarter: dict[int, list] = {}
            for occurrence in item.occurrences:
                by_quarter.setdefault((occurrence.period_start.month - 1) // 3, []).append(occurrence)
            if task.recurrence == Recurrence.YEARLY or (
                task.recurrence == Recurrence.ONE_OFF
                and len(item.occurrences) == 1
                and item.occurrences[0].period_end.year > year
            ):
                occurrence = item.occurrences[0]
                cell = sheet.cell(row=row, column=first_quarter_column, value=cell_text(occurrence, today))
                cell.fill = PatternFill("solid", fgColor=FILLS[occurrence_state(occurrence, today).key])
                sheet.merge_cells(
                    start_row=row, start_column=first_quarter_column, end_row=row, end_column=first_quarter_column + 3
                )
            else:
                for quarter in range(4):
                    occurrences = by_quarter.get(quarter, [])
                    if not occurrences:
                        continue
                    if len(occurrences) == 1:
                        text = cell_text(occurrences[0], today)
                    else:  # months of a monthly task
                        text = "\n".join(f"T{o.period_start.month}: {cell_text(o, today)}" for o in occurrences)
                    cell = sheet.cell(row=row, column=first_quarter_column + quarter, value=text)
                    worst = min(
                        (occurrence_state(o, today).key for o in occurrences),
                        key=["overdue", "in_progress", "not_started", "upcoming", "cancelled", "done"].index,
                    )
                    cell.fill = PatternFill("solid", fgColor=FILLS[worst])
            ids = [o.pk for o in item.occurrences]
            sheet.cell(row=row, column=first_quarter_column + 4, value=_outputs_text(ids))
            sheet.cell(
                row=row, column=first_quarter_column + 5, value=sum(len(o.evidence.all()) for o in item.occurrences)
            )
            for column in range(1, last_column + 1):
                sheet.cell(row=row, column=column).alignment = _WRAP
                sheet.cell(row=row, column=column).border = _BORDER
            row += 1
    widths = [10, 48, 24, 24, 18, 30, 16, 16, 16, 16, 30, 12]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"C{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    save_workbook(workbook, target)
