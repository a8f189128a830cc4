"""Schemathesis, an independent fuzzer, against the whole REST API in process (WSGI): every operation of the
published schema, with a staff token and with a learner's token, all of its default checks (no server error,
status codes, content types, headers and bodies conforming to the schema, invalid data refused, valid data not
refused with 422, authentication not ignored).

Bounded and reproducible: a fixed number of examples per operation, derandomized, no deadline. A business rule
refusing schema-valid data (a national ID that does not match the birth date) is a documented 400, so the
positive-data check accepts 400 besides its defaults; it still fails on a 422 for schema-valid data.
"""

import copy
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from kynangso import rest
from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role
from tests.factories import make_person, make_user

EXAMPLES = 10


# The schema as /api/v1/openapi.json publishes it (built here: schemathesis' lazy fixture loader does not run
# under pytest 9), answered by Django's WSGI application in process.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "400"]}
        }
    }
)
RAW_SCHEMA = json.loads(json.dumps(rest.api.get_openapi_schema(), cls=DjangoJSONEncoder))
schema = schemathesis.openapi.from_dict(RAW_SCHEMA, config=CONFIG)
schema.app = WSGIHandler()


@pytest.fixture(autouse=True)
def _one_transaction():
    """Keep the database connection open across requests: the test runs inside one transaction, as with Django's
    own test client (which disconnects the same signal)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def bearer(user) -> dict:
    _record, value = accounts.issue_api_token(user=user, name="schemathesis")
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def staff_headers(province):
    """A province administrator (every unit in scope) and one person to read."""
    make_person(province.a, full_name="Nguyễn Văn An")
    return bearer(make_user("admin_tinh", Role.PROVINCIAL_ADMIN, province.root))


@pytest.fixture
def learner_headers(province):
    """A learner with their own person record: the exam, learning and credential operations reach their rules."""
    user = make_user("hoc_vien", Role.LEARNER, province.a)
    make_person(province.a, full_name="Lê Thị Hoa", sex="female", user=user)
    return bearer(user)


bounded = settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@schema.parametrize()
@bounded
def test_api_conforms_to_its_schema_with_a_staff_token(case, staff_headers):
    case.call_and_validate(headers=staff_headers)


@schema.parametrize()
@bounded
def test_api_conforms_to_its_schema_with_a_learner_token(case, learner_headers):
    case.call_and_validate(headers=learner_headers)


# --- stateful: the OpenAPI links chained as a client would (start → save → submit → result; register → read) ----

STEPS = 6


def run_scenarios(headers: dict, *, examples: int, known: dict | None = None) -> list[tuple[str, int]]:
    """Run Schemathesis' state machine built from the schema's links with `headers`; return every call made as
    (operation, status) so the test can see the links were followed, not only the first steps. `known` narrows
    input properties ({(schema, property): [values]}) to what exists in this test's database, as an integrator's
    test suite names its own fixtures; everything else is generated."""
    calls: list[tuple[str, int]] = []
    raw = copy.deepcopy(RAW_SCHEMA)
    for (component, name), values in (known or {}).items():
        raw["components"]["schemas"][component]["properties"][name]["enum"] = values

    # The credentials as configured headers (as `schemathesis run -H` would), so the authentication checks know
    # they are the caller's own and probe without them.
    config = SchemathesisConfig.from_dict(
        {
            "headers": headers,
            "checks": {
                "positive_data_acceptance": {"expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "400"]}
            },
        }
    )
    scenario_schema = schemathesis.openapi.from_dict(raw, config=config)
    scenario_schema.app = schema.app

    class Scenarios(scenario_schema.as_state_machine()):
        def after_call(self, response, case):
            calls.append((f"{case.method.upper()} {case.path}", response.status_code))

    Scenarios.run(
        settings=settings(
            max_examples=examples,
            stateful_step_count=STEPS,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    return calls


@pytest.fixture
def exam_ready(province):
    """The standard the schema's example names, open to residents, with a bank that fills its forms."""
    from django.conf import settings as django_settings

    from kynangso.assessment import api as assessment
    from kynangso.frameworks import api as frameworks
    from tests.assessment.conftest import COMPETENCES, bank_items

    frameworks.load_framework_file(django_settings.CONTENT_DIR / "frameworks" / "tt02-2025.yaml")
    assessment.save_items(bank_items(), source="test", publish=True, actor=accounts.SYSTEM)
    assessment.save_standard(
        {
            "code": "CHUAN-NGUOI-DAN",
            "name": "Chuẩn thử",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "max_attempts_per_year": 50,
            "wait_hours": 0,
            "blueprint": [{"competence": c, "level": 1, "items": 1} for c in COMPETENCES],
        },
        actor=accounts.SYSTEM,
    )


def test_a_learner_follows_the_exam_links_without_a_failure(exam_ready, learner_headers):
    calls = run_scenarios(learner_headers, examples=15, known={("StartIn", "standard_code"): ["CHUAN-NGUOI-DAN"]})
    started = [status for call, status in calls if call == "POST /api/v1/assessment/attempts"]
    followed = [
        call
        for call, status in calls
        if call.startswith(("PUT /api/v1/assessment/attempts/", "POST /api/v1/assessment/attempts/"))
    ]
    assert 201 in started, calls
    assert followed, [call for call in calls if "assessment" in call[0]]


def test_a_staff_member_follows_the_links_without_a_failure(staff_headers):
    calls = run_scenarios(staff_headers, examples=10)
    assert calls
