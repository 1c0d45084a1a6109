"""Validation and normalisation of ticket values: one function per kind of value.

Each `normalize_*` returns the stored form of a value or raises ValueError with a Russian
reason. `normalize_field` dispatches by field name; `ticket_problems` lists what keeps a
ticket from counting as filled; `normalize_record` applies them to a whole record, the
reference the fast paths of `normalize.fast` and `normalize.columns` are tested against.
Heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from srgcli.calendar import MOSCOW
from srgcli.model import EDITABLE_FIELDS, Category, ObjectType

_DATE_FIELDS = ("received_at", "due_at", "order_date")
_NAME_RE = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")


def inn_problem(inn: str) -> str | None:
    """Why an individual's (or ИП's) 12-digit ИНН is invalid, or None when it is valid."""
    digits = inn.strip()
    if not digits.isdigit() or not digits.isascii():
        return "ИНН должен состоять только из цифр"
    if len(digits) != 12:
        return f"ИНН физического лица и ИП состоит из 12 цифр, а указано {len(digits)}"
    n = [int(c) for c in digits]
    w11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    w12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    c11 = sum(a * b for a, b in zip(w11, n[:10], strict=True)) % 11 % 10
    c12 = sum(a * b for a, b in zip(w12, n[:11], strict=True)) % 11 % 10
    if (c11, c12) != (n[10], n[11]):
        return "не сходятся контрольные цифры (проверьте, нет ли опечатки)"
    return None


def party_inn_problem(inn: str) -> str | None:
    """Why a party's ИНН is invalid (10 digits for an organisation, 12 for an individual or
    ИП, each with its control digits), or None when it is valid."""
    digits = inn.strip()
    if not digits.isdigit() or not digits.isascii():
        return "ИНН должен состоять только из цифр"
    if len(digits) == 12:
        return inn_problem(digits)
    if len(digits) != 10:
        return (
            "ИНН организации состоит из 10 цифр, физического лица и ИП — из 12, "
            f"а указано {len(digits)}"
        )
    n = [int(c) for c in digits]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    if sum(a * b for a, b in zip(weights, n[:9], strict=True)) % 11 % 10 != n[9]:
        return "не сходится контрольная цифра (проверьте, нет ли опечатки)"
    return None


def kpp_problem(kpp: str) -> str | None:
    """Why a КПП is malformed (9 characters: 4 digits of the tax office, 2 of the reason —
    digits or capital Latin letters — and 3 digits), or None. A КПП has no control digit."""
    value = kpp.strip()
    if len(value) != 9:
        return f"КПП состоит из 9 знаков, а указано {len(value)}"
    if not re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", value):
        return "КПП — 4 цифры, 2 цифры или заглавные латинские буквы, затем 3 цифры"
    return None


def normalize_phone(text: str) -> str:
    """A phone number in E.164 form (+79161234567).

    A number without a country code is read as Russian (8 916 …, 916 …); a foreign number
    with its code (+44 …, +375 …) is valid too: the contract does not limit clients to Russia.
    """
    import phonenumbers

    raw = text.strip()
    try:
        number = phonenumbers.parse(raw, "RU")
    except phonenumbers.NumberParseException:
        raise ValueError("не похоже на номер телефона") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("номер телефона недействителен (проверьте число цифр и код)")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalize_email(text: str) -> str:
    """An e-mail address, syntax checked only (no network look-ups)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        info = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("неверный адрес электронной почты") from None
    return str(info.normalized)


_RU_DATETIME = re.compile(
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)


def parse_datetime(text: str) -> datetime:
    """A moment from ISO ("2026-11-03T10:15") or Russian ("03.11.2026 10:15") form.

    A value without a time zone is Moscow time. Raises ValueError with a Russian reason.
    """
    value = text.strip()
    match = _RU_DATETIME.fullmatch(value)
    try:
        if match:
            parsed = datetime(
                int(match["y"]),
                int(match["m"]),
                int(match["d"]),
                int(match["H"] or 0),
                int(match["M"] or 0),
                int(match["S"] or 0),
            )
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            "неверная дата: ожидается «03.11.2026 10:15» или «2026-11-03T10:15»"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MOSCOW)


def normalize_datetime(text: str) -> str:
    """The stored form of a moment: ISO 8601 with the Moscow offset, to the second."""
    return parse_datetime(text).astimezone(MOSCOW).isoformat(timespec="seconds")


_DATE_ONLY = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")


def normalize_deadline(text: str) -> str:
    """A deadline; a date without a time means the end of that working day (18:00 MSK)."""
    value = text.strip()
    if _DATE_ONLY.fullmatch(value):
        value += " 18:00" if "." in value else "T18:00"
    return normalize_datetime(value)


# Why a deadline is marked invalid when it precedes the receipt time (fetch, fill).
EARLY_DEADLINE = "срок исполнения раньше даты поступления заявки"

# A moment "in the future" by less than this is clock skew between devices, not a typo.
FUTURE_TOLERANCE = timedelta(minutes=5)


def deadline_problem(received_at: str | None, due_at: str | None) -> str | None:
    """Why a stored deadline cannot be right given the stored receipt time, or None.

    Both values are stored forms (ISO with an offset); anything else is not judged here.
    """
    if not received_at or not due_at:
        return None
    try:
        if datetime.fromisoformat(due_at) < datetime.fromisoformat(received_at):
            return EARLY_DEADLINE
    except (ValueError, TypeError):  # not a stored form, or one without an offset
        return None
    return None


def normalize_date(text: str) -> str:
    """The stored form of a calendar date: ISO 8601 (2026-11-03)."""
    parsed = parse_datetime(text)
    return parsed.astimezone(MOSCOW).date().isoformat() if parsed.tzinfo else date.isoformat(parsed)


def normalize_client_name(text: str) -> str:
    """Surname, name and (optionally) patronymic in Cyrillic, hyphens allowed."""
    words = text.split()
    if not 2 <= len(words) <= 3:
        raise ValueError("ожидается фамилия, имя и (если есть) отчество: два или три слова")
    fixed = []
    for word in words:
        candidate = "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
        if not _NAME_RE.fullmatch(candidate):
            raise ValueError(f"«{word}» — ожидаются русские буквы (допускается дефис)")
        fixed.append(candidate)
    return " ".join(fixed)


def normalize_category(text: str) -> str:
    """A complaint or finding category: canonical value or Russian label in, canonical out."""
    try:
        return str(Category.parse(text).value)
    except ValueError:
        raise ValueError(f"неизвестная категория; допустимо: {Category.choices_text()}") from None


def normalize_object_type(text: str) -> str:
    """An object type: canonical value or Russian label in, canonical out."""
    try:
        return str(ObjectType.parse(text).value)
    except ValueError:
        raise ValueError(
            f"неизвестный тип объекта; допустимо: {ObjectType.choices_text()}"
        ) from None


def normalize_order_id(text: str, pattern: str = "") -> str:
    """An order number, checked against the configured pattern (no pattern: any text)."""
    value = text.strip()
    if pattern and not re.fullmatch(pattern, value):
        raise ValueError(f"номер заказа не соответствует шаблону {pattern}")
    return value


def normalize_text(text: str) -> str:
    """A one-line free text: inner runs of white space collapsed."""
    return " ".join(text.split())


# Field -> normaliser; a field not listed here is one-line free text.
_NORMALIZERS: dict[str, Callable[[str], str]] = {
    "client_phone": normalize_phone,
    "client_email": normalize_email,
    "received_at": normalize_datetime,
    "due_at": normalize_deadline,
    "order_date": normalize_date,
    "category": normalize_category,
    "object_type": normalize_object_type,
    "client_name": normalize_client_name,
    "complaint_text": str.strip,
    "client_demand": str.strip,
}

# What each field expects, in Russian, for prompts and messages.
EXPECTED: dict[str, str] = {
    "received_at": "дата и время, например 03.11.2026 10:15 или 2026-11-03T10:15",
    "due_at": "дата и время, например 10.11.2026 18:00",
    "order_date": "дата, например 27.10.2026",
    "client_name": "фамилия, имя и (если есть) отчество русскими буквами",
    "client_phone": "номер телефона, например +7 916 123-45-67; иностранный — с «+» и кодом страны",
    "client_email": "адрес вида name@example.ru",
    "client_contact": "телефон (+7 916 123-45-67; иностранный — с «+» и кодом страны) "
    "или e-mail (name@example.ru)",
    "category": "одно из: " + Category.choices_text(),
    "object_type": "одно из: " + ObjectType.choices_text(),
    "order_id": "номер заказа в ИС",
    "object_address": "адрес объекта оценки",
    "complaint_text": "суть обращения клиента",
    "client_demand": "что требует клиент",
    "bank": "название банка",
    "appraiser": "ФИО оценщика",
}


def expected_text(name: str, order_id_pattern: str = "") -> str:
    """What a field expects, in Russian (the order id names its pattern when one is set)."""
    if name == "order_id" and order_id_pattern:
        return f"номер заказа по шаблону {order_id_pattern}"
    return EXPECTED.get(name, "текст")


def normalize_contact(text: str) -> tuple[str, str]:
    """A phone or an e-mail, told apart by "@": returns (field, stored value)."""
    if "@" in text:
        return "client_email", normalize_email(text)
    return "client_phone", normalize_phone(text)


def normalize_field(name: str, value: str, order_id_pattern: str = "") -> str:
    """Validate and normalise one ticket field; raises ValueError with a Russian reason."""
    text = value.strip()
    if not text:
        raise ValueError("пустое значение")
    if name == "order_id":
        return normalize_order_id(text, order_id_pattern)
    return _NORMALIZERS.get(name, normalize_text)(text)


def ticket_problems(
    values: Mapping[str, str | None], invalid: Mapping[str, str], required: tuple[str, ...]
) -> dict[str, str]:
    """Every problem of a ticket's fields, with the reason for each: required fields that are
    empty or invalid, then every other filled field whose value is invalid.

    The one list `fill --check`, `show` and the status all use. An invalid phone or e-mail is
    a problem of its own even when the other one is a valid contact: a letter or a call would
    go to a wrong address. `invalid` holds reasons recorded when values were stored (by fetch
    or fill), so this needs no heavy validators and stays fast over many tickets.
    """
    problems: dict[str, str] = {}
    for name in required:
        if name == "client_contact":
            phone, email = values.get("client_phone"), values.get("client_email")
            ok_phone = bool(phone) and "client_phone" not in invalid
            ok_email = bool(email) and "client_email" not in invalid
            if not (ok_phone or ok_email):
                # The bad values are this one problem, each named with what is wrong with it.
                why = [
                    invalid[f]
                    for f in ("client_phone", "client_email")
                    if f in invalid and values.get(f)
                ]
                problems[name] = (
                    "нет действующего телефона или e-mail: " + "; ".join(why)
                    if why
                    else "не указаны ни телефон, ни e-mail"
                )
            continue
        if not values.get(name):
            problems[name] = "не заполнено"
        elif name in invalid:
            problems[name] = invalid[name]
    # A filled optional field with a bad value is still a problem to fix.
    for name, reason in invalid.items():
        if name not in problems and values.get(name) and name not in required:
            if name in ("client_phone", "client_email") and "client_contact" in problems:
                continue  # named in the contact's problem above
            problems[name] = reason
    return problems


@dataclass
class NormalizedTicket:
    """Stored values of one received ticket, and the reasons some of them are invalid."""

    id: str
    values: dict[str, str | None]
    invalid: dict[str, str] = field(default_factory=dict)


def normalize_record(record: Mapping[str, Any], order_id_pattern: str = "") -> NormalizedTicket:
    """Normalise the canonical fields of one record (already mapped to canonical names)."""
    ticket_id = str(record.get("id") or "").strip()
    values: dict[str, str | None] = {}
    invalid: dict[str, str] = {}
    for name in EDITABLE_FIELDS:
        raw = record.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            values[name] = None
            continue
        text = str(raw)
        try:
            values[name] = normalize_field(name, text, order_id_pattern)
        except ValueError as exc:
            values[name] = text.strip()
            invalid[name] = str(exc)
    return NormalizedTicket(ticket_id, values, invalid)
