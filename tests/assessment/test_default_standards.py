"""The shipped standards: one for each QĐ 757 group (and teachers, community digital teams, pupils by school level),
each naming the group whose «đạt phổ cập» it confirms, and each open only to its own target group."""

import datetime

import pytest
from django.core.management import call_command

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment.models import Standard, UniversalGroup
from kynangso.people import api as people


@pytest.fixture
def shipped(db):
    call_command("load-content", verbosity=0)
    return {s.code: s for s in Standard.objects.all()}


def test_every_qd757_group_has_a_standard_that_confirms_it(shipped):
    confirmed = {s.confirms_universal_for for s in shipped.values()}
    assert confirmed == set(UniversalGroup.values)
    assert shipped["CHUAN-NGUOI-DAN"].confirms_universal_for == "citizens"
    assert shipped["CHUAN-NGUOI-LAO-DONG"].confirms_universal_for == "enterprise_workers"


def test_pupils_have_a_standard_per_school_level_and_teachers_and_community_teams_have_their_own(shipped):
    pupils = sorted(s.name for s in shipped.values() if s.target_group == "student")
    assert len(pupils) == 4 and any("tiểu học" in n for n in pupils) and any("trung học cơ sở" in n for n in pupils)
    assert {s.target_group for s in shipped.values()} >= {"teacher", "community_team", "employee"}
    primary = shipped["CHUAN-HS-TIEU-HOC"]
    assert {row.level for row in primary.blueprint.all()} == {1}


def test_every_shipped_standard_draws_a_full_form_from_items_of_its_own_group(shipped):
    for standard in shipped.values():
        assert assessment.blueprint_shortages(standard) == [], standard.code


def test_a_person_may_sit_only_the_standards_of_their_groups(shipped, province):
    from tests.factories import make_person

    worker = make_person(province.a, full_name="Trần Văn Công", groups=("employee",))
    assert [s.code for s in assessment.standards_for_person(worker)] == ["CHUAN-NGUOI-LAO-DONG"]
    people.add_target_group(person=worker, group="community_team", valid_from=datetime.date(2025, 1, 1), actor=SYSTEM)
    assert [s.code for s in assessment.standards_for_person(worker)] == [
        "CHUAN-NGUOI-LAO-DONG",
        "CHUAN-TO-CONG-NGHE-SO",
    ]
    assert not assessment.is_eligible(worker, shipped["CHUAN-CAN-BO"])


def test_the_province_may_change_which_standard_confirms_a_group(shipped):
    data = {
        "code": "CHUAN-GIAO-VIEN",
        "name": "Chuẩn giáo viên",
        "target_group": "teacher",
        "framework": "TT02-2025",
        "time_limit_minutes": 30,
        "pass_percent": 70,
        "confirms_universal_for": "",
        "blueprint": [{"competence": "1.2", "level": 3, "items": 1}],
    }
    assert assessment.save_standard(data, actor=SYSTEM).confirms_universal_for == ""
    with pytest.raises(Exception, match="không có"):
        assessment.save_standard({**data, "confirms_universal_for": "farmers"}, actor=SYSTEM)
