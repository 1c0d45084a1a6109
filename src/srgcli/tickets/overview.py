"""Ticket overviews for `list` and `show`: status, next step, overdue deadlines, all known."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from srgcli.calendar import now
from srgcli.model import (
    Contact,
    Finding,
    NextStep,
    OrderEvent,
    ReportVersion,
    Resolution,
    StageMoments,
    Status,
    Submission,
    Ticket,
    TicketFacts,
    derive_status,
    next_step,
)
from srgcli.tickets.deadlines import (
    NOTHING_DONE,
    Deadline,
    StageTargets,
    overdue_deadlines,
    stage_deadlines,
)
from srgcli.tickets.facts import collect_facts, problems
from srgcli.tickets.guards import require_ticket
from srgcli.workspace import Workspace, reads
from srgcli.workspace.audit import AuditEntry, trail


class TicketSummary(NamedTuple):
    """One line of `list`."""

    ticket: Ticket
    facts: TicketFacts
    status: Status
    next: NextStep
    # True when any deadline below has passed: the ticket's own or a stage target.
    overdue: bool
    # The deadlines past due with their stage not done; none once the work is handed over.
    overdue_deadlines: tuple[Deadline, ...] = ()


@dataclass(frozen=True)
class TicketDetail:
    """Everything `show` prints about one ticket."""

    summary: TicketSummary
    problems: dict[str, str]
    events: list[OrderEvent]
    finding: Finding | None
    contacts: list[Contact]
    resolution: Resolution | None
    reports: list[ReportVersion]
    submissions: list[Submission]
    conflicts: list[dict[str, Any]]
    audit: list[AuditEntry]


def summarize(ws: Workspace, tickets: list[Ticket]) -> list[TicketSummary]:
    """Status, next step and overdue deadlines for each ticket, in a fixed number of queries."""
    facts = collect_facts(ws, tickets)
    stages = reads.stage_moments(ws)
    targets = StageTargets(ws, now())
    result = []
    for t in tickets:
        f = facts[t.id]
        status = derive_status(f)
        late = overdue_deadlines(t, status, stages.get(t.id, NOTHING_DONE), targets)
        result.append(TicketSummary(t, f, status, next_step(f, status), bool(late), late))
    return result


def list_summaries(
    ws: Workspace, status: Status | None = None, overdue: bool = False
) -> list[TicketSummary]:
    """The tickets `list` shows, filtered by status and overdue."""
    items = summarize(ws, reads.list_tickets(ws))
    if status is not None:
        items = [s for s in items if s.status is status]
    if overdue:
        items = [s for s in items if s.overdue]
    return items


def detail(ws: Workspace, ticket_id: str) -> TicketDetail:
    """Everything known about one ticket; an unknown id is an SrgError with suggestions."""
    ticket = require_ticket(ws, ticket_id)
    (summary,) = summarize(ws, [ticket])
    return TicketDetail(
        summary=summary,
        problems=problems(ws, ticket),
        events=reads.events(ws, ticket.id),
        finding=reads.finding(ws, ticket.id),
        contacts=reads.contacts(ws, ticket.id),
        resolution=reads.resolution(ws, ticket.id),
        reports=reads.reports(ws, ticket.id),
        submissions=reads.submissions(ws, ticket.id),
        conflicts=reads.conflicts(ws, ticket.id),
        audit=trail(ws.conn, ticket.id),
    )


def deadlines(ws: Workspace, item: TicketDetail) -> list[Deadline]:
    """The stage targets from `[sla]` and the ticket's own deadline, each met or not."""
    done = StageMoments(
        first_contact=next(
            (c.at for c in item.contacts if c.party == "client" and c.outcome != "no_answer"),
            None,
        ),
        first_report=item.reports[0].created_at if item.reports else None,
        handed_over=_handed_over(item.submissions),
    )
    return stage_deadlines(ws, item.summary.ticket, done, now())


def _handed_over(submissions: list[Submission]) -> str | None:
    """When the work was handed over for good: the first submission not returned for rework
    (a returned report does not meet the deadline; as for `list`, the ticket is open again).

    A variant B delivery counts once its mark is recorded in the ИС, and from then (the
    service description, acceptance 3.2): until the mark, the ticket is not done.
    """
    first = next((s for s in submissions if s.decision != "returned"), None)
    if first is None:
        return None
    return first.marked_at if first.variant == "B" else first.submitted_at
