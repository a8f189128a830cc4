"""Applying a checked roster: the people created and updated in batches, their change history and their target
group memberships (a community digital team's by a membership naming the team), announced to the roll-up after
commit.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.people import events, teams
from kynangso.people.models import ChangeField, Person, PersonChange, TargetGroup, TargetGroupMembership
from kynangso.people.roster_reading import BATCH, RosterRow
from kynangso.people.services import change_rows, person_row, record_memberships
from kynangso.text import search_key


def history_changes(current: dict, wanted: dict, residence, workplace) -> list[tuple[str, object, object]]:
    """The (field, old, new) history entries of updating `current` to `wanted` (units by their names)."""
    changes = []
    if wanted["full_name"] != current["full_name"]:
        changes.append((ChangeField.FULL_NAME, current["full_name"], wanted["full_name"]))
    if wanted["phone"] != current["phone"]:
        changes.append((ChangeField.PHONE, current["phone"], wanted["phone"]))
    if wanted["residence_unit_id"] != current["residence_unit_id"]:
        changes.append((ChangeField.RESIDENCE_UNIT, current["residence_unit__name"], residence))
    if wanted["workplace_unit_id"] != current["workplace_unit_id"]:
        changes.append((ChangeField.WORKPLACE_UNIT, current["workplace_unit__name"], workplace))
    return changes


def existing_people(digests: list[str]) -> dict[str, dict]:
    found = {}
    fields = (
        "id",
        "national_id_digest",
        "full_name",
        "birth_date",
        "sex",
        "phone",
        "residence_unit_id",
        "workplace_unit_id",
        "residence_unit__name",
        "workplace_unit__name",
    )
    for start in range(0, len(digests), 5000):
        for values in Person.objects.filter(national_id_digest__in=digests[start : start + 5000]).values(*fields):
            found[values["national_id_digest"]] = values
    return found


def plain_groups(row: RosterRow) -> list[str]:
    """The row's groups recorded without a team: «thành viên tổ công nghệ số cộng đồng» is the team's membership
    when the row names a team."""
    return [g for g in row.groups if not (row.team is not None and g == TargetGroup.COMMUNITY_TEAM)]


def open_team_memberships(person_ids: list[int]) -> set[tuple[int, int]]:
    """(person id, team id) of every open membership naming a community digital team."""
    pairs = set()
    for start in range(0, len(person_ids), 5000):
        pairs.update(
            TargetGroupMembership.objects.filter(
                person_id__in=person_ids[start : start + 5000], valid_to__isnull=True, team__isnull=False
            ).values_list("person_id", "team_id")
        )
    return pairs


def open_memberships(person_ids: list[int]) -> set[tuple[int, str]]:
    pairs = set()
    for start in range(0, len(person_ids), 5000):
        pairs.update(
            TargetGroupMembership.objects.filter(
                person_id__in=person_ids[start : start + 5000], valid_to__isnull=True
            ).values_list("person_id", "group")
        )
    return pairs


def apply_rows(creates, updates, new_memberships, today, *, actor, units: set) -> None:
    """Write the checked rows in one transaction: `creates` (row, residence, workplace), `updates` (person id, wanted
    fields, history) and `new_memberships` (person id, group, from, team id or None) of people already registered;
    `units` (including the teams joined) are announced after commit."""
    try:
        with transaction.atomic():
            events.announce(units, "roster")  # the units people were in and are in now, after commit
            for start in range(0, len(creates), BATCH):
                chunk = creates[start : start + BATCH]
                people = Person.objects.bulk_create(
                    [
                        person_row(
                            full_name=row.full_name,
                            birth_date=row.birth_date,
                            sex=row.sex,
                            national_id=row.national_id,
                            digest=row.digest,
                            phone=row.phone,
                            residence_unit=residence,
                            workplace_unit=workplace,
                        )
                        for row, residence, workplace in chunk
                    ]
                )
                TargetGroupMembership.objects.bulk_create(
                    [
                        TargetGroupMembership(
                            person_id=person.pk, group=group, valid_from=row.groups_from or today, team=team
                        )
                        for person, (row, _r, _w) in zip(people, chunk)
                        for group, team in _memberships_of(row)
                    ]
                )
                PersonChange.objects.bulk_create(
                    [
                        history
                        for person, (_row, residence, _w) in zip(people, chunk)
                        for history in change_rows(
                            person_id=person.pk, actor=actor, changes=[(ChangeField.REGISTERED, "", residence)]
                        )
                    ]
                )
            now = timezone.now()
            for start in range(0, len(updates), BATCH):
                chunk = updates[start : start + BATCH]
                for person_id, wanted, _history in chunk:
                    Person.objects.filter(pk=person_id).update(
                        search_name=search_key(wanted["full_name"]), updated_at=now, **wanted
                    )
                PersonChange.objects.bulk_create(
                    [
                        history
                        for person_id, _wanted, changes in chunk
                        for history in change_rows(person_id=person_id, actor=actor, changes=changes)
                    ]
                )
            # A move to another commune ends the memberships of the teams there (people.teams), before the rows'
            # own teams are joined.
            moved = {
                person_id: wanted["residence_unit_id"]
                for person_id, wanted, changes in updates
                if any(field == ChangeField.RESIDENCE_UNIT for field, _old, _new in changes)
            }
            events.announce(teams.close_memberships_elsewhere(moved, on=today), "roster")
            record_memberships(new_memberships, batch=BATCH)
    except IntegrityError as exc:
        raise DomainError(
            _(
                "Có người khác vừa nhập cùng những người này trong lúc tệp đang được xử lý; không có gì được ghi. "
                "Hãy nhập lại tệp."
            )
        ) from exc


def _memberships_of(row: RosterRow) -> list[tuple[str, object]]:
    """(group, team or None) of a new person's memberships."""
    plain = [(group, None) for group in plain_groups(row)]
    if row.team is None:
        return plain
    return [*plain, (TargetGroup.COMMUNITY_TEAM, row.team)]
