"""Training classes («lớp tập huấn»): creating them, registration, attendance ticked on a phone in the room, and the
attendance spreadsheet import (validated row by row, applied all or nothing)."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.learning import events
from kynangso.learning.courses import parse_competences
from kynangso.learning.models import Attendance, AttendanceSource, ClassCompetence, Registration, TrainingClass
from kynangso.people import api as people
from kynangso.tabular import read_table, write_xlsx
from kynangso.text import normalize_text, search_key

ATTENDANCE = accounts.capabilities.TRAINING_ATTENDANCE
MANAGE = accounts.capabilities.TRAINING_MANAGE


def sync_class_competences(training_class: TrainingClass) -> None:
    """Keep the competence rows monitoring joins in step with the class's «mã:bậc» text."""
    pairs = parse_competences(training_class.competences)
    training_class.competence_rows.all().delete()
    ClassCompetence.objects.bulk_create(
        [
            ClassCompetence(
                training_class=training_class,
                framework_code=training_class.framework_code,
                competence_code=code,
                level=level,
            )
            for code, level in pairs
        ]
    )


@transaction.atomic
def save_class(*, actor, training_class: TrainingClass) -> TrainingClass:
    """Create or change a class; `actor` must organise classes (TRAINING_MANAGE) at its organising unit, or be
    `accounts.SYSTEM`."""
    system = accounts.is_system(actor)
    if not system and not accounts.has_capability(actor, MANAGE, training_class.organising_unit_id):
        raise DomainError(_("Đơn vị tổ chức nằm ngoài phạm vi quản lý lớp của bạn."))
    if training_class.ends_on < training_class.starts_on:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="ends_on")
    parse_competences(training_class.competences)
    if training_class.pk is None and not system:
        training_class.created_by = actor
    training_class.save()
    sync_class_competences(training_class)
    return training_class


def classes_in_scope(user, capability: str = ATTENDANCE) -> QuerySet:
    """Classes organised by units where `user` holds `capability`, newest first."""
    qs = TrainingClass.objects.select_related("organising_unit")
    unit_ids = accounts.scope_unit_ids(user, capability)
    return qs if unit_ids is None else qs.filter(organising_unit_id__in=unit_ids)


def class_for(user, class_id: int, capability: str = ATTENDANCE) -> TrainingClass | None:
    return classes_in_scope(user, capability).filter(pk=class_id).first()


def register(*, training_class: TrainingClass, person, actor) -> Registration:
    """Put a person on the class list, within its capacity; registering twice keeps one registration. `actor` must
    organise classes (TRAINING_MANAGE) at the class's organising unit, or be `accounts.SYSTEM`."""
    if not accounts.is_system(actor) and not accounts.has_capability(actor, MANAGE, training_class.organising_unit_id):
        raise DomainError(_("Đơn vị tổ chức nằm ngoài phạm vi quản lý lớp của bạn."), code="forbidden")
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        existing = Registration.objects.filter(training_class=locked, person=person).first()
        if existing:
            return existing
        if Registration.objects.filter(training_class=locked).count() >= locked.capacity:
            raise DomainError(_("Lớp đã đủ %(n)s chỗ.") % {"n": locked.capacity})
        return Registration.objects.create(
            training_class=locked, person=person, registered_by=accounts.recorded_user(actor)
        )


def _people_for(actor, training_class: TrainingClass) -> QuerySet:
    """Whom `actor` may mark in this class: people in their attendance scope, and anyone registered for it."""
    registered = Registration.objects.filter(training_class=training_class).values("person_id")
    in_scope = people.people_in_scope(actor, ATTENDANCE)
    return people.people_with_ids(in_scope.values("pk")) | people.people_with_ids(registered)


def attendance_candidates(*, actor, training_class: TrainingClass, query: str = "", limit: int = 20) -> list[dict]:
    """People to tick: registered people first (all of them without a query), then matches of a name, national ID
    or phone search; each with whether they are already marked present."""
    present = set(Attendance.objects.filter(training_class=training_class).values_list("person_id", flat=True))
    registered = set(Registration.objects.filter(training_class=training_class).values_list("person_id", flat=True))
    qs = _people_for(actor, training_class).select_related("residence_unit")
    if query.strip():
        qs = people.search_people(qs, query=query)
    else:
        qs = qs.filter(pk__in=registered | present)
    rows = []
    for person in qs.order_by("search_name", "id")[:limit]:
        rows.append({"person": person, "present": person.pk in present, "registered": person.pk in registered})
    rows.sort(key=lambda row: (not row["registered"], row["person"].search_name))
    return rows


def _check_day(training_class: TrainingClass, day: datetime.date) -> None:
    if not training_class.starts_on <= day <= training_class.ends_on:
        raise DomainError(
            _("Ngày %(day)s không nằm trong thời gian của lớp (%(start)s – %(end)s).")
            % {
                "day": day.strftime("%d/%m/%Y"),
                "start": training_class.starts_on.strftime("%d/%m/%Y"),
                "end": training_class.ends_on.strftime("%d/%m/%Y"),
            }
        )


def _check_attendance_actor(actor, training_class: TrainingClass) -> None:
    if not accounts.has_capability(actor, ATTENDANCE, training_class.organising_unit_id):
        raise DomainError(_("Bạn không có quyền điểm danh lớp này."))


def mark_present(
    *, actor, training_class: TrainingClass, person_id: int, day: datetime.date | None = None
) -> Attendance:
    """Tick a person present (on the helper's phone). Ticking again keeps the first record."""
    _check_attendance_actor(actor, training_class)
    day = day or timezone.localdate()
    _check_day(training_class, day)
    if not _people_for(actor, training_class).filter(pk=person_id).exists():
        raise DomainError(_("Người này nằm ngoài phạm vi điểm danh của bạn."))
    with transaction.atomic():
        attendance, created = Attendance.objects.get_or_create(
            training_class=training_class,
            person_id=person_id,
            defaults={"attended_on": day, "source": AttendanceSource.PHONE, "recorded_by": actor},
        )
        if created and day < timezone.localdate():
            events.announce_attendance([person_id], "backdated")
    return attendance


def unmark_present(*, actor, training_class: TrainingClass, person_id: int) -> None:
    """Undo a tick made by mistake."""
    _check_attendance_actor(actor, training_class)
    with transaction.atomic():
        removed, _kinds = Attendance.objects.filter(training_class=training_class, person_id=person_id).delete()
        if removed:
            events.announce_attendance([person_id], "removed")


# --- the attendance spreadsheet -------------------------------------------------------------------------------

COLUMNS = [
    ("national_id", "Số định danh cá nhân", ["Số CCCD", "CCCD", "Số định danh", "Mã định danh"]),
    ("full_name", "Họ và tên", ["Họ tên", "Tên"]),
    ("attended_on", "Ngày tham dự (dd/mm/yyyy)", ["Ngày tham dự", "Ngày", "Ngày học"]),
]
HEADERS = {name: [header, *aliases] for name, header, aliases in COLUMNS}
REQUIRED = ["national_id", "full_name"]
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


@dataclass
class AttendanceReport:
    total: int = 0
    added: int = 0
    already: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False


def write_attendance_template(target) -> None:
    write_xlsx(
        target,
        headers=[header for _n, header, _a in COLUMNS],
        rows=[["001085012345", "Nguyễn Văn An", "15/03/2026"]],
        title="Điểm danh",
        widths=[22, 28, 24],
    )


def _parse_day(text: str) -> datetime.date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise DomainError(_("ngày «%(value)s» không có thật hoặc không đúng dạng dd/mm/yyyy") % {"value": text})


def _same_name(recorded: str, given: str) -> bool:
    """Names typed without diacritics match by their search key; names typed with them must match exactly
    (ignoring case and spacing), so «Hưng» is not taken for «Hùng»."""
    given = normalize_text(given)
    if search_key(given) != search_key(recorded):
        return False
    has_marks = given.casefold() != search_key(given)
    return not has_marks or given.casefold() == normalize_text(recorded).casefold()


def import_attendance(path: Path, *, actor, training_class: TrainingClass, apply: bool) -> AttendanceReport:
    """Check every row (the person exists in the actor's scope or is registered, the name matches, the day is
    within the class) and, when `apply` is true and no row is wrong, record all of them in one transaction."""
    _check_attendance_actor(actor, training_class)
    table = read_table(Path(path), HEADERS, REQUIRED)
    report = AttendanceReport(total=len(table.rows))
    parsed: list[tuple[int, str, datetime.date, list[str]]] = []
    for values, line in zip(table.rows, table.line_numbers):
        problems, digest = [], ""
        number = "".join(ch for ch in values["national_id"] if ch.isdigit())
        if number and len(number) in (10, 11):  # stored as a number, leading zeros lost
            number = number.zfill(12)
        try:
            digest = people.national_id_digest(people.validate_national_id(number))
        except DomainError as exc:
            problems.append(exc.message.rstrip("."))
        day = training_class.starts_on
        if values.get("attended_on"):
            try:
                day = _parse_day(values["attended_on"])
                _check_day(training_class, day)
            except DomainError as exc:
                problems.append(exc.message.rstrip("."))
        parsed.append((line, digest, day, problems))
    # Only people the actor may mark are looked up at all: scope comes before any comparison, and one message
    # stands for "nobody" and "somebody you may not see", so the file cannot tell who holds an ID elsewhere.
    found = {
        p.national_id_digest: p
        for p in _people_for(actor, training_class).filter(
            national_id_digest__in=[digest for _l, digest, _d, _p in parsed if digest]
        )
    }
    present = set(Attendance.objects.filter(training_class=training_class).values_list("person_id", flat=True))
    seen: dict[int, int] = {}
    to_add: list[tuple[int, datetime.date]] = []
    for (line, digest, day, problems), values in zip(parsed, table.rows):
        person = found.get(digest) if digest else None
        if digest and person is None:
            problems.append(
                _(
                    "không tìm thấy người mang số định danh này trong phạm vi điểm danh của bạn "
                    "hoặc trong danh sách đăng ký của lớp"
                )
            )
        elif person is not None:
            if not _same_name(person.full_name, values["full_name"]):
                problems.append(
                    _("họ tên «%(given)s» không khớp với hồ sơ (%(name)s)")
                    % {"given": values["full_name"], "name": person.full_name}
                )
            elif person.pk in seen:
                problems.append(_("trùng người với dòng %(line)s") % {"line": seen[person.pk]})
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        seen[person.pk] = line
        if person.pk in present:
            report.already += 1
        else:
            to_add.append((person.pk, day))
    if report.errors:
        return report
    report.added = len(to_add)
    if apply:
        try:
            with transaction.atomic():
                Attendance.objects.bulk_create(
                    [
                        Attendance(
                            training_class=training_class,
                            person_id=pid,
                            attended_on=day,
                            source=AttendanceSource.IMPORT,
                            recorded_by=actor,
                        )
                        for pid, day in to_add
                    ]
                )
                today = timezone.localdate()
                events.announce_attendance([pid for pid, day in to_add if day < today], "backdated")
        except IntegrityError as exc:
            raise DomainError(
                _("Có người vừa được điểm danh trong lúc nhập tệp; không có gì được ghi. Hãy nhập lại tệp.")
            ) from exc
        report.applied = True
    return report
