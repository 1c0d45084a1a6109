"""Money as the act and the income summary write it: Decimal rubles, figures and words."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from srgcli.ru import plural

KOPECK = Decimal("0.01")


def parse_amount(text: str | float | int | Decimal) -> Decimal:
    """«1 500,50», «1500.5», 1500 → Decimal('1500.50'); ValueError in Russian otherwise."""
    raw = re.sub(r"[\s\u00a0₽]|руб\.?", "", str(text)).replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"«{text}» не сумма в рублях (например 1500 или 1 500,50)") from None
    if not value.is_finite():
        raise ValueError(f"«{text}» не сумма в рублях")
    if value != value.quantize(KOPECK):
        raise ValueError(f"«{text}»: в сумме больше двух знаков после запятой")
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def figures(value: Decimal) -> str:
    """«1 500,00» with a no-break space between thousands."""
    rubles, kopecks = divmod(int(value.quantize(KOPECK) * 100), 100)
    return f"{rubles:,}".replace(",", "\u00a0") + f",{kopecks:02d}"


def rubles(value: Decimal) -> str:
    """«1 500,00 ₽»."""
    return f"{figures(value)}\u00a0₽"


def in_words(value: Decimal) -> str:
    """«одна тысяча пятьсот рублей 00 копеек»: rubles in words, kopecks in figures, declined.

    num2words' own currency mode reads an integer as kopecks and writes «ноль копеек», so the
    rubles are spelt as a number and the units declined here.
    """
    from num2words import num2words

    whole, kopecks = divmod(int(value.quantize(KOPECK) * 100), 100)
    words = str(num2words(whole, lang="ru"))
    ruble = plural(whole, "рубль", "рубля", "рублей")
    kopeck = plural(kopecks, "копейка", "копейки", "копеек")
    return f"{words} {ruble} {kopecks:02d} {kopeck}"


def percent(value: Decimal) -> str:
    """0.06 → «6 %»; 0.8 → «80 %»."""
    scaled = (value * 100).normalize()
    return f"{scaled:f}".replace(".", ",") + "\u00a0%"
