"""Concurrent issuing on PostgreSQL: jobs and batches running at the same time, each in its own connection, never
issue two certificates for one achievement."""

import pytest

from kynangso.credentials import issuing, verification
from kynangso.credentials.jobs import issue_for_attempt_job
from kynangso.credentials.models import Credential
from kynangso.jobs import api as jobs
from tests.concurrency import run_at_once
from tests.conftest import database_is_postgresql
from tests.credentials.conftest import passed_attempt
from tests.factories import make_person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not database_is_postgresql(), reason="real concurrent writers need PostgreSQL (DATABASE_URL)"),
]


def test_eight_concurrent_jobs_for_one_attempt_issue_one_certificate(issuer_keys, standard, resident):
    attempt = passed_attempt(resident, standard)

    def job():
        jobs.enqueue(issue_for_attempt_job, kind="credentials.issue", label="x", attempt_id=attempt.pk)

    assert run_at_once([job] * 8) == []
    assert Credential.objects.filter(person=resident).count() == 1
    finished = jobs.Job.objects.filter(kind="credentials.issue")
    assert finished.count() == 8
    assert set(finished.values_list("status", flat=True)) == {jobs.JobStatus.SUCCEEDED}
    assert len({job.result["credential"] for job in finished}) == 1


def test_concurrent_batches_and_jobs_issue_each_certificate_once(issuer_keys, standard, province):
    attempts = [passed_attempt(make_person(province.a, full_name=f"Người Thứ {n}"), standard) for n in range(40)]

    def batch():
        issuing.issue_missing(batch_size=7)

    def single(attempt_id):
        return lambda: issuing.issue_for_attempt(attempt_id)

    functions = [batch, batch, batch] + [single(attempt.pk) for attempt in attempts[::5]]
    assert run_at_once(functions) == []
    assert Credential.objects.count() == 40
    assert Credential.objects.values("person_id").distinct().count() == 40
    assert Credential.objects.values("status_index").distinct().count() == 40
    assert all(verification.verify_stored(credential).is_valid for credential in Credential.objects.all())
