"""The raw rows of an uploaded file: a CSV decoded with strict encodings (UTF-8, else a Vietnamese code page,
refusing text that lost its letters), each XLSX sheet with its hidden rows, and the text of each cell.
"""

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from kynangso.errors import DomainError
from kynangso.tabular.uploads import check_xlsx_archive
from kynangso.text import normalize_text

# Format and control characters (zero-width space and joiners, BOM, soft hyphen, bidi marks…) are invisible in a
# spreadsheet and in a pasted name, so they never carry meaning in a cell; white space is kept (and collapsed).
_INVISIBLE = {"Cf", "Cc", "Co", "Cs", "Cn"}
# Columns past this one are never ours: a stray cell far to the right must not make every row that wide.
MAX_COLUMNS = 256


def strip_invisible(text: str) -> str:
    """`text` without format and control characters (zero-width spaces, BOM, soft hyphens…), white space kept."""
    if text.isprintable():  # no such character (the common case, checked in C)
        return text
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE)


def cell_text(value) -> str:
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
class Sheet:
    """The rows of one sheet as (line, cell values, hidden)."""

    name: str
    rows: Iterator[tuple[int, tuple, bool]]


def csv_sheets(raw: bytes) -> tuple[list[Sheet], str]:
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

    return [Sheet("", rows())], encoding


def damaged_xlsx() -> DomainError:
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


def xlsx_sheets(source) -> tuple[list[Sheet], object]:
    check_xlsx_archive(source)
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise damaged_xlsx() from exc
    sheets = []
    for worksheet in workbook.worksheets:
        if not hasattr(worksheet, "_get_source"):  # a chart sheet has no cells
            continue
        sheets.append(Sheet(worksheet.title, _xlsx_rows(workbook, worksheet)))
    return sheets, workbook
