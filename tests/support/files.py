"""Files that attack the readers: shared by the spreadsheet, roster and plan-import tests."""

import io
import zipfile

from openpyxl import Workbook


def xlsx_bomb(path, *, unpacked_mib: int):
    """A real workbook whose sheet is padded with `unpacked_mib` MiB of spaces: a few hundred KB on disk."""
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Ngày sinh (dd/mm/yyyy)"])
    workbook.save(buffer)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(member.filename, "w", force_zip64=True) as target:
                    target.write(data.replace(b"<sheetData>", b"<sheetData>", 1))
                    chunk = b" " * (1024 * 1024)
                    for _ in range(unpacked_mib):
                        target.write(chunk)
            else:
                bomb.writestr(member, data)
    return path
