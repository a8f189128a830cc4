"""Adaptive attempts on a real standard: fallback to fixed forms, one item at a time, locking, SE stopping, exposure."""

import json
import math
import random

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment import cat
from kynangso.assessment.models import AttemptItem, AttemptStatus, Item
from kynangso.errors import DomainError
from tests.assessment.answers import right_answer, wrong_answer
from tests.assessment.conftest import COMPETENCES, calibrated_items
from tests.factories import make_person, make_user
from tests.rest.conftest import auth_for, send_json  # noqa: F401  (fixtures)


@pytest.fixture
def pool(framework):
    assessment.save_items(calibrated_items(), source="test", publish=True, actor=SYSTEM)
    rng = random.Random(7)
    for item in Item.objects.filter(code__startswith="CAT-"):
        # What `calibrate-items` stores: discrimination a > 0 and difficulty b on the N(0, 1) scale.
        Item.objects.filter(pk=item.pk).update(irt_a=rng.uniform(0.9, 2.2), irt_b=rng.uniform(-2.2, 2.2))


@pytest.fixture
def adaptive_standard(pool):
    return assessment.save_standard(
        {
            "code": "THICH-UNG",
            "name": "Chuẩn thích ứng",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 30,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "max_attempts_per_year": 50,
            "wait_hours": 0,
            "mode": "adaptive",
            "cat_se_target": 0.5,
            "cat_min_items": 6,
            "cat_max_items": 12,
            "blueprint": [{"competence": c, "level": level, "items": 1} for c in COMPETENCES for level in (1, 2)],
        },
        actor=SYSTEM,
    )


def sit(person, standard, *, theta: float, rng: random.Random, user=None):
    """A simulated taker of ability theta answers each presented item (right with the 2PL probability) and
    confirms it, through the engine, until the attempt submits itself."""
    attempt = assessment.start_attempt(person=person, standard=standard, started_by=user)
    for _step in range(100):
        if attempt.status == AttemptStatus.SUBMITTED:
            return attempt
        slot = (
            AttemptItem.objects.select_related("item_version__item")
            .filter(attempt=attempt)
            .order_by("-position")
            .first()
        )
        item = slot.item_version.item
        p = 1 / (1 + math.exp(-item.irt_a * (theta - item.irt_b)))
        assessment.save_answer(
            attempt=attempt,
            position=slot.position,
            answer=right_answer(slot) if rng.random() < p else wrong_answer(slot),
        )
        attempt = assessment.advance_adaptive(attempt=attempt)
    raise AssertionError("the adaptive attempt never stopped")


def takers(province, count):
    return [make_person(province.a, full_name=f"Người thi {n}", sex="female") for n in range(count)]


def test_an_adaptive_standard_without_a_calibrated_pool_uses_fixed_forms_and_says_why(standard, resident):
    standard.mode = "adaptive"
    standard.save()
    reasons = assessment.adaptive_readiness(standard)
    assert reasons and "đã hiệu chỉnh IRT" in reasons[0]
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    assert attempt.mode == "fixed" and AttemptItem.objects.filter(attempt=attempt).count() == 6


def test_a_calibrated_pool_makes_the_standard_ready(adaptive_standard):
    assert assessment.adaptive_readiness(adaptive_standard) == []


def test_an_adaptive_attempt_presents_one_item_at_a_time(adaptive_standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=adaptive_standard, started_by=resident.user)
    view = assessment.taker_view(attempt)
    assert attempt.mode == "adaptive" and view["total"] == 1 and view["current"]["position"] == 1
    slot = AttemptItem.objects.select_related("item_version").get(attempt=attempt)
    assessment.save_answer(attempt=attempt, position=1, answer=right_answer(slot))
    attempt = assessment.advance_adaptive(attempt=attempt)
    assert [i["position"] for i in assessment.taker_view(attempt)["items"]] == [1, 2]
    assert assessment.taker_view(attempt)["items"][0]["locked"] is True


def test_a_confirmed_item_can_no_longer_be_changed(adaptive_standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=adaptive_standard, started_by=resident.user)
    slot = AttemptItem.objects.select_related("item_version").get(attempt=attempt)
    assessment.save_answer(attempt=attempt, position=1, answer=wrong_answer(slot))
    assessment.advance_adaptive(attempt=attempt)
    with pytest.raises(DomainError) as error:
        assessment.save_answer(attempt=attempt, position=1, answer=right_answer(slot))
    assert error.value.code == "locked"
    assert AttemptItem.objects.get(pk=slot.pk).answer == wrong_answer(slot, in_item_ids=True)


def test_the_test_stops_once_the_standard_error_reaches_the_target(adaptive_standard, province):
    rng = random.Random(3)
    for person, theta in zip(takers(province, 4), (-1.0, 0.0, 0.5, 1.5)):
        attempt = sit(person, adaptive_standard, theta=theta, rng=rng)
        given = AttemptItem.objects.filter(attempt=attempt).count()
        assert adaptive_standard.cat_min_items <= given <= adaptive_standard.cat_max_items
        assert attempt.theta_se <= adaptive_standard.cat_se_target or given == adaptive_standard.cat_max_items
        if given > adaptive_standard.cat_min_items:  # it did not go on once SE was small enough
            slots = list(
                AttemptItem.objects.select_related("item_version__item").filter(attempt=attempt).order_by("position")
            )
            _theta, se_before_last = cat.ability(slots[:-1])
            assert se_before_last > adaptive_standard.cat_se_target


def test_the_test_stops_at_the_maximum_length_when_the_target_is_out_of_reach(adaptive_standard, province):
    adaptive_standard.cat_se_target = 0.01
    adaptive_standard.save()
    attempt = sit(takers(province, 1)[0], adaptive_standard, theta=0.3, rng=random.Random(5))
    assert AttemptItem.objects.filter(attempt=attempt).count() == adaptive_standard.cat_max_items
    assert attempt.status == AttemptStatus.SUBMITTED and not attempt.auto_submitted


def test_each_competence_gets_its_share_of_items(adaptive_standard, province):
    attempt = sit(takers(province, 1)[0], adaptive_standard, theta=0.0, rng=random.Random(11))
    given = set(
        AttemptItem.objects.filter(attempt=attempt).values_list("item_version__item__competence_code", flat=True)
    )
    assert given == set(COMPETENCES)


def test_exposure_control_keeps_every_item_under_the_target_on_real_attempts(adaptive_standard, province):
    rng = random.Random(13)
    people = takers(province, 24)
    for person in people:
        sit(person, adaptive_standard, theta=0.0, rng=rng)  # equal abilities: the worst case for exposure
    rates = cat.exposure_rates(adaptive_standard)
    first_items = set(
        AttemptItem.objects.filter(attempt__standard=adaptive_standard, position=1).values_list(
            "item_version_id", flat=True
        )
    )
    # Pure maximum information would give every taker the same first item (and rate 1.0); the skip rule lets a
    # rate pass the target only by what one round of tests adds before it is seen.
    assert len(first_items) > 3
    assert max(rates.values()) <= cat.EXPOSURE_TARGET + 0.15


def test_an_able_taker_passes_and_a_weak_one_fails_on_the_ability_scale(adaptive_standard, province):
    strong, weak = takers(province, 2)
    good = sit(strong, adaptive_standard, theta=2.5, rng=random.Random(1))
    poor = sit(weak, adaptive_standard, theta=-2.5, rng=random.Random(2))
    assert good.passed and not poor.passed and good.theta > poor.theta
    assert good.profile["adaptive"] and good.profile["items_given"] == AttemptItem.objects.filter(attempt=good).count()
    assert {c["code"] for c in good.profile["competences"]} == set(COMPETENCES)
    assert good.score_percent == good.profile["overall_percent"] > adaptive_standard.pass_percent


def test_the_adaptive_exam_through_the_api_never_shows_a_key(client, send_json, adaptive_standard, province, auth_for):
    user = make_user("thichung", "learner", province.a)
    make_person(province.a, full_name="Người Thích Ứng", sex="male", user=user)
    taker = auth_for(user)
    started = send_json("post", "/api/v1/assessment/attempts", {"standard_code": "THICH-UNG"}, **taker)
    attempt = started.json()
    assert started.status_code == 201 and attempt["mode"] == "adaptive" and attempt["total"] == 1
    bodies = [started.content.decode()]
    for _step in range(adaptive_standard.cat_max_items + 1):
        position = attempt["items"][-1]["position"]
        option = attempt["items"][-1]["options"][0]["id"]
        saved = send_json(
            "put",
            f"/api/v1/assessment/attempts/{attempt['id']}/answers/{position}",
            {"answer": {"choice": option}},
            **taker,
        )
        assert saved.status_code == 200
        moved = send_json("post", f"/api/v1/assessment/attempts/{attempt['id']}/next", {}, **taker)
        assert moved.status_code == 200
        bodies += [saved.content.decode(), moved.content.decode()]
        attempt = moved.json()
        if attempt["status"] == "submitted":
            break
    assert attempt["status"] == "submitted"
    result = client.get(f"/api/v1/assessment/attempts/{attempt['id']}/result", **taker).json()
    assert result["mode"] == "adaptive" and result["theta_se"] is not None
    for body in bodies:
        assert "correct" not in body and "bí mật" not in body and "irt" not in body
    assert json.loads(bodies[-1])["items"][0]["locked"] is True
