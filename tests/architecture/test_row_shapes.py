"""Contracts of the rows one app hands another (issue 14): each shape is declared as a TypedDict in the giving app's
`api.py`; the rows its function returns carry exactly the shape's keys, and every key the receiving app reads is one
of them. A renamed model field then breaks here, in the giving app's tests, not in a roll-up at night.

The receiving keys are written out below, each with the module that reads them: a new key read by a receiver is added
to its shape first, so the giving app knows it is promised."""

import datetime

import pytest

from kynangso.assessment import api as assessment
from kynangso.credentials import api as credentials
from kynangso.integration import api as integration
from kynangso.learning import api as learning
from kynangso.orgs import api as orgs
from kynangso.people import api as people

SINCE = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
UNTIL = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def row_keys(queryset) -> list[str]:
    """The keys of the dicts a values() queryset yields, in their order, read from the query (no database)."""
    query = queryset.query
    return [*query.extra_select, *query.values_select, *query.annotation_select]


# (the rows, their declared shape, the keys the receivers read and where)
SHAPES = {
    "people.person_rows": (
        lambda: people.person_rows(),
        people.PersonRow,
        # monitoring/rollup/sources.py (people table), monitoring/rollup/runs.py (units of changed people)
        {"id", "birth_date", "residence_unit_id", "workplace_unit_id", "updated_at"},
    ),
    "people.membership_rows": (
        lambda: people.membership_rows(),
        people.MembershipRow,
        # monitoring/rollup/sources.py, monitoring/outside.py, assessment/demo.py
        {"person_id", "group", "valid_from", "valid_to"},
    ),
    "orgs.closure_rows": (
        lambda: orgs.closure_rows(),
        orgs.ClosureRow,
        # monitoring/rollup/sources.py, monitoring/status.py, monitoring/manual.py, survey/services.py,
        # integration/outside_import.py
        {"ancestor_id", "descendant_id", "depth"},
    ),
    "orgs.unit_rows": (
        lambda: orgs.unit_rows(),
        orgs.UnitRow,
        # monitoring/rollup/sources.py
        {"id", "kind", "parent_id", "valid_from", "valid_to"},
    ),
    "orgs.denominator_rows": (
        lambda: orgs.denominator_rows(),
        orgs.DenominatorRow,
        # monitoring/rollup/sources.py, monitoring/targets.py, survey/services.py
        {"unit_id", "year", "kind", "value"},
    ),
    "assessment.passed_attempts": (
        lambda: assessment.passed_attempts(),
        assessment.PassedAttemptRow,
        # credentials/issuing.py (the attempt, its person and standard)
        {"id", "person_id", "standard__code", "submitted_at"},
    ),
    "assessment.eligible_passed_attempts": (
        lambda: assessment.eligible_passed_attempts(),
        assessment.PassedAttemptRow,
        # credentials/issuing.py (certificates owed, oldest first)
        {"id", "person_id", "standard__code", "submitted_at"},
    ),
    "assessment.submitted_attempts": (
        lambda: assessment.submitted_attempts(),
        assessment.SubmittedAttemptRow,
        {"id", "person_id", "standard__code", "submitted_at", "passed", "assisted"},
    ),
    "assessment.attempt_facts": (
        lambda: assessment.attempt_facts(passed_only=True, standard_code="X"),
        assessment.AttemptFact,
        # monitoring/rollup/sources.py, monitoring/outside.py
        {"f_person", "f_at"},
    ),
    "assessment.attempts_submitted_between": (
        lambda: assessment.attempts_submitted_between(SINCE, UNTIL),
        assessment.AttemptChange,
        # monitoring/rollup/runs.py
        {"f_person", "f_code"},
    ),
    "learning.course_completions": (
        lambda: learning.course_completions(),
        learning.CompletionRow,
        # credentials/issuing.py (course certificates owed)
        {"person_id", "completed_on", "course__code"},
    ),
    "learning.class_attendances": (
        lambda: learning.class_attendances(),
        learning.AttendanceRow,
        {"person_id", "attended_on", "training_class_id"},
    ),
    "learning.certified_attendances": (
        lambda: learning.certified_attendances(ended_before=datetime.date(2026, 1, 1)),
        learning.AttendanceRow,
        # credentials/issuing.py (certificates of attendance owed)
        {"person_id", "training_class_id"},
    ),
    "learning.completion_facts": (
        lambda: learning.completion_facts(course_code="x"),
        learning.DatedFact,
        # monitoring/rollup/sources.py, monitoring/outside.py
        {"f_person", "f_on"},
    ),
    "learning.attendance_facts": (
        lambda: learning.attendance_facts(),
        learning.DatedFact,
        # monitoring/rollup/sources.py, monitoring/outside.py
        {"f_person", "f_on"},
    ),
    "learning.completions_between": (
        lambda: learning.completions_between(SINCE.date(), UNTIL.date()),
        learning.CompletionChange,
        # monitoring/rollup/runs.py
        {"f_person", "f_code"},
    ),
    "learning.attendances_between": (
        lambda: learning.attendances_between(SINCE.date(), UNTIL.date()),
        learning.AttendanceChange,
        # monitoring/rollup/runs.py
        {"f_person"},
    ),
    "credentials.issued_credentials": (
        lambda: credentials.issued_credentials(),
        credentials.CertificateRow,
        {"person_id", "issued_at", "achievement_kind", "achievement_code", "revoked_at"},
    ),
    "credentials.credential_facts": (
        lambda: credentials.credential_facts(achievement_code="x"),
        credentials.CredentialFact,
        # monitoring/rollup/sources.py
        {"f_person", "f_at", "f_revoked"},
    ),
    "credentials.credential_changes_between": (
        lambda: credentials.credential_changes_between(SINCE, UNTIL, change="revoked"),
        credentials.CredentialChange,
        # monitoring/rollup/runs.py
        {"f_person", "f_code"},
    ),
    "integration.outside_course_facts": (
        lambda: integration.outside_course_facts(course_code="x"),
        integration.OutsideCourseFact,
        # monitoring/rollup/sources.py, monitoring/outside.py (beside learning's completion facts)
        {"f_person", "f_on"},
    ),
    "integration.outside_standard_facts": (
        lambda: integration.outside_standard_facts(standard_code="X"),
        integration.OutsideStandardFact,
        # monitoring/rollup/sources.py, monitoring/outside.py (beside assessment's attempt facts)
        {"f_person", "f_at"},
    ),
    "integration.outside_completions_between": (
        lambda: integration.outside_completions_between(SINCE.date(), UNTIL.date()),
        integration.OutsideCompletionChange,
        # monitoring/rollup/runs.py
        {"f_person", "f_code"},
    ),
    "integration.outside_changes_between": (
        lambda: integration.outside_changes_between(SINCE, UNTIL),
        integration.OutsideChange,
        # monitoring/rollup/runs.py
        {"f_person"},
    ),
}


def test_outside_facts_have_the_shape_of_the_facts_they_are_counted_beside():
    assert integration.OutsideCourseFact.__annotations__ == learning.DatedFact.__annotations__
    assert integration.OutsideStandardFact.__annotations__ == assessment.AttemptFact.__annotations__


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_the_rows_carry_exactly_their_declared_shape(name):
    rows, shape, _read = SHAPES[name]
    assert row_keys(rows()) == list(shape.__annotations__), f"{name} returns rows that are not {shape.__name__}"


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_key_the_receiving_app_reads_is_in_the_shape(name):
    _rows, shape, read = SHAPES[name]
    assert read <= set(shape.__annotations__), f"{name}: {sorted(read - set(shape.__annotations__))} not promised"


def test_every_declared_shape_is_public():
    for _rows, shape, _read in SHAPES.values():
        app = {
            "people": people,
            "orgs": orgs,
            "assessment": assessment,
            "learning": learning,
            "integration": integration,
        }.get(shape.__module__.split(".")[1], credentials)
        assert shape.__name__ in app.__all__
