"""A ticket's deadlines: its own and the `[sla]` stage targets, each met, missed or pending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from srgcli.calendar import MOSCOW, now
from srgcli.model import StageMoments, Status, Ticket, TicketFacts
from srgcli.workspace import Workspace

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


def compute_due(ws: Workspace, received_at: str | None) -> str | None:
    """A deadline from the receipt time and the SLA in config; None without a valid receipt."""
    if not received_at:
        return None
    try:
        received = datetime.fromisoformat(received_at)
    except ValueError:
        return None
    due = ws.calendar.due_at(received, ws.config.sla_days)
    return str(due.isoformat(timespec="seconds"))


def days_left(ws: Workspace, ticket: Ticket) -> float | None:
    """Business days left until the ticket's deadline (negative when overdue)."""
    if not ticket.due_at or "due_at" in ticket.invalid:
        return None
    try:
        due = datetime.fromisoformat(ticket.due_at)
    except ValueError:
        return None
    return float(ws.calendar.business_days_left(now(), due))


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


# The deadlines of a ticket: the `[sla]` stage targets and the ticket's own.
FIRST_CONTACT, REPORT, TICKET = "first_contact", "report", "ticket"
STAGE_LABELS = {FIRST_CONTACT: "Первый контакт с клиентом", REPORT: "Отчёт подготовлен"}
TICKET_LABEL = "Заявка отработана (отчёт сдан)"
NOTHING_DONE = StageMoments()


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
