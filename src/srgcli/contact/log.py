"""Step 3: contacts with the client (calls, letters) and the settlement of the complaint.

Written texts (letters from templates, text files) pass the gate before anything is stored;
the gate's result is stored with the contact, the final letter is kept in
`outbox/letters/<ticket>/` with owner-only permissions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from srgcli.exit import ExitCode, SrgError
from srgcli.model import (
    Channel,
    ContactOutcome,
    Direction,
    LabeledEnum,
    Party,
    ResolutionOutcome,
)
from srgcli.tickets.guards import require_filled, require_resolvable

if TYPE_CHECKING:
    from srgcli.gate.engine import Gate
    from srgcli.gate.issue import GateResult
    from srgcli.model import Contact, Resolution, Ticket
    from srgcli.workspace import Workspace

_E = TypeVar("_E", bound=LabeledEnum)

# Channels whose contacts are written messages: only they carry a text (which is gated).
WRITTEN_CHANNELS = frozenset({Channel.EMAIL.value, Channel.MESSENGER.value, Channel.IS_CHAT.value})


@dataclass(frozen=True)
class ContactInput:
    """A contact as the user describes it, values already parsed to canonical form."""

    channel: Channel
    direction: Direction
    party: Party
    outcome: ContactOutcome
    summary: str
    at: str
    text: str | None = None
    template: str | None = None


# The narrow forms `contact-log list` shows, accepted back as input too.
SHORT_FORMS = {"email": "e-mail", "is_chat": "чат ИС", "visit": "визит", "in": "вх.", "out": "исх."}


def short_form(value: str) -> str | None:
    """The narrow form of a stored channel or direction for tables, if it has one."""
    return SHORT_FORMS.get(value)


def parse_choice(kind: type[_E], value: str, option: str) -> _E:
    """An enum value from its canonical name, Russian label or the short form `contact-log
    list` shows («исх.», «e-mail»); exit 2 with the choices."""
    try:
        return kind.parse(value)
    except ValueError:
        key = " ".join(value.split()).casefold().rstrip(".")
        for member in kind:
            short = SHORT_FORMS.get(member.value)
            if short is not None and key == short.casefold().rstrip("."):
                return member
        raise SrgError(
            f"{option}: недопустимое значение «{value}». Допустимо: {kind.choices_text()}.",
            ExitCode.USAGE,
        ) from None


def parse_at(value: str | None) -> str:
    """`--at` of a contact as stored (ISO, Moscow time); now when not given; a future moment
    is refused (see `tickets.chronology`)."""
    from srgcli.tickets.chronology import CONTACT, parse_moment

    return parse_moment(value, CONTACT)


def require_after_receipt(ticket: Ticket, at: str) -> None:
    """A contact earlier than the ticket's receipt is refused (exit 2)."""
    from srgcli.tickets.chronology import CONTACT
    from srgcli.tickets.chronology import require_after_receipt as after_receipt

    after_receipt(ticket, at, CONTACT)


def gate_context(ws: Workspace, ticket: Ticket) -> list[str]:
    """Words the gate accepts in texts about this ticket: its names, codes, the executor."""
    from srgcli.gate.documents import ticket_context

    executor = ws.config.executor
    return [*ticket_context(ws, ticket), *(v for v in (executor.phone, executor.email) if v)]


def check_text(gate: Gate, ws: Workspace, ticket: Ticket, text: str) -> GateResult:
    """The gate's verdict on a text about this ticket."""
    return gate.check(text, gate_context(ws, ticket))


def gate_record(result: GateResult) -> dict[str, Any]:
    """What is stored with a contact: passed, counts, the summary and the issues."""
    return {
        "passed": result.passed,
        "errors": result.errors,
        "warnings": result.warnings,
        "summary": result.summary.to_json(),
        "issues": [issue.to_json() for issue in result.issues],
    }


def render_letter(ws: Workspace, ticket: Ticket, template: str, at: str | None = None) -> str:
    """The letter `template` rendered for this ticket (its finding, the executor's profile),
    as sent at `at` (stored form; default now): a promised date is counted from then."""
    from srgcli.contact import letters
    from srgcli.workspace import reads

    sent_at = datetime.fromisoformat(at) if at else None
    return letters.render(ws, template, ticket, reads.finding(ws, ticket.id), sent_at)


def letter_path(ws: Workspace, ticket_id: str, template: str | None) -> Path:
    """A new `outbox/letters/<ticket>/<timestamp>-<template>.txt` that does not exist yet."""
    from srgcli.calendar import MOSCOW, now
    from srgcli.workspace.files import refuse_symlinks
    from srgcli.workspace.names import safe_part

    folder = ws.outbox_dir / "letters" / safe_part(ticket_id)
    refuse_symlinks(ws.root, folder)  # never write a client's letter outside the workspace
    stamp = now().astimezone(MOSCOW).strftime("%Y%m%dT%H%M%S")
    stem = f"{stamp}-{safe_part(template or 'text')}"
    path, n = folder / f"{stem}.txt", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.txt"
    return path


def save_letter(path: Path, text: str) -> None:
    """Write the letter readable by its owner only (0600); folders 0700."""
    from srgcli.exit import os_error_text

    try:
        # mkdir(parents=True) would give the intermediate folders the default mode.
        for folder in reversed([path.parent, *path.parent.parents]):
            if not folder.exists():
                folder.mkdir(mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        os.chmod(path, 0o600)
    except OSError as exc:
        raise SrgError(
            f"Не удалось сохранить письмо {path}: {os_error_text(exc)}.", ExitCode.USAGE
        ) from None


@dataclass(frozen=True)
class Logged:
    """A stored contact, the gate's result on its text and where the letter was saved."""

    contact_id: int
    gate: GateResult | None
    path: Path | None


def log_contact(
    ws: Workspace,
    ticket: Ticket,
    item: ContactInput,
    gate_result: GateResult | None,
    *,
    summary_result: GateResult | None = None,
    command: str = "contact-log",
) -> Logged:
    """Store a contact. A summary or a text with gate errors is refused (exit 1) and nothing
    is stored: the summary goes into the report, so it is checked now, while it can still be
    put right (a logged contact cannot be edited). `summary_result` is the gate's result for
    `item.summary` when the caller has it already; otherwise, or when it is the result of
    another text, the summary is checked here (so is a written text)."""
    from srgcli.workspace import writes

    require_filled(ws, ticket, "контакты записываются — после шага 1")
    if summary_result is None or summary_result.text != item.summary:
        from srgcli.gate.engine import open_gate

        summary_result = check_text(open_gate(ws), ws, ticket, item.summary)
    if item.text is not None and gate_result is not None and gate_result.text != item.text:
        from srgcli.gate.engine import open_gate

        gate_result = check_text(open_gate(ws), ws, ticket, item.text)
    if not summary_result.passed:
        raise SrgError(
            f"Текст --summary не прошёл проверку: ошибок — {summary_result.errors}. "
            "Контакт не записан.",
            ExitCode.PROBLEMS,
            hint="Исправьте --summary и повторите команду: этот текст попадает в отчёт.",
        )
    if item.text is not None and gate_result is None:
        raise ValueError("a written text must be checked by the gate first")
    if gate_result is not None and not gate_result.passed:
        raise SrgError(
            f"Текст не прошёл проверку: ошибок — {gate_result.errors}. Контакт не записан.",
            ExitCode.PROBLEMS,
            hint="Исправьте текст и повторите команду; проверить файл: srgcli check ФАЙЛ",
        )
    path = None
    if item.text is not None:
        path = letter_path(ws, ticket.id, item.template)
        save_letter(path, item.text)
    try:
        contact_id = writes.add_contact(
            ws,
            ticket.id,
            at=item.at,
            channel=item.channel.value,
            direction=item.direction.value,
            party=item.party.value,
            outcome=item.outcome.value,
            summary=item.summary,
            text=item.text,
            template=item.template,
            gate=gate_record(gate_result) if gate_result is not None else None,
            command=command,
        )
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    return Logged(contact_id, gate_result, path)


def list_contacts(ws: Workspace, ticket_id: str | None) -> list[Contact]:
    """Contacts of one ticket (which must exist) or of all tickets, in time order."""
    from srgcli.tickets import require_ticket
    from srgcli.workspace import reads

    if ticket_id is not None:
        require_ticket(ws, ticket_id)
        return reads.contacts(ws, ticket_id)
    return reads.all_contacts(ws)


def resolve(
    ws: Workspace,
    ticket: Ticket,
    outcome: ResolutionOutcome,
    summary: str,
    gate_result: GateResult,
    *,
    at: str | None = None,
    command: str = "contact-log",
) -> Resolution:
    """Record the settlement; its summary goes into the report, so gate errors refuse it.

    `at` (stored form, from `parse_resolved_at`) dates it when the work was done earlier;
    default: now."""
    from srgcli.workspace import reads, writes

    require_resolvable(ws, ticket)
    if at is not None:
        require_resolved_in_order(ws, ticket, at)
    if not gate_result.passed:
        raise SrgError(
            f"Итог не прошёл проверку текста: ошибок — {gate_result.errors}. Ничего не записано.",
            ExitCode.PROBLEMS,
            hint="Исправьте текст --summary и повторите команду.",
        )
    writes.save_resolution(ws, ticket.id, outcome.value, summary, resolved_at=at, command=command)
    found = reads.resolution(ws, ticket.id)
    assert found is not None
    return found


def parse_resolved_at(value: str | None) -> str | None:
    """`contact-log resolve --at` as stored; None when not given (the settlement is dated now);
    a future moment is refused (exit 2)."""
    from srgcli.tickets.chronology import RESOLUTION, given, parse_moment

    return parse_moment(value, RESOLUTION) if given(value) else None


def require_resolved_in_order(ws: Workspace, ticket: Ticket, at: str) -> None:
    """A settlement dated `at` comes after the receipt, the verdict and the first contact
    with the client that took place (exit 2 naming the one it would precede)."""
    from srgcli.tickets.chronology import RESOLUTION, require_after_receipt, require_not_before
    from srgcli.workspace import reads

    require_after_receipt(ticket, at, RESOLUTION)
    finding = reads.finding(ws, ticket.id)
    require_not_before(at, finding.decided_at if finding else None, RESOLUTION, "вывода по заявке")
    # Contacts come in time order: the first one that took place.
    reached = [
        c.at
        for c in reads.contacts(ws, ticket.id)
        if c.party == Party.CLIENT.value and c.outcome != ContactOutcome.NO_ANSWER.value
    ]
    require_not_before(
        at, reached[0] if reached else None, RESOLUTION, "первого состоявшегося контакта с клиентом"
    )


def read_text_file(path: Path) -> str:
    """A letter's text from a file (UTF-8); exit 2 when unreadable or empty."""
    from srgcli.exit import os_error_text

    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise SrgError(f"{path}: файл не в кодировке UTF-8.", ExitCode.USAGE) from None
    except OSError as exc:
        raise SrgError(f"{path}: {os_error_text(exc)}.", ExitCode.USAGE) from None
    if not text.strip():
        raise SrgError(f"{path}: файл пуст.", ExitCode.USAGE)
    return text


def read_text_stream() -> str:
    """A letter's text from stdin; exit 2 when it is empty or not UTF-8."""
    import sys

    try:
        text = sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SrgError("stdin: текст не в кодировке UTF-8.", ExitCode.USAGE) from None
    if not text.strip():
        raise SrgError("stdin: пустой текст.", ExitCode.USAGE)
    return text
