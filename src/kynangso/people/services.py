"""State changes of people: registering, updating, target groups, and reading protected data with an audit record."""
import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.people.identity import (
    decrypt_national_id,
    encrypt_national_id,
    national_id_digest,
    validate_national_id,
    validate_phone,
)
from kynangso.people.models import AccessChannel, Person, PersonalDataAccess, Sex, TargetGroup, TargetGroupMembership
from kynangso.text import normalize_text, search_key

CHANGE = accounts.capabilities.PEOPLE_CHANGE


@dataclass(frozen=True)
class PersonalData:
    national_id: str
    phone: str
    birth_date: datetime.date


def _require_unit_scope(actor, unit, capability=CHANGE) -> None:
    if actor is not None and unit is not None and not accounts.has_capability(actor, capability, unit.pk):
        raise DomainError(_("Đơn vị «%(unit)s» nằm ngoài phạm vi quản lý của bạn.") % {"unit": unit.name},
                          code="forbidden")


def check_person_fields(*, full_name: str, birth_date, sex: str, today: datetime.date | None = None) -> str:
    """Validate the identity fields shared by the form, the API and the roster import; returns the clean name."""
    name = normalize_text(full_name)
    if not name:
        raise DomainError(_("Họ và tên không được để trống."), field="full_name")
    if len(name) > 150:
        raise DomainError(_("Họ và tên quá dài (tối đa 150 ký tự)."), field="full_name")
    if sex not in Sex.values:
        raise DomainError(_("Giới tính phải là Nam hoặc Nữ."), field="sex")
    if birth_date is None:
        raise DomainError(_("Ngày sinh không được để trống."), field="birth_date")
    today = today or timezone.localdate()
    if birth_date > today:
        raise DomainError(_("Ngày sinh không được ở tương lai."), field="birth_date")
    if birth_date.year < 1900:
        raise DomainError(_("Năm sinh không hợp lệ."), field="birth_date")
    return name


def _check_units(residence_unit, workplace_unit) -> None:
    if residence_unit is None:
        raise DomainError(_("Chưa chọn nơi cư trú."), field="residence_unit")
    for unit in (residence_unit, workplace_unit):
        if unit is not None and not unit.is_active:
            raise DomainError(_("Đơn vị «%(name)s» đã hết hiệu lực (đã sáp nhập hoặc giải thể).") % {"name": unit.name})


def _clean_groups(groups) -> list[tuple[str, datetime.date, datetime.date | None]]:
    cleaned = []
    for group, valid_from, valid_to in groups:
        if group not in TargetGroup.values:
            raise DomainError(_("Nhóm đối tượng không hợp lệ: %(group)s.") % {"group": group}, field="target_groups")
        if valid_to is not None and valid_to < valid_from:
            raise DomainError(_("Ngày kết thúc nhóm đối tượng phải sau ngày bắt đầu."), field="target_groups")
        cleaned.append((group, valid_from, valid_to))
    return cleaned


@transaction.atomic
def register_person(*, full_name: str, birth_date: datetime.date, sex: str, national_id: str, residence_unit,
                    phone: str = "", workplace_unit=None, target_groups=(), user=None, actor=None) -> Person:
    """Register a person. One national ID is one person: a second registration of the same ID is refused.

    `target_groups` holds (group, valid_from, valid_to) triples. `actor`, when given, must manage people at the units.
    """
    name = check_person_fields(full_name=full_name, birth_date=birth_date, sex=sex)
    number = validate_national_id(national_id, birth_date=birth_date, sex=sex)
    phone = validate_phone(phone)
    _check_units(residence_unit, workplace_unit)
    _require_unit_scope(actor, residence_unit)
    _require_unit_scope(actor, workplace_unit)
    groups = _clean_groups(target_groups)
    digest = national_id_digest(number)
    if Person.objects.filter(national_id_digest=digest).exists():
        raise DomainError(_("Số định danh cá nhân này đã được đăng ký cho một người trong hệ thống."),
                          field="national_id", code="duplicate")
    try:
        with transaction.atomic():
            person = Person.objects.create(
                full_name=name, search_name=search_key(name), birth_date=birth_date, sex=sex,
                national_id_ciphertext=encrypt_national_id(number), national_id_digest=digest,
                national_id_last_digits=number[-3:], phone=phone, residence_unit=residence_unit,
                workplace_unit=workplace_unit, user=user,
            )
    except IntegrityError as exc:  # a concurrent registration of the same ID won the race
        raise DomainError(_("Số định danh cá nhân này đã được đăng ký cho một người trong hệ thống."),
                          field="national_id", code="duplicate") from exc
    TargetGroupMembership.objects.bulk_create(
        TargetGroupMembership(person=person, group=g, valid_from=f, valid_to=t) for g, f, t in groups
    )
    return person


@transaction.atomic
def update_person(*, person: Person, actor=None, full_name: str | None = None, phone: str | None = None,
                  residence_unit=None, workplace_unit=None, clear_workplace: bool = False) -> Person:
    """Change the name, phone or units of a person. Birth date, sex and ID are identity: they are not edited here."""
    if actor is not None and not _can_change(actor, person):
        raise DomainError(_("Người này nằm ngoài phạm vi quản lý của bạn."), code="forbidden")
    if full_name is not None:
        person.full_name = check_person_fields(full_name=full_name, birth_date=person.birth_date, sex=person.sex)
        person.search_name = search_key(person.full_name)
    if phone is not None:
        person.phone = validate_phone(phone)
    if residence_unit is not None:
        _check_units(residence_unit, None)
        _require_unit_scope(actor, residence_unit)
        person.residence_unit = residence_unit
    if clear_workplace:
        person.workplace_unit = None
    elif workplace_unit is not None:
        _check_units(person.residence_unit, workplace_unit)
        _require_unit_scope(actor, workplace_unit)
        person.workplace_unit = workplace_unit
    person.save()
    return person


def _can_change(actor, person: Person) -> bool:
    return any(
        accounts.has_capability(actor, CHANGE, unit_id)
        for unit_id in (person.residence_unit_id, person.workplace_unit_id)
        if unit_id
    )


@transaction.atomic
def add_target_group(*, person: Person, group: str, valid_from: datetime.date, valid_to=None, actor=None):
    """Add a membership unless the person already has that group open on `valid_from`."""
    if actor is not None and not _can_change(actor, person):
        raise DomainError(_("Người này nằm ngoài phạm vi quản lý của bạn."), code="forbidden")
    (group, valid_from, valid_to), = _clean_groups([(group, valid_from, valid_to)])
    open_already = person.memberships.filter(group=group, valid_from__lte=valid_from, valid_to__isnull=True).exists()
    if open_already:
        return None
    return TargetGroupMembership.objects.create(person=person, group=group, valid_from=valid_from, valid_to=valid_to)


@transaction.atomic
def end_target_group(*, person: Person, group: str, valid_to: datetime.date, actor=None) -> int:
    """Close the person's open membership of `group` on `valid_to`; returns how many were closed."""
    if actor is not None and not _can_change(actor, person):
        raise DomainError(_("Người này nằm ngoài phạm vi quản lý của bạn."), code="forbidden")
    return person.memberships.filter(group=group, valid_to__isnull=True, valid_from__lte=valid_to).update(valid_to=valid_to)


def reveal_personal_data(*, person: Person, actor, channel: str = AccessChannel.WEB, ip_address: str | None = None) -> PersonalData:
    """Decrypt a person's protected data for someone allowed to see it, and log the reading.

    A person reading their own record is not logged; anyone else needs the reveal capability at the person's unit.
    """
    is_self = person.user_id is not None and person.user_id == getattr(actor, "pk", None)
    if not is_self:
        allowed = any(
            accounts.has_capability(actor, accounts.capabilities.PEOPLE_REVEAL, unit_id)
            for unit_id in (person.residence_unit_id, person.workplace_unit_id)
            if unit_id
        )
        if not allowed:
            raise DomainError(_("Bạn không có quyền xem dữ liệu cá nhân của người này."), code="forbidden")
        PersonalDataAccess.objects.create(
            person=person, accessed_by=actor, channel=channel, fields="national_id,phone,birth_date",
            ip_address=ip_address,
        )
    return PersonalData(
        national_id=decrypt_national_id(person.national_id_ciphertext), phone=person.phone, birth_date=person.birth_date
    )


def log_bulk_access(*, person_ids, actor, channel: str, fields: str, ip_address: str | None = None) -> None:
    """Record that `actor` read the protected data of many people at once (a full export)."""
    PersonalDataAccess.objects.bulk_create(
        [PersonalDataAccess(person_id=pid, accessed_by=actor, channel=channel, fields=fields, ip_address=ip_address)
         for pid in person_ids],
        batch_size=2000,
    )


@transaction.atomic
def link_user(*, person: Person, user) -> Person:
    """Give a person their login."""
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise DomainError(_("Tài khoản này đã gắn với một người khác."))
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return person
