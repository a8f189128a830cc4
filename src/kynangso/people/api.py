"""Public interface of the people app."""

import datetime
from typing import TypedDict

from django.db.models import QuerySet

from kynangso.people.events import PeopleChanged, on_people_changed
from kynangso.people.exports import reveal_many
from kynangso.people.identity import (
    PROVINCE_CODES,
    century_sex_digit,
    mask_national_id,
    mask_phone,
    national_id_digest,
    validate_national_id,
)
from kynangso.people.jobs import delete_old_uploads, save_upload, start_roster_import
from kynangso.people.models import AccessChannel, Person, Sex, TargetGroup
from kynangso.people.roster import RosterReport, import_roster
from kynangso.people.roster_template import roster_unit_codes, write_error_report, write_template
from kynangso.people.rotation import RotationReport, rotate_data_key
from kynangso.people.selectors import (
    community_team_members,
    community_teams_for,
    current_groups,
    everyone,
    full_names,
    helper_search,
    is_identifier_query,
    open_team_memberships,
    people_in_scope,
    people_linked_to_username,
    people_of_units,
    person_by_national_id,
    person_for_user,
    person_history,
    person_in_scope,
    person_user_ids_in_scope,
    search_people,
    units_of_people,
)
from kynangso.people.services import (
    PersonalData,
    add_target_group,
    end_target_group,
    join_community_team,
    leave_community_team,
    link_user,
    log_bulk_access,
    register_person,
    reveal_personal_data,
    update_person,
)

__all__ = [
    "PersonRow",
    "MembershipRow",
    "PROVINCE_CODES",
    "century_sex_digit",
    "AccessChannel",
    "Person",
    "PersonalData",
    "RosterReport",
    "Sex",
    "TargetGroup",
    "add_target_group",
    "community_team_members",
    "community_teams_for",
    "open_team_memberships",
    "current_groups",
    "delete_old_uploads",
    "end_target_group",
    "join_community_team",
    "leave_community_team",
    "import_roster",
    "link_user",
    "log_bulk_access",
    "mask_national_id",
    "is_identifier_query",
    "mask_phone",
    "national_id_digest",
    "people_in_scope",
    "people_with_ids",
    "person_for_user",
    "person_history",
    "person_in_scope",
    "person_user_ids_in_scope",
    "RotationReport",
    "rotate_data_key",
    "everyone",
    "full_names",
    "helper_search",
    "people_linked_to_username",
    "people_of_units",
    "person_by_national_id",
    "register_person",
    "reveal_many",
    "reveal_personal_data",
    "roster_unit_codes",
    "save_upload",
    "search_people",
    "start_roster_import",
    "update_person",
    "user_id_for_identifier",
    "validate_national_id",
    "PeopleChanged",
    "on_people_changed",
    "units_of_people",
    "write_error_report",
    "write_template",
]


def people_with_ids(person_ids) -> "QuerySet[Person]":
    """The people whose ids are in `person_ids` (a list or a subquery of ids); no scope applied: callers pass ids
    they already scoped."""
    return Person.objects.filter(pk__in=person_ids)


def user_id_for_identifier(identifier: str) -> int | None:
    """The login of the person whose national ID or phone is `identifier`; None if none or ambiguous."""
    from kynangso.people.identity import clean_national_id, clean_phone

    digits = clean_national_id(identifier)
    if len(digits) == 12 and digits.isdigit():
        return (
            Person.objects.filter(national_id_digest=national_id_digest(digits), user__isnull=False)
            .values_list("user_id", flat=True)
            .first()
        )
    phone = clean_phone(identifier)
    if len(phone) == 10 and phone.isdigit():
        ids = list(Person.objects.filter(phone=phone, user__isnull=False).values_list("user_id", flat=True)[:2])
        return ids[0] if len(ids) == 1 else None
    return None


class PersonRow(TypedDict):
    """A row of `person_rows()`. Read by monitoring's roll-up (its people table, and the units of people whose row
    changed since the last run): every key below is a column it selects."""

    id: int
    birth_date: datetime.date
    residence_unit_id: int
    workplace_unit_id: int | None
    updated_at: datetime.datetime


class MembershipRow(TypedDict):
    """A row of `membership_rows()`: one dated target-group membership. Read by monitoring's roll-up (who was in
    a group on a day) and by the assessment demo."""

    person_id: int
    group: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    team_id: int | None  # community_team only: the team the person serves in (None: not said)


def person_rows():
    """Every person as values (a set-based source for monitoring's roll-up, never loaded into Python): id,
    birth_date, residence_unit_id, workplace_unit_id, updated_at."""
    return Person.objects.order_by().values("id", "birth_date", "residence_unit_id", "workplace_unit_id", "updated_at")


def membership_rows():
    """Every dated target-group membership as values (a set-based source for monitoring): person_id, group,
    valid_from, valid_to, team_id."""
    from kynangso.people.models import TargetGroupMembership

    return TargetGroupMembership.objects.order_by().values("person_id", "group", "valid_from", "valid_to", "team_id")
