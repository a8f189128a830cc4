"""Who may sit a standard: only a person of its target group on the day, by every way into an exam (the page, the
helper's assisted start, the REST API), checked once in the engine."""

import datetime

import pytest
from django.utils import timezone

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment.models import Attempt
from kynangso.errors import DomainError
from kynangso.people import api as people
from tests.rest.conftest import auth_for, send_json  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_the_engine_refuses_a_standard_of_another_target_group(leaders_standard, resident):
    with pytest.raises(DomainError) as refused:
        assessment.start_attempt(person=resident, standard=leaders_standard, started_by=resident.user)
    assert refused.value.code == "not_eligible"
    assert "Chuẩn lãnh đạo" in refused.value.message
    assert not Attempt.objects.exists()


def test_the_target_group_is_judged_on_the_day_of_the_start(leaders_standard, resident):
    people.add_target_group(
        person=resident,
        group="leader",
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2026, 6, 30),
        actor=SYSTEM,
    )
    assessment.start_attempt(
        person=resident,
        standard=leaders_standard,
        started_by=resident.user,
        now=timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0)),
    )
    assert Attempt.objects.count() == 1
    with pytest.raises(DomainError):
        assessment.start_attempt(
            person=resident,
            standard=leaders_standard,
            started_by=resident.user,
            now=timezone.make_aware(datetime.datetime(2026, 7, 1, 9, 0)),
        )


def test_the_exam_page_refuses_to_start_a_standard_of_another_target_group(client, leaders_standard, resident):
    client.force_login(resident.user)
    response = client.post("/sat-hach/chuan/LANH-DAO/bat-dau/", follow=True)
    assert not Attempt.objects.exists()
    assert "không dành cho nhóm đối tượng của người dự thi" in response.content.decode()


def test_a_helper_cannot_start_a_standard_outside_the_residents_target_group(
    client, leaders_standard, resident, helper_user
):
    client.force_login(helper_user)
    response = client.post(
        "/sat-hach/ho-tro/", {"person_id": resident.pk, "standard_code": "LANH-DAO", "consent": "on"}
    )
    assert response.status_code == 200
    assert "không dành cho nhóm đối tượng của người dự thi" in response.content.decode()
    assert not Attempt.objects.exists()


def test_the_api_refuses_a_standard_of_another_target_group(send_json, auth_for, leaders_standard, resident):
    response = send_json(
        "post", "/api/v1/assessment/attempts", {"standard_code": "LANH-DAO"}, **auth_for(resident.user)
    )
    assert response.status_code == 404 and response.json()["field"] == "standard_code"
    assert not Attempt.objects.exists()


def test_the_api_still_starts_a_standard_of_the_takers_group(send_json, auth_for, standard, resident):
    response = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **auth_for(resident.user))
    assert response.status_code == 201
