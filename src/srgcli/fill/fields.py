"""Step 1, `fill`: what a ticket lacks, and completing it with validated values.

The CLI only renders and prompts; validation, field names and saving live here, so the
demo and scripts can fill tickets from Python exactly as the command does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from srgcli.exit import ExitCode, SrgError
from srgcli.model import EDITABLE_FIELDS, FIELD_LABELS, Status, Ticket
from srgcli.normalize.values import (
    FUTURE_TOLERANCE,
    deadline_problem,
    expected_text,
    normalize_contact,
    normalize_field,
)
from srgcli.tickets import compute_due, require_ticket, set_executor_fields
from srgcli.tickets import problems as ticket_problems_of
from srgcli.workspace import Workspace, reads

CONTACT = "client_contact"


@dataclass(frozen=True)
class FieldProblem:
    """One field that is empty though required, or whose value is invalid."""

    field: str
    label: str
    reason: str
    # The value as stored (personal data: shown to the executor, never logged).
    value: str | None
    expected: str

    @property
    def kind(self) -> str:
        """ "missing" for an empty field, "invalid" for a value that is there but wrong."""
        return "invalid" if self.value else "missing"


@dataclass(frozen=True)
class TicketCheck:
    """The outcome of checking one ticket's fields."""

    ticket_id: str
    status: Status
    problems: tuple[FieldProblem, ...]

    @property
    def ok(self) -> bool:
        """True when nothing is missing or invalid."""
        return not self.problems


@dataclass(frozen=True)
class FillResult:
    """What `fill` did: values refused (nothing saved then) or changed, and what is left."""

    ticket_id: str
    rejected: dict[str, str] = field(default_factory=dict)
    changed: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    check: TicketCheck | None = None

    @property
    def saved(self) -> bool:
        """True when the values were stored (none was refused)."""
        return not self.rejected


def order_id_pattern(ws: Workspace) -> str:
    """The configured order number pattern ("" when unchecked)."""
    return str(ws.config.section("fill")["order_id_pattern"])


def current_value(ticket: Ticket, name: str) -> str | None:
    """A field's stored value; for the contact, the phone and e-mail together."""
    if name == CONTACT:
        parts = [v for v in (ticket.client_phone, ticket.client_email) if v]
        return ", ".join(parts) or None
    return ticket.value(name)


def field_problems(ws: Workspace, ticket: Ticket) -> tuple[FieldProblem, ...]:
    """The ticket's empty or invalid required fields (and invalid optional ones), in order."""
    pattern = order_id_pattern(ws)
    return tuple(
        FieldProblem(
            field=name,
            label=FIELD_LABELS.get(name, name),
            reason=reason,
            value=current_value(ticket, name),
            expected=expected_text(name, pattern),
        )
        for name, reason in ticket_problems_of(ws, ticket).items()
    )


def _checks(ws: Workspace, tickets: list[Ticket]) -> list[TicketCheck]:
    from srgcli.tickets import summarize

    return [
        TicketCheck(s.ticket.id, s.status, field_problems(ws, s.ticket))
        for s in summarize(ws, tickets)
    ]


def check_ticket(ws: Workspace, ticket_id: str) -> TicketCheck:
    """Check one ticket's fields without changing anything."""
    return _checks(ws, [require_ticket(ws, ticket_id)])[0]


def check_all(ws: Workspace) -> list[TicketCheck]:
    """Check every ticket of the workspace, in `list` order."""
    return _checks(ws, reads.list_tickets(ws))


def _label_key(text: str) -> str:
    return " ".join(text.split()).casefold().replace("ё", "е")


def resolve_field(name: str) -> str:
    """A field's canonical name from the canonical name or its Russian label.

    "client_contact" (a phone or an e-mail) is accepted too. An unknown name or the
    ticket's id is a usage error.
    """
    key = _label_key(name)
    for canonical, label in FIELD_LABELS.items():
        if key in (canonical, _label_key(label)):
            if canonical == "id":
                raise SrgError(
                    "Номер заявки изменить нельзя: это ключ заявки в ИС.", ExitCode.USAGE
                )
            return canonical
    names = ", ".join((*EDITABLE_FIELDS, CONTACT))
    raise SrgError(f"Неизвестное поле «{name.strip()}».", ExitCode.USAGE, hint=f"Поля: {names}.")


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`FIELD=VALUE` items as canonical field -> raw value (the last one wins)."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise SrgError(
                "Ожидается --set ПОЛЕ=ЗНАЧЕНИЕ.",
                ExitCode.USAGE,
                hint='Например: --set client_phone="+7 916 123-45-67"',
            )
        result[resolve_field(name)] = value
    return result


def normalize_value(ws: Workspace, name: str, value: str) -> dict[str, str]:
    """Stored values for one answer; "client_contact" becomes the phone or the e-mail.

    Raises ValueError with a Russian reason when the value is invalid.
    """
    if name == CONTACT:
        if not value.strip():
            raise ValueError("пустое значение")
        target, stored = normalize_contact(value)
        return {target: stored}
    stored = normalize_field(name, value, order_id_pattern(ws))
    if name == "received_at":
        _refuse_future(stored)
    return {name: stored}


def _refuse_future(stored: str) -> None:
    """A ticket cannot have been received later than now (beyond clock differences)."""
    from srgcli.calendar import MOSCOW, now
    from srgcli.ru import format_moment

    moment = now().astimezone(MOSCOW)
    if datetime.fromisoformat(stored) > moment + FUTURE_TOLERANCE:
        raise ValueError(f"позже текущего момента (сейчас {format_moment(moment)} по Москве)")


def deadline_conflict(ticket: Ticket, values: Mapping[str, str]) -> tuple[str, str] | None:
    """The field to refuse, and why, when `values` would put the deadline before the receipt.

    The other date comes from `values` or is the stored one; a stored value marked invalid is
    not judged (it is a problem to fix already), and a computed deadline follows a new receipt
    time by the SLA, so only a deadline from the ИС or the executor can conflict with it.
    """
    from srgcli.ru import format_moment

    if "received_at" not in values and "due_at" not in values:
        return None
    received = values.get("received_at")
    if received is None and "received_at" not in ticket.invalid:
        received = ticket.received_at
    due = values.get("due_at")
    if due is None:
        recomputed = "received_at" in values and ticket.due_source in (None, "computed")
        if recomputed or "due_at" in ticket.invalid:
            return None
        due = ticket.due_at
    if received is None or due is None or deadline_problem(received, due) is None:
        return None
    if "due_at" in values:
        return "due_at", f"раньше даты поступления заявки ({format_moment(received)})"
    return (
        "received_at",
        f"позже срока исполнения заявки ({format_moment(due)}); если неверен и срок, "
        "задайте его в той же команде (--set due_at=…)",
    )


def contact_conflict(ws: Workspace, ticket_id: str, values: Mapping[str, str]) -> str | None:
    """Why a new receipt time in `values` is refused: contacts already logged before it.

    A contact cannot precede the ticket's receipt (`contact-log add --at` refuses one), so a
    receipt time moved past the earliest contact is refused too. As there, the receipt counts
    from its minute.
    """
    from srgcli.ru import format_moment

    received = values.get("received_at")
    if received is None:
        return None
    moments = [datetime.fromisoformat(c.at) for c in reads.contacts(ws, ticket_id)]
    if not moments:
        return None
    earliest = min(moments)
    if datetime.fromisoformat(received).replace(second=0, microsecond=0) <= earliest:
        return None
    return (
        f"позже первого записанного контакта по заявке ({format_moment(earliest)}): "
        "контакт не может быть раньше поступления заявки"
    )


def normalize_answer(
    ws: Workspace, ticket_id: str, name: str, answer: str, pending: Mapping[str, str]
) -> dict[str, str]:
    """Stored values for an answer to a `fill` question, given the answers before it.

    Raises ValueError with a Russian reason when the value is invalid, is a deadline
    before the receipt time, or a receipt time after a logged contact. A receipt time after
    the stored deadline is taken: the deadline is asked next (`deadline_question`).
    """
    values = normalize_value(ws, name, answer)
    too_late = contact_conflict(ws, ticket_id, values)
    if too_late is not None:
        raise ValueError(too_late)
    conflict = deadline_conflict(require_ticket(ws, ticket_id), {**pending, **values})
    if conflict is not None and conflict[0] == "due_at":
        raise ValueError(conflict[1])
    return values


def deadline_question(
    ws: Workspace, ticket_id: str, pending: Mapping[str, str]
) -> FieldProblem | None:
    """The deadline to ask for when the receipt time just entered falls after it, or None."""
    ticket = require_ticket(ws, ticket_id)
    conflict = deadline_conflict(ticket, pending)
    if conflict is None or conflict[0] != "received_at" or "due_at" in pending:
        return None
    return FieldProblem(
        field="due_at",
        label=FIELD_LABELS["due_at"],
        reason="раньше новой даты поступления",
        value=ticket.due_at,
        expected=expected_text("due_at"),
    )


def validate_values(ws: Workspace, raw: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Normalise every value: (stored values, field -> reason for those refused)."""
    values: dict[str, str] = {}
    rejected: dict[str, str] = {}
    for name, value in raw.items():
        try:
            values.update(normalize_value(ws, name, value))
        except ValueError as exc:
            rejected[name] = str(exc)
    return values, rejected


def fill_ticket(
    ws: Workspace, ticket_id: str, raw: Mapping[str, str], *, command: str = "fill"
) -> FillResult:
    """Validate all values, then store them in one audited transaction; a refusal saves nothing."""
    ticket = require_ticket(ws, ticket_id)
    values, rejected = validate_values(ws, raw)
    too_late = contact_conflict(ws, ticket_id, values)
    if too_late is not None:
        rejected["received_at"] = too_late
    # A typo in one date must not be blamed on the other: the pair is judged when both are good.
    if "received_at" not in rejected and "due_at" not in rejected:
        conflict = deadline_conflict(ticket, values)
        if conflict is not None:
            rejected[conflict[0]] = conflict[1]
    if rejected:
        return FillResult(ticket_id, rejected=rejected, check=check_ticket(ws, ticket_id))
    changed = set_executor_fields(ws, ticket_id, values, command=command) if values else {}
    return FillResult(ticket_id, changed=changed, check=check_ticket(ws, ticket_id))


def suggested_due(ws: Workspace, ticket_id: str, pending: Mapping[str, str]) -> str | None:
    """The deadline the SLA gives (a default when asking for due_at).

    Counts from the receipt time just entered, else from the stored one when it is valid.
    """
    ticket = require_ticket(ws, ticket_id)
    received = pending.get("received_at")
    if received is None and "received_at" not in ticket.invalid:
        received = ticket.received_at
    return compute_due(ws, received)


# --- JSON: the shapes `fill --json` prints ------------------------------------------------


def problem_json(problem: FieldProblem) -> dict[str, str | None]:
    """One field problem."""
    return {
        "field": problem.field,
        "label": problem.label,
        "reason": problem.reason,
        "value": problem.value,
        "expected": problem.expected,
        "kind": problem.kind,
    }


def check_json(check: TicketCheck) -> dict[str, object]:
    """`fill ID --check --json`, and each element of `fill --all --check --json`."""
    return {
        "id": check.ticket_id,
        "status": check.status.value,
        "ok": check.ok,
        "count": len(check.problems),
        "problems": [problem_json(p) for p in check.problems],
    }


def checks_json(checks: list[TicketCheck]) -> dict[str, object]:
    """`fill --all --check --json`."""
    return {
        "checked": len(checks),
        "with_problems": sum(1 for c in checks if not c.ok),
        "tickets": [check_json(c) for c in checks],
    }


def fill_json(result: FillResult) -> dict[str, object]:
    """`fill ID --set … --json`: what was refused or changed, and what is still missing."""
    data: dict[str, object] = {
        "id": result.ticket_id,
        "saved": result.saved,
        "rejected": [
            {"field": name, "label": FIELD_LABELS.get(name, name), "reason": reason}
            for name, reason in result.rejected.items()
        ],
        "changed": [
            {"field": name, "old": old, "new": new} for name, (old, new) in result.changed.items()
        ],
    }
    if result.check is not None:
        data.update(check_json(result.check))
        data["id"] = result.ticket_id
    return data
