"""Reading and writing the spreadsheets people exchange with us (CSV and XLSX), shared by every import and export.

Two guards live here so that no import or export can forget them:
- every cell we write is neutralised (OWASP "CSV injection"): text that a spreadsheet program would run as a formula
  (it begins with ``= + - @``, a tab or a carriage return) gets a leading ``'`` in a CSV (:func:`neutralise`); in an
  XLSX every text cell is typed as a string, never a formula, and such text also carries Excel's own "quote prefix"
  (the ``'`` a person types before ``=1+1``, kept in the cell's style rather than in its text, so «- UBND tỉnh;» in
  a report still reads as written and a file we wrote reads back as it was);
- every uploaded file is measured before it is parsed (:func:`check_upload_size`, :func:`check_xlsx_archive`, the
  row limit of :func:`read_table`), so that a small file cannot make the server unpack or read without end.
"""

import csv
import datetime
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
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
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Below this many unpacked bytes a file is harmless whatever its compression ratio (a small template compresses
# well too); above it, the ratio and the absolute limit apply.
_RATIO_FLOOR_BYTES = 1024 * 1024
_MAX_ARCHIVE_MEMBERS = 1000


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


# Limits of uploads ---------------------------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def check_upload_size(size: int) -> None:
    """Refuse a file larger than ``UPLOAD_MAX_BYTES``."""
    if size > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            _("Tệp quá lớn: tối đa %(size)s MB. Hãy chia thành nhiều tệp nhỏ hơn.")
            % {"size": _megabytes(settings.UPLOAD_MAX_BYTES)},
            field="file",
        )


def check_xlsx_archive(source) -> None:
    """Refuse an XLSX whose unpacked size (as its zip directory declares it, which Python's zipfile never reads
    past) is over ``UPLOAD_MAX_UNCOMPRESSED_BYTES`` or whose compression ratio is over
    ``UPLOAD_MAX_COMPRESSION_RATIO``: a "zip bomb" is refused before openpyxl unpacks anything.

    `source` is a path, bytes or a binary file object.
    """
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DomainError(
            _("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx."), field="file"
        ) from exc
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    too_big = unpacked > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
    too_dense = unpacked > _RATIO_FLOOR_BYTES and unpacked / packed > settings.UPLOAD_MAX_COMPRESSION_RATIO
    if too_big or too_dense or len(members) > _MAX_ARCHIVE_MEMBERS:
        raise DomainError(
            _(
                "Tệp Excel giải nén ra quá lớn (tối đa %(size)s MB dữ liệu); tệp có thể bị hỏng hoặc chứa dữ liệu bất "
                "thường. Hãy lưu lại tệp chỉ với các dòng cần nhập, hoặc chia thành nhiều tệp."
            )
            % {"size": _megabytes(settings.UPLOAD_MAX_UNCOMPRESSED_BYTES)},
            field="file",
        )


def too_many_rows_error() -> DomainError:
    return DomainError(
        _("Tệp có hơn %(rows)s dòng dữ liệu; hãy chia thành nhiều tệp, mỗi tệp không quá %(rows)s dòng.")
        % {"rows": f"{settings.UPLOAD_MAX_ROWS:,}".replace(",", ".")},
        field="file",
    )


def limit_problems(problems: list[str]) -> list[str]:
    """The first ``UPLOAD_MAX_PROBLEMS`` problems, then one line counting the others («và 12 lỗi khác»)."""
    limit = settings.UPLOAD_MAX_PROBLEMS
    if len(problems) <= limit:
        return list(problems)
    return [*problems[:limit], _("… và %(count)s lỗi khác.") % {"count": len(problems) - limit}]


# Reading -------------------------------------------------------------------------------------------------------------

# The header row is looked for in this many first rows of each sheet: a title, a date line or a two-level header
# often stands above it.
HEADER_SCAN_ROWS = 15
# Format and control characters (zero-width space and joiners, BOM, soft hyphen, bidi marks…) are invisible in a
# spreadsheet and in a pasted name, so they never carry meaning in a cell; white space is kept (and collapsed).
_INVISIBLE = {"Cf", "Cc", "Co", "Cs", "Cn"}
# Columns past this one are never ours: a stray cell far to the right must not make every row that wide.
MAX_COLUMNS = 256


@dataclass
class Table:
    """Rows of a file keyed by our column names; `line_numbers[i]` is the line (sheet row) of row i in the file.

    `header_line` and `sheet` say which row and sheet were read as the header (sheet is "" for a CSV);
    `hidden_lines` are the rows hidden or filtered out in Excel (skipped unless the reader asked for them);
    `joined` names our columns read from several columns of the file (a split or merged name), with those headers.
    """

    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)
    original_headers: list[str] = field(default_factory=list)
    header_line: int = 1
    sheet: str = ""
    encoding: str = ""
    hidden_lines: list[int] = field(default_factory=list)
    joined: dict[str, list[str]] = field(default_factory=dict)


def strip_invisible(text: str) -> str:
    """`text` without format and control characters (zero-width spaces, BOM, soft hyphens…), white space kept."""
    if text.isprintable():  # no such character (the common case, checked in C)
        return text
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE)


def _cell_text(value) -> str:
    if isinstance(value, str):  # nearly every cell: checked first
        return normalize_text(strip_invisible(value)) if value else ""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y") if value.year >= 1000 else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(strip_invisible(str(value)))


def _how_to_save_utf8() -> str:
    return _(
        "Trong Excel, chọn Tệp → Lưu thành → kiểu «CSV UTF-8 (phân cách bằng dấu phẩy) (*.csv)», hoặc tải lên "
        "tệp .xlsx."
    )


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# A letter, a question mark, a letter: what a program writes for each Vietnamese letter its code page lacks.
_LOST_LETTER = re.compile(r"[^\W\d_]\?[^\W\d_]")


def _in_address(text: str, position: int) -> bool:
    """Whether `position` lies in a web or e-mail address («?» is part of those), not in a word."""
    start = max(text.rfind(separator, 0, position) for separator in (" ", ",", ";", "\t", "\n", '"')) + 1
    token = text[start:position]
    return any(mark in token for mark in ("/", "=", "@"))


def _line_of(raw: bytes, position: int) -> int:
    return raw.count(b"\n", 0, position) + 1


def decode_csv(raw: bytes) -> tuple[str, str]:
    """The text of an uploaded CSV and the name of its encoding, read strictly: UTF-8 (with or without BOM), UTF-16
    with its BOM (Excel's «Unicode Text») or Windows-1258 (the old Vietnamese code page). A file that none of them
    decodes cleanly, or that has lost letters («Nguy?n», as a Western code page writes Vietnamese), is refused with
    the reason and how to save it as «CSV UTF-8»: a guess would store mojibake."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise DomainError(
                _("Không đọc được tệp CSV: tệp bắt đầu như UTF-16 nhưng có byte hỏng. %(how)s")
                % {"how": _how_to_save_utf8()},
                field="file",
            ) from None
    elif raw.startswith(b"\xef\xbb\xbf") or b"\x00" not in raw[:4096]:
        try:
            text, encoding = raw.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError as exc:
            if raw.startswith(b"\xef\xbb\xbf") or _UTF8_MULTIBYTE.search(raw):
                # Mostly UTF-8 with a damaged byte: read as another code page, every accented letter would be garbled.
                raise DomainError(
                    _(
                        "Không đọc được tệp CSV: tệp lưu ở bảng mã UTF-8 nhưng có byte hỏng ở dòng %(line)s. Hãy sửa "
                        "hoặc gõ lại dòng đó rồi lưu lại. %(how)s"
                    )
                    % {"line": _line_of(raw, exc.start), "how": _how_to_save_utf8()},
                    field="file",
                ) from None
            try:
                text, encoding = raw.decode("cp1258"), "Windows-1258"
            except UnicodeDecodeError:
                raise DomainError(
                    _("Không đọc được tệp CSV: tệp không lưu ở bảng mã UTF-8 hay Windows-1258. %(how)s")
                    % {"how": _how_to_save_utf8()},
                    field="file",
                ) from None
            composed = unicodedata.normalize("NFC", text)
            if any(unicodedata.combining(ch) for ch in composed):
                # Windows-1258 writes tone marks as separate characters that always compose with a Vietnamese vowel;
                # one left over means the bytes were another code page (Windows-1252 «ì» is 1258's acute accent).
                raise DomainError(
                    _(
                        "Không đọc được tệp CSV: tệp không lưu ở bảng mã UTF-8, và đọc theo Windows-1258 "
                        "thì ra chữ sai. Có thể tệp lưu ở bảng mã Windows-1252 (Tây Âu), không có đủ chữ "
                        "tiếng Việt. %(how)s"
                    )
                    % {"how": _how_to_save_utf8()},
                    field="file",
                ) from None
    else:
        raise DomainError(
            _("Không đọc được tệp CSV: tệp có vẻ lưu ở bảng mã UTF-16 nhưng thiếu dấu BOM ở đầu tệp. %(how)s")
            % {"how": _how_to_save_utf8()},
            field="file",
        )
    lost = next((match for match in _LOST_LETTER.finditer(text) if not _in_address(text, match.start())), None)
    if lost:
        line = text.count("\n", 0, lost.start()) + 1
        raise DomainError(
            _(
                "Tệp CSV đã mất chữ tiếng Việt (dòng %(line)s có «%(sample)s»: mỗi chữ có dấu thành «?»). Tệp được lưu ở "
                "bảng mã %(encoding)s từ một bảng mã không có chữ tiếng Việt (thường là «CSV (phân cách bằng dấu "
                "phẩy)» kiểu cũ); hãy lưu lại từ tệp gốc. %(how)s"
            )
            % {
                "line": line,
                "sample": text[max(lost.start() - 8, 0) : lost.end() + 8].strip(),
                "encoding": encoding,
                "how": _how_to_save_utf8(),
            },
            field="file",
        )
    return text, encoding


@dataclass
class _Sheet:
    """The rows of one sheet as (line, cell values, hidden)."""

    name: str
    rows: Iterator[tuple[int, tuple, bool]]


def _csv_sheets(raw: bytes) -> tuple[list[_Sheet], str]:
    text, encoding = decode_csv(raw)
    csv.field_size_limit(1024 * 1024)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel

    def rows():
        try:
            for line, values in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
                yield line, tuple(values[:MAX_COLUMNS]), False
        except csv.Error as exc:
            raise DomainError(
                _("Không đọc được tệp CSV: %(reason)s. %(how)s")
                % {"reason": _("tệp hỏng hoặc không đúng định dạng CSV"), "how": _how_to_save_utf8()},
                field="file",
            ) from exc

    return [_Sheet("", rows())], encoding


def _damaged_xlsx() -> DomainError:
    return DomainError(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx."), field="file")


def _xlsx_rows(workbook, worksheet) -> Iterator[tuple[int, tuple, bool]]:
    """Stream a read-only sheet row by row with each row's hidden flag (rows hidden by hand or by a filter), which
    openpyxl's read-only rows do not carry."""
    from openpyxl.worksheet._reader import WorkSheetParser

    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for line, cells in parser.parse():
            attributes = parser.row_dimensions.get(str(line), {})
            hidden = str(attributes.get("hidden", "")).lower() in {"1", "true"}
            width = min(max((cell["column"] for cell in cells), default=0), MAX_COLUMNS)
            values = [None] * width
            for cell in cells:
                if cell["column"] <= MAX_COLUMNS:
                    values[cell["column"] - 1] = cell["value"]
            yield line, tuple(values), hidden


def _xlsx_sheets(source) -> tuple[list[_Sheet], object]:
    check_xlsx_archive(source)
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _damaged_xlsx() from exc
    sheets = []
    for worksheet in workbook.worksheets:
        if not hasattr(worksheet, "_get_source"):  # a chart sheet has no cells
            continue
        sheets.append(_Sheet(worksheet.title, _xlsx_rows(workbook, worksheet)))
    return sheets, workbook


def _header_texts(window: list[tuple], lines: list[int], index: int) -> list[str]:
    """The header row `index` of `window`, each empty cell read from the row just above it: a two-level header, or
    a header merged over two rows, keeps its text in the upper row."""
    row = [_cell_text(value) for value in window[index]]
    if index and lines[index - 1] == lines[index] - 1:
        above = [_cell_text(value) for value in window[index - 1]]
        row += [""] * (len(above) - len(row))
        row = [text or (above[i] if i < len(above) else "") for i, text in enumerate(row)]
    return row


@dataclass
class _Header:
    positions: dict[str, list[int]]
    texts: list[str]
    joined: dict[str, list[str]]


def _match_header(texts: list[str], lookup: dict[str, str], parts: dict[str, list[set[str]]]) -> _Header:
    """Our columns found in one header row. A column split into parts (family name, middle name, given name) is
    read from every part present when at least two are; a header followed by empty header cells (a header merged
    over them) is read from all of those cells when the column may be joined (it has parts)."""
    positions: dict[str, list[int]] = {}
    joined: dict[str, list[str]] = {}
    keys = [search_key(text) for text in texts]
    for name, part_aliases in parts.items():
        found = [index for index, key in enumerate(keys) if any(key in aliases for aliases in part_aliases)]
        kinds = {next(i for i, aliases in enumerate(part_aliases) if keys[index] in aliases) for index in found}
        if len(kinds) >= 2:
            positions[name] = found
            joined[name] = [texts[index] for index in found]
    taken = {index for indexes in positions.values() for index in indexes}
    for index, key in enumerate(keys):
        name = lookup.get(key)
        if name and name not in positions and index not in taken:
            positions[name] = [index]
            if name in parts:
                following = index + 1
                while following < len(texts) and not texts[following]:
                    positions[name].append(following)
                    following += 1
                if len(positions[name]) > 1:
                    joined[name] = [texts[index]]
    return _Header(positions, texts, joined)


def _too_many_rows_guard(line: int, rows_kept: int, blank: bool) -> None:
    limit = settings.UPLOAD_MAX_ROWS
    if blank and line > 4 * limit:  # blank formatted rows count too, or a sheet of empty rows is read without end
        raise too_many_rows_error()
    if not blank and rows_kept >= limit:
        raise too_many_rows_error()


def read_table(
    path: Path,
    header_aliases: dict[str, Sequence[str]],
    required: Iterable[str],
    *,
    data: bytes | None = None,
    parts: dict[str, Sequence[Sequence[str]]] | None = None,
    include_hidden: bool = True,
) -> Table:
    """Read a CSV file, or the first sheet of an XLSX file that holds our columns, into rows keyed by our names.

    `header_aliases` maps our column name to the headers people write for it (compared without diacritics or case);
    the first one is the header of our template, named in the error about a missing column. The header row is the
    first of the first ``HEADER_SCAN_ROWS`` rows that holds every required column (a title may stand above it).
    `parts` maps a column to the headers of its parts, in order (a name split into «Họ», «Họ đệm», «Tên»), read
    joined by spaces. Rows hidden or filtered out in Excel are skipped and listed when `include_hidden` is false.
    With `data`, the file's content is `data` and `path` only gives its kind (its extension). A file over the upload
    limits (bytes, unpacked size, ``UPLOAD_MAX_ROWS`` rows) is refused as soon as the limit is seen.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".xlsx", ".xlsm", ".csv"}:
        raise DomainError(_("Chỉ nhận tệp .xlsx hoặc .csv."), field="file")
    check_upload_size(len(data) if data is not None else path.stat().st_size)
    required = list(required)
    lookup = {search_key(alias): name for name, aliases in header_aliases.items() for alias in {*aliases, name}}
    part_sets = {
        name: [{search_key(alias) for alias in aliases} for aliases in part_list]
        for name, part_list in (parts or {}).items()
    }
    workbook = None
    encoding = ""
    try:
        if suffix == ".csv":
            sheets, encoding = _csv_sheets(data if data is not None else path.read_bytes())
        else:
            sheets, workbook = _xlsx_sheets(io.BytesIO(data) if data is not None else path)
        return _read_sheets(sheets, header_aliases, required, lookup, part_sets, include_hidden, encoding)
    except DomainError:
        raise
    except (OSError, MemoryError):
        raise
    except Exception as exc:  # a damaged workbook fails inside openpyxl's parser with many exception types
        if suffix == ".csv":
            raise
        raise _damaged_xlsx() from exc
    finally:
        if workbook is not None:
            workbook.close()


def _read_sheets(sheets, header_aliases, required, lookup, part_sets, include_hidden, encoding) -> Table:
    best: tuple[int, str, int, list[str]] | None = None  # found count, sheet, line, missing
    any_rows = False
    for sheet in sheets:
        window: list[tuple] = []
        lines: list[int] = []
        header = None
        for line, values, _hidden in sheet.rows:
            window.append(values)
            lines.append(line)
            any_rows = any_rows or any(_cell_text(v) for v in values)
            candidate = _match_header(_header_texts(window, lines, len(window) - 1), lookup, part_sets)
            missing = [name for name in required if name not in candidate.positions]
            if not missing:
                header = candidate
                break
            found = len(required) - len(missing)
            if found and (best is None or found > best[0]):
                best = (found, sheet.name, line, missing)
            if len(window) >= HEADER_SCAN_ROWS:
                break
        if header is not None:
            return _read_body(sheet, header, lines[-1], include_hidden, encoding)
    if not any_rows:
        raise DomainError(_("Tệp không có dữ liệu."), field="file")
    names = ", ".join(f"«{header_aliases[name][0]}»" for name in (best[3] if best else required))
    if best is None:
        raise DomainError(
            _(
                "Không tìm thấy dòng tiêu đề trong %(rows)s dòng đầu của tệp: tệp thiếu cột bắt buộc "
                "%(columns)s. Hãy dùng tệp mẫu."
            )
            % {"rows": HEADER_SCAN_ROWS, "columns": names},
            field="file",
        )
    where = (
        _("dòng %(line)s của trang «%(sheet)s»") % {"line": best[2], "sheet": best[1]}
        if best[1]
        else _("dòng %(line)s") % {"line": best[2]}
    )
    raise DomainError(
        _("Tệp thiếu cột bắt buộc: %(columns)s (dòng tiêu đề gần đủ nhất là %(where)s). Hãy dùng tệp mẫu.")
        % {"columns": names, "where": where},
        field="file",
    )


def _read_body(sheet: _Sheet, header: _Header, header_line: int, include_hidden: bool, encoding: str) -> Table:
    table = Table(
        columns=list(header.positions),
        original_headers=header.texts,
        header_line=header_line,
        sheet=sheet.name,
        encoding=encoding,
        joined=header.joined,
    )
    single = {name: indexes[0] for name, indexes in header.positions.items() if len(indexes) == 1}
    joined = {name: indexes for name, indexes in header.positions.items() if len(indexes) > 1}
    kept = 0
    for line, values, hidden in sheet.rows:
        width = len(values)
        row = {name: _cell_text(values[index]) if index < width else "" for name, index in single.items()}
        for name, indexes in joined.items():
            row[name] = " ".join(filter(None, (_cell_text(values[i]) for i in indexes if i < width)))
        blank = not any(row.values())
        _too_many_rows_guard(line, kept, blank)
        if blank:
            continue
        kept += 1
        if hidden:
            table.hidden_lines.append(line)
            if not include_hidden:
                continue
        table.rows.append(row)
        table.line_numbers.append(line)
    return table
