"""Numbers written the Vietnamese way, for text that is not rendered by Django's localised templates (commands,
charts, PDF and XLSX cells): a dot groups thousands and a comma marks decimals, 12.500 and 95,1."""


def vietnamese_number(value: float, digits: int = 0) -> str:
    """`value` rounded to `digits` decimals: 12500 -> '12.500', 0.05 with 2 digits -> '0,05'."""
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
