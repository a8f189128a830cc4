"""Reading a table from an uploaded CSV or XLSX: the header row found among the first rows of each sheet (aliases,
split and merged columns), then the rows keyed by our column names (ADR 0023).
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.tabular.sheets import Sheet, cell_text, csv_sheets, damaged_xlsx, xlsx_sheets
from kynangso.tabular.uploads import check_upload_size, too_many_rows_error
from kynangso.text import search_key

# The header row is looked for in this many first rows of each sheet: a title, a date line or a two-level header
# often stands above it.
HEADER_SCAN_ROWS = 15


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


def _header_texts(window: list[tuple], lines: list[int], index: int) -> list[str]:
    """The header row `index` of `window`, each empty cell read from the row just above it: a two-level header, or
    a header merged over two rows, keeps its text in the upper row."""
    row = [cell_text(value) for value in window[index]]
    if index and lines[index - 1] == lines[index] - 1:
        above = [cell_text(value) for value in window[index - 1]]
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
            sheets, encoding = csv_sheets(data if data is not None else path.read_bytes())
        else:
            sheets, workbook = xlsx_sheets(io.BytesIO(data) if data is not None else path)
        return _read_sheets(sheets, header_aliases, required, lookup, part_sets, include_hidden, encoding)
    except DomainError:
        raise
    except (OSError, MemoryError):
        raise
    except Exception as exc:  # a damaged workbook fails inside openpyxl's parser with many exception types
        if suffix == ".csv":
            raise
        raise damaged_xlsx() from exc
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
            any_rows = any_rows or any(cell_text(v) for v in values)
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


def _read_body(sheet: Sheet, header: _Header, header_line: int, include_hidden: bool, encoding: str) -> Table:
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
        row = {name: cell_text(values[index]) if index < width else "" for name, index in single.items()}
        for name, indexes in joined.items():
            row[name] = " ".join(filter(None, (cell_text(values[i]) for i in indexes if i < width)))
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
