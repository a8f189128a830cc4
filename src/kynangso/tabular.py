"""Reading and writing the spreadsheets people exchange with us (CSV and XLSX), shared by every import and export."""
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kynangso.errors import DomainError
from kynangso.text import normalize_text, search_key

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ERROR_FILL = PatternFill("solid", fgColor="FFF2C7C7")
_HEADER_FONT = Font(bold=True)


@dataclass
class Table:
    """Rows of a file keyed by our column names; `line_numbers[i]` is the line of row i in the file (header is line 1)."""

    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)
    original_headers: list[str] = field(default_factory=list)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(str(value))


def _raw_rows(path: Path) -> Iterator[list]:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise DomainError(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.")) from exc
        try:
            yield from workbook.worksheets[0].iter_rows(values_only=True)
        finally:
            workbook.close()
    elif suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1258"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DomainError(_("Không đọc được tệp CSV: hãy lưu tệp với bảng mã UTF-8."))
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from csv.reader(io.StringIO(text), dialect)
    else:
        raise DomainError(_("Chỉ nhận tệp .xlsx hoặc .csv."))


def read_table(path: Path, header_aliases: dict[str, Sequence[str]], required: Iterable[str]) -> Table:
    """Read the first sheet of an XLSX or a CSV file whose first row names the columns.

    `header_aliases` maps our column name to the headers people write for it (compared without diacritics or case);
    the first one is the header of our template, named in the error about a missing column.
    """
    rows = _raw_rows(Path(path))
    try:
        header = next(rows)
    except StopIteration:
        raise DomainError(_("Tệp không có dữ liệu.")) from None
    lookup = {search_key(alias): name for name, aliases in header_aliases.items() for alias in {*aliases, name}}
    positions: dict[str, int] = {}
    original_headers = [_cell_text(cell) for cell in header]
    for index, text in enumerate(original_headers):
        name = lookup.get(search_key(text))
        if name and name not in positions:
            positions[name] = index
    missing = [name for name in required if name not in positions]
    if missing:
        raise DomainError(
            _("Tệp thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.") % {"columns": ", ".join(f"«{header_aliases[name][0]}»" for name in missing)}
        )
    table = Table(columns=list(positions), original_headers=original_headers)
    for line, raw in enumerate(rows, start=2):
        values = {name: _cell_text(raw[index]) if index < len(raw) else "" for name, index in positions.items()}
        if not any(values.values()):
            continue
        table.rows.append(values)
        table.line_numbers.append(line)
    return table


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
    """
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    all_headers = list(headers) + ([error_header or _("Lỗi")] if row_errors is not None else [])
    sheet.append(all_headers)
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
    for index, row in enumerate(rows):
        values = list(row)
        message = (row_errors or {}).get(index)
        if row_errors is not None:
            values.append(message or "")
        sheet.append(values)
        if message:
            for cell in sheet[sheet.max_row]:
                cell.fill = _ERROR_FILL
            sheet.cell(row=sheet.max_row, column=len(values)).comment = Comment(message, "kynangso")
    for column, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    workbook.save(target)
