"""Turning a received record into stored ticket values: normalise each field, keep what fails.

A value that cannot be parsed is kept as received and its reason recorded in `invalid`,
so the record still goes in and `fill` shows what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from srgcli.model import EDITABLE_FIELDS
from srgcli.normalize.values import normalize_field


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
