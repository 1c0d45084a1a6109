"""What a fetch did: counts, conflicts, rejected records and warnings, and its JSON shape."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rejection:
    """A record that did not go in: where it was and why (no personal data)."""

    source: str
    line: int | None
    reason: str
    # The record's number in a JSON array (records of a one-line array share a line).
    position: int | None = None

    def order(self) -> tuple[bool, int, int]:
        """Where the record was in its source, for listing rejections in file order."""
        return (self.line is None, self.line or 0, self.position or 0)


@dataclass(frozen=True)
class FetchWarning:
    """Something the user should know about a source that still went in (no personal data)."""

    source: str
    line: int | None
    message: str
    # For a value kept though invalid: its ticket and field, and the record's number in a
    # JSON array (records of a one-line array share a line).
    ticket_id: str | None = None
    field: str | None = None
    position: int | None = None

    def order(self) -> tuple[bool, int, int]:
        """Where the record was in its source, for listing warnings in file order."""
        return (self.line is None, self.line or 0, self.position or 0)

    def json(self) -> dict[str, Any]:
        """One element of `fetch --json`'s "warnings"."""
        data: dict[str, Any] = {"source": self.source, "line": self.line, "message": self.message}
        if self.field is not None:
            from srgcli.model import FIELD_LABELS

            data |= {
                "record": self.position,
                "ticket_id": self.ticket_id,
                "field": self.field,
                "label": FIELD_LABELS.get(self.field, self.field),
            }
        return data


# Fields whose values are personal data: a warning says what is wrong without the value.
# A name's own reason quotes the word at fault, so it is told in general terms.
_PERSONAL = ("client_name", "client_phone", "client_email")
_NAME_REASON = "ожидаются фамилия, имя и (если есть) отчество русскими буквами"
# Only a value made of digits and date punctuation is repeated in a warning: a field meant
# for a date may hold any text («после звонка Соколовой»), and text may name a person.
_SHOWN_VALUE = re.compile(r"[0-9][0-9.:/ T+-]{0,31}")


def invalid_value_warning(
    where: tuple[str, int | None, int | None],
    ticket_id: str,
    name: str,
    reason: str,
    value: str | None,
) -> FetchWarning:
    """The warning for a value `fetch` keeps as received but marks invalid: where the record
    was (source, line, number in a JSON array), the field's Russian label and what is wrong;
    the value itself only when it is not personal data (a date, a category, an order number)."""
    from srgcli.model import FIELD_LABELS

    source, line, position = where
    label = FIELD_LABELS.get(name, name)
    shown = ""
    if name in _PERSONAL:
        reason = _NAME_REASON if name == "client_name" else reason
    elif value and _SHOWN_VALUE.fullmatch(value):
        shown = f" «{_readable(value)}»"
    place = "" if position is None else f"запись №{position}: "
    message = (
        f"{place}заявка {ticket_id}, поле «{label}»{shown}: {reason}; сохранено как получено, "
        f"исправьте: srgcli fill {ticket_id}"
    )
    return FetchWarning(source, line, message, ticket_id, name, position)


def _readable(value: str) -> str:
    """A stored moment (a deadline before the receipt) as the user writes it; else as is."""
    from datetime import datetime

    from srgcli.ru import format_moment

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return format_moment(moment) if moment.tzinfo else value


@dataclass(frozen=True)
class Conflict:
    """The ИС sent a value for a field the executor set with `fill`; the executor's is kept."""

    ticket_id: str
    field: str
    executor_value: str | None
    is_value: str | None


@dataclass
class FetchSummary:
    """What a fetch did (or, with --dry-run or an aborted --strict batch, would have done)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events_added: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[FetchWarning] = field(default_factory=list)
    dry_run: bool = False
    aborted: bool = False

    @property
    def written(self) -> bool:
        """True when the changes were committed."""
        return not (self.dry_run or self.aborted)


def summary_json(summary: FetchSummary) -> dict[str, Any]:
    """`fetch --json` as DESIGN.md fixes it, plus "warnings" (records that went in with a
    caveat, such as values kept though invalid; sources that held nothing)."""
    return {
        "new": summary.new,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "conflicts": [
            {
                "ticket_id": c.ticket_id,
                "field": c.field,
                "executor_value": c.executor_value,
                "is_value": c.is_value,
            }
            for c in summary.conflicts
        ],
        "rejected": [
            {"source": r.source, "line": r.line, "reason": r.reason} for r in summary.rejected
        ],
        "warnings": [w.json() for w in summary.warnings],
    }
