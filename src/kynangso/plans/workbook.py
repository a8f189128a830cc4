"""The plan workbook (XLSX): reading it into the same document as a YAML plan file, and its empty template."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from kynangso.tabular import save_workbook, too_many_rows_error
from kynangso.text import normalize_text, search_key

PLAN_SHEET, OBJECTIVES_SHEET, TASKS_SHEET, RESPONSIBILITIES_SHEET = "Kế hoạch", "Mục tiêu", "Nhiệm vụ", "Trách nhiệm"

# Sheet "Kế hoạch": column A names the field, column B holds its value ("Căn cứ" may repeat, one per row).
PLAN_FIELDS = [
    ("Mã tệp", "key", "Chữ thường không dấu, số, dấu gạch ngang; ví dụ: hau-giang-de-an-146"),
    ("Số, ký hiệu", "number_symbol", "Ví dụ: 154/KH-UBND; để trống nếu chưa có số"),
    ("Trích yếu", "title", ""),
    ("Cơ quan ban hành", "issuing_body", "Ví dụ: Ủy ban nhân dân tỉnh Hậu Giang"),
    ("Ngày ban hành", "issued_on", "NN/TT/NNNN; có thể để trống"),
    ("Năm ban hành", "issued_year", "Bắt buộc nếu không có ngày ban hành"),
    ("Thực hiện từ", "period_start", "Năm hoặc ngày NN/TT/NNNN"),
    ("Thực hiện đến", "period_end", "Năm hoặc ngày NN/TT/NNNN"),
    ("Cơ quan thường trực", "owner_unit", "Tên hoặc mã đơn vị theo dõi, đôn đốc"),
    ("Hạn báo cáo năm", "annual_report_due", "NN/TT, ví dụ 15/12"),
    ("Mục đích, yêu cầu", "purpose", ""),
    ("Kinh phí", "funding", ""),
    ("Căn cứ", "legal_bases", "Mỗi văn bản một dòng"),
]
OBJECTIVE_COLUMNS = [("Mục", "code"), ("Đến năm", "target_year"), ("Mục tiêu", "text"), ("Mã chỉ số", "indicator")]
TASK_COLUMNS = [
    ("Mã nhóm", "group_code"),
    ("Tên nhóm nhiệm vụ", "group_title"),
    ("Mục", "code"),
    ("Tên nhiệm vụ", "title"),
    ("Nội dung", "description"),
    ("Đơn vị chủ trì", "lead"),
    ("Đơn vị phối hợp", "cooperating"),
    ("Chu kỳ", "recurrence"),
    ("Thời gian thực hiện", "schedule"),
    ("Bắt đầu", "start"),
    ("Kết thúc", "end"),
    ("Hạn sau cuối kỳ (ngày)", "due_offset_days"),
    ("Kết quả", "outputs"),
]
RESPONSIBILITY_COLUMNS = [("Mục", "code"), ("Cơ quan, đơn vị", "unit"), ("Trách nhiệm", "text")]
DATE_KEYS = {"issued_on", "period_start", "period_end", "start", "end"}
INT_KEYS = {"issued_year", "target_year", "due_offset_days"}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _place(sheet: str, row: int) -> str:
    return f"Trang «{sheet}», dòng {row}"


def _located(line):
    from kynangso.plans.importers import _Located

    mapping = _Located()
    mapping.line = line
    mapping.key_lines = {}
    return mapping


def _value(key, raw, problems, place):
    """A cell as the YAML document would have it: text, a whole number, or a date."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if key in DATE_KEYS or key in INT_KEYS:
        if isinstance(raw, (datetime.date, int)):
            return raw
        text = normalize_text(str(raw))
        if text.lstrip("-").isdigit():
            return int(text)
        match = _DMY.match(text)
        if match and key in DATE_KEYS:
            try:
                return datetime.date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                pass
        problems.append(f"{place}: '{text}' không phải {'ngày NN/TT/NNNN hoặc năm' if key in DATE_KEYS else 'số'}")
        return None
    if isinstance(raw, datetime.date):
        return raw.strftime("%d/%m/%Y")
    return str(raw).strip() if isinstance(raw, str) else str(raw)


def _table(workbook, sheet_name, columns, problems) -> list:
    """The rows of a sheet with a header row, as located mappings keyed by the YAML names."""
    if sheet_name not in workbook.sheetnames:
        return []
    rows = workbook[sheet_name].iter_rows(values_only=True)
    header = next(rows, None) or ()
    by_header = {search_key(label): key for label, key in columns}
    keys = []
    for _index, cell in enumerate(header, start=1):
        label = normalize_text(str(cell or ""))
        if not label:
            keys.append(None)
            continue
        key = by_header.get(search_key(label))
        if key is None:
            problems.append(
                f"{_place(sheet_name, 1)}: cột '{label}' không có trong mẫu "
                f"(các cột: {', '.join(label for label, _ in columns)})"
            )
        keys.append(key)
    result = []
    for number, row in enumerate(rows, start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        if len(result) >= settings.UPLOAD_MAX_ROWS:
            problems.append(str(too_many_rows_error().message))
            break
        place = _place(sheet_name, number)
        mapping = _located(place)
        for key, raw in zip(keys, row):
            if key is None:
                continue
            value = _value(key, raw, problems, place)
            if value is not None:
                mapping[key] = value
                mapping.key_lines[key] = place
        result.append(mapping)
    return result


def read_plan_workbook(path: Path) -> tuple[dict | None, list[str]]:
    """The document of the plan workbook at `path` (see docs/plans.md), and the problems met reading it."""
    problems: list[str] = []
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a damaged file
        return None, ["Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx"]
    try:
        if PLAN_SHEET not in workbook.sheetnames:
            return None, [
                f"Tệp Excel cần trang «{PLAN_SHEET}» (và các trang «{OBJECTIVES_SHEET}», «{TASKS_SHEET}», "
                f"«{RESPONSIBILITIES_SHEET}»); hãy dùng tệp mẫu"
            ]
        plan = _located(_place(PLAN_SHEET, 1))
        plan["legal_bases"] = []
        period = {}
        by_label = {search_key(label): key for label, key, _ in PLAN_FIELDS}
        for number, row in enumerate(workbook[PLAN_SHEET].iter_rows(values_only=True), start=1):
            label = normalize_text(str(row[0] or "")) if row else ""
            if not label or number == 1 and search_key(label) == search_key("Mục"):
                continue
            key = by_label.get(search_key(label))
            place = _place(PLAN_SHEET, number)
            if key is None:
                problems.append(f"{place}: '{label}' không phải mục của trang «{PLAN_SHEET}»")
                continue
            value = _value(key, row[1] if len(row) > 1 else None, problems, place)
            if key == "legal_bases":
                if value:
                    plan["legal_bases"].append(value)
            elif key in {"period_start", "period_end"}:
                period[key.removeprefix("period_")] = value
                plan.key_lines["period"] = place
            elif value is not None:
                plan[key] = value
                plan.key_lines[key] = place
        plan["period"] = period
        document = _located(f"Tệp {Path(path).name}")
        document["plan"] = plan
        document["objectives"] = _table(workbook, OBJECTIVES_SHEET, OBJECTIVE_COLUMNS, problems)
        groups: dict[str, dict] = {}
        for row in _table(workbook, TASKS_SHEET, TASK_COLUMNS, problems):
            code = str(row.pop("group_code", "") or "")
            title = row.pop("group_title", "")
            if not code:
                problems.append(f"{row.line}: thiếu mã nhóm nhiệm vụ")
                continue
            group = groups.setdefault(code, _located(row.line))
            group.setdefault("code", code)
            group.setdefault("tasks", [])
            if title and not group.get("title"):
                group["title"] = title
            if "cooperating" in row:
                row["cooperating"] = [part.strip() for part in re.split(r"[;\n]", row["cooperating"]) if part.strip()]
            if row.keys() - {"cooperating"}:
                group["tasks"].append(row)
        document["task_groups"] = list(groups.values())
        document["responsibilities"] = _table(workbook, RESPONSIBILITIES_SHEET, RESPONSIBILITY_COLUMNS, problems)
    finally:
        workbook.close()
    return document, problems


def write_template(target) -> None:
    """An empty plan workbook with its four sheets, headers and hints, saved to `target` (a path or a file)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PLAN_SHEET
    sheet.append(["Mục", "Nội dung", "Ghi chú"])
    for label, _key, hint in PLAN_FIELDS:
        sheet.append([label, None, hint])
    for name, columns in (
        (OBJECTIVES_SHEET, OBJECTIVE_COLUMNS),
        (TASKS_SHEET, TASK_COLUMNS),
        (RESPONSIBILITIES_SHEET, RESPONSIBILITY_COLUMNS),
    ):
        workbook.create_sheet(name).append([label for label, _ in columns])
    workbook[TASKS_SHEET].append(
        [
            "III.1",
            "Nhóm các nhiệm vụ nâng cao nhận thức",
            "III.1.a",
            "Xây dựng chiến dịch truyền thông về chuyển đổi số",
            None,
            "Sở Nội vụ",
            "Sở Tài chính; Sở Giáo dục và Đào tạo",
            "hằng quý",
            "mỗi quý/01 chiến dịch",
            None,
            None,
            0,
            "Các chương trình, chiến dịch truyền thông.",
        ]
    )
    for ws in workbook.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 24
    save_workbook(workbook, target)
