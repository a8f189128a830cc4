"""Courses that say so lead to a certificate when completed: issued in the background job, once, verifiable."""

import pytest
from django.utils import timezone

from kynangso.credentials import verification
from kynangso.credentials.models import Credential
from kynangso.jobs import api as jobs
from kynangso.learning import api as learning
from tests.credentials.open_badges_schema import assert_passes_open_badges_schema
from tests.learning.conftest import DAY, basic, complete, courses, practice_bank  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def completable(basic):  # noqa: F811
    basic.published_version.completion_rule = "all_lessons_seen"
    basic.published_version.save()
    return basic


def test_completing_a_certificate_course_issues_its_certificate(
    issuer_keys, completable, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complete(completable, resident)
    credential = Credential.objects.get(person=resident)
    assert (credential.achievement_kind, credential.achievement_code) == ("course", "ky-nang-so-co-ban")
    assert timezone.localtime(credential.achieved_at).date() == DAY
    achievement = credential.document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == "Kỹ năng số cơ bản cho mọi người dân"
    assert ("TT02-2025", "2.3") in {(a["targetFramework"], a["targetCode"]) for a in achievement["alignment"]}
    assert_passes_open_badges_schema(credential.document)
    assert verification.verify_stored(credential).is_valid
    assert jobs.Job.objects.get(kind="credentials.issue").status == jobs.JobStatus.SUCCEEDED


def test_a_course_without_certificate_issues_none(
    issuer_keys, completable, resident, django_capture_on_commit_callbacks
):
    completable.published_version.issues_certificate = False
    completable.published_version.save()
    with django_capture_on_commit_callbacks(execute=True):
        complete(completable, resident)
    assert not Credential.objects.exists()
    assert not jobs.Job.objects.filter(kind="credentials.issue").exists()


def test_the_course_job_run_twice_gives_one_certificate(issuer_keys, completable, resident):
    from kynangso.credentials.jobs import issue_for_course_job

    first = issue_for_course_job(
        None, person_id=resident.pk, course_code=completable.code, completed_on=DAY.isoformat()
    )
    second = issue_for_course_job(
        None, person_id=resident.pk, course_code=completable.code, completed_on=DAY.isoformat()
    )
    assert first == second and Credential.objects.count() == 1
    assert learning.course_achievement(completable.code).issues_certificate


def test_the_batch_issues_certificates_of_completions_whose_job_never_ran(issuer_keys, completable, resident):
    from kynangso.credentials import issuing

    complete(completable, resident)  # its on-commit job never runs inside this test's transaction
    assert not Credential.objects.exists()
    assert issuing.issue_missing() == 1
    assert issuing.issue_missing() == 0
    assert Credential.objects.get().achievement_kind == "course"
