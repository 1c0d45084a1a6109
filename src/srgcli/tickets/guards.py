"""Workflow preconditions: every check that refuses a command, in one place."""

from __future__ import annotations

from srgcli.exit import ExitCode, PreconditionError, SrgError
from srgcli.model import FIELD_LABELS, Ticket
from srgcli.tickets.deadlines import DONE_STATUSES
from srgcli.tickets.facts import problems, ticket_status
from srgcli.workspace import Workspace, reads


def require_ticket(ws: Workspace, ticket_id: str) -> Ticket:
    """The ticket, or an SrgError (exit 2) that suggests close matches."""
    ticket = reads.get_ticket(ws, ticket_id)
    if ticket is not None:
        return ticket
    import difflib

    ids = reads.ticket_ids(ws)
    close = difflib.get_close_matches(ticket_id, ids, n=3, cutoff=0.6)
    close += [i for i in ids if ticket_id and ticket_id in i and i not in close][: 3 - len(close)]
    hint = ("Возможно, вы имели в виду: " + ", ".join(close)) if close else None
    if not ids:
        hint = "В рабочей папке пока нет заявок: загрузите их командой srgcli fetch."
    raise SrgError(f"Заявка {ticket_id} не найдена.", ExitCode.USAGE, hint=hint)


def require_not_handed_over(ws: Workspace, ticket: Ticket, what: str, noun: str) -> None:
    """What a handed-over report states is fixed until a return for rework (exit 3).

    `what` names it in the message («вывод, на котором он основан»), `noun` in the hint.
    """
    status = ticket_status(ws, ticket)
    if status in DONE_STATUSES:
        raise PreconditionError(
            f"Отчёт по заявке {ticket.id} уже сдан (статус «{status.label}»): {what}, "
            "менять нельзя.",
            hint=f"Если Заказчик вернёт отчёт на доработку, {noun} можно будет изменить.",
        )


def require_filled(ws: Workspace, ticket: Ticket, what: str) -> None:
    """Refuse (exit 3) while the ticket has missing or invalid required fields; `what` ends
    the message: «вывод записывается после шага 1»."""
    found = problems(ws, ticket)
    if found:
        names = ", ".join(FIELD_LABELS.get(name, name) for name in found)
        raise PreconditionError(
            f"Заявка {ticket.id} не заполнена ({names}): {what}.",
            hint=f"Сначала дозаполните поля: srgcli fill {ticket.id}",
        )
