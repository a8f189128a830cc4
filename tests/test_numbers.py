"""Numbers in text that Django's templates do not localise are still written the Vietnamese way."""
from kynangso.numbers import vietnamese_number


def test_thousands_are_grouped_with_dots():
    assert vietnamese_number(12500) == "12.500"
    assert vietnamese_number(10_000_000) == "10.000.000"


def test_decimals_take_a_comma():
    assert vietnamese_number(0.05, 2) == "0,05"
    assert vietnamese_number(1234.5, 1) == "1.234,5"


def test_rounding_follows_the_digits_asked():
    assert vietnamese_number(2.66, 1) == "2,7"
    assert vietnamese_number(99.96) == "100"
