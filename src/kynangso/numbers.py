"""Numbers written the Vietnamese way, for text that is not rendered by Django's localised templates (commands,
charts, PDF and XLSX cells): a dot groups thousands and a comma marks decimals, 12.500 and 95,1."""
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def vietnamese_number(value: float, digits: int = 0) -> str:
    """`value` rounded to `digits` decimals: 12500 -> '12.500', 0.05 with 2 digits -> '0,05'."""
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def figure_text(value, measure: str) -> str:
    """An indicator's figure as the active language writes it (Vietnamese: 1.234 or 45,6%), rounded half up once,
    here, as people round; «—» when unknown. `measure` is "percent" for rates, anything else for counts."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if measure == "percent":
        return f"{number_format(value.quantize(Decimal('0.1'), ROUND_HALF_UP), 1, force_grouping=True)}%"
    return number_format(value.quantize(Decimal(1), ROUND_HALF_UP), 0, force_grouping=True)
