"""Certificates in tests: an issuer with a key in a temporary folder, a standard and passed attempts."""

import datetime

import pytest
from django.utils import timezone

from kynangso.assessment import api as assessment
from kynangso.credentials import keys
from tests.assessment.conftest import bank, framework, resident, standard  # noqa: F401  (fixtures)
from tests.credentials.open_badges_schema import assert_passes_open_badges_schema
from tests.factories import make_person

SITE = "https://kynangso.thunghiem.gov.vn"
ISSUER_DID = "did:web:kynangso.thunghiem.gov.vn"


@pytest.fixture
def issuer_keys(settings, tmp_path, monkeypatch):
    """The issuer's keys folder with one key, key-2026-01; the site is SITE."""
    for variable in (keys.KEYS_DIR_VARIABLE, keys.KEY_VARIABLE, keys.ACTIVE_KEY_VARIABLE):
        monkeypatch.delenv(variable, raising=False)
    folder = tmp_path / "issuer-keys"
    settings.KYNANGSO_CREDENTIAL_KEYS_DIR = str(folder)
    settings.SITE_URL = SITE
    settings.CREDENTIAL_ISSUER_NAME = "Sở Khoa học và Công nghệ tỉnh Thử nghiệm"
    keys.generate_key("key-2026-01")
    return folder


@pytest.fixture(autouse=True)
def every_issued_credential_passes_the_open_badges_schema(monkeypatch):
    """Every credential a test here signs (for a standard, a course or a class; alone or in a batch) is checked
    against the official 1EdTech schema as it is made: a credential breaking it fails the test that issued it."""
    from kynangso.credentials import issuing

    sign = issuing._signed_credential

    def signed_and_checked(**kwargs):
        credential = sign(**kwargs)
        assert_passes_open_badges_schema(credential.document)
        return credential

    monkeypatch.setattr(issuing, "_signed_credential", signed_and_checked)


def passed_attempt(person, standard, *, submitted_at=None, number=1):  # noqa: F811
    """A submitted, passing attempt, written directly (the engine's own tests cover how one is scored)."""
    submitted_at = submitted_at or timezone.now() - datetime.timedelta(hours=1)
    return assessment.Attempt.objects.create(
        person=person,
        standard=standard,
        number=number,
        status=assessment.AttemptStatus.SUBMITTED,
        started_at=submitted_at - datetime.timedelta(minutes=20),
        deadline=submitted_at,
        submitted_at=submitted_at,
        score_percent=85.0,
        passed=True,
    )


@pytest.fixture
def credential(issuer_keys, standard, resident):  # noqa: F811
    """The resident's certificate for the standard."""
    from kynangso.credentials import issuing

    attempt = passed_attempt(resident, standard)
    return issuing.issue_for_attempt(attempt.pk)


@pytest.fixture
def other_person(province):
    return make_person(province.b, full_name="Trần Văn Bình", birth_date=datetime.date(1990, 1, 2))
