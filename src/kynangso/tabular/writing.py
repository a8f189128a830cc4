"""Writing CSV and XLSX files, every cell neutralised so that no text we write runs as a formula (OWASP «CSV
injection»), and private files written with owner-only permissions.
"""

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ERROR_FILL = PatternFill("solid", fgColor="FFF2C7C7")
_HEADER_FONT = Font(bold=True)
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# Writing -------------------------------------------------------------------------------------------------------------


def neutralise(value):
    """`value` as a spreadsheet cell that no program will run as a formula: text beginning with ``= + - @``, a tab
    or a carriage return gets a leading ``'`` (OWASP CSV-injection guidance). Numbers, dates and other text are
    returned unchanged, so -5 stays the number -5."""
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS)


def set_cell(sheet, row: int, column: int, value):
    """Put `value` in a cell of an openpyxl sheet: text is typed as a string (never a formula), and text that looks
    like one is quote-prefixed; numbers, dates and empty cells are written as they are."""
    cell = sheet.cell(row=row, column=column)
    _assign(cell, value)
    return cell


def _assign(cell, value) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        if looks_like_formula(value):
            cell.quotePrefix = True


def neutralise_workbook(workbook) -> None:
    """Make every cell of every sheet safe, whoever wrote it: the last step before any workbook is saved."""
    for sheet in workbook.worksheets:
        for cell in sheet._cells.values():  # only the cells that exist; iter_rows would create the empty ones
            value = cell.value
            if cell.data_type == "f" or looks_like_formula(value):
                _assign(cell, str(value))


def save_workbook(workbook, target) -> None:
    """Save an openpyxl workbook to `target` (a path or a binary file object) after :func:`neutralise_workbook`.
    Every XLSX the product writes is saved through here."""
    neutralise_workbook(workbook)
    workbook.save(target)


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    save_workbook(workbook, buffer)
    return buffer.getvalue()


def write_xlsx(
    target,
    *,
    headers: list[str],
    rows: Iterable[Iterable],
    title: str = "Dữ liệu",
    row_errors: dict[int, str] | None = None,
    error_header: str | None = None,
    widths: list[int] | None = None,
) -> None:
    """Write one sheet with a bold header row to `target` (a path or a binary file object).

    With `row_errors` (index of the data row → message) an extra column carries the message and the row is shaded.
    Time and memory grow linearly with the rows: each cell is addressed by its own row number (openpyxl's
    `max_row` scans every cell, so using it per row made the error report quadratic).
    """
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    all_headers = list(headers) + ([error_header or _("Lỗi")] if row_errors is not None else [])
    for column, header in enumerate(all_headers, start=1):
        set_cell(sheet, 1, column, header).font = _HEADER_FONT
    for index, row in enumerate(rows):
        values = list(row)
        message = (row_errors or {}).get(index)
        if row_errors is not None:
            values.append(message or "")
        row_number = index + 2
        cells = [set_cell(sheet, row_number, column, value) for column, value in enumerate(values, start=1)]
        if message:
            for cell in cells:
                cell.fill = _ERROR_FILL
            cells[-1].comment = Comment(message, "kynangso")
    for column, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    save_workbook(workbook, target)


def write_csv(stream, *, headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write a CSV (comma, CRLF) to a text stream with every cell neutralised; the header row as given."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])


def write_private_file(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write a new file readable by the server's user only (mode 0600): uploads and error reports carry personal
    data. Fails if the file exists."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return path
