"""The bundled sample tickets (for `srgcli demo` and for checking templates with real data)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from srgcli.calendar import now


def sample_tickets() -> list[dict[str, Any]]:
    """The bundled sample tickets, dates moved so that the newest arrived recently."""
    data = json.loads(
        (resources.files("srgcli") / "data" / "demo" / "tickets.json").read_text("utf-8")
    )
    shift = now().date() - date.fromisoformat(data["anchor"])
    return [_shift_dates(t, shift) for t in data["tickets"]]


def _shift_dates(value: Any, shift: timedelta) -> Any:
    if isinstance(value, dict):
        return {k: _shift_dates(v, shift) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_dates(v, shift) for v in value]
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return (date.fromisoformat(value) + shift).isoformat()
            return (datetime.fromisoformat(value) + shift).isoformat()
        except ValueError:
            return value
    return value
