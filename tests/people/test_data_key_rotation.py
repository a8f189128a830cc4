"""Rotating the data key: after `kynangso rotate-data-key` every national ID opens with the new key alone and is
found by the new digest; a row no configured key can read stops the run and nothing changes."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from kynangso.people import api as people
from kynangso.people.identity import decrypt_national_id
from kynangso.people.models import Person
from tests.factories import make_national_id, make_person

OLD = "old-data-key-" + "x" * 40
NEW = "new-data-key-" + "y" * 40


@pytest.fixture
def registered(province):
    """Three people registered under the old key."""
    with override_settings(DATA_KEY=OLD, DATA_KEYS_OLD=[]):
        numbers = []
        for n in range(3):
            born = datetime.date(1960 + n, 1, 1)
            number = make_national_id(born, "female", serial=100 + n)
            make_person(province.a, f"Người {n}", sex="female", birth_date=born, national_id=number)
            numbers.append(number)
    return numbers


def stored() -> list[tuple[str, str]]:
    return list(Person.objects.order_by("pk").values_list("national_id_ciphertext", "national_id_digest"))


def test_after_rotation_every_id_opens_with_the_new_key_alone_and_is_found_by_its_new_digest(registered):
    with override_settings(DATA_KEY=NEW, DATA_KEYS_OLD=[OLD]):
        out = io.StringIO()
        call_command("rotate-data-key", stdout=out)
        assert "Đã mã hóa lại 3 số định danh; 0 số đã dùng khóa hiện tại; tổng 3 người." in out.getvalue()
    with override_settings(DATA_KEY=NEW, DATA_KEYS_OLD=[]):
        for number in registered:
            person = Person.objects.get(national_id_digest=people.national_id_digest(number))
            assert decrypt_national_id(person.national_id_ciphertext) == number


def test_a_second_run_finds_nothing_left_to_do(registered):
    with override_settings(DATA_KEY=NEW, DATA_KEYS_OLD=[OLD]):
        people.rotate_data_key()
        before = stored()
        report = people.rotate_data_key()
    assert (report.rotated, report.already_current) == (0, 3) and stored() == before


def test_a_dry_run_checks_every_row_and_changes_nothing(registered):
    before = stored()
    with override_settings(DATA_KEY=NEW, DATA_KEYS_OLD=[OLD]):
        report = people.rotate_data_key(dry_run=True)
    assert report.rotated == 3 and report.dry_run and stored() == before


def test_without_the_old_key_the_run_stops_and_nothing_changes(registered):
    before = stored()
    with override_settings(DATA_KEY=NEW, DATA_KEYS_OLD=[]), pytest.raises(CommandError, match="chưa thay đổi gì"):
        call_command("rotate-data-key")
    assert stored() == before


def test_during_the_rotation_window_ids_still_open_with_the_old_key(registered):
    with override_settings(DATA_KEY=NEW, DATA_KEYS_OLD=[OLD]):
        ciphertext = Person.objects.order_by("pk").first().national_id_ciphertext
        assert decrypt_national_id(ciphertext) == registered[0]
