"""Reading and writing the spreadsheets people exchange with us (CSV and XLSX), shared by every import and export.

Two guards live here so that no import or export can forget them:
- every cell we write is neutralised (OWASP "CSV injection"): text that a spreadsheet program would run as a formula
  (it begins with ``= + - @``, a tab or a carriage return) gets a leading ``'`` in a CSV (:func:`neutralise`); in an
  XLSX every text cell is typed as a string, never a formula, and such text also carries Excel's own "quote prefix"
  (the ``'`` a person types before ``=1+1``, kept in the cell's style rather than in its text, so «- UBND tỉnh;» in
  a report still reads as written and a file we wrote reads back as it was);
- every uploaded file is measured before it is parsed (:func:`check_upload_size`, :func:`check_xlsx_archive`, the
  row limit of :func:`read_table`), so that a small file cannot make the server unpack or read without end.

The package's modules: `writing` (CSV and XLSX out), `uploads` (the limits of an upload), `sheets` (the raw rows of a
file: encodings, sheets, cells) and `reading` (the table: header row found, rows keyed by our column names).
"""

from kynangso.tabular.reading import HEADER_SCAN_ROWS, Table, read_table
from kynangso.tabular.sheets import MAX_COLUMNS, decode_csv, strip_invisible
from kynangso.tabular.uploads import check_upload_size, check_xlsx_archive, limit_problems, too_many_rows_error
from kynangso.tabular.writing import (
    XLSX_CONTENT_TYPE,
    looks_like_formula,
    neutralise,
    neutralise_workbook,
    save_workbook,
    set_cell,
    workbook_bytes,
    write_csv,
    write_private_file,
    write_xlsx,
)

__all__ = [
    "HEADER_SCAN_ROWS",
    "MAX_COLUMNS",
    "XLSX_CONTENT_TYPE",
    "Table",
    "check_upload_size",
    "check_xlsx_archive",
    "decode_csv",
    "limit_problems",
    "looks_like_formula",
    "neutralise",
    "neutralise_workbook",
    "read_table",
    "save_workbook",
    "set_cell",
    "strip_invisible",
    "too_many_rows_error",
    "workbook_bytes",
    "write_csv",
    "write_private_file",
    "write_xlsx",
]
