"""Importing an uploaded item file (Moodle XML, GIFT, XLSX) into the bank as drafts.

The policy (issue 23, ADR 0035): a file brings in every item it can read. An item the kynangso format cannot hold in
full comes in all the same, as a draft carrying a Vietnamese note per loss (what was lost, what to check), which the
reviewer sees; an item that cannot be read at all (an essay, a gap-select…) is left out and named. Only a file that
cannot be read as a whole is refused. Ids are assigned when absent (the same one for the same question, so importing
a file twice changes nothing), Moodle ID numbers are kept as the item's code, and competence and level come from the
``kns-*`` tags, else from the Moodle category path, else from the batch the author chose; an item with none stays
a draft «chưa gắn năng lực» that cannot go live. A dry run performs the whole import and rolls it back, so it reports
exactly what the real run does.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.assessment import bank, interchange
from kynangso.assessment.interchange.validation import shorten
from kynangso.assessment.models import Item
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.tabular import check_xlsx_archive, limit_problems

MAX_BYTES = 5 * 1024 * 1024  # a bank of a few thousand questions; larger files: split them, or `import-items`
FORMATS = {".xml": "Moodle XML", ".gift": "GIFT", ".txt": "GIFT", ".xlsx": "XLSX"}
MAX_CODE = 64  # Item.code
_CODE_RE = re.compile(r"^[\w.\-:/]+$")
FILE_LOCATION = "Tệp"  # the readers' location of a problem with the file as a whole


@dataclass(frozen=True)
class Batch:
    """What the author chose on the import page for items that carry no tags of their own."""

    framework: str = ""
    competence: str = ""
    level: int | None = None


@dataclass
class ImportedItem:
    code: str
    stem: str
    outcome: str  # "created", "changed" or "unchanged"
    tagged: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    filename: str
    format: str = ""
    items: int = 0
    saved: bool = False
    dry_run: bool = False
    refused: bool = False  # the file could not be read as a whole: nothing imported
    counts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # questions left out and file notes, in file order
    imported: list[ImportedItem] = field(default_factory=list)

    @property
    def with_notes(self) -> list[ImportedItem]:
        return [entry for entry in self.imported if entry.notes]

    @property
    def untagged(self) -> int:
        return sum(1 for entry in self.imported if not entry.tagged)


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


# ------------------------------------------------------------------------------------------------ identity, tags


def derived_code(item: dict) -> str:
    """The id of an item that came without one: the same question always gets the same id."""
    digest = hashlib.sha256(f"{item.get('type')}\n{item.get('stem')}".encode()).hexdigest()[:10].upper()
    return f"NHAP-{digest}"


class _Tagger:
    """Finds framework, competence and level of imported items, reading the frameworks once."""

    def __init__(self, batch: Batch):
        self.batch = batch
        self.known: dict[str, set[str]] = {}
        for competence in frameworks.all_competences():
            self.known.setdefault(competence.framework.code, set()).add(competence.code)

    def from_category(self, path: str) -> dict:
        """``$course$/top/KNS/TT02-2025/4.2`` (optionally ``/2`` or ``/mức 2`` after) → framework, competence, level."""
        parts = [part.strip() for part in (path or "").split("/") if part.strip()]
        for index, part in enumerate(parts[:-1]):
            if part in self.known and parts[index + 1] in self.known[part]:
                found = {"framework": part, "competence": parts[index + 1]}
                if index + 2 < len(parts):
                    match = re.fullmatch(r"(?:mức|muc|level|bậc)?\s*([1-8])", parts[index + 2], flags=re.I)
                    if match:
                        found["level"] = int(match.group(1))
                return found
        return {}

    def tag(self, item: dict, category: str, notes: list[str]) -> bool:
        """Fill the item's tags in place; True when it has framework, competence and level."""
        if not item.get("competence"):
            found = self.from_category(category)
            if not found and self.batch.competence:
                found = {"framework": self.batch.framework, "competence": self.batch.competence}
            if found:
                if item.get("framework") and item["framework"] != found["framework"]:
                    found = {}
                item.update({key: value for key, value in found.items() if not item.get(key)})
        if item.get("competence") and not item.get("framework"):
            owners = [code for code, codes in self.known.items() if item["competence"] in codes]
            if self.batch.framework in owners:
                item["framework"] = self.batch.framework
            elif len(owners) == 1:
                item["framework"] = owners[0]
        if not item.get("level") and self.batch.level:
            item["level"] = self.batch.level
        framework, competence = item.get("framework"), item.get("competence")
        if competence and (framework not in self.known or competence not in self.known[framework]):
            notes.append(
                _("năng lực %(code)s không có trong khung năng lực %(framework)s nên đã bỏ thẻ này")
                % {"code": shorten(str(competence), 16), "framework": shorten(str(framework or "?"), 32)}
            )
            item.pop("competence", None)
            item.pop("framework", None)
        return bool(item.get("framework") and item.get("competence") and item.get("level"))


def _prepare(items: list[dict], batch: Batch) -> list[tuple[dict, list[str], bool]]:
    tagger = _Tagger(batch)
    already_tagged = {
        item.code for item in Item.objects.filter(code__in=[str(i.get("id") or "") for i in items]) if item.is_tagged
    }
    prepared, seen = [], set()
    for raw in items:
        item = {key: value for key, value in raw.items() if key not in interchange.IMPORT_KEYS}
        notes = [str(note) for note in raw.get("notes") or []]
        code = str(item.get("id") or "")
        if code and (len(code) > MAX_CODE or not _CODE_RE.match(code)):
            notes.append(
                _(
                    "mã câu hỏi trong tệp quá dài hoặc có ký tự không dùng được (chỉ chữ, số, . - _ : /); "
                    "câu này được cấp mã mới"
                )
            )
            code = ""
        if not code:
            code = derived_code(item)
        while code in seen:  # the same question twice in one file
            code = derived_code({**item, "stem": f"{item.get('stem')}#{len(seen)}"})
        seen.add(code)
        item["id"] = code
        tagged = tagger.tag(item, str(raw.get("category") or ""), notes) or code in already_tagged
        if not tagged:
            notes.append(
                _(
                    "chưa gắn năng lực: hãy chọn khung, năng lực và mức cho câu này; câu ở dạng bản nháp "
                    "và chưa đưa vào dùng được cho đến khi được gắn"
                )
            )
        prepared.append((item, notes, tagged))
    return prepared


# ------------------------------------------------------------------------------------------------ the import


def import_upload(
    *, filename: str, data: bytes, actor, dry_run: bool = False, batch: Batch | None = None
) -> ImportReport:
    """Read the file and save every item it holds as a draft for review, with its notes; items that cannot be
    read are left out and listed. With `dry_run` the same import runs and is rolled back."""
    items, problems, kind = read_upload(filename, data)
    report = ImportReport(
        filename=filename, format=kind, dry_run=dry_run, problems=limit_problems([str(p) for p in problems])
    )
    if not items:
        report.refused = any(p.location == FILE_LOCATION for p in problems)
        if not problems:
            report.problems.append(_("Tệp không có câu hỏi nào."))
        return report
    prepared = _prepare(items, batch or Batch())
    with transaction.atomic():
        saved = bank.import_items([(item, notes) for item, notes, _tagged in prepared], actor=actor)
        if dry_run:
            transaction.set_rollback(True)
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    for (item, notes, _tagged), (row, version) in zip(prepared, saved, strict=True):
        outcome = "unchanged" if version is None else ("created" if version.number == 1 else "changed")
        counts[outcome] += 1
        report.imported.append(
            ImportedItem(
                code=item["id"],
                stem=shorten(item.get("stem", ""), 80),
                outcome=outcome,
                tagged=row.is_tagged,
                notes=notes if version is not None else [],
            )
        )
    report.items, report.counts, report.saved = len(prepared), counts, not dry_run
    return report
