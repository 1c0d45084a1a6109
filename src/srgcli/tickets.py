"""Ticket overviews for `list` and `show`, and the one JSON shape of each entity."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from srgcli.calendar import now
from srgcli.model import (
    TICKET_FIELDS,
    Contact,
    Finding,
    NextStep,
    OrderEvent,
    ReportVersion,
    Resolution,
    Status,
    Submission,
    Ticket,
    TicketFacts,
    derive_status,
    next_step,
)
from srgcli.workspace import Workspace, repo
from srgcli.workspace.audit import AuditEntry, trail

# Statuses at which the executor's own deadline no longer runs.
DONE_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED})


class TicketSummary(NamedTuple):
    """One line of `list`."""

    ticket: Ticket
    facts: TicketFacts
    status: Status
    next: NextStep
    overdue: bool


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


def is_overdue(ticket: Ticket, status: Status, moment: datetime) -> bool:
    """True when the deadline has passed and the executor's work is not handed over."""
    if not ticket.due_at or status in DONE_STATUSES or "due_at" in ticket.invalid:
        return False
    try:
        return datetime.fromisoformat(ticket.due_at) < moment
    except ValueError:
        return False


def summarize(ws: Workspace, tickets: list[Ticket]) -> list[TicketSummary]:
    """Status, next step and overdue flag for each ticket, in a fixed number of queries."""
    facts = repo.collect_facts(ws, tickets)
    moment = now()
    result = []
    for t in tickets:
        f = facts[t.id]
        status = derive_status(f)
        result.append(
            TicketSummary(t, f, status, next_step(f, status), is_overdue(t, status, moment))
        )
    return result


def list_summaries(
    ws: Workspace, status: Status | None = None, overdue: bool = False
) -> list[TicketSummary]:
    """The tickets `list` shows, filtered by status and overdue."""
    items = summarize(ws, repo.list_tickets(ws))
    if status is not None:
        items = [s for s in items if s.status is status]
    if overdue:
        items = [s for s in items if s.overdue]
    return items


def detail(ws: Workspace, ticket_id: str) -> TicketDetail:
    """Everything known about one ticket; an unknown id is an SrgError with suggestions."""
    ticket = repo.require_ticket(ws, ticket_id)
    (summary,) = summarize(ws, [ticket])
    return TicketDetail(
        summary=summary,
        problems=repo.problems(ws, ticket),
        events=repo.events(ws, ticket.id),
        finding=repo.finding(ws, ticket.id),
        contacts=repo.contacts(ws, ticket.id),
        resolution=repo.resolution(ws, ticket.id),
        reports=repo.reports(ws, ticket.id),
        submissions=repo.submissions(ws, ticket.id),
        conflicts=repo.conflicts(ws, ticket.id),
        audit=trail(ws.conn, ticket.id),
    )


def days_left(ws: Workspace, ticket: Ticket) -> float | None:
    """Business days left until the ticket's deadline (negative when overdue)."""
    if not ticket.due_at or "due_at" in ticket.invalid:
        return None
    try:
        due = datetime.fromisoformat(ticket.due_at)
    except ValueError:
        return None
    return float(ws.calendar.business_days_left(now(), due))


@dataclass(frozen=True)
class Deadline:
    """One deadline of the ticket and whether it was met."""

    key: str  # "first_contact", "report", "ticket"
    label: str
    due_at: str | None
    done_at: str | None
    # "met", "missed", "pending", "overdue" (pending and past due), or "unknown" (no date)
    state: str


def deadlines(ws: Workspace, item: TicketDetail) -> list[Deadline]:
    """The stage targets from `[sla]` and the ticket's own deadline, each met or not."""
    ticket = item.summary.ticket
    sla = ws.config.section("sla")
    received = _moment(ticket.received_at) if "received_at" not in ticket.invalid else None
    first_contact = next(
        (c.at for c in item.contacts if c.party == "client" and c.outcome != "no_answer"), None
    )
    first_report = item.reports[0].created_at if item.reports else None
    handed_over = item.submissions[0].submitted_at if item.submissions else None

    def target(days: int) -> str | None:
        if received is None:
            return None
        return str(ws.calendar.due_at(received, days).isoformat(timespec="seconds"))

    rows = [
        (
            "first_contact",
            "Первый контакт с клиентом",
            target(sla["first_contact_days"]),
            first_contact,
        ),
        ("report", "Отчёт подготовлен", target(sla["report_days"]), first_report),
        (
            "ticket",
            "Заявка отработана (отчёт сдан)",
            ticket.due_at if "due_at" not in ticket.invalid else None,
            handed_over,
        ),
    ]
    moment = now()
    result = []
    for key, label, due, done in rows:
        due_m, done_m = _moment(due), _moment(done)
        if due_m is None:
            state = "unknown"
        elif done_m is not None:
            state = "met" if done_m <= due_m else "missed"
        else:
            state = "overdue" if moment > due_m else "pending"
        result.append(Deadline(key, label, due, done, state))
    return result


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


# --- JSON: one serializer per entity, used by show, list and manifests -----------------


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


def deadlines_json(items: list[Deadline]) -> list[dict[str, Any]]:
    """The `deadlines` key of `show --json`."""
    return [entity_json(d) for d in items]
