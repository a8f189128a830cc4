"""The exam through the REST API: start, read without keys, save, resume, submit twice, result."""

import json

import pytest

from kynangso.assessment.models import AttemptItem
from tests.assessment.answers import right_answer
from tests.rest.conftest import auth_for, send_json  # noqa: F401  (fixtures)


@pytest.fixture
def taker(auth_for, resident):
    return auth_for(resident.user)


def test_my_standards_lists_the_resident_standard(client, standard, taker):
    response = client.get("/api/v1/assessment/standards", **taker)
    assert response.status_code == 200
    assert [(s["code"], s["passed"], s["open_attempt_id"]) for s in response.json()] == [("THU", False, None)]


def test_the_whole_exam_through_the_api(client, send_json, standard, taker):
    started = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **taker)
    assert started.status_code == 201
    attempt = started.json()
    assert attempt["total"] == 6 and attempt["seconds_left"] > 0

    again = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **taker)
    assert again.json()["id"] == attempt["id"]

    for slot in AttemptItem.objects.select_related("item_version").filter(attempt_id=attempt["id"]):
        saved = send_json(
            "put",
            f"/api/v1/assessment/attempts/{attempt['id']}/answers/{slot.position}",
            {"answer": right_answer(slot)},
            **taker,
        )
        assert saved.status_code == 200 and saved.json()["revision"] == 1

    read = client.get(f"/api/v1/assessment/attempts/{attempt['id']}", **taker).json()
    assert read["answered"] == 6

    first = send_json("post", f"/api/v1/assessment/attempts/{attempt['id']}/submit", {}, **taker)
    second = send_json("post", f"/api/v1/assessment/attempts/{attempt['id']}/submit", {}, **taker)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["passed"] is True and first.json()["score_percent"] == 100.0

    late = send_json("put", f"/api/v1/assessment/attempts/{attempt['id']}/answers/1", {"answer": {}}, **taker)
    assert late.status_code == 409 and "đã nộp" in late.json()["detail"]


def test_no_response_of_the_api_contains_a_key(client, send_json, standard, taker):
    attempt = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **taker).json()
    bodies = [
        json.dumps(attempt, ensure_ascii=False),
        client.get(f"/api/v1/assessment/attempts/{attempt['id']}", **taker).content.decode(),
    ]
    slot = AttemptItem.objects.select_related("item_version").filter(attempt_id=attempt["id"]).first()
    bodies.append(
        send_json(
            "put",
            f"/api/v1/assessment/attempts/{attempt['id']}/answers/{slot.position}",
            {"answer": right_answer(slot)},
            **taker,
        ).content.decode()
    )
    for body in bodies:
        assert "correct" not in body and "why" not in body and "bí mật" not in body and "Giải thích" not in body


def test_another_person_cannot_read_or_answer_the_attempt(client, send_json, standard, taker, auth_for, province):
    from tests.factories import make_person, make_user

    other = make_person(province.a, full_name="Người Khác", user=make_user("khac"), national_id=None)
    attempt = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **taker).json()
    headers = auth_for(other.user)
    assert client.get(f"/api/v1/assessment/attempts/{attempt['id']}", **headers).status_code == 404
    assert (
        send_json(
            "put", f"/api/v1/assessment/attempts/{attempt['id']}/answers/1", {"answer": {}}, **headers
        ).status_code
        == 404
    )


def test_a_standard_of_another_group_cannot_be_started(send_json, standard, taker):
    standard.target_group = "official"
    standard.save()
    response = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **taker)
    assert response.status_code == 404 and response.json()["field"] == "standard_code"


def test_the_schema_describes_the_exam_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/assessment/attempts",
        "/api/v1/assessment/attempts/{attempt_id}/answers/{position}",
        "/api/v1/assessment/attempts/{attempt_id}/submit",
    } <= set(paths)


def test_the_result_gives_counts_only_for_competences_with_enough_items(client, send_json, standard, taker):
    attempt = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **taker).json()
    result = send_json("post", f"/api/v1/assessment/attempts/{attempt['id']}/submit", {}, **taker).json()
    assert [(c["code"], c["total"], c["reported"], c["correct"], c["met"]) for c in result["competences"]] == [
        ("1.1", 2, False, None, None),
        ("4.2", 2, False, None, None),
        ("6.2", 2, False, None, None),
    ]
    assert all(c["note"] == "Chưa đủ câu hỏi để đánh giá riêng năng lực này." for c in result["competences"])
    assert all(d["correct"] is None for d in result["domains"])


def test_the_api_shows_only_this_attempts_option_ids(client, send_json, standard, taker):
    attempt = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **taker).json()
    body = client.get(f"/api/v1/assessment/attempts/{attempt['id']}", **taker).content.decode()
    for slot in AttemptItem.objects.select_related("item_version").filter(attempt_id=attempt["id"]):
        assert not any(option["id"] in body for option in slot.item_version.body.get("options", []))


def test_an_answer_kept_offline_counts_by_when_it_was_given_on_the_device(client, send_json, standard, taker):
    """An app that kept the answer through a lost network sends it after the deadline with `given_at`: it counts
    when given before the deadline and received within the late grace (ADR 0034); without it, it is refused."""
    import datetime

    from django.utils import timezone

    from kynangso.assessment.models import Attempt

    attempt = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THU"}, **taker).json()
    deadline = timezone.now() - datetime.timedelta(seconds=30)  # the deadline passed half a minute ago
    started = deadline - datetime.timedelta(minutes=30)
    Attempt.objects.filter(pk=attempt["id"]).update(deadline=deadline, started_at=started)
    slots = list(AttemptItem.objects.select_related("item_version").filter(attempt_id=attempt["id"]))
    url = f"/api/v1/assessment/attempts/{attempt['id']}/answers/"
    given = (deadline - datetime.timedelta(minutes=1)).isoformat()
    kept = send_json(
        "put", url + str(slots[0].position), {"answer": right_answer(slots[0]), "given_at": given}, **taker
    )
    assert kept.status_code == 200
    assert kept.json()["answered_at"] == datetime.datetime.fromisoformat(given).isoformat()
    too_late = send_json("put", url + str(slots[1].position), {"answer": right_answer(slots[1])}, **taker)
    assert too_late.status_code == 409
