"""Calibration and item analysis read the answers of submitted attempts."""

import pytest

from kynangso.assessment import api as assessment
from kynangso.assessment import psychometrics
from kynangso.assessment.models import Item
from tests.assessment.answers import answer_all
from tests.factories import make_person, make_user


@pytest.fixture
def answered(standard, province):
    """Thirty-five people took the standard; person k answered the first k % 7 items right."""
    standard.wait_hours = 0
    standard.save()
    for k in range(35):
        person = make_person(province.a, full_name=f"Người Thứ {k}", user=make_user(f"nguoi{k}"))
        attempt = assessment.start_attempt(person=person, standard=standard, started_by=person.user)
        answer_all(attempt, right=k % 7)
        assessment.submit_attempt(attempt=attempt)


def test_items_with_too_few_responses_stay_uncalibrated(answered):
    counts = psychometrics.calibrate_items(min_responses=200)
    assert counts["calibrated"] == 0 and counts["responses"] == 35 * 6
    assert not Item.objects.filter(irt_b__isnull=False).exists()


def test_items_with_enough_responses_get_parameters(answered):
    counts = psychometrics.calibrate_items(min_responses=5)
    assert counts["calibrated"] > 0
    assert (
        Item.objects.filter(irt_a__isnull=False, irt_b__isnull=False, calibrated_at__isnull=False).count()
        == counts["calibrated"]
    )


def test_item_report_covers_choice_items_with_their_options(answered):
    report = psychometrics.item_report()
    assert report
    for _item, analysis in report:
        assert analysis.n > 0 and 0 <= analysis.p_value <= 1
        assert {o.key for o in analysis.options} >= {"A", "B"}
