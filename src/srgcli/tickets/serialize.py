"""The one JSON shape of each entity, used by `show --json`, `list --json` and manifests."""

from __future__ import annotations

import dataclasses
from typing import Any

from srgcli.model import TICKET_FIELDS, Ticket
from srgcli.tickets.deadlines import Deadline
from srgcli.tickets.overview import TicketDetail, TicketSummary


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    """The ticket's own fields and provenance."""
    data: dict[str, Any] = {name: ticket.value(name) for name in TICKET_FIELDS}
    data.update(
        source=ticket.source,
        fetched_at=ticket.fetched_at,
        due_source=ticket.due_source,
        executor_fields=list(ticket.executor_fields),
        invalid=dict(ticket.invalid),
        raw=ticket.raw,
    )
    return data


def summary_json(item: TicketSummary) -> dict[str, Any]:
    """One element of `list --json`."""
    return {
        "id": item.ticket.id,
        "status": item.status.value,
        "due_at": item.ticket.due_at,
        "client_name": item.ticket.client_name,
        "category": item.ticket.category,
        "next": item.next.command,
        "overdue": item.overdue,
        # Which deadlines are overdue, each with the moment it passed: {"report": "…"}.
        "overdue_deadlines": (
            {d.key: d.due_at for d in item.overdue_deadlines} if item.overdue_deadlines else {}
        ),
    }


def entity_json(entity: Any) -> dict[str, Any]:
    """A model dataclass as JSON-ready data."""
    data = dataclasses.asdict(entity)
    for key, value in data.items():
        if isinstance(value, tuple):
            data[key] = list(value)
    return data


def detail_json(item: TicketDetail) -> dict[str, Any]:
    """`show --json`."""
    data = ticket_json(item.summary.ticket)
    data.update(
        status=item.summary.status.value,
        next=item.summary.next.command,
        overdue=item.summary.overdue,
        missing=list(item.problems),
        problems=item.problems,
        events=[entity_json(e) for e in item.events],
        finding=entity_json(item.finding) if item.finding else None,
        contacts=[entity_json(c) for c in item.contacts],
        resolution=entity_json(item.resolution) if item.resolution else None,
        reports=[entity_json(r) for r in item.reports],
        submissions=[entity_json(s) for s in item.submissions],
        conflicts=item.conflicts,
        audit=[entity_json(a) for a in item.audit],
    )
    return data


def deadline_json(item: Deadline) -> dict[str, Any]:
    """One deadline (built directly: `list --json` makes thousands, asdict() is slow)."""
    return {
        "key": item.key,
        "label": item.label,
        "due_at": item.due_at,
        "done_at": item.done_at,
        "state": item.state,
    }


def deadlines_json(items: list[Deadline]) -> list[dict[str, Any]]:
    """The `deadlines` key of `show --json`."""
    return [deadline_json(d) for d in items]
