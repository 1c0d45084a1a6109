"""Russian wording that needs no heavy libraries: dates, plurals of numbers."""

from __future__ import annotations

from datetime import date, datetime

from srgcli.calendar import MOSCOW

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun that goes with the number n (1 день, 2 дня, 5 дней)."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural_days(n: int) -> str:
    """Business days in words: "3 рабочих дня", "1 рабочий день", "5 рабочих дней"."""
    return f"{n} {plural(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}"


def times(n: int) -> str:
    """How many times, nominative: "1 раз", "2 раза", "5 раз"."""
    return f"{n} {plural(n, 'раз', 'раза', 'раз')}"


def times_genitive(n: int) -> str:
    """How many times after «не больше»: "1 раза", "2 раз", "21 раза"."""
    return f"{n} {plural(n, 'раза', 'раз', 'раз')}"


def format_date(value: date | datetime | str) -> str:
    """A date in words: "24 ноября 2026 г."."""
    if isinstance(value, str):
        value = (
            datetime.fromisoformat(value)
            if "T" in value or " " in value
            else date.fromisoformat(value)
        )
    if isinstance(value, datetime):
        value = value.astimezone(MOSCOW).date() if value.tzinfo else value.date()
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year} г."


def format_moment(value: str | datetime | None) -> str:
    """A moment for tables, "24.11.2026 10:15" in Moscow time; the raw text if unparsable."""
    if value is None:
        return "—"
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if moment.tzinfo:
        moment = moment.astimezone(MOSCOW)
    if isinstance(value, str) and "T" not in value and " " not in value:
        return moment.strftime("%d.%m.%Y")
    return moment.strftime("%d.%m.%Y %H:%M")
