"""The questionnaire as data and its scoring rule (DSI 2.0 style): none / basic / above basic per area, «at least
basic» when every area counted in the overall indicator is basic or above."""

import copy

import pytest
import yaml

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.survey import api as survey
from kynangso.survey.instrument import ABOVE_BASIC, BASIC, NONE, area_level, score
from tests.survey.world import QUESTIONNAIRE, load_questionnaire

SCORING = {"basic": 1, "above_basic": 2}


def test_an_area_with_no_activity_is_none_one_is_basic_two_or_more_above_basic():
    assert area_level(0, SCORING) == NONE
    assert area_level(1, SCORING) == BASIC
    assert area_level(2, SCORING) == ABOVE_BASIC
    assert area_level(4, SCORING) == ABOVE_BASIC


@pytest.mark.django_db
def test_at_least_basic_needs_every_counted_area_and_ignores_the_ai_area():
    definition = load_questionnaire().definition
    counted = [area for area in definition["areas"] if area["in_overall"]]
    one_per_area = {area["activities"][0]["code"]: True for area in counted}
    levels, overall = score(definition, one_per_area)
    assert overall is True
    assert {levels[area["code"]] for area in counted} == {BASIC}
    assert levels["tri-tue-nhan-tao"] == NONE  # asked, not counted: DSI 2.0 has no such area
    without_safety = {
        code: done for code, done in one_per_area.items() if code not in {a["code"] for a in counted[3]["activities"]}
    }
    levels, overall = score(definition, without_safety)
    assert levels[counted[3]["code"]] == NONE
    assert overall is False


@pytest.mark.django_db
def test_a_changed_file_becomes_a_new_version_and_an_unchanged_one_does_not():
    first = load_questionnaire()
    again, created = survey.load_questionnaire_file(path=QUESTIONNAIRE, actor=accounts.SYSTEM)
    assert (again.pk, created) == (first.pk, False)
    edited = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))
    edited["areas"][0]["activities"].append({"code": "nghe-podcast", "text": "Nghe podcast trên mạng"})
    second, created = survey.load_questionnaire(definition=edited, actor=accounts.SYSTEM)
    assert created and second.version == first.version + 1


@pytest.mark.django_db
def test_areas_map_to_domains_that_exist_in_the_frameworks():
    for path in ("qd757-2025.yaml", "tt02-2025.yaml"):
        frameworks.load_framework_file(QUESTIONNAIRE.parent.parent / "frameworks" / path)
    load_questionnaire()  # every mapped domain exists
    broken = copy.deepcopy(yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8")))
    broken["areas"][0]["tt02"] = ["9"]
    with pytest.raises(DomainError, match="không có trong khung"):
        survey.load_questionnaire(definition=broken, actor=accounts.SYSTEM)


@pytest.mark.django_db
def test_a_province_official_without_the_capability_cannot_load_a_questionnaire(commune_admin):
    definition = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))
    with pytest.raises(DomainError) as refused:
        survey.load_questionnaire(definition=definition, actor=commune_admin)
    assert refused.value.code == "forbidden"
