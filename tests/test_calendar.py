"""Business days on the Russian calendar: holidays, weekends, configured exceptions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

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


def test_the_cached_years_agree_with_the_holidays_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import holidays

    from srgcli.calendar import RussianYears

    monkeypatch.setenv("SRGCLI_CACHE_DIR", str(tmp_path))
    first, second = RussianYears(), RussianYears()  # second: read back from the file
    first.year(2025), first.year(2026), first.year(2027)
    assert (tmp_path / "holidays-ru.json").is_file()
    reference = holidays.country_holidays("RU", years=[2025, 2026, 2027])
    day = date(2025, 1, 1)
    while day.year < 2028:
        days_off, working = second.year(day.year)
        assert (day in days_off) == (day in reference), day
        if day.weekday() >= 5:
            assert (day in working) == (day in reference.weekend_workdays), day
        day += timedelta(days=1)


def test_a_command_with_the_years_cached_does_not_import_the_package(tmp_path: Path) -> None:
    code = (
        "import sys; from datetime import date; from srgcli.calendar import BusinessCalendar; "
        "c = BusinessCalendar(); print(c.is_business_day(date(2026, 11, 4)), "
        "'holidays' in sys.modules)"
    )
    env = {**os.environ, "SRGCLI_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.stdout.split() == ["False", "True"]  # 4 November: a public holiday
    assert again.stdout.split() == ["False", "False"]


def test_an_unreadable_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from srgcli.calendar import RussianYears

    monkeypatch.setenv("SRGCLI_CACHE_DIR", str(tmp_path))
    (tmp_path / "holidays-ru.json").write_text("{not json", "utf-8")
    assert date(2026, 11, 4) in RussianYears().year(2026)[0]
    assert json.loads((tmp_path / "holidays-ru.json").read_text("utf-8"))["years"]["2026"]
