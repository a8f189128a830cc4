"""Factories for tests: units, people with valid national IDs, and users with scoped roles."""

import datetime
import itertools

from kynangso.accounts import api as accounts
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.people.identity import century_sex_digit

_serial = itertools.count(1)


def make_national_id(birth_date: datetime.date, sex: str, province_code: str = "001", serial: int | None = None) -> str:
    """A 12-digit ID consistent with the birth date and sex."""
    serial = next(_serial) if serial is None else serial
    return f"{province_code}{century_sex_digit(birth_date.year, sex)}{birth_date.year % 100:02d}{serial:06d}"


def make_unit(code: str, name: str | None = None, kind: str = orgs.UnitKind.COMMUNE, parent=None, **extra):
    return orgs.create_unit(code=code, name=name or f"Đơn vị {code}", kind=kind, parent=parent, **extra)


def make_person(
    unit,
    full_name: str = "Nguyễn Văn An",
    birth_date=datetime.date(1985, 3, 15),
    sex="male",
    groups=("resident",),
    workplace=None,
    phone="",
    user=None,
    national_id=None,
):
    return people.register_person(
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        national_id=national_id or make_national_id(birth_date, sex),
        residence_unit=unit,
        workplace_unit=workplace,
        phone=phone,
        target_groups=[(group, datetime.date(2024, 1, 1), None) for group in groups],
        user=user,
        actor=accounts.SYSTEM,  # test setup: the world exists before any actor's story starts
    )


def make_user(username: str, role: str | None = None, unit=None, password: str = "Mat-khau-an-toan-2025"):
    user = accounts.create_user(username=username, password=password, check_password=False)
    if role:
        accounts.assign_role(user=user, role=role, unit=unit)
    return user


def write_table(path, rows):
    """Write `rows` (the first is the header) as CSV or XLSX according to the suffix of `path`; returns `path`."""
    if str(path).endswith(".xlsx"):
        from openpyxl import Workbook

        workbook = Workbook()
        for row in rows:
            workbook.active.append(list(row))
        workbook.save(path)
    else:
        import csv

        with open(path, "w", encoding="utf-8", newline="") as target:
            csv.writer(target).writerows(rows)
    return path
