"""The learning REST API: a public catalogue, and a learner's enrolment and progress with a bearer token."""

from tests.learning.conftest import lesson_ids
from tests.rest.conftest import auth_for  # noqa: F401 (a fixture)


def test_the_catalogue_is_public_and_searchable_without_diacritics(client, courses):
    body = client.get("/api/v1/learning/courses", {"q": "lanh dao"}).json()
    assert [course["code"] for course in body] == ["lanh-dao-quan-ly-cds"]
    assert body[0]["lesson_count"] == 4 and set(body[0]["target_groups"]) == {"leader", "dx_expert"}


def test_a_learner_enrols_records_a_lesson_and_reads_progress(client, basic, resident, auth_for):
    headers = auth_for(resident.user)
    created = client.post("/api/v1/learning/courses/ky-nang-so-co-ban/enrolment", **headers)
    assert created.status_code == 201 and created.json()["percent"] == 0
    second = lesson_ids(basic)[1]
    seen = client.put(f"/api/v1/learning/courses/ky-nang-so-co-ban/lessons/{second}/seen", **headers).json()
    assert seen["percent"] == 10 and seen["resume_lesson_id"] == second
    assert client.get("/api/v1/learning/enrolments", **headers).json()[0]["course"] == "ky-nang-so-co-ban"


def test_a_lesson_of_another_course_is_refused(client, courses, resident, auth_for):
    headers = auth_for(resident.user)
    client.post("/api/v1/learning/courses/ky-nang-so-co-ban/enrolment", **headers)
    other = lesson_ids(courses["cds-cho-can-bo"])[0]
    response = client.put(f"/api/v1/learning/courses/ky-nang-so-co-ban/lessons/{other}/seen", **headers)
    assert response.status_code in (400, 404)


def test_catalogue_refuses_a_level_outside_the_frameworks_with_422(client, db):
    response = client.get("/api/v1/learning/courses", {"level": "99999999999999999999"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "level"
