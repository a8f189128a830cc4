"""Importing an uploaded item file (Moodle XML, GIFT, XLSX) into the bank as drafts, all or nothing, with every
problem reported in Vietnamese by row or question."""
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from kynangso.assessment import bank, interchange
from kynangso.errors import DomainError
from kynangso.tabular import check_xlsx_archive, limit_problems

MAX_BYTES = 5 * 1024 * 1024  # a bank of a few thousand questions; larger files: split them, or `import-items`
FORMATS = {".xml": "Moodle XML", ".gift": "GIFT", ".txt": "GIFT", ".xlsx": "XLSX"}


@dataclass
class ImportReport:
    filename: str
    format: str = ""
    items: int = 0
    saved: bool = False
    counts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # «Dòng 7: thiếu đáp án đúng», in file order


def read_upload(filename: str, data: bytes) -> tuple[list[dict], list[interchange.Problem], str]:
    """Items and problems of one uploaded file, by its extension; the format's name."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in FORMATS:
        raise DomainError(_("Chỉ nhận tệp .xml (Moodle XML), .gift hoặc .txt (GIFT) và .xlsx."), field="file")
    if len(data) > MAX_BYTES:
        raise DomainError(_("Tệp lớn hơn 5 MB; hãy chia nhỏ tệp."), field="file")
    if suffix == ".xml":
        items, problems = interchange.read_moodle_xml(data)
    elif suffix == ".xlsx":
        check_xlsx_archive(data)  # a small file that unpacks to gigabytes is refused before openpyxl opens it
        items, problems = interchange.read_xlsx(data, max_rows=settings.UPLOAD_MAX_ROWS)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DomainError(_("Tệp GIFT phải được lưu với bảng mã UTF-8."), field="file") from exc
        items, problems = interchange.read_gift(text)
    return items, problems, FORMATS[suffix]


def import_upload(*, filename: str, data: bytes, actor, dry_run: bool = False) -> ImportReport:
    """Read and check the file; unless `dry_run` or anything is wrong, save every item as a draft for review
    (new items, or new versions of changed ones). Nothing is saved when any row or question has a problem."""
    items, problems, kind = read_upload(filename, data)
    report = ImportReport(filename=filename, format=kind, items=len(items),
                          problems=limit_problems([str(p) for p in problems]))
    if not items and not problems:
        report.problems.append(_("Tệp không có câu hỏi nào."))
    if report.problems or dry_run:
        return report
    try:
        report.counts = bank.save_items(items, actor=actor, source=filename)
    except DomainError as exc:  # bank-level problems (duplicate codes, unknown competences…), one per line
        report.problems = limit_problems([line for line in exc.message.splitlines()[1:] if line.strip()]
                                         or [exc.message])
        return report
    report.saved = True
    return report
