"""Business days on the Russian calendar: holidays, weekends, configured exceptions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from srgcli.calendar import MOSCOW, BusinessCalendar

CAL = BusinessCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 25), True),  # Wednesday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 4), False),  # Unity Day
        (date(2027, 1, 5), False),  # New Year holidays
        (date(2027, 1, 11), True),  # first working day of 2027
        (date(2026, 12, 31), False),  # moved day off
    ],
)
def test_business_days(day: date, working: bool) -> None:
    assert CAL.is_business_day(day) is working


def test_adding_business_days_across_the_new_year_holidays() -> None:
    # Tue 29 Dec 2026 + 2 business days: 30 Dec, then 31 Dec and 1-10 Jan are off -> 11 Jan.
    assert CAL.add_business_days(date(2026, 12, 29), 2) == date(2027, 1, 11)


def test_adding_business_days_across_a_weekend() -> None:
    # Friday + 1 business day = Monday.
    assert CAL.add_business_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_business_days_between_counts_only_working_days() -> None:
    assert CAL.business_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1
    assert CAL.business_days_between(date(2026, 11, 30), date(2026, 11, 27)) == -1
    assert CAL.business_days_between(date(2026, 11, 2), date(2026, 11, 6)) == 3  # 4 Nov off


def test_configured_days_off_and_working_saturdays() -> None:
    cal = BusinessCalendar(
        extra_days_off=frozenset({date(2026, 11, 26)}),
        extra_working_days=frozenset({date(2026, 11, 28)}),
    )
    assert not cal.is_business_day(date(2026, 11, 26))
    assert cal.is_business_day(date(2026, 11, 28))
    assert cal.add_business_days(date(2026, 11, 25), 2) == date(2026, 11, 28)


def test_due_at_is_the_end_of_the_nth_working_day() -> None:
    received = datetime(2026, 11, 27, 16, 0, tzinfo=MOSCOW)  # Friday
    assert CAL.due_at(received, 5) == datetime(2026, 12, 4, 18, 0, tzinfo=MOSCOW)


def test_days_left_is_negative_when_overdue_and_fractional_near_the_deadline() -> None:
    due = datetime(2026, 11, 25, 18, 0, tzinfo=MOSCOW)
    assert 0 < CAL.business_days_left(datetime(2026, 11, 25, 10, 0, tzinfo=MOSCOW), due) < 1
    assert CAL.business_days_left(datetime(2026, 11, 26, 10, 0, tzinfo=MOSCOW), due) < 0
    # Over a weekend, Friday evening to Monday evening is one business day.
    monday = datetime(2026, 11, 30, 18, 0, tzinfo=MOSCOW)
    assert CAL.business_days_left(datetime(2026, 11, 27, 18, 0, tzinfo=MOSCOW), monday) == 1


def test_saturdays_made_working_days_by_the_government() -> None:
    # 1 November 2025 was a working Saturday (the day off moved to 3 November).
    assert CAL.is_business_day(date(2025, 11, 1))
    assert not CAL.is_business_day(date(2025, 11, 3))
    assert CAL.add_business_days(date(2025, 10, 31), 1) == date(2025, 11, 1)
