"""The exam-day save path: one UPDATE per save, who may save, the deadline, exactly once, and a stale cache."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kynangso.accounts.models import Role
from kynangso.assessment import answering, engine
from kynangso.assessment import api as assessment
from kynangso.assessment.models import AttemptItem, AttemptStatus
from kynangso.assessment.scoring import is_correct
from kynangso.errors import DomainError
from tests.assessment.answers import right_answer, wrong_answer
from tests.factories import make_user


@pytest.fixture
def attempt(standard, resident):
    return assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)


def first_slot(attempt) -> AttemptItem:
    return AttemptItem.objects.select_related("item_version").get(attempt=attempt, position=1)


def test_a_save_of_a_known_attempt_is_one_update_statement(attempt, resident):
    slot = first_slot(attempt)
    answering.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=1, answer=wrong_answer(slot))
    with CaptureQueriesContext(connection) as queries:
        saved = answering.save_answer_as(
            user=resident.user, attempt_id=attempt.pk, position=1, answer=right_answer(slot)
        )
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["UPDATE"]
    assert saved.revision == 2 and is_correct(slot.item_version, AttemptItem.objects.get(pk=slot.pk).answer)


def test_the_first_save_in_a_process_reads_the_attempt_once(attempt, resident):
    answering._slots.forget(attempt.pk)
    slot = first_slot(attempt)
    with CaptureQueriesContext(connection) as queries:
        answering.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=1, answer=right_answer(slot))
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT", "UPDATE"]


def test_each_acknowledged_save_is_counted_once(attempt, resident):
    slot = first_slot(attempt)
    revisions = [
        answering.save_answer_as(
            user=resident.user, attempt_id=attempt.pk, position=1, answer=right_answer(slot)
        ).revision
        for _ in range(4)
    ]
    assert revisions == [1, 2, 3, 4]
    assert AttemptItem.objects.get(pk=slot.pk).revision == 4


def test_another_person_cannot_save_into_the_attempt(attempt, province):
    stranger = make_user("nguoi_la", Role.LEARNER, province.a)
    slot = first_slot(attempt)
    with pytest.raises(DomainError) as error:
        answering.save_answer_as(user=stranger, attempt_id=attempt.pk, position=1, answer=right_answer(slot))
    assert error.value.code == "not_found"
    assert AttemptItem.objects.get(pk=slot.pk).revision == 0


def test_the_helper_of_an_assisted_attempt_may_save(standard, resident, helper_user):
    attempt = assessment.start_attempt(
        person=resident, standard=standard, started_by=helper_user, assisted_by=helper_user, consent=True
    )
    slot = first_slot(attempt)
    saved = answering.save_answer_as(user=helper_user, attempt_id=attempt.pk, position=1, answer=right_answer(slot))
    assert saved.revision == 1


def test_a_save_after_the_deadline_stores_nothing_and_submits(attempt, resident):
    slot = first_slot(attempt)
    with pytest.raises(DomainError) as error:
        answering.save_answer_as(
            user=resident.user,
            attempt_id=attempt.pk,
            position=1,
            answer=right_answer(slot),
            now=attempt.deadline + engine.LATE_GRACE + datetime.timedelta(seconds=1),
        )
    assert error.value.code == "expired"
    assert AttemptItem.objects.get(pk=slot.pk).answer is None
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.auto_submitted


def test_a_save_after_submission_is_refused_even_from_the_cache(attempt, resident):
    slot = first_slot(attempt)
    answering.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=1, answer=wrong_answer(slot))
    assessment.submit_attempt(attempt=attempt)
    with pytest.raises(DomainError) as error:
        answering.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=1, answer=right_answer(slot))
    assert error.value.code == "submitted"
    stored = AttemptItem.objects.get(pk=slot.pk)
    assert stored.revision == 1 and stored.correct is False


def test_a_scored_item_is_never_overwritten_even_if_the_attempt_row_still_says_open(attempt, resident):
    """What a save racing a submit sees: the submit scored the items (`correct` set) before the save ran."""
    slot = first_slot(attempt)
    AttemptItem.objects.filter(attempt=attempt).update(correct=False)
    with pytest.raises(DomainError):
        answering.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=1, answer=right_answer(slot))
    assert AttemptItem.objects.get(pk=slot.pk).answer is None


def test_a_stale_cached_slot_is_read_again_and_the_answer_stored(attempt, resident):
    slot = first_slot(attempt)
    cached = answering.answer_slot(attempt.pk, 1, fresh=True)
    stale = dataclasses.replace(
        cached, nonce="stale", presentation={key: ["x", "y"] for key in cached.presentation if key != "aliases"}
    )
    answering._slots.put(attempt.pk, {1: stale})
    saved = answering.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=1, answer=right_answer(slot))
    assert saved.revision == 1
    assert is_correct(slot.item_version, AttemptItem.objects.get(pk=slot.pk).answer)
    assert answering.answer_slot(attempt.pk, 1) == cached


def test_an_invalid_answer_is_refused_after_checking_a_fresh_copy(attempt, resident):
    slot = AttemptItem.objects.filter(attempt=attempt).exclude(item_version__type="numeric").first()
    with pytest.raises(DomainError, match="không hợp lệ"):
        answering.save_answer_as(
            user=resident.user,
            attempt_id=attempt.pk,
            position=slot.position,
            answer={"choice": "khong-co", "choices": ["x"]},
        )
    assert AttemptItem.objects.get(pk=slot.pk).revision == 0


def test_a_position_outside_the_form_is_not_found(attempt, resident):
    with pytest.raises(DomainError) as error:
        answering.save_answer_as(user=resident.user, attempt_id=attempt.pk, position=99, answer={})
    assert error.value.code == "not_found"


def test_an_answer_given_offline_before_the_deadline_counts_when_it_arrives_within_the_late_grace(attempt, resident):
    """ADR 0034: the network was lost in the last minute; the page sends the answer when it is back."""
    slot = first_slot(attempt)
    saved = answering.save_answer_as(
        user=resident.user,
        attempt_id=attempt.pk,
        position=1,
        answer=right_answer(slot),
        given_at=attempt.deadline - datetime.timedelta(seconds=30),
        now=attempt.deadline + engine.LATE_GRACE - datetime.timedelta(seconds=1),
    )
    stored = AttemptItem.objects.get(pk=slot.pk)
    assert saved.revision == 1 and is_correct(slot.item_version, stored.answer)
    assert stored.answered_at == attempt.deadline - datetime.timedelta(seconds=30)


def test_an_answer_given_in_time_but_arriving_after_the_late_grace_is_refused(attempt, resident):
    slot = first_slot(attempt)
    with pytest.raises(DomainError) as error:
        answering.save_answer_as(
            user=resident.user,
            attempt_id=attempt.pk,
            position=1,
            answer=right_answer(slot),
            given_at=attempt.deadline - datetime.timedelta(seconds=30),
            now=attempt.deadline + engine.LATE_GRACE + datetime.timedelta(seconds=1),
        )
    assert error.value.code == "expired"
    assert AttemptItem.objects.get(pk=slot.pk).answer is None


def test_an_answer_given_after_the_deadline_is_refused_even_within_the_late_grace(attempt, resident):
    slot = first_slot(attempt)
    with pytest.raises(DomainError) as error:
        answering.save_answer_as(
            user=resident.user,
            attempt_id=attempt.pk,
            position=1,
            answer=right_answer(slot),
            given_at=attempt.deadline + engine.GRACE + datetime.timedelta(seconds=5),
            now=attempt.deadline + datetime.timedelta(seconds=40),
        )
    assert error.value.code == "expired"
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN and AttemptItem.objects.get(pk=slot.pk).answer is None


def test_a_device_clock_ahead_of_the_server_counts_as_the_arrival_time(attempt, resident):
    slot = first_slot(attempt)
    now = attempt.started_at + datetime.timedelta(minutes=3)
    saved = answering.save_answer_as(
        user=resident.user,
        attempt_id=attempt.pk,
        position=1,
        answer=right_answer(slot),
        given_at=now + datetime.timedelta(hours=1),
        now=now,
    )
    assert saved.answered_at == now


def test_a_device_clock_far_behind_dates_the_answer_no_earlier_than_the_attempts_start(attempt, resident):
    """A phone whose clock was wrong (or a forged time) cannot date an answer in 1970, before the exam began."""
    slot = first_slot(attempt)
    now = attempt.started_at + datetime.timedelta(minutes=3)
    saved = answering.save_answer_as(
        user=resident.user,
        attempt_id=attempt.pk,
        position=1,
        answer=right_answer(slot),
        given_at=datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC),
        now=now,
    )
    assert saved.answered_at == attempt.started_at == AttemptItem.objects.get(pk=slot.pk).answered_at


def test_two_devices_the_later_given_answer_wins_whatever_order_they_arrive_in(attempt, resident):
    """The phone was offline when the taker changed the answer on it at 10:02; the tablet answered at 10:05 and
    was online. The phone's older answer arrives last and does not overwrite the tablet's."""
    slot = first_slot(attempt)
    start = attempt.started_at
    answering.save_answer_as(
        user=resident.user,
        attempt_id=attempt.pk,
        position=1,
        answer=right_answer(slot),
        given_at=start + datetime.timedelta(minutes=5),
        now=start + datetime.timedelta(minutes=5),
    )
    with pytest.raises(DomainError) as error:
        answering.save_answer_as(
            user=resident.user,
            attempt_id=attempt.pk,
            position=1,
            answer=wrong_answer(slot),
            given_at=start + datetime.timedelta(minutes=2),
            now=start + datetime.timedelta(minutes=6),
        )
    assert error.value.code == "superseded"
    stored = AttemptItem.objects.get(pk=slot.pk)
    assert is_correct(slot.item_version, stored.answer) and stored.revision == 1
    newer = answering.save_answer_as(
        user=resident.user,
        attempt_id=attempt.pk,
        position=1,
        answer=wrong_answer(slot),
        given_at=start + datetime.timedelta(minutes=7),
        now=start + datetime.timedelta(minutes=7),
    )
    assert newer.revision == 2 and not is_correct(slot.item_version, AttemptItem.objects.get(pk=slot.pk).answer)


def test_the_same_save_sent_twice_after_a_lost_reply_is_accepted_again_without_a_second_row(attempt, resident):
    slot = first_slot(attempt)
    given = attempt.started_at + datetime.timedelta(minutes=1)
    for _ in range(2):
        answering.save_answer_as(
            user=resident.user,
            attempt_id=attempt.pk,
            position=1,
            answer=right_answer(slot),
            given_at=given,
            now=given + datetime.timedelta(seconds=20),
        )
    assert AttemptItem.objects.filter(attempt=attempt, position=1).count() == 1
    assert is_correct(slot.item_version, AttemptItem.objects.get(pk=slot.pk).answer)


def test_a_save_sent_again_after_its_reply_was_lost_is_counted_once(attempt, resident):
    # Found by benchmarks/exam_faults.py (network cut for 30 s): the reply of a stored save was lost, the client sent
    # it again with the same given_at, and `revision` counted it twice.
    slot = first_slot(attempt)
    given = attempt.started_at + datetime.timedelta(minutes=1)
    revisions = [
        answering.save_answer_as(
            user=resident.user,
            attempt_id=attempt.pk,
            position=1,
            answer=right_answer(slot),
            given_at=given,
            now=given + datetime.timedelta(seconds=seconds),
        ).revision
        for seconds in (1, 20)
    ]
    assert revisions == [1, 1] and AttemptItem.objects.get(pk=slot.pk).revision == 1
    changed = answering.save_answer_as(
        user=resident.user,
        attempt_id=attempt.pk,
        position=1,
        answer=wrong_answer(slot),
        given_at=given,
        now=given + datetime.timedelta(seconds=30),
    )
    assert changed.revision == 2  # another answer at the same moment is a change, counted
    later = answering.save_answer_as(
        user=resident.user,
        attempt_id=attempt.pk,
        position=1,
        answer=wrong_answer(slot),
        given_at=given + datetime.timedelta(seconds=40),
        now=given + datetime.timedelta(seconds=40),
    )
    assert later.revision == 3  # the same answer given again later is a new save
