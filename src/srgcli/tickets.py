"""Ticket overviews for `list` and `show`, and the one JSON shape of each entity."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from srgcli.calendar import MOSCOW, now
from srgcli.exit import PreconditionError
from srgcli.model import (
    TICKET_FIELDS,
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
from srgcli.workspace import Workspace, repo
from srgcli.workspace.audit import AuditEntry, trail

# Statuses at which the executor's own deadline no longer runs (for variant B, "submitted"
# only once the delivery is marked in the ИС: see handed_over()).
DONE_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED})


def handed_over(status: Status, facts: TicketFacts) -> bool:
    """True when the work is done for the ticket's deadline: handed over to the Customer
    (variant A) or delivered to the client with the ИС mark (variant B)."""
    if status not in DONE_STATUSES:
        return False
    return facts.submission_variant != "B" or facts.submission_mark_ref is not None


@dataclass(frozen=True)
class Deadline:
    """One deadline of the ticket and whether it was met."""

    key: str  # "first_contact", "report", "ticket"
    label: str
    due_at: str | None
    done_at: str | None
    # "met", "missed", "pending", "overdue" (pending and past due), or "unknown" (no date)
    state: str


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


def require_not_handed_over(ws: Workspace, ticket: Ticket, what: str, noun: str) -> None:
    """What a handed-over report states is fixed until a return for rework (exit 3).

    `what` names it in the message («вывод, на котором он основан»), `noun` in the hint.
    """
    status = repo.ticket_status(ws, ticket)
    if status in DONE_STATUSES:
        raise PreconditionError(
            f"Отчёт по заявке {ticket.id} уже сдан (статус «{status.label}»): {what}, "
            "менять нельзя.",
            hint=f"Если Заказчик вернёт отчёт на доработку, {noun} можно будет изменить.",
        )


def overdue_deadlines(
    ticket: Ticket, status: Status, done: StageMoments, targets: StageTargets
) -> tuple[Deadline, ...]:
    """The ticket's deadlines that have passed (as of `targets.moment`) with their stage not done.

    Stage targets (first contact, report) count like the ticket's own deadline; nothing is
    overdue once the work is handed over (variant B: marked in the ИС), and a ticket returned
    for rework after its own deadline is overdue again (the status is no longer a done one).
    (The lean twin of stage_deadlines() for `list`: targets are looked up only for stages not
    done.)
    """
    if status in DONE_STATUSES and done.handed_over is not None:
        return ()
    late: list[Deadline] = []
    if done.first_contact is None or done.first_report is None:
        received = targets.received_day(ticket)
        if received is not None:
            if done.first_contact is None:
                passed = targets.passed(received, FIRST_CONTACT)
                if passed is not None:
                    late.append(passed)
            if done.first_report is None:
                passed = targets.passed(received, REPORT)
                if passed is not None:
                    late.append(passed)
    if ticket.due_at and "due_at" not in ticket.invalid and targets.has_passed(ticket.due_at):
        late.append(targets.overdue_ticket(ticket.due_at, done.handed_over))
    return tuple(late)


def summarize(ws: Workspace, tickets: list[Ticket]) -> list[TicketSummary]:
    """Status, next step and overdue deadlines for each ticket, in a fixed number of queries."""
    facts = repo.collect_facts(ws, tickets)
    stages = repo.stage_moments(ws)
    targets = StageTargets(ws, now())
    result = []
    for t in tickets:
        f = facts[t.id]
        status = derive_status(f)
        late = overdue_deadlines(t, status, stages.get(t.id, _NOTHING_DONE), targets)
        result.append(TicketSummary(t, f, status, next_step(f, status), bool(late), late))
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


# The deadlines of a ticket: the `[sla]` stage targets and the ticket's own.
FIRST_CONTACT, REPORT, TICKET = "first_contact", "report", "ticket"
STAGE_LABELS = {FIRST_CONTACT: "Первый контакт с клиентом", REPORT: "Отчёт подготовлен"}
TICKET_LABEL = "Заявка отработана (отчёт сдан)"
_NOTHING_DONE = StageMoments()


class StageTargets:
    """The `[sla]` stage targets as of one moment, computed once per day of receipt.

    `list` asks for two targets per ticket; tickets received on the same day share them.
    """

    def __init__(self, ws: Workspace, moment: datetime):
        sla = ws.config.section("sla")
        self._calendar = ws.calendar
        self._days = {FIRST_CONTACT: sla["first_contact_days"], REPORT: sla["report_days"]}
        # In the targets' own zone: datetimes with one tzinfo compare ten times faster.
        self.moment = moment.astimezone(MOSCOW)
        self._due: dict[tuple[date, str], tuple[datetime, str]] = {}
        self._passed: dict[tuple[date, str], Deadline | None] = {}
        # Stored moments repeat (deadlines fall at the end of a business day): each text is
        # read once.
        self._days_of: dict[str, date | None] = {}
        self._past: dict[str, bool] = {}
        self._overdue: dict[tuple[str, str | None], Deadline] = {}

    def received_day(self, ticket: Ticket) -> date | None:
        """The Moscow day the ticket was received (None when unknown or invalid)."""
        if not ticket.received_at or "received_at" in ticket.invalid:
            return None
        text = ticket.received_at
        if text not in self._days_of:
            self._days_of[text] = _received(ticket)
        return self._days_of[text]

    def overdue_ticket(self, due_at: str, handed_over: str | None) -> Deadline:
        """The ticket's own deadline, past and not met (shared by the tickets it fits)."""
        key = (due_at, handed_over)
        found = self._overdue.get(key)
        if found is None:
            found = self._overdue[key] = Deadline(
                TICKET, TICKET_LABEL, due_at, handed_over, "overdue"
            )
        return found

    def has_passed(self, stored: str) -> bool:
        """True when a stored moment (a deadline) is before the targets' moment."""
        past = self._past.get(stored)
        if past is None:
            moment = _moment(stored)
            past = self._past[stored] = moment is not None and moment < self.moment
        return past

    def due(self, received: date | None, stage: str) -> tuple[datetime, str] | None:
        """The deadline of `stage` for a ticket received on the (Moscow) day `received`, and
        its stored text form; None without a receipt day."""
        if received is None:
            return None
        key = (received, stage)
        if key not in self._due:
            day = self._calendar.add_business_days(received, self._days[stage])
            due = datetime.combine(day, self._calendar.workday_end, tzinfo=MOSCOW)
            self._due[key] = (due, due.isoformat(timespec="seconds"))
        return self._due[key]

    def passed(self, received: date | None, stage: str) -> Deadline | None:
        """The stage's deadline as an overdue Deadline (stage not done) when the moment is
        past it, else None.

        A target is never earlier than that many calendar days after receipt, so before then
        the business calendar (and the `holidays` package, ~0.25 s to load) is not needed.
        """
        if received is None:
            return None
        key = (received, stage)
        if key not in self._passed:
            self._passed[key] = None
            days = timedelta(days=self._days[stage])
            earliest = datetime.combine(received + days, self._calendar.workday_end, MOSCOW)
            due = self.due(received, stage) if self.moment > earliest else None
            if due is not None and deadline_state(due[0], None, self.moment) == "overdue":
                self._passed[key] = Deadline(stage, STAGE_LABELS[stage], due[1], None, "overdue")
        return self._passed[key]


def deadline_state(due: datetime | None, done: datetime | None, moment: datetime) -> str:
    """ "met", "missed", "pending", "overdue" (pending and past due) or "unknown" (no date)."""
    if due is None:
        return "unknown"
    if done is not None:
        return "met" if done <= due else "missed"
    return "overdue" if moment > due else "pending"


def stage_deadlines(
    ws: Workspace, ticket: Ticket, done: StageMoments, moment: datetime
) -> list[Deadline]:
    """First contact, report and the ticket itself: each deadline, when done, and its state."""
    targets = StageTargets(ws, moment)
    received = _received(ticket)
    result = []
    for stage, done_at in ((FIRST_CONTACT, done.first_contact), (REPORT, done.first_report)):
        due = targets.due(received, stage)
        state = deadline_state(due[0] if due else None, _moment(done_at), moment)
        result.append(Deadline(stage, STAGE_LABELS[stage], due[1] if due else None, done_at, state))
    own_due = ticket.due_at if "due_at" not in ticket.invalid else None
    state = deadline_state(_moment(own_due), _moment(done.handed_over), moment)
    result.append(Deadline(TICKET, TICKET_LABEL, own_due, done.handed_over, state))
    return result


def _received(ticket: Ticket) -> date | None:
    """The Moscow day the ticket was received, the start of its stage targets."""
    moment = _moment(ticket.received_at) if "received_at" not in ticket.invalid else None
    return moment.astimezone(MOSCOW).date() if moment else None


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
