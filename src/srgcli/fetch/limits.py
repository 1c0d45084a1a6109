"""Bounds on what one record may bring in: its size, each field's size, and its ticket id.

Set in srgcli.toml, section [fetch]: `max_field_chars`, `max_record_chars`, `id_pattern`,
`id_max_length`. A record over a bound is rejected (listed with its file and line, the rest
of the batch goes in, exit 1), never truncated or stored half.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Floats from 2**53 on are not exact integers any more; a ticket id is never that large.
_EXACT_FLOAT = 2.0**53
# The size given to a value that cannot be measured (too deeply nested): over any bound.
_UNMEASURABLE = 10**18


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def _size(value: Any) -> int:
    """A value's size in characters: a string's length, or its JSON text's."""
    if value is None or value.__class__ in (bool, int, float):
        return 0 if value is None else len(str(value))
    try:
        return len(json.dumps(value, ensure_ascii=False, default=str))
    except (ValueError, RecursionError):
        return _UNMEASURABLE


@dataclass(frozen=True)
class Limits:
    """The [fetch] bounds of a workspace."""

    max_field_chars: int
    max_record_chars: int
    id_pattern: str
    id_max_length: int
    _id_match: Callable[[str], Any] = field(init=False, repr=False, compare=False)

    @classmethod
    def of(cls, section: dict[str, Any]) -> Limits:
        """The bounds from the config's [fetch] section."""
        return cls(
            int(section["max_field_chars"]),
            int(section["max_record_chars"]),
            str(section["id_pattern"]),
            int(section["id_max_length"]),
        )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_id_match", re.compile(self.id_pattern).fullmatch)

    def oversize(self, data: dict[str, Any]) -> str | None:
        """Why a record is too large (naming the field over the bound), or None."""
        total = 0
        field_limit = self.max_field_chars
        for key, value in data.items():
            size = len(value) if value.__class__ is str else _size(value)
            if size > field_limit:
                return (
                    f"поле «{_short(str(key))}»: {_number(size)} символов — больше допустимых "
                    f"{_number(field_limit)} ([fetch] max_field_chars в srgcli.toml)"
                )
            total += size + len(key) if key.__class__ is str else size
        if total > self.max_record_chars:
            return (
                f"запись из {_number(total)} символов — больше допустимых "
                f"{_number(self.max_record_chars)} ([fetch] max_record_chars в srgcli.toml)"
            )
        return None

    def id_ok(self, ticket_id: str) -> bool:
        """True for an id within the bounds (checked for a whole chunk at once)."""
        return len(ticket_id) <= self.id_max_length and self._id_match(ticket_id) is not None

    def id_problem(self, received: Any, ticket_id: str) -> str | None:
        """Why `ticket_id` (read from `received`) cannot be a ticket id, or None."""
        if isinstance(received, float) and (
            not received.is_integer() or abs(received) >= _EXACT_FLOAT
        ):
            return (
                f"номер заявки — дробное или слишком большое число ({received!r}); "
                "ожидается целое число или текст"
            )
        if len(ticket_id) > self.id_max_length:
            return (
                f"номер заявки «{_short(ticket_id)}» длиннее {self.id_max_length} символов "
                "([fetch] id_max_length в srgcli.toml)"
            )
        if not self.id_ok(ticket_id):
            return (
                f"номер заявки «{_short(ticket_id)}» не соответствует шаблону "
                "[fetch] id_pattern в srgcli.toml"
            )
        return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
