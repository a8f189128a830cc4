"""State changes of people: registering, updating, target groups, and reading protected data with an audit record."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, ErrorCode
from kynangso.orgs import api as orgs
from kynangso.people import events, teams
from kynangso.people.identity import (
    decrypt_national_id,
    encrypt_national_id,
    mask_phone,
    national_id_digest,
    validate_national_id,
    validate_phone,
)
from kynangso.people.models import (
    AccessChannel,
    ChangeField,
    Person,
    PersonalDataAccess,
    PersonChange,
    Sex,
    TargetGroup,
    TargetGroupMembership,
)
from kynangso.text import normalize_text, search_key

CHANGE = accounts.capabilities.PEOPLE_CHANGE


@dataclass(frozen=True)
class PersonalData:
    national_id: str
    phone: str
    birth_date: datetime.date


def _require_unit_scope(actor, unit, capability=CHANGE) -> None:
    if unit is not None and not accounts.is_system(actor) and not accounts.has_capability(actor, capability, unit.pk):
        raise DomainError(
            _("Đơn vị «%(unit)s» nằm ngoài phạm vi quản lý của bạn.") % {"unit": unit.name}, code="forbidden"
        )


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


# Registering an ID that is already someone's tells the registrant that the ID exists. Outside their scope that
# is an existence oracle, so such hits get one neutral answer, an audit record, and a per-actor limit.
FOREIGN_ID_LOOKUP_LIMIT = 10
FOREIGN_ID_LOOKUP_WINDOW_SECONDS = 3600


def _duplicate_message() -> str:
    return _("Số định danh cá nhân này đã được đăng ký cho một người trong hệ thống.")


def _foreign_duplicate_message() -> str:
    return _("Số định danh cá nhân này đã được đăng ký ở đơn vị khác; đề nghị cấp tỉnh chuyển hồ sơ.")


def _foreign_lookup_key(actor) -> str:
    return f"people:foreign-id-lookups:{actor.pk}"


def _can_view(actor, person: Person) -> bool:
    return any(
        accounts.has_capability(actor, accounts.capabilities.PEOPLE_VIEW, unit_id)
        for unit_id in (person.residence_unit_id, person.workplace_unit_id)
        if unit_id
    )


def check_national_id_is_free(
    *, number: str, actor, channel: str = AccessChannel.WEB, ip_address: str | None = None
) -> None:
    """Refuse an ID that is already registered. A match outside the actor's scope gets one neutral message (no
    name, unit or date), writes an audit record on that person, and counts towards a per-actor hourly limit;
    past the limit every registration of the actor is refused until the window ends, before any look-up.
    `actor` is a user or `accounts.SYSTEM` (which sees every match)."""
    system = accounts.is_system(actor)
    if not system:
        key = _foreign_lookup_key(actor)
        if cache.get(key, 0) >= FOREIGN_ID_LOOKUP_LIMIT:
            raise DomainError(
                _(
                    "Bạn đã nhập quá nhiều số định danh đã được đăng ký ở đơn vị khác. Hãy thử lại "
                    "sau một giờ, hoặc đề nghị cấp tỉnh kiểm tra danh sách."
                ),
                field="national_id",
                code="rate_limited",
            )
    existing = (
        Person.objects.filter(national_id_digest=national_id_digest(number))
        .only("pk", "residence_unit_id", "workplace_unit_id")
        .first()
    )
    if existing is None:
        return
    if system or _can_view(actor, existing):
        raise DomainError(_duplicate_message(), field="national_id", code="duplicate")
    PersonalDataAccess.objects.create(
        person=existing, accessed_by=actor, channel=channel, fields="national_id_match", ip_address=ip_address
    )
    cache.add(key, 0, timeout=FOREIGN_ID_LOOKUP_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=FOREIGN_ID_LOOKUP_WINDOW_SECONDS)
    raise DomainError(_foreign_duplicate_message(), field="national_id", code="duplicate")


def person_row(
    *,
    full_name: str,
    birth_date: datetime.date,
    sex: str,
    national_id: str,
    phone: str,
    residence_unit,
    workplace_unit=None,
    user=None,
    digest: str | None = None,
) -> Person:
    """The unsaved Person for values already checked (`check_person_fields`, `validate_national_id`,
    `validate_phone`): the one place that derives the stored forms of the national ID (ciphertext, digest, last
    digits) and the search name. Registration and the roster import both build people here."""
    return Person(
        full_name=full_name,
        search_name=search_key(full_name),
        birth_date=birth_date,
        sex=sex,
        national_id_ciphertext=encrypt_national_id(national_id),
        national_id_digest=digest or national_id_digest(national_id),
        national_id_last_digits=national_id[-3:],
        phone=phone,
        residence_unit=residence_unit,
        workplace_unit=workplace_unit,
        user=user,
    )


def register_person(
    *,
    full_name: str,
    birth_date: datetime.date,
    sex: str,
    national_id: str,
    residence_unit,
    actor,
    phone: str = "",
    workplace_unit=None,
    target_groups=(),
    user=None,
    channel: str = AccessChannel.WEB,
    ip_address: str | None = None,
) -> Person:
    """Register a person. One national ID is one person: a second registration of the same ID is refused.

    `target_groups` holds (group, valid_from, valid_to) triples. `actor` (required) must manage people at the units,
    or be `accounts.SYSTEM`; `channel` and `ip_address` go into the audit record written when the ID is already
    registered outside scope.
    """
    accounts.is_system(actor)  # a missing actor fails here, before anything is checked or written
    name = check_person_fields(full_name=full_name, birth_date=birth_date, sex=sex)
    number = validate_national_id(national_id, birth_date=birth_date, sex=sex)
    phone = validate_phone(phone)
    _check_units(residence_unit, workplace_unit)
    _require_unit_scope(actor, residence_unit)
    _require_unit_scope(actor, workplace_unit)
    groups = _clean_groups(target_groups)
    # Outside the transaction: the audit record of a refused look-up must survive the refusal.
    check_national_id_is_free(number=number, actor=actor, channel=channel, ip_address=ip_address)
    with transaction.atomic():
        try:
            with transaction.atomic():
                person = person_row(
                    full_name=name,
                    birth_date=birth_date,
                    sex=sex,
                    national_id=number,
                    phone=phone,
                    residence_unit=residence_unit,
                    workplace_unit=workplace_unit,
                    user=user,
                )
                person.save(force_insert=True)
        except IntegrityError as exc:  # a concurrent registration of the same ID won the race
            raise DomainError(_duplicate_message(), field="national_id", code="duplicate") from exc
        TargetGroupMembership.objects.bulk_create(
            TargetGroupMembership(person=person, group=g, valid_from=f, valid_to=t) for g, f, t in groups
        )
        record_changes(person=person, actor=actor, changes=[(ChangeField.REGISTERED, "", residence_unit)])
        events.announce([person.residence_unit_id, person.workplace_unit_id], "registered")
    return person


def record_changes(*, person: Person, actor, changes) -> None:
    """Write one history row per (field, old, new); protected values are stored masked, never in clear."""
    PersonChange.objects.bulk_create(change_rows(person_id=person.pk, actor=actor, changes=changes))


def change_rows(*, person_id: int, actor, changes) -> list[PersonChange]:
    """The unsaved history rows of `changes` (field, old, new) made by `actor` (the system is stored as no user),
    for callers that write many people at once (the roster import)."""
    changed_by = accounts.recorded_user(actor)
    return [
        PersonChange(
            person_id=person_id,
            changed_by=changed_by,
            field=field,
            old_value=_history_value(field, old),
            new_value=_history_value(field, new),
        )
        for field, old, new in changes
    ]


def _history_value(field: str, value) -> str:
    if value is None or value == "":
        return ""
    if field == ChangeField.PHONE:
        return mask_phone(value)
    if field == ChangeField.BIRTH_DATE:
        return f"**/**/{value.year}"
    if hasattr(value, "name"):  # a unit: its name as it was, so the history reads true after renames
        return value.name[:200]
    return str(value)[:200]


def residence_rule_message() -> str:
    """Why a workplace's manager may not change a person's name, phone or residence (names no data of the person)."""
    return _(
        "Chỉ đơn vị nơi cư trú của người này mới được sửa họ tên, số điện thoại hoặc nơi cư trú; đơn vị nơi công "
        "tác, học tập chỉ sửa được nơi công tác."
    )


def may_change_residence_fields(actor, residence_unit_id: int) -> bool:
    """Name, phone and residence belong to the unit of residence: the system, or a manager there, may change them."""
    return accounts.is_system(actor) or accounts.has_capability(actor, CHANGE, residence_unit_id)


def _require_residence_scope(actor, residence_unit_id: int) -> None:
    if not may_change_residence_fields(actor, residence_unit_id):
        raise DomainError(residence_rule_message(), code="forbidden")


@transaction.atomic
def update_person(
    *,
    person: Person,
    actor,
    full_name: str | None = None,
    phone: str | None = None,
    residence_unit=None,
    workplace_unit=None,
    clear_workplace: bool = False,
) -> Person:
    """Change the name, phone or units of a person, and keep the history of every change.

    Name, phone and residence belong to the unit of residence: only a manager there may change them. A manager of
    the workplace (a school, a department) may change only the workplace. Birth date, sex and ID are identity:
    they are not edited here. `actor` is required: a user, or `accounts.SYSTEM`.
    """
    system = accounts.is_system(actor)
    # The stored record, not the caller's copy: the admin's form has already written its input onto that one.
    # Lock only the person's row: PostgreSQL cannot lock the nullable side of the workplace's outer join.
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("residence_unit", "workplace_unit")
        .get(pk=person.pk)
    )
    if not system and not _can_change(actor, person):
        raise DomainError(_("Người này nằm ngoài phạm vi quản lý của bạn."), code="forbidden")
    residence_id = person.residence_unit_id
    units_before = [person.residence_unit_id, person.workplace_unit_id]
    if phone is not None and not may_change_residence_fields(actor, residence_id):
        # Refused whatever its value: comparing it first would tell a workplace's manager, unaudited, whether a
        # guessed number is the stored one (the phone is protected data; reading it is an audited reveal).
        raise DomainError(residence_rule_message(), code="forbidden")
    changes: list[tuple[ChangeField, object, object]] = []
    if full_name is not None:
        name = check_person_fields(full_name=full_name, birth_date=person.birth_date, sex=person.sex)
        if name != person.full_name:
            changes.append((ChangeField.FULL_NAME, person.full_name, name))
            person.full_name, person.search_name = name, search_key(name)
    if phone is not None:
        clean = validate_phone(phone)
        if clean != person.phone:
            changes.append((ChangeField.PHONE, person.phone, clean))
            person.phone = clean
    if residence_unit is not None and residence_unit.pk != person.residence_unit_id:
        _check_units(residence_unit, None)
        _require_unit_scope(actor, residence_unit)
        changes.append((ChangeField.RESIDENCE_UNIT, person.residence_unit, residence_unit))
        person.residence_unit = residence_unit
    if any(field != ChangeField.WORKPLACE_UNIT for field, _old, _new in changes):
        _require_residence_scope(actor, residence_id)
    if clear_workplace:
        if person.workplace_unit_id is not None:
            changes.append((ChangeField.WORKPLACE_UNIT, person.workplace_unit, None))
        person.workplace_unit = None
    elif workplace_unit is not None and workplace_unit.pk != person.workplace_unit_id:
        _check_units(person.residence_unit, workplace_unit)
        _require_unit_scope(actor, workplace_unit)
        changes.append((ChangeField.WORKPLACE_UNIT, person.workplace_unit, workplace_unit))
        person.workplace_unit = workplace_unit
    if changes:
        person.save()
        record_changes(person=person, actor=actor, changes=changes)
        left_teams = set()
        if any(field == ChangeField.RESIDENCE_UNIT for field, _old, _new in changes):
            # A move to another commune ends the memberships of the teams there (people.teams).
            left_teams = teams.close_memberships_elsewhere(
                {person.pk: person.residence_unit_id}, on=timezone.localdate()
            )
        if any(field in (ChangeField.RESIDENCE_UNIT, ChangeField.WORKPLACE_UNIT) for field, _old, _new in changes):
            units = units_before + [person.residence_unit_id, person.workplace_unit_id, *left_teams]
            events.announce(units, "updated")
    return person


def _can_change(actor, person: Person) -> bool:
    return any(
        accounts.has_capability(actor, CHANGE, unit_id)
        for unit_id in (person.residence_unit_id, person.workplace_unit_id)
        if unit_id
    )


@transaction.atomic
def add_target_group(*, person: Person, group: str, valid_from: datetime.date, actor, valid_to=None):
    """Add a membership unless the person already has that group open on `valid_from`; `actor` must manage the
    person (or be `accounts.SYSTEM`)."""
    if not accounts.is_system(actor) and not _can_change(actor, person):
        raise DomainError(_("Người này nằm ngoài phạm vi quản lý của bạn."), code="forbidden")
    ((group, valid_from, valid_to),) = _clean_groups([(group, valid_from, valid_to)])
    open_already = person.memberships.filter(group=group, valid_from__lte=valid_from, valid_to__isnull=True).exists()
    if open_already:
        return None
    events.announce([person.residence_unit_id, person.workplace_unit_id], "target_group")
    return TargetGroupMembership.objects.create(person=person, group=group, valid_from=valid_from, valid_to=valid_to)


@transaction.atomic
def end_target_group(*, person: Person, group: str, valid_to: datetime.date, actor) -> int:
    """Close the person's open membership of `group` on `valid_to`; returns how many were closed. `actor` must
    manage the person (or be `accounts.SYSTEM`)."""
    if not accounts.is_system(actor) and not _can_change(actor, person):
        raise DomainError(_("Người này nằm ngoài phạm vi quản lý của bạn."), code="forbidden")
    ending = person.memberships.filter(group=group, valid_to__isnull=True, valid_from__lte=valid_to)
    teams = [team_id for team_id in ending.values_list("team_id", flat=True) if team_id]
    closed = ending.update(valid_to=valid_to)
    if closed:
        events.announce([person.residence_unit_id, person.workplace_unit_id, *teams], "target_group")
    return closed


def _check_team(actor, team, person: Person) -> None:
    _require_unit_scope(actor, team)  # first: nothing is said of a unit outside the actor's scope
    if team.kind != orgs.UnitKind.COMMUNITY_TEAM:
        raise DomainError(
            _("«%(unit)s» không phải là một tổ công nghệ số cộng đồng.") % {"unit": team.name}, field="team"
        )
    if not team.is_active:
        raise DomainError(_("Đơn vị «%(name)s» đã hết hiệu lực (đã sáp nhập hoặc giải thể).") % {"name": team.name})
    if teams.teams_outside_home([(person.residence_unit_id, team.pk)]):
        raise DomainError(
            _(
                "«%(team)s» không thuộc xã, phường nơi người này cư trú: thành viên tổ công nghệ số cộng đồng tham "
                "gia tổ nơi mình ở."
            )
            % {"team": team.name},
            field="team",
        )


def record_memberships(new_memberships, *, batch: int = 1000) -> None:
    """Record memberships (person id, group, from, team id or None) of people already registered. One that starts
    the day a closed membership of the same group and team started is that membership open again (the person left
    and is listed again from the same day, as an old file says), not a second one that the unique start would
    refuse. The roster and `join_community_team` both record through here."""
    for start in range(0, len(new_memberships), batch):
        chunk = new_memberships[start : start + batch]
        closed = {
            (person_id, group, valid_from, team_id): pk
            for pk, person_id, group, valid_from, team_id in TargetGroupMembership.objects.filter(
                person_id__in={person_id for person_id, _g, _f, _t in chunk}, valid_to__isnull=False
            ).values_list("pk", "person_id", "group", "valid_from", "team_id")
        }
        reopened = [closed[key] for key in chunk if key in closed]
        if reopened:
            TargetGroupMembership.objects.filter(pk__in=reopened).update(valid_to=None)
        TargetGroupMembership.objects.bulk_create(
            [
                TargetGroupMembership(person_id=pid, group=g, valid_from=f, team_id=team)
                for pid, g, f, team in chunk
                if (pid, g, f, team) not in closed
            ]
        )


@transaction.atomic
def join_community_team(*, person: Person, team, valid_from: datetime.date, actor) -> TargetGroupMembership | None:
    """Record the person as a member of a community digital team from `valid_from`; None when they already are.

    The membership is the person's own (group «thành viên tổ công nghệ số cộng đồng», naming the team): their
    residence and workplace stay as they are, so a commune official who volunteers still counts as an official of
    their office. The team is one of the person's home commune (people.teams). `actor` must manage the person and
    the team's unit (or be `accounts.SYSTEM`). Monitoring hears of it (the team's hamlet may now have an active
    team)."""
    if not accounts.is_system(actor) and not _can_change(actor, person):
        raise DomainError(_("Người này nằm ngoài phạm vi quản lý của bạn."), code="forbidden")
    _check_team(actor, team, person)
    memberships = person.memberships.select_for_update().filter(group=TargetGroup.COMMUNITY_TEAM, team=team)
    if memberships.filter(valid_to__isnull=True).exists():
        return None
    events.announce([person.residence_unit_id, person.workplace_unit_id, team.pk], "target_group")
    record_memberships([(person.pk, TargetGroup.COMMUNITY_TEAM.value, valid_from, team.pk)])  # or reopened
    return memberships.get(valid_from=valid_from)


@transaction.atomic
def leave_community_team(*, person: Person, team, valid_to: datetime.date, actor) -> int:
    """Close the person's open membership of `team` on `valid_to`; returns how many were closed (0: not a member).
    A day before the membership began is refused."""
    if not accounts.is_system(actor) and not _can_change(actor, person):
        raise DomainError(_("Người này nằm ngoài phạm vi quản lý của bạn."), code="forbidden")
    _require_unit_scope(actor, team)
    membership = person.memberships.filter(group=TargetGroup.COMMUNITY_TEAM, team=team, valid_to__isnull=True)
    if membership.filter(valid_from__gt=valid_to).exists():
        raise DomainError(_("Ngày rời tổ phải từ ngày tham gia trở đi."), field="valid_to")
    closed = membership.update(valid_to=valid_to)
    if closed:
        events.announce([person.residence_unit_id, person.workplace_unit_id, team.pk], "target_group")
    return closed


def reveal_personal_data(
    *,
    person: Person,
    actor,
    channel: str = AccessChannel.WEB,
    ip_address: str | None = None,
    fields: str = "national_id,phone,birth_date",
) -> PersonalData:
    """Decrypt a person's protected data for someone allowed to see it, and log the reading.

    A person reading their own record is not logged; anyone else needs the reveal capability at the person's unit.
    `fields` names what the caller will actually show (the log records it).
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
            person=person,
            accessed_by=actor,
            channel=channel,
            fields=fields,
            ip_address=ip_address,
        )
    return PersonalData(
        national_id=decrypt_national_id(person.national_id_ciphertext), phone=person.phone, birth_date=person.birth_date
    )


def log_bulk_access(*, person_ids, actor, channel: str, fields: str, ip_address: str | None = None) -> None:
    """Record that `actor` read the protected data of many people at once (a full export)."""
    PersonalDataAccess.objects.bulk_create(
        [
            PersonalDataAccess(person_id=pid, accessed_by=actor, channel=channel, fields=fields, ip_address=ip_address)
            for pid in person_ids
        ],
        batch_size=2000,
    )


@transaction.atomic
def link_user(*, person: Person, user) -> Person:
    """Give a person their login; a person already linked to another login keeps it (DUPLICATE).

    The link is one conditional UPDATE (`… WHERE user_id IS NULL`), not a read then a write: two first sign-ins of
    the same person at the same moment (two tabs, a double tap) each create a login, and only the first to commit
    is linked; the other is refused and its transaction, login included, is rolled back (oidc.services)."""
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise DomainError(_("Tài khoản này đã gắn với một người khác."), code=ErrorCode.DUPLICATE)
    linked = Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user, updated_at=timezone.now())
    if not linked and not Person.objects.filter(pk=person.pk, user=user).exists():
        raise DomainError(_("Người này đã có tài khoản đăng nhập khác."), code=ErrorCode.DUPLICATE)
    person.refresh_from_db(fields=["user", "updated_at"])
    return person
