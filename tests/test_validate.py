"""Every validator, over tables of good and bad values."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from srgcli.normalize import values as validate

GOOD: list[tuple[Callable[[str], str], str, str]] = [
    (validate.normalize_phone, "+7 916 123-45-67", "+79161234567"),
    (validate.normalize_phone, "8 (916) 123-45-67", "+79161234567"),
    (validate.normalize_phone, "9161234567", "+79161234567"),
    (validate.normalize_phone, "+7 (495) 123-45-67", "+74951234567"),
    (validate.normalize_email, "o.smirnova@example.ru", "o.smirnova@example.ru"),
    (validate.normalize_email, " Ivan.Petrov@EXAMPLE.RU ", "Ivan.Petrov@example.ru"),
    (validate.normalize_datetime, "03.11.2026 10:15", "2026-11-03T10:15:00+03:00"),
    (validate.normalize_datetime, "3.11.2026", "2026-11-03T00:00:00+03:00"),
    (validate.normalize_datetime, "2026-11-03T10:15", "2026-11-03T10:15:00+03:00"),
    (validate.normalize_datetime, "2026-11-03T07:15:00Z", "2026-11-03T10:15:00+03:00"),
    (validate.normalize_date, "27.10.2026", "2026-10-27"),
    (validate.normalize_date, "2026-10-27", "2026-10-27"),
    (validate.normalize_category, "сроки", "deadlines"),
    (validate.normalize_category, "Качество  отчета", "report_quality"),
    (validate.normalize_category, "payment", "payment"),
    (validate.normalize_object_type, "Жилой дом", "house"),
    (validate.normalize_object_type, "vehicle", "vehicle"),
    (validate.normalize_client_name, "смирнова ольга викторовна", "Смирнова Ольга Викторовна"),
    (validate.normalize_client_name, "Римский-Корсаков  Николай", "Римский-Корсаков Николай"),
    (validate.normalize_client_name, "Ковалёва Екатерина", "Ковалёва Екатерина"),
    (validate.normalize_text, "  ПАО   Сбербанк ", "ПАО Сбербанк"),
]

BAD: list[tuple[Callable[[str], str], str, str]] = [
    (validate.normalize_phone, "+7 999 12", "недействителен"),
    (validate.normalize_phone, "позвонить вечером", "не похоже"),
    (validate.normalize_phone, "+7 916 123-45-678", "недействителен"),
    (validate.normalize_email, "ivan@", "неверный адрес"),
    (validate.normalize_email, "ivan.example.ru", "неверный адрес"),
    (validate.normalize_email, "ivan@@example.ru", "неверный адрес"),
    (validate.normalize_email, "ivan@example", "неверный адрес"),
    (validate.normalize_datetime, "31.02.2026", "неверная дата"),
    (validate.normalize_datetime, "завтра", "неверная дата"),
    (validate.normalize_datetime, "2026-13-01", "неверная дата"),
    (validate.normalize_date, "27/10/2026", "неверная дата"),
    (validate.normalize_category, "цена", "неизвестная категория"),
    (validate.normalize_object_type, "гараж", "неизвестный тип объекта"),
    (validate.normalize_client_name, "Иванов", "два или три слова"),
    (validate.normalize_client_name, "Иванов Иван Иванович Младший", "два или три слова"),
    (validate.normalize_client_name, "Ivanov Ivan", "русские буквы"),
    (validate.normalize_client_name, "Иванов Иван2", "русские буквы"),
]


@pytest.mark.parametrize(("fn", "text", "stored"), GOOD)
def test_good_values_are_normalised(fn: Callable[[str], str], text: str, stored: str) -> None:
    assert fn(text) == stored


@pytest.mark.parametrize(("fn", "text", "reason"), BAD)
def test_bad_values_are_refused_with_a_russian_reason(
    fn: Callable[[str], str], text: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        fn(text)


@pytest.mark.parametrize(
    ("pattern", "text", "ok"),
    [
        ("", "любой номер 17", True),
        (r"ОЦ-\d{5}", "ОЦ-48213", True),
        (r"ОЦ-\d{5}", "48213", False),
        (r"ОЦ-\d{5}", "ОЦ-4821", False),
    ],
)
def test_order_id_pattern(pattern: str, text: str, ok: bool) -> None:
    if ok:
        assert validate.normalize_order_id(text, pattern) == text
    else:
        with pytest.raises(ValueError, match="шаблону"):
            validate.normalize_order_id(text, pattern)


@pytest.mark.parametrize(
    ("inn", "problem"),
    [
        ("500100732259", None),
        ("500100732258", "контрольные цифры"),
        ("12345", "12 цифр"),
        ("50010073225a", "только из цифр"),
    ],
)
def test_inn_control_digits(inn: str, problem: str | None) -> None:
    result = validate.inn_problem(inn)
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("o.smirnova@example.ru", ("client_email", "o.smirnova@example.ru")),
        ("8 916 123 45 67", ("client_phone", "+79161234567")),
    ],
)
def test_contact_is_a_phone_or_an_email(text: str, stored: tuple[str, str]) -> None:
    assert validate.normalize_contact(text) == stored


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("client_phone", "8 916 123 45 67", "+79161234567"),
        ("category", "осмотр", "inspection"),
        ("received_at", "16.11.2026 09:40", "2026-11-16T09:40:00+03:00"),
        ("bank", " Банк  ВТБ ", "Банк ВТБ"),
        ("complaint_text", " Первая строка.\nВторая. ", "Первая строка.\nВторая."),
    ],
)
def test_normalize_field_dispatches_by_name(name: str, value: str, stored: str) -> None:
    assert validate.normalize_field(name, value) == stored


def test_empty_value_is_refused() -> None:
    with pytest.raises(ValueError, match="пустое"):
        validate.normalize_field("bank", "   ")


@pytest.mark.parametrize(
    ("received", "due", "problem"),
    [
        ("2026-11-10T10:00:00+03:00", "2026-11-01T18:00:00+03:00", True),
        ("2026-11-10T10:00:00+03:00", "2026-11-10T09:59:59+03:00", True),
        # The same moment in another zone is not earlier.
        ("2026-11-10T10:00:00+03:00", "2026-11-10T07:00:00+00:00", False),
        ("2026-11-10T10:00:00+03:00", "2026-11-10T10:00:00+03:00", False),
        ("2026-11-10T10:00:00+03:00", "2026-11-17T18:00:00+03:00", False),
        (None, "2026-11-01T18:00:00+03:00", False),
        ("2026-11-10T10:00:00+03:00", None, False),
        ("вчера", "2026-11-01T18:00:00+03:00", False),  # not a stored form: judged elsewhere
        ("2026-11-10T10:00:00", "2026-11-01T18:00:00+03:00", False),
    ],
)
def test_deadline_before_receipt(received: str | None, due: str | None, problem: bool) -> None:
    reason = validate.deadline_problem(received, due)
    assert (reason == "срок исполнения раньше даты поступления заявки") is problem
    assert problem or reason is None
