"""Numbers written the Vietnamese way, for text that is not rendered by Django's localised templates (commands,
charts, PDF and XLSX cells): a dot groups thousands and a comma marks decimals, 12.500 and 95,1. And the one rule
by which an indicator's figure is rounded for people: once, half up, from the exact value (ADR 0039)."""

from decimal import Decimal
from fractions import Fraction

from django.utils.formats import number_format

#: Decimals people read: a percentage to one decimal (43,5%), a count whole (1.234).
DISPLAY_PLACES = {"percent": 1}


def vietnamese_number(value: float, digits: int = 0) -> str:
    """`value` rounded to `digits` decimals: 12500 -> '12.500', 0.05 with 2 digits -> '0,05'."""
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def percentage(numerator, denominator) -> Fraction | None:
    """The exact rate numerator/denominator × 100, unrounded; None without a denominator."""
    if numerator is None or not denominator:
        return None
    return Fraction(int(numerator) * 100, int(denominator))


def round_figure(value, measure: str) -> Decimal | None:
    """An indicator's figure rounded the one way people round it: half up (away from zero), once, to one decimal for
    a percentage and to a whole number for a count. `value` must be exact: a Fraction (see `percentage`), an int, a
    Decimal or a decimal string; 10/107 gives 9,3 (9,3458…), never 9,4 by way of 9,35. None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, float):  # only exact values belong here; a float is read as the decimal it prints as
        value = str(value)
    exact = Fraction(Decimal(value)) if isinstance(value, str) else Fraction(value)
    places = DISPLAY_PLACES.get(measure, 0)
    scaled = abs(exact) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal(-whole if exact < 0 else whole).scaleb(-places)


def figure_text(value, measure: str) -> str:
    """An indicator's figure as the active language writes it (Vietnamese: 1.234 or 45,6%), rounded by
    `round_figure`; «—» when unknown. `measure` is "percent" for rates, anything else for counts."""
    rounded = round_figure(value, measure)
    if rounded is None:
        return "—"
    if measure == "percent":
        return f"{number_format(rounded, 1, force_grouping=True)}%"
    return number_format(rounded, 0, force_grouping=True)


def figure_vietnamese(value, measure: str) -> str:
    """The same figure always written the Vietnamese way (charts and files, which are Vietnamese documents)."""
    rounded = round_figure(value, measure)
    if rounded is None:
        return "—"
    text = vietnamese_number(rounded, DISPLAY_PLACES.get(measure, 0))
    return text + "%" if measure == "percent" else text
