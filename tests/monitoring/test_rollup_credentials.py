"""Certificates issued: counted (not people) while not revoked at the period end; a revocation since the last run is
taken in by the incremental run."""

import datetime

import pytest

from kynangso.monitoring import api as monitoring
from tests.monitoring.conftest import (
    JUNE,
    NOON,
    TODAY,
    all_values,
    at,
    backdate_people,
    issue_credential,
    make_indicator,
    revoke,
    value_of,
)

D = datetime.date


@pytest.fixture
def certificates(scene):
    """p1 certified 15 Feb; p4 certified 10 Mar and revoked 5 May; p7 certified 20 Jun at 10:00."""
    scene.c1 = issue_credential(scene.p1, at(2025, 2, 15))
    issue_credential(scene.p4, at(2025, 3, 10), revoked_at=at(2025, 5, 5))
    issue_credential(scene.p7, at(2025, 6, 20, 10))
    return make_indicator("so-chung-nhan", name="Số chứng nhận đã cấp", source="credentials_issued")


def test_certificates_count_while_not_revoked_at_the_period_end(scene, certificates):
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    root = scene.province.root
    assert value_of(certificates, root, D(2025, 4, 30)) == (2, None)
    assert value_of(certificates, root, D(2025, 5, 31)) == (1, None)  # p4's was revoked on 5 May
    assert value_of(certificates, root, JUNE) == (2, None)
    assert value_of(certificates, scene.province.b, JUNE) is None


def test_a_revocation_since_the_last_run_is_taken_in_incrementally(scene, certificates):
    backdate_people(at(2025, 1, 1))
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=NOON)
    revoke(scene.c1, at(2025, 6, 20, 13))
    result = monitoring.run_incremental_rollup(now=at(2025, 6, 20, 14), today=TODAY)
    assert result.affected_people == 1
    assert value_of(certificates, scene.province.root, JUNE) == (1, None)
    assert value_of(certificates, scene.province.root, D(2025, 5, 31)) == (1, None)  # still valid on 31 May
    incremental = all_values()
    monitoring.run_full_rollup(years=[2025], today=TODAY, now=at(2025, 6, 20, 15))
    assert all_values() == incremental
