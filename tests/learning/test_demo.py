"""The learning part of the demo province: enrolments, completions, the demo learner part-way, two classes; twice
changes nothing."""

import io

import pytest
from django.utils import timezone

from kynangso.demo import province
from kynangso.learning import api as learning
from kynangso.learning import demo
from kynangso.learning.models import Enrolment, TrainingClass


@pytest.fixture
def demo_province(courses):
    province.load_demo_province()


def test_the_demo_enrols_people_with_completions_and_classes_and_is_idempotent(demo_province):
    today = timezone.localdate()
    demo.populate(today=today, stdout=io.StringIO())
    counts = (
        Enrolment.objects.count(),
        learning.course_completions().count(),
        TrainingClass.objects.count(),
        learning.class_attendances().count(),
    )
    assert counts[0] > 300 and counts[1] > 100 and counts[2] == 2 and counts[3] == 34
    learner = Enrolment.objects.get(person__user__username="nguoihoc")
    assert learner.completed_on is None and learner.last_lesson_id is not None
    demo.populate(today=today, stdout=io.StringIO())
    assert (
        Enrolment.objects.count(),
        learning.course_completions().count(),
        TrainingClass.objects.count(),
        learning.class_attendances().count(),
    ) == counts
