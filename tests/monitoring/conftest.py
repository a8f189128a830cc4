"""Helpers for monitoring tests: indicators, standards and attempts on the shared small province."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from kynangso.assessment import api as assessment
from kynangso.monitoring.models import Indicator, IndicatorValue
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from tests.factories import make_person, make_unit

D = datetime.date

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=9) -> datetime.datetime:
    """An aware Vietnamese-time instant."""
    return datetime.datetime(year, month, day, hour, tzinfo=VN)


def make_standard(code: str, group: str):
    return assessment.Standard.objects.create(
        code=code, name=code, target_group=group, framework_code="TT02", time_limit_minutes=30, pass_percent=60
    )


def record_attempt(person, standard, submitted_at: datetime.datetime, *, passed: bool):
    """A submitted attempt with its result, as the assessment engine leaves it."""
    number = assessment.Attempt.objects.filter(person=person, standard=standard).count() + 1
    return assessment.Attempt.objects.create(
        person=person,
        standard=standard,
        number=number,
        status=assessment.AttemptStatus.SUBMITTED,
        started_at=submitted_at - datetime.timedelta(minutes=20),
        deadline=submitted_at + datetime.timedelta(minutes=10),
        submitted_at=submitted_at,
        score_percent=80.0 if passed else 30.0,
        passed=passed,
    )


def person(unit, birth_date, groups=("resident",), workplace=None, name="Nguyễn Văn An"):
    return make_person(unit, full_name=name, birth_date=birth_date, groups=groups, workplace=workplace)


def backdate_people(when: datetime.datetime) -> None:
    """Pretend every person was last changed at `when` (so the incremental roll-up sees only what comes after)."""
    people.Person.objects.update(updated_at=when)


def make_indicator(code, **fields) -> Indicator:
    defaults = {"name": code, "measure": "count", "kind": "computed"}
    defaults.update(fields)
    indicator = Indicator(code=code, **defaults)
    indicator.full_clean()
    indicator.save()
    return indicator


@pytest.fixture
def resident_standard(db):
    return make_standard("CHUAN-NGUOI-DAN", "resident")


@pytest.fixture
def official_standard(db):
    return make_standard("CHUAN-CBCCVC", "official")


@pytest.fixture
def resident_pass_rate(db):
    """Working-age (15–60 at the period end) residents who passed the resident standard / working-age residents."""
    return make_indicator(
        "nguoi-dan-dat-chuan",
        name="Tỷ lệ người dân trong độ tuổi lao động đạt chuẩn kỹ năng số",
        measure="percent",
        source="passed_standard",
        standard_code="CHUAN-NGUOI-DAN",
        target_group="resident",
        age_min=15,
        age_max=60,
        attribution="residence",
        period_mode="cumulative",
        denominator="unit_denominator",
        denominator_kind="working_age_residents",
    )


@pytest.fixture
def officials_assessed(db):
    """Officials assessed this year (any standard) / officials, both counted at their workplace."""
    return make_indicator(
        "cbccvc-danh-gia-trong-nam",
        name="Tỷ lệ cán bộ, công chức, viên chức được đánh giá trong năm",
        measure="percent",
        source="assessed",
        target_group="official",
        attribution="workplace",
        period_mode="in_year",
        denominator="people",
    )


@pytest.fixture
def scene(province, resident_standard, official_standard):
    """Ten people in the small province, commune C merged into A on 1 March 2025.

    p1 A 1985 passes 10 Feb · p2 A aged 12 passes (too young) · p3 C passes 20 Jan (counts under A after the merger)
    · p4 B passes twice (counted once) · p5 B fails · p6 A born 20 Jun 1964 passes 5 Jan (60 until 19 Jun, then 61)
    · p7 A resident and official at the department: passes the resident standard 1 Mar, fails the official one 2 Apr
    · p8 B official at the department, never assessed · p9 A official at the school, assessed 20 Dec 2024.
    Working-age denominators 2025: A 10, B 5, the province 100 (its own figure wins over the sum).
    """
    commune_c = make_unit("X003", "Xã Cũ", parent=province.root)
    s = type("Scene", (), {})()
    s.province, s.c = province, commune_c
    s.p1 = person(province.a, D(1985, 3, 15))
    s.p2 = person(province.a, D(2012, 7, 1))
    s.p3 = person(commune_c, D(1990, 1, 1))
    s.p4 = person(province.b, D(1970, 5, 5))
    s.p5 = person(province.b, D(1980, 1, 1))
    s.p6 = person(province.a, D(1964, 6, 20))
    s.p7 = person(province.a, D(1980, 2, 2), groups=("resident", "official"), workplace=province.department)
    s.p8 = person(province.b, D(1975, 4, 4), groups=("official",), workplace=province.department)
    s.p9 = person(province.a, D(1978, 8, 8), groups=("official",), workplace=province.school)
    record_attempt(s.p1, resident_standard, at(2025, 2, 10), passed=True)
    record_attempt(s.p2, resident_standard, at(2025, 2, 11), passed=True)
    record_attempt(s.p3, resident_standard, at(2025, 1, 20), passed=True)
    record_attempt(s.p4, resident_standard, at(2025, 3, 3), passed=True)
    record_attempt(s.p4, resident_standard, at(2025, 4, 4), passed=True)
    record_attempt(s.p5, resident_standard, at(2025, 3, 5), passed=False)
    record_attempt(s.p6, resident_standard, at(2025, 1, 5), passed=True)
    record_attempt(s.p7, resident_standard, at(2025, 3, 1), passed=True)
    record_attempt(s.p7, official_standard, at(2025, 4, 2), passed=False)
    record_attempt(s.p9, official_standard, at(2024, 12, 20), passed=True)
    orgs.merge_units(sources=[commune_c], into=province.a, effective_date=D(2025, 3, 1))
    for unit, value in ((province.a, 10), (province.b, 5), (province.root, 100)):
        orgs.set_denominator(unit=unit, year=2025, kind="working_age_residents", value=value)
    return s


def complete_course(person, code: str, completed_on):
    """A finished online course, as the learning app records it."""
    from kynangso.learning.models import Course, Enrolment

    course, _created = Course.objects.get_or_create(code=code, defaults={"title": code})
    return Enrolment.objects.create(
        person=person, course=course, enrolled_on=completed_on, source="self", completed_on=completed_on
    )


def attend_class(person, unit, attended_on, group="official"):
    """Presence at a training class, as the learning app records it."""
    from kynangso.learning.models import Attendance, TrainingClass

    training_class = TrainingClass.objects.create(
        organising_unit=unit, title="Lớp tập huấn", starts_on=attended_on, ends_on=attended_on, target_group=group
    )
    return Attendance.objects.create(
        training_class=training_class, person=person, attended_on=attended_on, source="phone"
    )


def issue_credential(person, issued_at, code="CHUAN-NGUOI-DAN", revoked_at=None):
    """A signed certificate as the credentials app stores it (the signature itself does not matter here)."""
    from kynangso.credentials.models import Credential

    return Credential.objects.create(
        person=person,
        achievement_kind="standard",
        achievement_code=code,
        achievement_name=code,
        achieved_at=issued_at,
        issued_at=issued_at,
        key_id="k1",
        status_index=Credential.objects.count() + 1,
        document={},
        revoked_at=revoked_at,
        revocation_reason="Cấp nhầm" if revoked_at else "",
    )


def revoke(credential, revoked_at):
    type(credential).objects.filter(pk=credential.pk).update(revoked_at=revoked_at, revocation_reason="Cấp nhầm")


# Dates and reads shared by the roll-up tests ------------------------------------------------------------------

JUNE = datetime.date(2025, 6, 30)
MAY = datetime.date(2025, 5, 31)
JANUARY = datetime.date(2025, 1, 31)
TODAY = datetime.date(2025, 6, 20)
NOON = at(2025, 6, 20, 12)


def value_of(indicator, unit, period_end):
    row = IndicatorValue.objects.filter(indicator=indicator, unit_id=unit.pk, period_end=period_end).first()
    return None if row is None else (row.numerator, row.denominator)


def all_values():
    return sorted(
        IndicatorValue.objects.values_list("indicator_id", "unit_id", "period_end", "numerator", "denominator")
    )
