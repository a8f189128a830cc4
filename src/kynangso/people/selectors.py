"""Reads of people, always through the reader's scope: one query with the subtree as a subquery."""

import datetime
import re

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.orgs import api as orgs
from kynangso.people.identity import clean_national_id, clean_phone, national_id_digest
from kynangso.people.models import Person, PersonChange, TargetGroup, TargetGroupMembership
from kynangso.people.teams import home_commune_id
from kynangso.text import search_key


def helper_search(scope: QuerySet, data, *, posted: bool, limit: int = 10) -> tuple[str, list, str]:
    """The search of a community helper's page (assisted exam, assisted learning): (query, people found in
    `scope`, error). A query string may search a name but never an identifier: a national ID or a phone must not
    land in a URL, a browser history or an access log, so such a query from a link finds nobody and says why."""
    query = (data.get("q") or "").strip()
    refused = not posted and is_identifier_query(query)
    found = list(search_people(scope, query=query)[:limit]) if len(query) >= 2 and not refused else []
    error = (
        _(
            "Để bảo vệ dữ liệu cá nhân, số định danh và số điện thoại chỉ được tìm bằng nút «Tìm» trên trang, không "
            "qua đường dẫn."
        )
        if refused
        else ""
    )
    return query, found, error


def full_names(person_ids) -> dict[int, str]:
    """Person id → full name, for the ids given (a certificate names its holder)."""
    return dict(Person.objects.filter(pk__in=set(person_ids)).values_list("id", "full_name"))


def everyone() -> QuerySet:
    """Every person of the register, for a caller that applies its own scope (or the system itself)."""
    return Person.objects.all()


def people_linked_to_username(username: str):
    """The person whose login is `username`, or None."""
    return Person.objects.filter(user__username=username).first()


def person_by_national_id(number: str):
    """The person with this national ID (found by its keyed digest, nothing decrypted), or None."""
    return Person.objects.filter(national_id_digest=national_id_digest(number)).first()


def people_of_units(unit_ids, *, member_rows=None) -> QuerySet:
    """People living or working in the units, optionally only those whose ids `member_rows` (a values('person_id')
    query) yields."""
    qs = Person.objects.filter(Q(residence_unit_id__in=unit_ids) | Q(workplace_unit_id__in=unit_ids))
    return qs if member_rows is None else qs.filter(pk__in=member_rows)


def units_of_people(person_ids) -> set[int]:
    """The units the people live or work in (no scope: for recounting, never shown)."""
    ids, units = sorted(set(person_ids)), set()
    for start in range(0, len(ids), 500):
        for residence, workplace in (
            Person.objects.filter(pk__in=ids[start : start + 500])
            .values_list("residence_unit_id", "workplace_unit_id")
            .distinct()
        ):
            units.update(unit for unit in (residence, workplace) if unit is not None)
    return units


def people_in_scope(user, capability: str = accounts.capabilities.PEOPLE_VIEW) -> QuerySet:
    """People who live or work within the subtrees where `user` holds `capability`."""
    qs = Person.objects.select_related("residence_unit", "workplace_unit")
    unit_ids = accounts.scope_unit_ids(user, capability)
    if unit_ids is None:
        return qs
    return qs.filter(Q(residence_unit_id__in=unit_ids) | Q(workplace_unit_id__in=unit_ids))


def person_user_ids_in_scope(actor, capability: str) -> QuerySet:
    """The logins (a subquery, column user_id) of the people in `actor`'s scope for `capability`."""
    return people_in_scope(actor, capability).filter(user__isnull=False).values("user_id")


def person_in_scope(actor, capability: str, person_id: int):
    """That person if within `actor`'s scope for `capability`, else None."""
    return people_in_scope(actor, capability).filter(pk=person_id).first()


def in_group_on(group: str, on_date: datetime.date) -> Exists:
    return Exists(
        TargetGroupMembership.objects.filter(person=OuterRef("pk"), group=group, valid_from__lte=on_date).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on_date)
        )
    )


def is_identifier_query(query: str) -> bool:
    """Whether a search text is a national ID or a phone number (digits, spaces, dots, a leading +) rather than a
    name: such a query is personal data and travels only in a request body, never in a URL."""
    return bool(re.fullmatch(r"\+?\d{6,12}", clean_national_id((query or "").strip())))


def search_people(
    qs: QuerySet, *, query: str = "", unit_id: int | None = None, group: str = "", on_date: datetime.date | None = None
) -> QuerySet:
    """Narrow `qs` by a free-text query (name without diacritics or case, a full national ID, or a full phone
    number), a unit's subtree, and a target group current on `on_date`.

    Identifiers match only whole: a partial phone (`phone__contains`) answered digit by digit would reveal a
    person's number without the reveal right and without an audit record."""
    query = (query or "").strip()
    if query:
        if is_identifier_query(query):
            digits = clean_national_id(query)
            if re.fullmatch(r"\d{12}", digits):
                qs = qs.filter(national_id_digest=national_id_digest(digits))
            else:
                qs = qs.filter(phone=clean_phone(query))
        else:
            qs = qs.filter(search_name__contains=search_key(query))
    if unit_id:
        subtree = orgs.subtree_unit_ids([unit_id])
        qs = qs.filter(Q(residence_unit_id__in=subtree) | Q(workplace_unit_id__in=subtree))
    if group:
        qs = qs.filter(in_group_on(group, on_date or timezone.localdate()))
    return qs


def current_groups(person: Person, on_date: datetime.date | None = None) -> list[str]:
    on_date = on_date or timezone.localdate()
    return list(
        person.memberships.filter(valid_from__lte=on_date)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on_date))
        .values_list("group", flat=True)
    )


def person_for_user(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).select_related("residence_unit").first()


def person_history(person: Person, limit: int = 100) -> list[PersonChange]:
    """The latest changes of a person's record, newest first, with who made them; protected values are masked."""
    return list(
        PersonChange.objects.filter(person=person).select_related("changed_by").order_by("-changed_at", "-id")[:limit]
    )


def community_team_members(team, *, on: datetime.date | None = None):
    """The people who are members of `team` on `on` (today by default): by a membership naming the team, or
    (older records) by having the team as their workplace."""
    on = on or timezone.localdate()
    named = Q(
        memberships__group=TargetGroup.COMMUNITY_TEAM,
        memberships__team=team,
        memberships__valid_from__lte=on,
    ) & (Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gte=on))
    return Person.objects.filter(named | Q(workplace_unit=team)).distinct().order_by("full_name", "pk")


def community_teams_for(actor, person: Person) -> QuerySet:
    """The community digital teams `actor` may record `person` as joining, by name: the teams in being in the
    person's commune (volunteers serve where they live) that lie in the actor's scope for changing people."""
    commune_id = home_commune_id(person.residence_unit_id)
    if commune_id is None:
        return orgs.units().none()
    teams = orgs.units(within=[commune_id], kind=orgs.UnitKind.COMMUNITY_TEAM, active_only=True).order_by("name")
    scope = None if accounts.is_system(actor) else accounts.scope_unit_ids(actor, accounts.capabilities.PEOPLE_CHANGE)
    return teams if scope is None else teams.filter(pk__in=scope)


def open_team_memberships(person: Person) -> list[TargetGroupMembership]:
    """The person's community-team memberships naming a team and not yet closed, with their teams."""
    return list(
        person.memberships.filter(group=TargetGroup.COMMUNITY_TEAM, team__isnull=False, valid_to__isnull=True)
        .select_related("team")
        .order_by("valid_from", "pk")
    )
