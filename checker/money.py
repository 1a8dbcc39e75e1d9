"""Money and percentages: Decimal only, rounded half up to the cent where an amount is fixed."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """Round to the cent, half up (the rounding of the result format)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def cents_down(amount: Decimal) -> Decimal:
    """The largest whole-cent amount not above `amount` (for a ceiling such as «non superiore al 25%»)."""
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def _group(integer: int) -> str:
    return f"{integer:,}".replace(",", ".")


def eur(amount: Decimal, *, always_cents: bool = True) -> str:
    """Italian euro notation: `€ 12.500,00` (or `€ 12.500` in prose for whole amounts)."""
    value = cents(amount)
    sign = "-" if value < 0 else ""
    units, frac = divmod(abs(value), 1)
    text = f"€ {sign}{_group(int(units))}"
    if frac or always_cents:
        text += "," + f"{int(frac * 100):02d}"
    return text


def percent(rate: Decimal) -> str:
    """A rate as an Italian percentage: 0.60 -> `60%`, 0.075 -> `7,5%`."""
    value = (rate * 100).normalize()
    text = format(value, "f").replace(".", ",")
    return f"{text}%"


def plain(amount: Decimal) -> str:
    """The plain decimal string of the browser hooks: `115560.00`."""
    return format(cents(amount), "f")
