"""Statements Open edX sends end as learning facts the roll-up counts: a completed course and a passed graded
problem, mapped by the province, about a person found by the national ID in the account name or by a linked
account; what counts for nobody waits for an admin; voiding takes a fact away; incremental equals full."""

import pytest
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.integration import api as integration
from kynangso.integration.models import Statement, StatementStatus
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.models import IndicatorValue
from tests.factories import make_person, make_unit
from tests.integration import openedx
from tests.monitoring.conftest import all_values, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(db):
    """People who completed the basic course online, and people who passed the resident standard (counts)."""
    return {
        "course": make_indicator(
            "hoan-thanh-kns-co-ban", source="trained_online", course_code="ky-nang-so-co-ban", attribution="residence"
        ),
        "standard": make_indicator(
            "dat-chuan-nguoi-dan", source="passed_standard", standard_code="CHUAN-NGUOI-DAN", attribution="residence"
        ),
    }


def latest(indicator, unit):
    """The indicator's numerator at the unit at the newest period end (a count without a stored value is 0: the
    roll-up stores no row where nobody counts)."""
    row = IndicatorValue.objects.filter(indicator=indicator, unit_id=unit.pk).order_by("-period_end").first()
    return 0 if row is None else row.numerator


def full_rollup():
    now = timezone.now()
    return monitoring.run_full_rollup(years=[timezone.localdate(now).year], now=now)


def test_open_edx_completion_and_passed_problem_count_for_the_person_with_that_national_id(
    xapi, mapped, lan, indicators
):
    completed = openedx.course_completed(lan.plain_national_id)
    passed = openedx.problem_evaluated(lan.plain_national_id, success=True)
    assert xapi.post([completed, passed]).status_code == 200
    assert set(Statement.objects.values_list("status", flat=True)) == {StatementStatus.COUNTED}
    facts = integration.outside_completions_of(lan.pk)
    assert {(f.course_code, f.standard_code, f.done_on.isoformat()) for f in facts} == {
        ("ky-nang-so-co-ban", "", "2025-03-15"),
        ("", "CHUAN-NGUOI-DAN", "2025-03-14"),
    }
    full_rollup()
    assert latest(indicators["course"], mapped.root) == 1
    assert latest(indicators["course"], mapped.a) == 1  # Lan lives in commune A
    assert latest(indicators["standard"], mapped.root) == 1


def test_a_failed_problem_is_stored_but_counts_for_nothing(xapi, mapped, lan, indicators):
    xapi.post(openedx.problem_evaluated(lan.plain_national_id, success=False))
    assert Statement.objects.get().status == StatementStatus.NOT_ACHIEVEMENT
    full_rollup()
    assert latest(indicators["standard"], mapped.root) == 0


def test_an_indicator_can_leave_outside_learning_out(xapi, mapped, lan, indicators):
    own_only = make_indicator(
        "hoan-thanh-tai-he-thong",
        source="trained_online",
        course_code="ky-nang-so-co-ban",
        attribution="residence",
        counts_outside_learning=False,
    )
    xapi.post(openedx.course_completed(lan.plain_national_id))
    full_rollup()
    assert latest(own_only, mapped.root) == 0
    assert latest(indicators["course"], mapped.root) == 1


def test_incremental_rollup_after_statements_and_a_voiding_equals_a_full_one(xapi, mapped, lan, indicators, province):
    minh = make_person(province.b, full_name="Lê Văn Minh")
    full_rollup()
    assert latest(indicators["course"], mapped.root) == 0
    completed = openedx.course_completed(lan.plain_national_id)
    passed = openedx.problem_evaluated(lan.plain_national_id, success=True)
    xapi.post([completed, passed])
    integration.link_external_account(
        actor=accounts.SYSTEM,
        platform=xapi_platform(),
        actor_key=(f"account:{openedx.LMS}|minh-openedx"),
        person_id=minh.pk,
    )
    today = openedx.course_completed("minh-openedx", timestamp=timezone.now().isoformat())  # counts tomorrow
    xapi.post(today)
    result = monitoring.run_incremental_rollup(now=timezone.now())
    assert result.kind == "incremental"
    assert latest(indicators["course"], mapped.root) == 1
    assert latest(indicators["standard"], mapped.root) == 1
    incremental = all_values()
    full_rollup()
    assert all_values() == incremental

    xapi.post(openedx.voiding("admin", completed["id"]))
    monitoring.run_incremental_rollup(now=timezone.now())
    assert latest(indicators["course"], mapped.root) == 0
    assert latest(indicators["standard"], mapped.root) == 1
    incremental = all_values()
    full_rollup()
    assert all_values() == incremental


def xapi_platform():
    return integration.Platform.objects.get(username="binh-dan-hoc-vu-so")


def test_an_unknown_account_waits_for_an_admin_and_counts_once_linked(xapi, mapped, lan, indicators, platform):
    xapi.post(openedx.course_completed("32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb"))
    statement = Statement.objects.get()
    assert statement.status == StatementStatus.UNMATCHED
    assert list(integration.waiting_statements([mapped.root.pk])) == [statement]
    integration.link_external_account(
        actor=accounts.SYSTEM, platform=platform, actor_key=statement.actor_key, person_id=lan.pk
    )
    statement.refresh_from_db()
    assert statement.status == StatementStatus.COUNTED and statement.person_id == lan.pk
    assert not integration.waiting_statements([mapped.root.pk]).exists()


def test_an_unmapped_activity_waits_and_counts_once_the_province_maps_it(xapi, province, course, lan, indicators):
    xapi.post(openedx.course_completed(lan.plain_national_id))
    assert Statement.objects.get().status == StatementStatus.UNMAPPED
    integration.save_mapping(
        actor=accounts.SYSTEM,
        unit_id=province.root.pk,
        is_prefix=True,
        activity_id=f"{openedx.LMS}/course/",
        course_code=course.code,
    )
    assert Statement.objects.get().status == StatementStatus.COUNTED
    full_rollup()
    assert latest(indicators["course"], province.root) == 1


def test_a_person_outside_the_platforms_province_is_not_counted(xapi, mapped, indicators):
    elsewhere = make_unit("T02", "Tỉnh Khác", kind="province")
    stranger = make_person(
        make_unit("X201", "Xã Khác", parent=elsewhere), full_name="Phạm Văn Xa", national_id="001085009876"
    )
    xapi.post(openedx.course_completed("001085009876"))
    statement = Statement.objects.get()
    assert statement.status == StatementStatus.OUT_OF_SCOPE and statement.person is None
    assert not integration.outside_completions_of(stranger.pk).exists()


def test_only_the_province_admin_may_map_activities_or_issue_credentials(
    province, commune_admin, provincial_admin, course, platform
):
    from kynangso.errors import DomainError

    with pytest.raises(DomainError) as refused:
        integration.save_mapping(
            actor=commune_admin, unit_id=province.root.pk, activity_id=openedx.COURSE, course_code=course.code
        )
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError):
        integration.issue_platform_secret(actor=commune_admin, platform=platform)
    assert integration.issue_platform_secret(actor=provincial_admin, platform=platform).startswith("xapi_")
    with pytest.raises(DomainError) as unknown:
        integration.save_mapping(
            actor=provincial_admin, unit_id=province.root.pk, activity_id=openedx.COURSE, course_code="khong-co"
        )
    assert unknown.value.code == "invalid"


def test_the_report_counts_the_people_of_a_figure_who_learnt_only_elsewhere(xapi, mapped, lan, indicators, province):
    from kynangso.learning.models import Course, Enrolment
    from kynangso.reports.figures import with_outside

    minh = make_person(province.b, full_name="Lê Văn Minh", national_id="001085001111")
    Enrolment.objects.create(
        person=minh,
        course=Course.objects.get(code="ky-nang-so-co-ban"),
        source="self",
        enrolled_on="2025-02-01",
        completed_on="2025-02-10",
    )
    xapi.post([openedx.course_completed(lan.plain_national_id), openedx.course_completed("001085001111")])
    own_only = make_indicator(
        "hoan-thanh-tai-he-thong",
        source="trained_online",
        course_code="ky-nang-so-co-ban",
        attribution="residence",
        counts_outside_learning=False,
    )
    counts = monitoring.outside_only_counts(
        indicator_codes=[indicators["course"].code, own_only.code], unit_id=province.root.pk, year=2025
    )
    assert counts == {indicators["course"].code: 1}  # Lan; Minh also completed it here
    assert monitoring.outside_only_counts(
        indicator_codes=[indicators["course"].code], unit_id=province.b.pk, year=2025
    ) == {indicators["course"].code: 0}
    rows = with_outside(
        [{"code": indicators["course"].code}, {"code": own_only.code}], unit_id=province.root.pk, year=2025
    )
    assert [row["outside"] for row in rows] == [1, None]


def test_the_person_page_marks_outside_completions(client, xapi, mapped, lan, provincial_admin):
    xapi.post(openedx.course_completed(lan.plain_national_id))
    client.force_login(provincial_admin)
    page = client.get(f"/nguoi/{lan.pk}/").content.decode()
    assert "Học trên nền tảng khác" in page and "học trên nền tảng khác" in page and "ky-nang-so-co-ban" in page
