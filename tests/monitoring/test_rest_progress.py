"""Progress against a plan's targets through the API (/api/v1/monitoring/progress): what the dashboard shows, for a
national reporting system or a provincial warehouse: value, target (own, inherited, allocated), gap, projection and
the at-risk flag, scoped like the pages."""

from decimal import Decimal

import pytest

from kynangso.accounts.models import Role
from tests.factories import make_user
from tests.reports.conftest import YEAR, followed  # noqa: F401  (the shared scenario)
from tests.support.indicator_api import get

pytestmark = pytest.mark.django_db


def number(text):
    return None if text is None else Decimal(text)


def rows_by(answer) -> dict:
    return {(row["indicator"], row["unit"]["code"]): row for row in answer["rows"]}


def test_the_province_reads_its_progress_and_each_communes(client, province, followed, provincial_admin):  # noqa: F811
    reply = get(client, provincial_admin, "/progress", {"unit": province.root.pk, "year": YEAR, "include": "children"})
    assert reply.status_code == 200, reply.content
    answer = reply.json()
    assert answer["plan"] == {"id": followed.plan.pk, "number_symbol": "99/KH-UBND", "title": "Kế hoạch thử nghiệm"}
    rows = rows_by(answer)
    province_campaigns = rows[("chien-dich", province.root.code)]
    assert number(province_campaigns["value"]) == 15 and number(province_campaigns["target"]) == 20
    assert province_campaigns["target_source"] == "own" and number(province_campaigns["gap"]) == 5
    assert province_campaigns["at_risk"] is True
    commune_a = rows[("chien-dich", province.a.code)]
    assert (number(commune_a["value"]), number(commune_a["target"]), commune_a["target_source"]) == (6, 8, "own")
    ward_b = rows[("chien-dich", province.b.code)]  # a count target is not inherited: no target, not at risk
    assert ward_b["target"] is None and ward_b["target_source"] is None and ward_b["at_risk"] is False
    stem_a = rows[("truong-stem", province.a.code)]  # a percentage target is inherited, and says from where
    assert number(stem_a["target"]) == 50 and stem_a["target_source"] == "inherited"
    assert stem_a["target_from_unit"] == province.root.name
    assert all(row["year"] == YEAR for row in answer["rows"])


def test_a_commune_reads_its_own_progress_and_nothing_of_its_neighbour(client, province, followed, commune_admin):  # noqa: F811
    own = get(client, commune_admin, "/progress", {"unit": province.a.pk, "year": YEAR})
    assert own.status_code == 200
    assert {row["unit"]["code"] for row in own.json()["rows"]} == {province.a.code}
    for unit in (province.b, province.root):
        refused = get(client, commune_admin, "/progress", {"unit": unit.pk, "year": YEAR})
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
        assert unit.name not in refused.content.decode()


def test_an_unknown_plan_is_404_never_another_plans_figures(client, province, followed, provincial_admin):  # noqa: F811
    reply = get(client, provincial_admin, "/progress", {"unit": province.root.pk, "plan": followed.plan.pk + 99})
    assert reply.status_code == 404 and reply.json()["code"] == "not_found"


def test_without_a_monitoring_right_it_is_403_and_without_login_401(client, province, followed):  # noqa: F811
    learner = make_user("hoc_vien", Role.LEARNER, province.a)
    assert get(client, learner, "/progress", {"unit": province.a.pk}).status_code == 403
    assert get(client, None, "/progress", {"unit": province.a.pk}).status_code == 401


def test_a_share_of_the_provinces_count_target_says_it_was_allocated(client, province, followed, provincial_admin):  # noqa: F811
    """Commune A keeps its own 8; the province shares the other 12 of its 20 with ward B by a typed figure."""
    from kynangso.monitoring import api as monitoring

    target = monitoring.Target.objects.get(plan_id=followed.plan.pk, indicator=followed.campaigns, unit=province.root)
    others = [unit for unit in monitoring.allocation_children(target) if unit.pk not in (province.a.pk, province.b.pk)]
    typed = {province.b.pk: 12, **{unit.pk: 0 for unit in others}}
    monitoring.allocate_target(target=target, basis="working_age_residents", typed=typed, actor=provincial_admin)
    rows = rows_by(
        get(
            client, provincial_admin, "/progress", {"unit": province.root.pk, "year": YEAR, "include": "children"}
        ).json()
    )
    ward_b = rows[("chien-dich", province.b.code)]
    assert number(ward_b["target"]) == 12 and ward_b["target_source"] == "allocated"
    assert ward_b["target_from_unit"] == province.root.name
    assert rows[("chien-dich", province.a.code)]["target_source"] == "own"
