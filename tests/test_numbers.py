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


def test_a_figure_is_rounded_once_half_up_from_its_exact_fraction():
    from decimal import Decimal

    from kynangso.numbers import percentage, round_figure

    assert round_figure(percentage(10, 107), "percent") == Decimal("9.3")  # 9,3458…, not 9,35 → 9,4
    assert round_figure(percentage(81, 186), "percent") == Decimal("43.5")  # 43,548…, not 43,55 → 43,6
    assert round_figure(percentage(1, 8), "percent") == Decimal("12.5")
    assert round_figure(percentage(1, 16), "percent") == Decimal("6.3")  # 6,25: a half goes up
    assert round_figure(Decimal("-0.05"), "percent") == Decimal("-0.1")  # and away from zero below it
    assert round_figure(Decimal("2.5"), "count") == Decimal(3)
    assert round_figure(None, "percent") is None and percentage(3, 0) is None


def test_figure_text_writes_the_rounded_figure():
    from kynangso.numbers import figure_text, figure_vietnamese, percentage

    assert figure_text(percentage(10, 107), "percent") == "9,3%"
    assert figure_vietnamese(percentage(81, 186), "percent") == "43,5%"
    assert figure_vietnamese(1234567, "count") == "1.234.567"
