"""Helpers for the survey's tests (not a test module): a province whose communes have registered adults of both
sexes and every age group, the questionnaire loaded, interviewers with roles."""

import datetime
import itertools
from pathlib import Path

from django.conf import settings

from kynangso.accounts import api as accounts
from kynangso.accounts.models import Role
from kynangso.orgs import api as orgs
from kynangso.survey import api as survey
from tests.factories import make_person, make_unit, make_user

QUESTIONNAIRE = Path(settings.CONTENT_DIR) / "surveys" / "ky-nang-so-nguoi-dan.yaml"
CODE = "ky-nang-so-nguoi-dan"
YEAR = 2025
BIRTH_YEARS = (2000, 1988, 1972, 1955)  # one per age group at the end of 2025: 25, 37, 53, 70
_names = itertools.count(1)


def load_questionnaire():
    return survey.load_questionnaire_file(path=QUESTIONNAIRE, actor=accounts.SYSTEM)[0]


def populate(unit, adults: int) -> list:
    """`adults` residents of the unit spread over the four age groups and both sexes (and one child)."""
    found = []
    for index in range(adults):
        birth = datetime.date(BIRTH_YEARS[index % 4], 1 + index % 12, 1 + index % 28)
        sex = "male" if (index // 4) % 2 == 0 else "female"
        found.append(make_person(unit, full_name=f"Người Dân {next(_names)}", birth_date=birth, sex=sex))
    make_person(unit, full_name=f"Trẻ Em {next(_names)}", birth_date=datetime.date(2015, 5, 5), sex="female")
    return found


def surveyed_province(code: str = "T90", communes: int = 4, adults: int = 24):
    """A province with `communes` communes of `adults` adults each (recorded as its adults denominator)."""
    root = make_unit(code, f"Tỉnh Khảo Sát {code}", kind="province")
    units = []
    for number in range(communes):
        commune = make_unit(f"{code}X{number:02d}", f"Xã Khảo Sát {code}-{number}", parent=root)
        populate(commune, adults)
        orgs.set_denominator(unit=commune, year=YEAR, kind="adults", value=adults * (1 + number))
        units.append(commune)
    return root, units


def record_margins(unit, *, total: int) -> None:
    """Adults of the unit by sex and age group, as a province would record them."""
    for kind, share in (
        ("adults_male", 0.49),
        ("adults_female", 0.51),
        ("adults_18_29", 0.25),
        ("adults_30_44", 0.30),
        ("adults_45_59", 0.25),
        ("adults_60_plus", 0.20),
    ):
        orgs.set_denominator(unit=unit, year=YEAR, kind=kind, value=round(total * share))


def drawn_survey(root, *, psus: int = 2, per_psu: int = 8, seed: int = 7, year: int = YEAR):
    load_questionnaire()
    created = survey.create_survey(
        actor=accounts.SYSTEM,
        unit_id=root.pk,
        year=year,
        questionnaire_code=CODE,
        psu_count=psus,
        persons_per_psu=per_psu,
        seed=seed,
    )
    return survey.draw_sample(actor=accounts.SYSTEM, survey_id=created.pk)


def helper_of(unit, name: str):
    return make_user(name, Role.HELPER, unit)


def all_yes(questionnaire) -> dict:
    return {activity["code"]: True for area in questionnaire.definition["areas"] for activity in area["activities"]}
