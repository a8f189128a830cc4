"""Integration fixtures: a platform of the small province with credentials, a published course and a standard its
activities are mapped to, residents, and an xAPI client."""

import base64
import datetime
import json

import pytest

from kynangso.accounts import api as accounts
from kynangso.assessment import api as assessment
from kynangso.integration import api as integration
from kynangso.learning.models import Course, CourseVersion
from tests.factories import make_national_id, make_person
from tests.integration import openedx

D = datetime.date


def publish_small_course(code: str) -> Course:
    course = Course.objects.create(code=code, title=code)
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        title=code,
        search_text=code,
        framework_code="TT02-2025",
        estimated_minutes=30,
        completion_rule="all_lessons",
        practice_pass_ratio=0.7,
    )
    course.published_version = version
    course.save(update_fields=["published_version"])
    return course


class XapiClient:
    """Django's test client speaking to /xapi/statements with a platform's Basic credentials and the version
    header (each can be left out or replaced)."""

    def __init__(self, client, username: str, secret: str):
        self.client = client
        self.auth = "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode()

    def _headers(self, version, auth):
        headers = {}
        if version is not None:
            headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
        if auth is not None:
            headers["HTTP_AUTHORIZATION"] = auth
        return headers

    def post(self, body, *, version="1.0.3", auth=..., content_type="application/json"):
        return self.client.post(
            "/xapi/statements",
            data=json.dumps(body),
            content_type=content_type,
            **self._headers(version, self.auth if auth is ... else auth),
        )

    def put(self, body, statement_id, *, version="1.0.3", auth=...):
        return self.client.put(
            f"/xapi/statements?statementId={statement_id}",
            data=json.dumps(body),
            content_type="application/json",
            **self._headers(version, self.auth if auth is ... else auth),
        )

    def get(self, query: dict | str = "", *, version="1.0.3", auth=...):
        from urllib.parse import urlencode

        text = query if isinstance(query, str) else urlencode(query)
        path = text if text.startswith("/") else f"/xapi/statements{'?' + text if text else ''}"
        return self.client.get(path, **self._headers(version, self.auth if auth is ... else auth))


@pytest.fixture
def standard(db):
    return assessment.Standard.objects.create(
        code="CHUAN-NGUOI-DAN",
        name="Chuẩn người dân",
        target_group="resident",
        framework_code="TT02",
        time_limit_minutes=30,
        pass_percent=60,
    )


@pytest.fixture
def course(db):
    return publish_small_course("ky-nang-so-co-ban")


@pytest.fixture
def platform(province):
    return integration.register_platform(
        actor=accounts.SYSTEM,
        unit_id=province.root.pk,
        name="Bình dân học vụ số (Open edX)",
        username="binh-dan-hoc-vu-so",
    )


@pytest.fixture
def secret(platform):
    return integration.issue_platform_secret(actor=accounts.SYSTEM, platform=platform)


@pytest.fixture
def xapi(client, platform, secret):
    return XapiClient(client, platform.username, secret)


@pytest.fixture
def mapped(province, course, standard):
    """The province counts the Open edX course as our course and its final problem as passing our standard."""
    integration.save_mapping(
        actor=accounts.SYSTEM, unit_id=province.root.pk, activity_id=openedx.COURSE, course_code=course.code
    )
    integration.save_mapping(
        actor=accounts.SYSTEM, unit_id=province.root.pk, activity_id=openedx.PROBLEM, standard_code=standard.code
    )
    return province


@pytest.fixture
def lan(province):
    """A resident of commune A whose national ID is her Open edX account name."""
    national_id = make_national_id(D(1990, 4, 12), "female", serial=4321)
    person = make_person(
        province.a, full_name="Trần Thị Lan", birth_date=D(1990, 4, 12), sex="female", national_id=national_id
    )
    person.plain_national_id = national_id
    return person
