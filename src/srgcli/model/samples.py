"""The bundled sample tickets (for `srgcli demo` and for checking templates with real data)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from srgcli.calendar import now
from srgcli.ru import MONTHS_GENITIVE


def sample_tickets() -> list[dict[str, Any]]:
    """The bundled sample tickets, dates moved so that the newest arrived recently."""
    data = json.loads(
        (resources.files("srgcli") / "data" / "demo" / "tickets.json").read_text("utf-8")
    )
    anchor = date.fromisoformat(data["anchor"])
    move = SampleShift(anchor, now().date())
    return [_shift_dates(t, move, anchor.year) for t in data["tickets"]]


class SampleShift:
    """How the samples' dates move: by working days, so that a working day stays a working
    day and the gaps the review rules count stay the same, up to the last working day before
    `today` (the anchor, the day the newest ticket arrived, is then in the past: a story that
    ended this morning would have moments still ahead)."""

    def __init__(self, anchor: date, today: date) -> None:
        from srgcli.calendar import BusinessCalendar

        self.calendar = BusinessCalendar()
        target = today - timedelta(days=1)
        while not self.calendar.is_business_day(target):
            target -= timedelta(days=1)
        self.days = self.calendar.business_days_between(anchor, target)

    def __bool__(self) -> bool:
        return self.days != 0

    def day(self, value: date) -> date:
        """`value` moved by as many working days as the anchor."""
        step = timedelta(days=1 if self.days > 0 else -1)
        left = abs(self.days)
        while left:
            value += step
            if self.calendar.is_business_day(value):
                left -= 1
        return value


def _shift_dates(value: Any, move: SampleShift, year: int) -> Any:
    if isinstance(value, dict):
        return {k: _shift_dates(v, move, year) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_dates(v, move, year) for v in value]
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return move.day(date.fromisoformat(value)).isoformat()
            moment = datetime.fromisoformat(value)
            return datetime.combine(move.day(moment.date()), moment.timetz()).isoformat()
        except ValueError:
            return value
    if isinstance(value, str):
        return _shift_text(value, move, year)
    return value


# Dates written inside the samples' texts: «осмотр 30.10», «отменён 12 ноября».
_SHORT_DATE = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?!\.\d)")
_WORDS_DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS_GENITIVE)})\b")


def _shift_text(text: str, move: SampleShift, year: int) -> str:
    """A comment or complaint with the dates it mentions (in the samples' `year`) moved like
    the rest of its ticket."""
    if not move:
        return text

    def short(match: re.Match[str]) -> str:
        try:
            moved = move.day(date(year, int(match[2]), int(match[1])))
        except ValueError:
            return match[0]
        return f"{moved.day:02d}.{moved.month:02d}"

    def words(match: re.Match[str]) -> str:
        try:
            moved = move.day(date(year, MONTHS_GENITIVE.index(match[2]) + 1, int(match[1])))
        except ValueError:
            return match[0]
        return f"{moved.day} {MONTHS_GENITIVE[moved.month - 1]}"

    return _WORDS_DATE.sub(words, _SHORT_DATE.sub(short, text))
