"""The executor's own values on a ticket: stored so that a later fetch never overwrites them."""

from __future__ import annotations

from collections.abc import Mapping

from srgcli.exit import ExitCode, SrgError
from srgcli.model import EDITABLE_FIELDS
from srgcli.normalize.values import EARLY_DEADLINE, deadline_problem
from srgcli.tickets.deadlines import compute_due
from srgcli.tickets.guards import require_ticket
from srgcli.workspace import Workspace, writes
from srgcli.workspace.db import transaction
from srgcli.workspace.received import keep_received


def set_executor_fields(
    ws: Workspace, ticket_id: str, values: Mapping[str, str], *, command: str = "fill"
) -> dict[str, tuple[str | None, str]]:
    """Store values the executor set (already validated); a later fetch never overwrites them.

    Everything is one transaction, audited field by field. Returns field -> (old, new)
    for the values that actually changed.
    """
    unknown = [f for f in values if f not in EDITABLE_FIELDS]
    if unknown:
        raise SrgError(f"Неизвестное поле: {', '.join(unknown)}.", ExitCode.USAGE)
    changed: dict[str, tuple[str | None, str]] = {}
    conn = ws.conn
    with transaction(conn):
        ticket = require_ticket(ws, ticket_id)
        store_received = keep_received(conn, ticket_id)
        owned = set(ticket.executor_fields)
        invalid = dict(ticket.invalid)
        for name, new in values.items():
            old = ticket.value(name)
            owned.add(name)
            invalid.pop(name, None)
            if old == new:
                continue
            changed[name] = (old, new)
            writes.set_ticket_field(conn, ticket_id, name, old, new, command=command)
        if "due_at" in values:
            writes.set_due_source(conn, ticket_id, "executor")
        elif "received_at" in changed and ticket.due_source in (None, "computed"):
            due = compute_due(ws, values["received_at"])
            if due != ticket.due_at:
                writes.set_ticket_field(
                    conn, ticket_id, "due_at", ticket.due_at, due, command=command
                )
                writes.set_due_source(conn, ticket_id, "computed")
        # A deadline marked as earlier than the receipt (by fetch) is judged again against
        # the new receipt time: fixing the receipt time fixes the pair.
        if (
            invalid.get("due_at") == EARLY_DEADLINE
            and "received_at" in values
            and deadline_problem(values["received_at"], ticket.due_at) is None
        ):
            del invalid["due_at"]
        writes.set_executor_owned(conn, ticket_id, owned, invalid)
        store_received()
    return changed
