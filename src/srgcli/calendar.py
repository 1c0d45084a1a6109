"""Business days on the Russian production calendar, and deadlines computed from them.

Public holidays and the government's moved days off come from the `holidays` package,
kept per year in a small file in the user's cache folder (importing the package takes a
quarter of a second); the workspace config may add days off and working Saturdays on top.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")
CACHE_ENV = "SRGCLI_CACHE_DIR"  # overrides the user's cache folder (tests use it)


# The clock of the running command (its Environment's), when one is set; see `use_clock`.
_CLOCK: ContextVar[Callable[[], datetime] | None] = ContextVar("srgcli_clock", default=None)


def now() -> datetime:
    """The current moment in Moscow time, by the clock of the running command if it set
    one (`use_clock`), else by `system_now`."""
    clock = _CLOCK.get()
    return clock() if clock is not None else system_now()


def system_now() -> datetime:
    """The current moment in Moscow time, from the system clock.

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


@contextmanager
def use_clock(clock: Callable[[], datetime]) -> Iterator[None]:
    """Make `now()` read `clock` until the block ends (a command's Environment sets its own)."""
    token = _CLOCK.set(clock)
    try:
        yield
    finally:
        _CLOCK.reset(token)


def now_iso() -> str:
    """The current moment as stored: ISO 8601, Moscow offset, seconds."""
    return now().isoformat(timespec="seconds")


class RussianYears:
    """Russia's public holidays and moved working Saturdays, by year: computed with the
    `holidays` package once, then read from a JSON file in the cache folder, which is
    rebuilt when the installed package changes. A file that cannot be read or written is
    simply not used."""

    def __init__(self) -> None:
        self._years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
        self._stored: dict[str, list[list[str]]] | None = None

    def year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """(days off, working weekend days) of one year."""
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._load(year)
        return found

    def _load(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        stored = self._read()
        entry = stored.get(str(year))
        if entry is None:
            entry = stored[str(year)] = _compute_year(year)
            self._write(stored)
        days_off, working = entry
        return frozenset(map(date.fromisoformat, days_off)), frozenset(
            map(date.fromisoformat, working)
        )

    def _read(self) -> dict[str, list[list[str]]]:
        if self._stored is None:
            self._stored = {}
            path, stamp = _cache_file(), _package_stamp()
            if stamp is not None:
                try:
                    data = json.loads(path.read_text("utf-8"))
                except (OSError, ValueError):
                    data = None
                if isinstance(data, dict) and data.get("package") == stamp:
                    years = data.get("years")
                    if isinstance(years, dict):
                        self._stored = years
        return self._stored

    def _write(self, years: dict[str, list[list[str]]]) -> None:
        stamp = _package_stamp()
        if stamp is None:
            return
        path = _cache_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            scratch.write_text(json.dumps({"package": stamp, "years": years}), "utf-8")
            os.replace(scratch, path)
        except OSError:
            pass


def _compute_year(year: int) -> list[list[str]]:
    import holidays

    calendar = holidays.country_holidays("RU", years=year)
    days_off = sorted(d.isoformat() for d in calendar if d.year == year)
    working = sorted(
        d.isoformat() for d in getattr(calendar, "weekend_workdays", ()) if d.year == year
    )
    return [days_off, working]


def _cache_file() -> Path:
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("srgcli", appauthor=False)
    return Path(folder) / "holidays-ru.json"


def _package_stamp() -> str | None:
    """Identifies the installed `holidays` package without importing it."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent
    for name in ("version.py", "__init__.py"):
        try:
            info = (folder / name).stat()
        except OSError:
            continue
        return f"{folder}:{info.st_mtime_ns}:{info.st_size}"
    return None


_RUSSIA = RussianYears()


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days: Monday to Friday, minus public holidays and configured days off,
    plus configured working days (e.g. a moved working Saturday)."""

    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    workday_end: time = time(18, 0)

    def is_business_day(self, day: date) -> bool:
        """True when the day is a working day on this calendar."""
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        days_off, working_weekend = _RUSSIA.year(day.year)
        if day in days_off:
            return False
        if day.weekday() >= 5:
            # Saturdays the government made working days (days off moved to a holiday).
            return day in working_weekend
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
