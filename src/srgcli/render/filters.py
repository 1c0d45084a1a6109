"""Russian filters for report and letter templates: dates, names by case, amounts, phones, labels.

Each filter is a plain function, registered by name in `FILTERS`; a template writes
`{{ ticket.client_name|dative }}` or `{{ resolution.outcome|label('outcome') }}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from srgcli.model import ContactOutcome, EventActor, EventKind, LabeledEnum, display_value
from srgcli.ru import format_date, format_moment, plural

# Case names a template may use, in English or Russian.
CASES = {
    "nominative": "NOMINATIVE",
    "genitive": "GENITIVE",
    "dative": "DATIVE",
    "accusative": "ACCUSATIVE",
    "instrumental": "INSTRUMENTAL",
    "prepositional": "PREPOSITIONAL",
    "именительный": "NOMINATIVE",
    "родительный": "GENITIVE",
    "дательный": "DATIVE",
    "винительный": "ACCUSATIVE",
    "творительный": "INSTRUMENTAL",
    "предложный": "PREPOSITIONAL",
}


class FilterFault(ValueError):
    """A filter refusing a value; its message is in Russian and never quotes the value."""


def _empty(value: Any) -> bool:
    return value is None or value == ""


def ru_date(value: Any) -> str:
    """«24 ноября 2026 г.»; an empty value prints as a dash."""
    if _empty(value):
        return "—"
    try:
        return format_date(value)
    except ValueError:
        return str(value)


def ru_datetime(value: Any) -> str:
    """«24.11.2026 10:15» in Moscow time; an empty value prints as a dash."""
    return "—" if _empty(value) else format_moment(value)


def _gender(first: str, middle: str) -> Any:
    from pytrovich.detector import PetrovichGenderDetector
    from pytrovich.enums import Gender

    # The patronymic settles it (…вич / …вна); the first name alone is a guess.
    if middle.endswith(("вич", "ич")):
        return Gender.MALE
    if middle.endswith(("вна", "чна", "кызы")):
        return Gender.FEMALE
    try:
        return PetrovichGenderDetector().detect(  # type: ignore[no-untyped-call]
            firstname=first or None, middlename=middle or None
        )
    except Exception:  # pytrovich raises plain errors on names it does not know
        return Gender.ANDROGYNOUS


def is_female_name(value: Any) -> bool:
    """True when a full name «Фамилия Имя [Отчество]» is a woman's (by patronymic, else name)."""
    parts = str(value or "").split()
    if not 2 <= len(parts) <= 3:
        return False
    from pytrovich.enums import Gender

    return bool(_gender(parts[1], parts[2] if len(parts) == 3 else "") == Gender.FEMALE)


def decline_name(value: Any, case: str = "dative") -> str:
    """A full name «Фамилия Имя Отчество» in the given case: «Иванову Ивану Ивановичу»."""
    if _empty(value):
        return "—"
    text = str(value).strip()
    key = CASES.get(case.lower())
    if key is None:
        raise FilterFault(f"неизвестный падеж «{case}»")
    parts = text.split()
    if (
        key == "NOMINATIVE"
        or not 2 <= len(parts) <= 3
        or not all(p.isalpha() or "-" in p for p in parts)
    ):
        return text
    from pytrovich.enums import Case, NamePart
    from pytrovich.maker import PetrovichDeclinationMaker

    maker = PetrovichDeclinationMaker()
    last, first = parts[0], parts[1]
    middle = parts[2] if len(parts) == 3 else ""
    gender = _gender(first, middle)
    target = Case[key]
    declined = [
        maker.make(NamePart.LASTNAME, gender, target, last),
        maker.make(NamePart.FIRSTNAME, gender, target, first),
    ]
    if middle:
        declined.append(maker.make(NamePart.MIDDLENAME, gender, target, middle))
    return " ".join(declined)


def genitive(value: Any) -> str:
    """A full name in the genitive: «Ивановой Ольги Викторовны»."""
    return decline_name(value, "genitive")


def dative(value: Any) -> str:
    """A full name in the dative: «Иванову Ивану Ивановичу»."""
    return decline_name(value, "dative")


def instrumental(value: Any) -> str:
    """A full name in the instrumental: «Ивановым Иваном Ивановичем»."""
    return decline_name(value, "instrumental")


def initials(value: Any) -> str:
    """«Петрова А. С.» from «Петрова Анна Сергеевна»."""
    if _empty(value):
        return "—"
    parts = str(value).split()
    if len(parts) < 2:
        return str(value)
    return " ".join([parts[0], *(f"{p[0]}." for p in parts[1:3])])


def _amount(value: Any) -> Decimal:
    if isinstance(value, str):
        value = re.sub(r"[\s\u00a0]", "", value).replace(",", ".")
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        # Not the value itself: it may be the client's name put into the wrong filter.
        raise FilterFault("значение не денежная сумма") from None
    if amount < 0:
        raise FilterFault("сумма не может быть отрицательной")
    return amount


def amount_words(value: Any) -> str:
    """«четыре тысячи пятьсот руб. 00 коп.»: rubles in words, kopecks in figures."""
    from num2words import num2words

    amount = _amount(value)
    rubles = int(amount)
    kopecks = int((amount - rubles) * 100)
    return f"{num2words(rubles, lang='ru')} руб. {kopecks:02d} коп."


def amount(value: Any) -> str:
    """«4 500 руб. 00 коп. (четыре тысячи пятьсот руб. 00 коп.)»."""
    figure = _amount(value)
    rubles = int(figure)
    kopecks = int((figure - rubles) * 100)
    grouped = f"{rubles:,}".replace(",", "\u00a0")
    return f"{grouped} руб. {kopecks:02d} коп. ({amount_words(figure)})"


def phone(value: Any) -> str:
    """A phone as people write it: «+7 (495) 123-45-67» for a Russian number (landline or mobile)
    in any form; a foreign number in its international form («+44 20 7946 0958»); other
    text as it is."""
    if _empty(value):
        return "—"
    import phonenumbers

    text = str(value).strip()
    digits = re.sub(r"\D", "", text)
    try:
        # A number without a country code is read as Russian («8 916 …», «916 …»).
        number = phonenumbers.parse(text, "RU")
    except phonenumbers.NumberParseException:
        return text
    national = phonenumbers.national_significant_number(number)
    if number.country_code == 7 and len(national) == 10 and len(digits) in (10, 11):
        # Russia's own grouping, also for numbers the library does not know yet (+7 999 …).
        n = national
        return f"+7 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}"
    if phonenumbers.is_valid_number(number):
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    return text


# Fields whose names differ from model.VALUE_ENUMS (an event's kind, a contact's outcome).
OWN_ENUMS: dict[str, type[LabeledEnum]] = {
    "kind": EventKind,
    "actor": EventActor,
    "contact_outcome": ContactOutcome,
}


def label(value: Any, field: str) -> str:
    """The Russian label of a stored enum value: «confirmed» → «подтверждена»."""
    if _empty(value):
        return "—"
    if field in OWN_ENUMS:
        known = OWN_ENUMS[field].try_parse(str(value))
        return known.label if known else str(value)
    return display_value(field, str(value)) or "—"


def days(value: Any) -> str:
    """«3 рабочих дня»."""
    n = int(value)
    return f"{n} {plural(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}"


def dash(value: Any) -> Any:
    """An empty value printed as a dash, so a table cell is never blank."""
    return "—" if _empty(value) else value


FILTERS: dict[str, Callable[..., Any]] = {
    "ru_date": ru_date,
    "ru_datetime": ru_datetime,
    "name_case": decline_name,
    "genitive": genitive,
    "dative": dative,
    "instrumental": instrumental,
    "initials": initials,
    "amount": amount,
    "amount_words": amount_words,
    "phone": phone,
    "label": label,
    "days": days,
    "dash": dash,
}
