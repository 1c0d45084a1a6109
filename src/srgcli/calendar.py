"""Business days on the Russian production calendar, and deadlines computed from them.

Public holidays and the government's moved days off come from the `holidays` package;
the workspace config may add days off and working Saturdays on top.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


def now() -> datetime:
    """The current moment in Moscow time.

    SRGCLI_NOW pins it (ISO 8601): for tests, and to replay a day's deadlines.
    """
    import os

    pinned = os.environ.get("SRGCLI_NOW")
    if pinned:
        try:
            value = datetime.fromisoformat(pinned)
        except ValueError:
            from srgcli.exit import SrgError

            raise SrgError(
                f"SRGCLI_NOW={pinned!r}: ожидается момент в формате ISO "
                "(например 2026-11-25T10:00:00+03:00)."
            ) from None
        return value if value.tzinfo else value.replace(tzinfo=MOSCOW)
    return datetime.now(MOSCOW)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days: Monday to Friday, minus public holidays and configured days off,
    plus configured working days (e.g. a moved working Saturday)."""

    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    workday_end: time = time(18, 0)

    @cached_property
    def _holidays(self) -> object:
        import holidays

        return holidays.country_holidays("RU")

    def is_business_day(self, day: date) -> bool:
        """True when the day is a working day on this calendar."""
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        if day in self._holidays:  # type: ignore[operator]
            return False
        if day.weekday() >= 5:
            # Saturdays the government made working days (days off moved to a holiday);
            # the membership test above has loaded that year into the calendar.
            return day in self._holidays.weekend_workdays  # type: ignore[attr-defined]
        return True

    def add_business_days(self, start: date, days: int) -> date:
        """The date `days` business days after `start` (the start itself is not counted)."""
        if days < 0:
            raise ValueError("days must be non-negative")
        current = start
        remaining = days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_business_day(current):
                remaining -= 1
        return current

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after `start` up to and including `end`; negative when end < start."""
        if end < start:
            return -self.business_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_business_day(current):
                count += 1
        return count

    def due_at(self, received_at: datetime, days: int) -> datetime:
        """A deadline `days` business days after receipt, at the end of that working day."""
        local = received_at.astimezone(MOSCOW)
        day = self.add_business_days(local.date(), days)
        return datetime.combine(day, self.workday_end, tzinfo=MOSCOW)

    def business_days_left(self, moment: datetime, deadline: datetime) -> float:
        """Time left until a deadline in business days: negative when overdue.

        Whole business days between the two dates count as one each, and the difference in
        the time of day as a fraction, so a value under 1 means the deadline is close.
        """
        local_now = moment.astimezone(MOSCOW)
        local_due = deadline.astimezone(MOSCOW)
        whole = self.business_days_between(local_now.date(), local_due.date())
        minutes = (local_due.hour * 60 + local_due.minute) - (
            local_now.hour * 60 + local_now.minute
        )
        value = whole + minutes / (24 * 60)
        if local_due <= local_now and value >= 0:
            # Overdue within the same non-working stretch still reads as overdue.
            return -1 / (24 * 60)
        return value


def parse_dates(values: Iterable[str]) -> frozenset[date]:
    """ISO dates from config; raises ValueError naming the bad value."""
    result = set()
    for value in values:
        try:
            result.add(date.fromisoformat(str(value)))
        except ValueError as exc:
            raise ValueError(f"«{value}» — не дата в формате ГГГГ-ММ-ДД") from exc
    return frozenset(result)
