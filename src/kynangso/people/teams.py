"""Where a community digital team's members come from (ADR 0047): a volunteer serves the commune they live in.

A membership names a team of the person's home commune (the commune-level unit of their residence); joining a team
of another commune is refused, wherever the join comes from (the person page, the roster, the services); and a move
to another commune ends the memberships of the commune left, on the day of the move, so that no membership is left
open where nobody who manages the person can close it and the old hamlet does not go on counting a member who left.
"""

import datetime

from kynangso.orgs import api as orgs
from kynangso.people.models import TargetGroup, TargetGroupMembership


def home_commune_id(residence_unit_id: int) -> int | None:
    """The commune-level unit a residence (a commune or a hamlet) lies in."""
    return orgs.communes_of([residence_unit_id]).get(residence_unit_id)


def teams_outside_home(pairs) -> set[tuple[int, int]]:
    """Of (residence unit id, team id) pairs, those whose team is not in the residence's commune. One query."""
    pairs = set(pairs)
    communes = orgs.communes_of({unit for pair in pairs for unit in pair})
    return {
        (residence, team)
        for residence, team in pairs
        if communes.get(team) is None or communes.get(team) != communes.get(residence)
    }


def close_memberships_elsewhere(residences: dict[int, int], *, on: datetime.date) -> set[int]:
    """End the open team memberships of people (person id → new residence unit id) whose team is not in their new
    home commune: valid to `on` (the day of the move); one that was to begin after `on` never began and is removed.
    Returns the ids of the teams concerned (their hamlets' figures change)."""
    if not residences:
        return set()
    memberships = TargetGroupMembership.objects.filter(
        person_id__in=list(residences), group=TargetGroup.COMMUNITY_TEAM, team__isnull=False, valid_to__isnull=True
    )
    rows = list(memberships.values_list("pk", "person_id", "team_id", "valid_from"))
    outside = teams_outside_home((residences[person], team) for _pk, person, team, _start in rows)
    leaving = [(pk, team, start) for pk, person, team, start in rows if (residences[person], team) in outside]
    TargetGroupMembership.objects.filter(pk__in=[pk for pk, _team, start in leaving if start <= on]).update(valid_to=on)
    TargetGroupMembership.objects.filter(pk__in=[pk for pk, _team, start in leaving if start > on]).delete()
    return {team for _pk, team, _start in leaving}
