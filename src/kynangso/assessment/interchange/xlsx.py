"""XLSX item sheets (openpyxl): a workbook content authors and unit staff can fill in with Excel or LibreOffice.

Sheet «Câu hỏi» has one item per row under a bold, frozen header row; sheet «Hướng dẫn» explains each column.
The reader finds columns by their header text (order does not matter, optional columns may be missing) and
reports problems per row: ``Dòng 7: thiếu đáp án đúng``.
"""

from __future__ import annotations

import io
import re
import string
import zipfile

from .validation import FALSE_TEXT, TRUE_TEXT, TYPE_LABELS, Problem, clean_text, finish, normalize_item, parse_number

SHEET_ITEMS = "Câu hỏi"
SHEET_HELP = "Hướng dẫn"
LETTERS = string.ascii_uppercase[:8]  # A..H

# (header, field, width, help text)
COLUMNS: list[tuple[str, str, int, str]] = [
    (
        "Mã câu hỏi",
        "id",
        16,
        "Mã duy nhất, dạng KNS-<năng lực>-<số thứ tự>, ví dụ KNS-4.2-001. Có thể để trống khi "
        "nhập câu hỏi mới; hệ thống sẽ cấp mã.",
    ),
    ("Khung", "framework", 12, "Mã khung năng lực, ví dụ TT02-2025."),
    (
        "Năng lực",
        "competence",
        10,
        "Mã năng lực trong khung, ví dụ 4.2 (ghi dạng chữ để Excel không đổi 1.10 thành 1.1).",
    ),
    ("Mức", "level", 6, "Mức thành thạo 1–8 (1–2 cơ bản, 3–4 trung cấp, 5–6 nâng cao, 7–8 chuyên sâu)."),
    ("Nhóm đối tượng", "groups", 22, "Mã nhóm đối tượng phù hợp, cách nhau bằng dấu phẩy, ví dụ: resident, official."),
    (
        "Loại",
        "type",
        16,
        "Một trong: "
        + "; ".join(f"{label} ({code})" for code, label in TYPE_LABELS.items())
        + ". Có thể ghi tên tiếng Việt hoặc mã.",
    ),
    ("Nội dung câu hỏi", "stem", 60, "Câu hỏi bằng tiếng Việt có dấu. Xuống dòng trong ô bằng Alt+Enter."),
    *[
        (
            f"Phương án {letter}",
            f"option:{letter}",
            32,
            "Nội dung phương án " + letter + " (câu một lựa chọn / nhiều lựa chọn; câu Đúng/Sai: A = Đúng, B = Sai)."
            if letter == "A"
            else f"Nội dung phương án {letter} (để trống nếu không dùng).",
        )
        for letter in LETTERS
    ],
    (
        "Đáp án đúng",
        "correct",
        14,
        "Chữ cái của phương án đúng: «A», hoặc nhiều chữ cách nhau bằng dấu chấm phẩy "
        "«A;C» cho câu nhiều lựa chọn. Câu Đúng/Sai: «A»/«B» hoặc «Đúng»/«Sai». Câu trả lời "
        "ngắn: các đáp án được chấp nhận, mỗi đáp án một dòng.",
    ),
    (
        "Thứ tự đúng / Cặp ghép",
        "structure",
        48,
        "Câu sắp xếp: các bước theo đúng thứ tự, mỗi bước một dòng "
        "«1. …», «2. …». Câu ghép cặp: mỗi cặp một dòng «vế trái => vế phải».",
    ),
    ("Đáp số", "answer", 10, "Câu số: đáp số (dùng dấu chấm hoặc dấu phẩy thập phân)."),
    ("Sai số", "tolerance", 8, "Câu số: sai số cho phép (không âm); để trống là 0."),
    ("Giải thích", "explanation", 48, "Giải thích ngắn vì sao đáp án đúng, hiện cho người học sau khi làm."),
    ("Nguồn", "source_note", 28, "Không bắt buộc: quy định hoặc dữ kiện làm căn cứ cho câu hỏi."),
    ("Ảnh", "image", 20, "Không bắt buộc: đường dẫn hoặc URL của ảnh minh họa."),
    ("Dùng cho", "use", 10, "Không bắt buộc: «practice» nếu là câu luyện tập của khóa học (không tính vào chuẩn)."),
    *[
        (
            f"Vì sao sai {letter}",
            f"why:{letter}",
            32,
            f"Không bắt buộc: giải thích ngắn vì sao phương án {letter} sai (hoặc nhận xét về phương án).",
        )
        for letter in LETTERS
    ],
]

_TYPE_BY_NAME = {}
for _code, _label in TYPE_LABELS.items():
    _TYPE_BY_NAME[_code] = _code
    _TYPE_BY_NAME[_label.lower()] = _code
_TYPE_BY_NAME.update(
    {
        "đúng sai": "true_false",
        "đúng / sai": "true_false",
        "ghép đôi": "matching",
        "trắc nghiệm": "single_choice",
        "một đáp án": "single_choice",
        "nhiều đáp án": "multiple_response",
    }
)
_TYPE_NAMES = ", ".join(TYPE_LABELS.values())


def _header_key(text) -> str:
    return re.sub(r"\s+", " ", clean_text(text).lower())


_FIELD_BY_HEADER = {_header_key(header): field for header, field, _, _ in COLUMNS}
_FIELD_BY_HEADER.update({field: field for _, field, _, _ in COLUMNS if ":" not in field})


# --------------------------------------------------------------------------------------------------- writing


def _set(cell, value) -> None:
    """A cell value that stays text: a string starting with ``=`` must not become a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _row_for(item: dict) -> dict:
    kind = item.get("type", "")
    row: dict = {
        "id": item.get("id", ""),
        "framework": item.get("framework", ""),
        "competence": item.get("competence", ""),
        "level": item.get("level"),
        "groups": ", ".join(item.get("groups") or []),
        "type": TYPE_LABELS.get(kind, kind),
        "stem": item.get("stem", ""),
        "explanation": item.get("explanation", ""),
        "source_note": item.get("source_note", ""),
        "image": item.get("image", ""),
        "use": item.get("use", ""),
    }
    options = item.get("options") or []
    if len(options) > len(LETTERS):
        raise ValueError(
            f"Câu hỏi {item.get('id') or ''}: có {len(options)} phương án, bảng tính chỉ chứa tối đa "
            f"{len(LETTERS)} (A–H)"
        )
    for letter, option in zip(LETTERS, options):
        row[f"option:{letter}"] = option["text"]
        if option.get("why"):
            row[f"why:{letter}"] = option["why"]
    if options:
        row["correct"] = ";".join(letter for letter, option in zip(LETTERS, options) if option["correct"])
    if kind == "ordering":
        row["structure"] = "\n".join(f"{n}. {step}" for n, step in enumerate(item.get("sequence") or [], start=1))
    elif kind == "matching":
        row["structure"] = "\n".join(f"{p['left']} => {p['right']}" for p in item.get("pairs") or [])
    elif kind == "short_text":
        row["correct"] = "\n".join(item.get("answers") or [])
    elif kind == "numeric":
        row["answer"] = item.get("answer")
        row["tolerance"] = item.get("tolerance", 0)
    return row


def write_xlsx(items: list[dict]) -> bytes:
    """The items as an XLSX workbook (sheets «Câu hỏi» and «Hướng dẫn»)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kynangso.tabular import save_workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_ITEMS
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, (header, _, width, _) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = bold
        cell.fill = fill
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    for row_number, raw in enumerate(items, start=2):
        row = _row_for(normalize_item(raw))
        for column, (_, field, _, _) in enumerate(COLUMNS, start=1):
            value = row.get(field)
            if value in (None, ""):
                continue
            cell = sheet.cell(row=row_number, column=column)
            _set(cell, value)
            cell.alignment = wrap
            if field == "competence":
                cell.number_format = "@"
    type_column = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c[1] == "type"))
    validation = DataValidation(type="list", formula1='"' + ",".join(TYPE_LABELS.values()) + '"', allow_blank=True)
    validation.error = "Chọn một loại câu hỏi trong danh sách"
    validation.showErrorMessage = False  # codes (single_choice…) are accepted too
    sheet.add_data_validation(validation)
    validation.add(f"{type_column}2:{type_column}5000")
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"

    guide = workbook.create_sheet(SHEET_HELP)
    guide.append(["Cột", "Ý nghĩa"])
    for cell in guide[1]:
        cell.font = bold
        cell.fill = fill
    for header, _, _, help_text in COLUMNS:
        guide.append([header, help_text])
    guide.append([])
    for note in (
        "Mỗi dòng của trang «Câu hỏi» là một câu hỏi; dòng 1 là tiêu đề cột, không xóa hay đổi tên.",
        "Thứ tự các cột có thể thay đổi; các cột không bắt buộc có thể xóa.",
        "Câu một lựa chọn cần ít nhất 2 phương án (câu soạn mới nên có 4) và đúng một đáp án đúng.",
        "Câu nhiều lựa chọn cần ít nhất một đáp án đúng. Câu Đúng/Sai: A = Đúng, B = Sai.",
        "Khi nhập, mọi lỗi được báo theo số dòng, ví dụ «Dòng 7: thiếu đáp án đúng»; dòng lỗi không được nhập.",
    ):
        guide.append(["", note])
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 110
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    guide.freeze_panes = "A2"

    buffer = io.BytesIO()
    save_workbook(workbook, buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------- reading


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def _letters(text: str) -> list[str] | None:
    """``"A;C"`` → ["A", "C"]; ``None`` when the text is not a list of option letters."""
    parts = [p for p in re.split(r"[;,\s/]+", text.strip().upper()) if p]
    return parts if parts and all(len(p) == 1 and p in LETTERS for p in parts) else None


def read_xlsx(data: bytes, *, max_rows: int = 20000) -> tuple[list[dict], list[Problem]]:
    """Items and problems from an XLSX workbook written by :func:`write_xlsx` or filled in by hand; a sheet with
    more than `max_rows` filled rows is refused as a whole."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):  # the library's text is English
        return [], [Problem("Tệp", "không phải tệp Excel (.xlsx) hợp lệ: tệp bị hỏng hoặc không đúng định dạng")]
    except Exception:  # noqa: BLE001 - a broken workbook must not stop the caller
        return [], [Problem("Tệp", "không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng")]
    problems: list[Problem] = []
    try:
        if SHEET_ITEMS in workbook.sheetnames:
            sheet = workbook[SHEET_ITEMS]
        else:
            sheet = workbook.worksheets[0]
            problems.append(Problem("Tệp", f"không có trang «{SHEET_ITEMS}»; đọc trang đầu tiên «{sheet.title}»"))
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            return [], problems + [Problem("Tệp", "trang câu hỏi trống")]
        columns: dict[str, int] = {}
        for index, value in enumerate(header):
            field = _FIELD_BY_HEADER.get(_header_key(value)) if value is not None else None
            if field and field not in columns:
                columns[field] = index
        for required in ("type", "stem"):
            if required not in columns:
                name = next(h for h, f, _, _ in COLUMNS if f == required)
                return [], problems + [Problem("Dòng 1", f"thiếu cột «{name}»")]
        candidates: list[tuple[dict, str]] = []
        filled = 0
        for row_number, row in enumerate(rows, start=2):
            values = {field: (row[index] if index < len(row) else None) for field, index in columns.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            filled += 1
            if filled > max_rows:  # stop reading: the rest would only make more problems
                return [], problems + [Problem("Tệp", f"có hơn {max_rows} dòng câu hỏi; hãy chia thành nhiều tệp")]
            location = f"Dòng {row_number}"
            item = _read_row(values, location, problems)
            if item is not None:
                candidates.append((item, location))
        return finish(candidates, problems), problems
    finally:
        workbook.close()


def _read_row(values: dict, location: str, problems: list[Problem]) -> dict | None:
    def text(field: str) -> str:
        return _cell_text(values.get(field))

    def note(message: str) -> None:
        problems.append(Problem(location, message))

    type_text = text("type")
    kind = _TYPE_BY_NAME.get(type_text.lower()) or _TYPE_BY_NAME.get(type_text)
    if not type_text:
        note(f"thiếu loại câu hỏi; dùng một trong: {_TYPE_NAMES}")
        return None
    if kind is None:
        note(f"loại '{type_text}' chưa được hỗ trợ; dùng một trong: {_TYPE_NAMES}")
        return None

    item: dict = {}
    for field in ("id", "framework", "competence"):
        if text(field):
            item[field] = text(field)
    level = values.get("level")
    if level not in (None, ""):
        parsed = parse_number(level) if not isinstance(level, str) else parse_number(level.strip())
        if isinstance(parsed, float) and parsed.is_integer():
            parsed = int(parsed)
        item["level"] = parsed if parsed is not None else text("level")
    if text("groups"):
        item["groups"] = [g for g in re.split(r"[,;\s]+", text("groups")) if g]
    item["type"] = kind
    item["stem"] = text("stem")

    options = []
    for letter in LETTERS:
        option_text = text(f"option:{letter}")
        why = text(f"why:{letter}")
        if option_text:
            option = {"text": option_text, "correct": False}
            if why:
                option["why"] = why
            options.append((letter, option))
    correct_text = text("correct")

    if kind in ("single_choice", "multiple_response", "true_false"):
        if kind == "true_false" and not options:
            options = [("A", {"text": TRUE_TEXT, "correct": False}), ("B", {"text": FALSE_TEXT, "correct": False})]
        if not correct_text:
            note("thiếu đáp án đúng")
            return None
        letters = _letters(correct_text)
        if letters is None and kind == "true_false" and correct_text.lower() in ("đúng", "sai", "true", "false"):
            wanted = TRUE_TEXT if correct_text.lower() in ("đúng", "true") else FALSE_TEXT
            letters = [letter for letter, option in options if option["text"] == wanted]
        if letters is None:
            note(f"đáp án đúng «{correct_text}» không hợp lệ; ghi chữ cái của phương án, ví dụ «A» hoặc «A;C»")
            return None
        present = {letter for letter, _ in options}
        missing = [letter for letter in letters if letter not in present]
        if missing:
            note(f"đáp án đúng {', '.join(missing)} trỏ tới phương án để trống")
            return None
        for letter, option in options:
            option["correct"] = letter in letters
        item["options"] = [option for _, option in options]
    elif kind == "ordering":
        steps = [re.sub(r"^\s*\d+\s*[.)]\s*", "", line).strip() for line in text("structure").split("\n")]
        item["sequence"] = [step for step in steps if step]
    elif kind == "matching":
        pairs = []
        for line in text("structure").split("\n"):
            if not line.strip():
                continue
            left, arrow, right = line.partition("=>")
            if not arrow:
                note(f"cặp ghép «{line.strip()}» thiếu dấu «=>» giữa vế trái và vế phải")
                return None
            pairs.append({"left": left.strip(), "right": right.strip()})
        item["pairs"] = pairs
    elif kind == "short_text":
        raw = text("correct")
        parts = raw.split("\n") if "\n" in raw else raw.split(";")
        item["answers"] = [p.strip() for p in parts if p.strip()]
    elif kind == "numeric":
        answer = values.get("answer")
        if answer in (None, ""):
            note("thiếu đáp số")
            return None
        parsed = parse_number(answer)
        item["answer"] = parsed if parsed is not None else text("answer")
        tolerance = values.get("tolerance")
        if tolerance in (None, ""):
            item["tolerance"] = 0
        else:
            parsed_tolerance = parse_number(tolerance)
            item["tolerance"] = parsed_tolerance if parsed_tolerance is not None else text("tolerance")
    if options and kind not in ("single_choice", "multiple_response", "true_false"):
        note("các cột phương án bị bỏ qua vì loại câu hỏi này không dùng phương án")
    for field in ("explanation", "source_note", "image", "use"):
        if text(field):
            item[field] = text(field)
    return item
