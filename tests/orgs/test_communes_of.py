"""Which commune a unit lies in: a hamlet's and a team's commune is the commune above them, a commune is its own,
and a unit above the communes has none."""

from kynangso.orgs import api as orgs
from tests.factories import make_unit


def test_each_unit_is_placed_in_the_nearest_commune_above_it_or_itself(province):
    hamlet = make_unit("X001-T1", "Thôn Một", kind="hamlet", parent=province.a)
    team = make_unit("X001-T1-CNS", "Tổ công nghệ số cộng đồng Thôn Một", kind="community_team", parent=hamlet)
    found = orgs.communes_of([team.pk, hamlet.pk, province.a.pk, province.b.pk, province.root.pk])
    assert found == {
        team.pk: province.a.pk,
        hamlet.pk: province.a.pk,
        province.a.pk: province.a.pk,
        province.b.pk: province.b.pk,
    }
