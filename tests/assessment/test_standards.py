"""Saving a standard: only the province (or the content loader, as the system) changes one, and who did is kept."""

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.errors import DomainError
from tests.factories import make_user


def standard_data(**changes) -> dict:
    return {
        "code": "ND-THU",
        "name": "Chuẩn người dân (thử)",
        "target_group": "resident",
        "framework": "TT02-2025",
        "time_limit_minutes": 20,
        "pass_percent": 60,
        "blueprint": [{"competence": "1.1", "level": 1, "items": 1}],
    } | changes


def test_saving_a_standard_without_an_actor_fails_instead_of_skipping_the_check(framework):
    with pytest.raises(TypeError, match="actor is required"):
        assessment.save_standard(standard_data(), actor=None)
    with pytest.raises(TypeError):
        assessment.save_standard(standard_data())  # the actor forgotten

    assert assessment.standard_by_code("ND-THU") is None


def test_a_content_author_cannot_change_a_standard(framework, province):
    author = make_user("tac_gia", Role.CONTENT_AUTHOR, province.root)

    with pytest.raises(DomainError) as error:
        assessment.save_standard(standard_data(), actor=author)

    assert error.value.code == "forbidden"
    assert assessment.standard_by_code("ND-THU") is None


def test_the_provincial_admin_changes_a_standard_and_is_recorded(framework, provincial_admin):
    standard = assessment.save_standard(standard_data(pass_percent=70), actor=provincial_admin)

    assert (standard.pass_percent, standard.updated_by) == (70, provincial_admin)


def test_a_standard_loaded_by_the_system_is_recorded_as_changed_by_no_user(framework):
    standard = assessment.save_standard(standard_data(), actor=SYSTEM)

    assert standard.updated_by is None
