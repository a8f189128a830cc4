"""Messy roster files as officials really keep them, built by code (never hand-copied) for the roster tests.

Each builder writes one file and returns its path. `python -m tests.people.roster_files FOLDER` writes every case
into FOLDER to open them in a spreadsheet program.
"""

import csv
import datetime
import io
import sys
from pathlib import Path

from openpyxl import Workbook

from kynangso.people.identity import century_sex_digit
from tests.factories import make_national_id

HEADER = [
    "Họ và tên",
    "Ngày sinh (dd/mm/yyyy)",
    "Giới tính (Nam/Nữ)",
    "Số định danh cá nhân",
    "Số điện thoại",
    "Mã đơn vị cư trú",
    "Mã đơn vị công tác, học tập",
    "Nhóm đối tượng",
    "Thuộc nhóm từ ngày (dd/mm/yyyy)",
]


def national_id(birth: datetime.date, sex: str, serial: int, province_code: str = "001") -> str:
    return f"{province_code}{century_sex_digit(birth.year, sex)}{birth.year % 100:02d}{serial:06d}"


def person(
    name="Trần Thị Bình",
    birth=datetime.date(1990, 9, 2),
    sex="female",
    serial=1,
    unit="X001",
    workplace="",
    groups="Người dân",
    birth_text=None,
    id_text=None,
) -> list:
    return [
        name,
        birth_text or birth.strftime("%d/%m/%Y"),
        "Nữ" if sex == "female" else "Nam",
        id_text or national_id(birth, sex, serial),
        "0912345678",
        unit,
        workplace,
        groups,
        "",
    ]


def write_csv(path: Path, rows, *, encoding="utf-8", delimiter=",", errors="strict") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    Path(path).write_bytes(buffer.getvalue().encode(encoding, errors=errors))
    return Path(path)


def write_xlsx(path: Path, sheets: dict[str, list], *, hidden_rows=(), merges=()) -> Path:
    """Sheets in order, `hidden_rows` (sheet name, row number) hidden as a filter hides them, `merges` (sheet
    name, range) merged as an official merges a header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    for title, number in hidden_rows:
        workbook[title].row_dimensions[number].hidden = True
    for title, cells in merges:
        workbook[title].merge_cells(cells)
    workbook.save(path)
    return Path(path)


# The cases of issue 24 -------------------------------------------------------------------------------------------


def template_example_left_in(folder: Path) -> Path:
    from kynangso.people.roster_reading import TEMPLATE_EXAMPLE

    return write_xlsx(folder / "dong-vi-du.xlsx", {"Danh sách": [HEADER, TEMPLATE_EXAMPLE, person()]})


def blank_unit_code(folder: Path) -> Path:
    return write_csv(folder / "thieu-ma-don-vi.csv", [HEADER, person(unit=""), person(serial=2)])


def utf16_unicode_text(folder: Path) -> Path:
    return write_csv(
        folder / "unicode-text.csv",
        [HEADER, person(name="Lê Thị Hoà"), person(serial=2, name='Vũ "Bé"')],
        encoding="utf-16",
        delimiter="\t",
    )


def split_name_columns(folder: Path) -> Path:
    header = ["STT", "Họ", "Họ đệm", "Tên", *HEADER[1:]]
    first = person(serial=1)
    second = person(serial=2, name="", sex="male")
    return write_csv(
        folder / "ho-dem-ten.csv",
        [header, ["1", "Nguyễn", "Thu", "Hà", *first[1:]], ["2", "Lê", "Văn", "Hùng", *second[1:]]],
    )


def middle_and_given_name(folder: Path) -> Path:
    header = ["Họ đệm", "Tên", *HEADER[1:]]
    return write_csv(folder / "ho-dem-va-ten.csv", [header, ["Nguyễn Thu", "Anh", *person(serial=3)[1:]]])


def merged_name_header(folder: Path) -> Path:
    header = ["Họ và tên", None, *HEADER[1:]]
    row = person(serial=4, sex="male")
    return write_xlsx(
        folder / "ho-ten-gop-o.xlsx",
        {"Danh sách": [header, ["Bùi Văn", "Hùng", *row[1:]]]},
        merges=[("Danh sách", "A1:B1")],
    )


def cp1252_csv(folder: Path) -> Path:
    return write_csv(
        folder / "cp1252.csv",
        [HEADER, person(name="Đặng Văn Ấn", sex="male"), person(name="Hà Thị Ý", serial=2)],
        encoding="cp1252",
        errors="replace",
    )


def cp1252_without_lost_letters(folder: Path) -> Path:
    """Windows-1252 that lost no letter (names typed without tone marks but «ì», «ò»…): still not Vietnamese."""
    header = ["Ho va ten", "Ngay sinh", "Gioi tinh", "So CCCD", "SDT", "Ma xa", "Ma noi cong tac", "Nhom", "Tu ngay"]
    return write_csv(
        folder / "cp1252-khong-mat-chu.csv",
        [header, person(name="Lò Thì An", sex="male", groups="")],
        encoding="cp1252",
    )


def utf8_with_one_bad_byte(folder: Path) -> Path:
    path = write_csv(
        folder / "utf8-hong.csv",
        [HEADER, person(name="Nguyễn Văn Bình", sex="male"), person(name="Trần Thị Én", serial=2)],
    )
    data = path.read_bytes()
    position = data.rindex("Én".encode())
    path.write_bytes(data[:position] + b"\xff" + data[position:])
    return path


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258_text(text: str) -> str:
    """Vietnamese as Windows-1258 holds it: letters with their vowel marks precomposed, tone marks apart."""
    import unicodedata

    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed if mark in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in _TONE_MARKS))
        out.append(base + tones)
    return "".join(out)


def windows_1258(folder: Path) -> Path:
    rows = [HEADER, person(name="Nguyễn Thị Hoà")]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path = Path(folder) / "cp1258.csv"
    path.write_bytes(_windows_1258_text(buffer.getvalue()).encode("cp1258"))
    return path


def residence_not_a_commune(folder: Path) -> Path:
    return write_csv(
        folder / "cu-tru-khong-phai-xa.csv",
        [HEADER, person(unit="TH01"), person(serial=2, unit="S01"), person(serial=3, unit="T01")],
    )


def month_first_dates(folder: Path) -> Path:
    return write_csv(
        folder / "ngay-kieu-my.csv",
        [
            HEADER,
            person(birth=datetime.date(1990, 2, 13), birth_text="2/13/1990", serial=1),
            person(birth=datetime.date(1990, 2, 1), birth_text="2/1/1990", serial=2),
            person(birth=datetime.date(1990, 5, 5), birth_text="5/5/1990", serial=3),
        ],
    )


def hidden_and_filtered_rows(folder: Path) -> Path:
    rows = [HEADER, person(serial=1), person(serial=2, name="Người Ẩn", unit="X002"), person(serial=3, name="Thấy")]
    return write_xlsx(folder / "dong-an.xlsx", {"Danh sách": rows}, hidden_rows=[("Danh sách", 3)])


def invisible_characters(folder: Path) -> Path:
    nid = national_id(datetime.date(1990, 9, 2), "female", 7)
    return write_csv(
        folder / "ky-tu-an.csv",
        [HEADER, person(name="Trần\u200b Thị\u200d Bình\ufeff", id_text=nid[:6] + "\u200b" + nid[6:], serial=7)],
    )


def title_rows_above_header(folder: Path) -> Path:
    rows = [
        ["DANH SÁCH NGƯỜI DÂN THAM GIA BÌNH DÂN HỌC VỤ SỐ"],
        ["Xã An Bình, ngày 01/12/2026"],
        [],
        ["STT", *HEADER],
        ["1", *person()],
    ]
    return write_xlsx(folder / "co-tieu-de.xlsx", {"DS": rows})


def two_level_header(folder: Path) -> Path:
    top = ["STT", "Họ và tên", "Thông tin cá nhân", None, None, None, "Đơn vị", None, "Nhóm", None]
    second = [None, None, "Ngày sinh", "Giới tính", "Số CCCD", "SĐT", "Mã xã", "Mã đơn vị công tác", None, "Từ ngày"]
    return write_xlsx(
        folder / "tieu-de-hai-tang.xlsx",
        {"DS": [top, second, ["1", *person()]]},
        merges=[("DS", "A1:A2"), ("DS", "B1:B2"), ("DS", "C1:F1"), ("DS", "G1:H1")],
    )


def data_on_second_sheet(folder: Path) -> Path:
    return write_xlsx(
        folder / "trang-thu-hai.xlsx",
        {"Hướng dẫn": [["Điền danh sách ở trang sau"]], "Danh sách xã": [HEADER, person()]},
    )


def unit_given_by_name(folder: Path) -> Path:
    return write_csv(
        folder / "ten-don-vi.csv",
        [
            HEADER,
            person(unit="xã an bình"),
            person(serial=2, unit="X. An Bình"),
            person(serial=3, unit="Xã An Bình"),
            person(serial=4, unit="P. Bình Minh"),
        ],
    )


def excel_serial_dates(folder: Path) -> Path:
    return write_csv(
        folder / "ngay-so-excel.csv", [HEADER, person(birth=datetime.date(1990, 2, 1), birth_text="32905")]
    )


def old_cmnd(folder: Path) -> Path:
    return write_csv(folder / "cmnd-cu.csv", [HEADER, person(id_text="012345678")])


CASES = [
    template_example_left_in,
    blank_unit_code,
    utf16_unicode_text,
    split_name_columns,
    middle_and_given_name,
    merged_name_header,
    cp1252_csv,
    cp1252_without_lost_letters,
    utf8_with_one_bad_byte,
    windows_1258,
    residence_not_a_commune,
    month_first_dates,
    hidden_and_filtered_rows,
    invisible_characters,
    title_rows_above_header,
    two_level_header,
    data_on_second_sheet,
    unit_given_by_name,
    excel_serial_dates,
    old_cmnd,
]


if __name__ == "__main__":  # pragma: no cover - a convenience to look at the files
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        print(case(target))


HEADER = [
    "Họ và tên",
    "Ngày sinh (dd/mm/yyyy)",
    "Giới tính (Nam/Nữ)",
    "Số định danh cá nhân",
    "Số điện thoại",
    "Mã đơn vị cư trú",
    "Mã đơn vị công tác, học tập",
    "Nhóm đối tượng",
    "Thuộc nhóm từ ngày (dd/mm/yyyy)",
]


def row(
    name="Trần Thị Bình",
    birth="02/09/1990",
    sex="Nữ",
    national_id=None,
    phone="0912 345 678",
    unit="X001",
    workplace="",
    groups="Người dân",
    since="",
):
    try:
        birth_date = datetime.datetime.strptime(birth, "%d/%m/%Y").date()
    except ValueError:
        birth_date = datetime.date(1990, 9, 2)
    national_id = national_id or make_national_id(birth_date, "female" if sex == "Nữ" else "male")
    return [name, birth, sex, national_id, phone, unit, workplace, groups, since]
