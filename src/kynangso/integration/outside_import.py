"""Importing the completion lists provinces receive from other platforms (XLSX or CSV): every row checked (the
person in the importer's scope, the name, the outside activity mapped, the day), then all rows written or none,
through the same mapping as the xAPI statements."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, ErrorCode
from kynangso.integration.models import Origin, OutsideCompletion, Platform
from kynangso.integration.services import mapping_for
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.tabular import read_table, write_xlsx
from kynangso.text import normalize_text, search_key

IMPORT = accounts.capabilities.PEOPLE_IMPORT
COLUMNS = [
    ("national_id", "Số định danh cá nhân", ["Số CCCD", "Số căn cước", "CCCD", "Mã định danh"]),
    ("full_name", "Họ và tên", ["Họ tên", "Tên học viên"]),
    ("activity_id", "Mã hoạt động trên nền tảng", ["Mã khóa học trên nền tảng", "Mã khóa học", "Activity ID"]),
    ("done_on", "Ngày hoàn thành (dd/mm/yyyy)", ["Ngày hoàn thành", "Ngày đạt"]),
]
HEADERS = {name: [header, *aliases] for name, header, aliases in COLUMNS}
REQUIRED = ["national_id", "full_name", "activity_id", "done_on"]
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


@dataclass
class OutsideImportReport:
    total: int = 0
    added: int = 0
    already: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False


def platforms_for_import(actor):
    """The platforms whose lists the actor may import: those of the units over or within the actor's scope."""
    if accounts.is_system(actor) or getattr(actor, "is_superuser", False):
        return Platform.objects.order_by("name")
    scope = accounts.scope_unit_ids(actor, IMPORT)
    over = orgs.closure_rows().filter(descendant_id__in=scope).values("ancestor_id")
    return Platform.objects.filter(Q(unit_id__in=over) | Q(unit_id__in=scope)).order_by("name").distinct()


def write_outside_template(target) -> None:
    """The template: our columns and one example row (a made-up ID that no real person holds)."""
    write_xlsx(
        target,
        headers=[header for _name, header, _aliases in COLUMNS],
        rows=[
            ["001099012345", "Nguyễn Văn An", "https://hoc.example.vn/courses/course-v1:BDHVS+KNS01+2025", "15/03/2025"]
        ],
        title=_("Danh sách hoàn thành"),
        widths=[22, 28, 60, 18],
    )


def _parse_day(text: str) -> datetime.date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip()[:10], fmt).date()
        except ValueError:
            continue
    raise DomainError(_("ngày «%(value)s» không có thật hoặc không đúng dạng dd/mm/yyyy") % {"value": text})


def _noon(day: datetime.date) -> datetime.datetime:
    """When a listed completion counts as done: noon of its day (a list gives no time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _same_name(recorded: str, given: str) -> bool:
    given = normalize_text(given)
    if search_key(given) != search_key(recorded):
        return False
    has_marks = given.casefold() != search_key(given)
    return not has_marks or given.casefold() == normalize_text(recorded).casefold()


def import_outside_completions(
    path: Path, *, actor, platform: Platform, apply: bool, data: bytes | None = None
) -> OutsideImportReport:
    """Check every row and, when `apply` is true and no row is wrong, record all of them in one transaction
    (a row already imported is counted as «already», not written twice)."""
    if actor is None:
        raise ValueError("actor is required")
    if not platforms_for_import(actor).filter(pk=platform.pk).exists():
        raise DomainError(_("Bạn không có quyền nhập kết quả của nền tảng này."), code=ErrorCode.FORBIDDEN)
    table = read_table(Path(path), HEADERS, REQUIRED, data=data)
    report = OutsideImportReport(total=len(table.rows))
    today = timezone.localdate()
    parsed = []
    for values, line in zip(table.rows, table.line_numbers, strict=True):
        problems, digest, day, mapping = [], "", None, None
        number = "".join(ch for ch in values["national_id"] if ch.isdigit())
        if number and len(number) in (10, 11):  # stored as a number in Excel, leading zeros lost
            number = number.zfill(12)
        try:
            digest = people.national_id_digest(people.validate_national_id(number))
        except DomainError as exc:
            problems.append(exc.message.rstrip("."))
        try:
            day = _parse_day(values["done_on"])
            if day > today:
                problems.append(_("ngày hoàn thành %(day)s ở tương lai") % {"day": day.strftime("%d/%m/%Y")})
        except DomainError as exc:
            problems.append(exc.message)
        mapping = mapping_for(platform, values["activity_id"].strip())
        if mapping is None:
            problems.append(
                _("hoạt động «%(activity)s» chưa được ánh xạ sang khóa học hay chuẩn nào của tỉnh")
                % {"activity": values["activity_id"].strip()}
            )
        parsed.append((line, values, digest, day, mapping, problems))
    # Only people in the importer's scope are looked up: one message stands for "nobody" and "somebody you may
    # not see", so the file cannot tell who holds an ID elsewhere.
    candidates = people.everyone() if accounts.is_system(actor) else people.people_in_scope(actor, IMPORT)
    found = {
        person.national_id_digest: person
        for person in candidates.filter(
            national_id_digest__in=[digest for _l, _v, digest, _d, _m, _p in parsed if digest]
        )
    }
    seen: dict[str, int] = {}
    rows = []
    for line, values, digest, day, mapping, problems in parsed:
        person = found.get(digest) if digest else None
        if digest and person is None:
            problems.append(_("không tìm thấy người mang số định danh này trong phạm vi của bạn"))
        elif person is not None and not _same_name(person.full_name, values["full_name"]):
            problems.append(
                _("họ tên «%(given)s» không khớp với hồ sơ (%(name)s)")
                % {"given": values["full_name"], "name": person.full_name}
            )
        key = ""
        if person is not None and mapping is not None and day is not None:
            target = f"c:{mapping.course_code}" if mapping.course_code else f"s:{mapping.standard_code}"
            key = f"sheet:{person.pk}:{target}:{day.isoformat()}"
            if key in seen:
                problems.append(_("trùng với dòng %(line)s") % {"line": seen[key]})
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        seen[key] = line
        rows.append((key, person, mapping, day, values["activity_id"].strip()))
    if report.errors:
        return report
    existing = set(OutsideCompletion.objects.filter(key__in=[row[0] for row in rows]).values_list("key", flat=True))
    report.already = len(existing)
    new = [row for row in rows if row[0] not in existing]
    report.added = len(new)
    if apply:
        now = timezone.now()
        with transaction.atomic():
            OutsideCompletion.objects.bulk_create(
                [
                    OutsideCompletion(
                        key=key,
                        person=person,
                        course_code=mapping.course_code,
                        standard_code=mapping.standard_code,
                        done_on=day,
                        done_at=min(now, _noon(day)),
                        origin=Origin.SPREADSHEET,
                        platform=platform,
                        activity_id=activity,
                        recorded_at=now,
                        recorded_by=accounts.recorded_user(actor),
                    )
                    for key, person, mapping, day, activity in new
                ]
            )
        report.applied = True
    return report
