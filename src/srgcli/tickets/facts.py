"""The facts a ticket's status is derived from, and the required fields it still lacks."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable

from srgcli.model import EDITABLE_FIELDS, Status, Ticket, TicketFacts, derive_status
from srgcli.normalize.values import ticket_problems
from srgcli.workspace import Workspace, reads


def collect_facts(ws: Workspace, tickets: Iterable[Ticket]) -> dict[str, TicketFacts]:
    """The facts derive_status() needs, for many tickets in a fixed number of queries."""
    rows = reads.status_rows(ws)
    required = ws.config.required_fields
    plain = [name for name in required if name != "client_contact"]
    needed = {*plain, "client_phone", "client_email"}
    # The usual ticket: every required field filled and nothing invalid, so nothing is missing.
    filled = _all_filled(plain)
    contact = "client_contact" in required
    result: dict[str, TicketFacts] = {}
    for t in tickets:
        report = rows.reports.get(t.id)
        sub = rows.submissions.get(t.id)
        missing: tuple[str, ...] = ()
        if t.invalid or not filled(t) or (contact and not (t.client_phone or t.client_email)):
            # Every field with an invalid value counts, as in problems(): one list for all.
            values = {name: getattr(t, name) for name in (*needed, *t.invalid)}
            missing = tuple(ticket_problems(values, t.invalid, required))
        result[t.id] = TicketFacts(
            ticket_id=t.id,
            missing=missing,
            has_finding=t.id in rows.findings,
            contact_count=int(rows.contact_counts.get(t.id, 0)),
            has_resolution=t.id in rows.resolutions,
            report_version=report[0] if report else None,
            report_fresh=report is not None and report[1] == t.revision,
            submission_variant=sub[0] if sub else None,
            submission_report_version=sub[1] if sub else None,
            submission_decision=sub[2] if sub else None,
            submission_mark_ref=sub[3] if sub else None,
        )
    return result


def ticket_status(ws: Workspace, ticket: Ticket) -> Status:
    """The derived status of one ticket."""
    return derive_status(collect_facts(ws, [ticket])[ticket.id])


def _all_filled(names: list[str]) -> Callable[[Ticket], bool]:
    """A test that every one of these fields of a ticket has a value."""
    if not names:
        return lambda _: True
    values = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda ticket: bool(values(ticket))
    return lambda ticket: all(values(ticket))


def problems(ws: Workspace, ticket: Ticket) -> dict[str, str]:
    """Required fields of one ticket that are empty or invalid, with reasons."""
    values = {name: ticket.value(name) for name in ("id", *EDITABLE_FIELDS)}
    return ticket_problems(values, ticket.invalid, ws.config.required_fields)
