"""The 12-digit national ID: its rules (province, century and sex, year of birth), its encryption and its digest."""

import datetime

import pytest

from kynangso.errors import DomainError
from kynangso.people import identity
from kynangso.people.identity import FEMALE, MALE, validate_national_id

MAN_1985 = datetime.date(1985, 3, 15)
WOMAN_2003 = datetime.date(2003, 11, 2)


def test_a_valid_id_of_a_man_born_in_1985_is_accepted():
    assert validate_national_id("001085000123", birth_date=MAN_1985, sex=MALE) == "001085000123"


def test_a_valid_id_of_a_woman_born_in_1985_has_century_digit_1():
    assert validate_national_id("079185000123", birth_date=MAN_1985, sex=FEMALE) == "079185000123"


def test_a_valid_id_of_a_woman_born_in_2003_has_century_digit_3():
    assert validate_national_id("096303000001", birth_date=WOMAN_2003, sex=FEMALE) == "096303000001"


def test_a_valid_id_of_a_boy_born_in_2000_has_century_digit_2():
    assert validate_national_id("031200000042", birth_date=datetime.date(2000, 1, 1), sex=MALE) == "031200000042"


def test_spaces_dots_and_dashes_people_type_are_removed():
    assert validate_national_id(" 001.085-000 123 ", birth_date=MAN_1985, sex=MALE) == "001085000123"


@pytest.mark.parametrize("value", ["00108500012", "0010850001234", "00108500012A", ""])
def test_an_id_that_is_not_exactly_twelve_digits_is_refused(value):
    with pytest.raises(DomainError, match="phải gồm đúng 12 chữ số") as error:
        validate_national_id(value)
    assert error.value.field == "national_id"


@pytest.mark.parametrize("code", ["000", "003", "099", "100"])
def test_an_id_whose_first_three_digits_are_no_province_is_refused(code):
    with pytest.raises(DomainError, match=f"Ba chữ số đầu «{code}» không phải mã tỉnh"):
        validate_national_id(f"{code}085000123")


def test_every_one_of_the_63_provinces_is_known():
    assert len(identity.PROVINCE_CODES) == 63
    assert {"001", "079", "096", "092", "048"} <= identity.PROVINCE_CODES


def test_a_male_digit_for_a_woman_is_refused_in_vietnamese():
    with pytest.raises(DomainError) as error:
        validate_national_id("001085000123", birth_date=MAN_1985, sex=FEMALE)
    assert error.value.message == "Số định danh không khớp với giới tính: chữ số thứ tư «0» là của người nam."


def test_a_female_digit_for_a_man_born_in_the_2000s_is_refused():
    with pytest.raises(DomainError, match="chữ số thứ tư «3» là của người nữ"):
        validate_national_id("001303000001", birth_date=WOMAN_2003, sex=MALE)


def test_year_digits_that_differ_from_the_birth_date_are_refused_in_vietnamese():
    with pytest.raises(DomainError) as error:
        validate_national_id("001086000123", birth_date=MAN_1985, sex=MALE)
    assert error.value.message == (
        "Số định danh không khớp với năm sinh: số này là của người sinh năm 1986, nhưng năm sinh đã nhập là 1985."
    )


def test_a_1900s_century_digit_for_someone_born_in_2003_is_refused():
    with pytest.raises(DomainError, match="số này là của người sinh năm 1903"):
        validate_national_id("001103000001", birth_date=WOMAN_2003, sex=FEMALE)


def test_a_2000s_century_digit_for_someone_born_in_1985_is_refused():
    with pytest.raises(DomainError, match="số này là của người sinh năm 2085"):
        validate_national_id("001285000001", birth_date=MAN_1985, sex=MALE)


@pytest.mark.parametrize(
    ("year", "sex", "digit"),
    [(1985, MALE, 0), (1985, FEMALE, 1), (2000, MALE, 2), (2010, FEMALE, 3), (2100, MALE, 4), (2101, FEMALE, 5)],
)
def test_century_sex_digit_follows_the_glossary(year, sex, digit):
    assert identity.century_sex_digit(year, sex) == digit


def test_encryption_round_trips_and_hides_the_number():
    ciphertext = identity.encrypt_national_id("001085000123")

    assert "001085000123" not in ciphertext
    assert identity.decrypt_national_id(ciphertext) == "001085000123"


def test_encrypting_twice_gives_different_ciphertexts():
    assert identity.encrypt_national_id("001085000123") != identity.encrypt_national_id("001085000123")


def test_digest_is_the_same_however_the_number_is_typed():
    assert identity.national_id_digest("001 085 000 123") == identity.national_id_digest("001085000123")


def test_digest_depends_on_the_data_key(settings):
    first = identity.national_id_digest("001085000123")
    settings.DATA_KEY = "another-data-key-of-at-least-thirty-two-characters"

    assert identity.national_id_digest("001085000123") != first
    assert "001085000123" not in first


def test_masks_show_only_the_last_digits():
    assert identity.mask_national_id("123") == "*********123"
    assert identity.mask_phone("0912345678") == "09******78"
    assert identity.mask_phone("") == ""


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "912345678"])
def test_phone_numbers_are_stored_in_their_national_form(typed):
    assert identity.validate_phone(typed) == "0912345678"


def test_a_phone_number_of_the_wrong_length_is_refused_in_vietnamese():
    with pytest.raises(DomainError, match="Số điện thoại phải gồm 10 chữ số") as error:
        identity.validate_phone("09123")
    assert error.value.field == "phone"
