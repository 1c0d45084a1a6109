"""Letters out of the workspace: a logged written answer as an e-mail draft (.eml), plain text
or a Word document, ready to send or to print.

The text is the one the gate passed when the contact was logged; nothing is added to it but
the envelope (sender, recipient, subject, date). Files hold client data, so they are written
readable by their owner only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.exit import ExitCode, PreconditionError, SrgError
from srgcli.workspace.files import save_private

if TYPE_CHECKING:
    from srgcli.model import Contact, Ticket
    from srgcli.workspace import Workspace
    from srgcli.workspace.config import ExecutorProfile

FORMATS = ("eml", "txt", "docx")


@dataclass(frozen=True)
class ExportedLetter:
    """A letter written to a file."""

    contact_id: int
    ticket_id: str
    format: str
    path: Path

    def to_json(self) -> dict[str, Any]:
        """`contact-log export --json`."""
        return {
            "contact_id": self.contact_id,
            "ticket_id": self.ticket_id,
            "format": self.format,
            "path": str(self.path),
        }


def find_letter(ws: Workspace, contact_id: str) -> tuple[Contact, Ticket]:
    """The logged letter `contact_id` and its ticket; exit 2 when there is no such contact or
    it has no text (a call, a visit)."""
    from srgcli.model import Channel
    from srgcli.tickets import require_ticket
    from srgcli.workspace import reads

    number = contact_id.strip().lstrip("№").strip()
    where = "Номера контактов: srgcli contact-log list ID (в таблице и в поле id при --json)."
    if not number.isdigit():
        raise SrgError(f"Номер контакта «{contact_id}» — не число.", ExitCode.USAGE, hint=where)
    contact = reads.contact(ws, int(number))
    if contact is None:
        raise SrgError(f"Контакт № {number} не найден.", ExitCode.USAGE, hint=where)
    if contact.text is None:
        channel = Channel.try_parse(contact.channel)
        what = channel.label if channel is not None else contact.channel
        raise SrgError(
            f"Контакт № {number} по заявке {contact.ticket_id} ({what}) записан без текста "
            "письма: выгрузить можно только письменный ответ.",
            ExitCode.USAGE,
            hint=f"Письма по заявке: srgcli contact-log list {contact.ticket_id}",
        )
    return contact, require_ticket(ws, contact.ticket_id)


def default_path(ws: Workspace, contact: Contact, fmt: str) -> Path:
    """`outbox/letters/<ticket>/letter-<id>[-<template>].<fmt>`, beside the letter's own copy."""
    from srgcli.contact.log import letter_path

    folder = letter_path(ws, contact.ticket_id, None).parent
    template = f"-{contact.template}" if contact.template else ""
    return folder / f"letter-{contact.id}{template}.{fmt}"


def export_letter(
    ws: Workspace, contact_id: str, fmt: str, output: Path | None = None
) -> ExportedLetter:
    """Write the letter `contact_id` as `fmt` to `output` (a file, or a folder for the default
    name; default: the ticket's letters folder in `outbox/`). An existing file is replaced."""
    if fmt not in FORMATS:
        raise SrgError(
            f"--format: неизвестный формат «{fmt}». Допустимо: {', '.join(FORMATS)}.",
            ExitCode.USAGE,
        )
    contact, ticket = find_letter(ws, contact_id)
    assert contact.text is not None
    if fmt == "eml":
        data = eml_bytes(contact, ticket, _sender(ws))
    elif fmt == "docx":
        data = docx_bytes(contact, ticket, ws.config.executor)
    else:
        data = (contact.text if contact.text.endswith("\n") else contact.text + "\n").encode()
    target = default_path(ws, contact, fmt)
    if output is not None:
        given = output.expanduser()
        target = given / target.name if given.is_dir() else given
    else:
        from srgcli.workspace.files import refuse_symlinks

        refuse_symlinks(ws.root, target)
    save_private(target, data, "письмо")
    return ExportedLetter(contact.id, ticket.id, fmt, target.resolve())


def subject(ticket: Ticket) -> str:
    """The e-mail's subject: the ticket and, when known, the order it is about."""
    order = f" по заказу № {ticket.order_id}" if ticket.order_id else ""
    return f"Ваше обращение № {ticket.id}{order}"


def _sender(ws: Workspace) -> ExecutorProfile:
    """The executor as the sender; exit 3 when the profile has no usable e-mail."""
    profile = ws.config.require_signature()
    if not profile.email.strip() or _address(profile.name, profile.email) is None:
        where = f" ({ws.config.path})" if ws.config.path else ""
        state = "не указан" if not profile.email.strip() else "указан неверно"
        raise PreconditionError(
            f"E-mail исполнителя {state}: [executor] email в srgcli.toml{where}. "
            "Письму .eml нужен адрес отправителя.",
            hint='Впишите, например: email = "petrova@example.ru"; или выгрузите текст: '
            "--format txt",
        )
    return profile


def _address(name: str, addr: str) -> Any:
    """An RFC 5322 address, or None when `addr` is not a usable e-mail address."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    try:
        address = Address(display_name=name.strip(), addr_spec=addr.strip())
    except (ValueError, IndexError, HeaderParseError):
        return None
    return address if address.username and "." in address.domain else None


def _recipient(contact: Contact, ticket: Ticket) -> Any:
    """The client's address for the letter; exit 2 for a letter not sent to the client and
    exit 3 when the ticket has no valid client e-mail."""
    from srgcli.model import Direction, Party

    if contact.direction != Direction.OUT.value:
        raise SrgError(
            f"Контакт № {contact.id} — входящее сообщение; в .eml выгружаются только "
            "письма исполнителя.",
            ExitCode.USAGE,
            hint=f"Текст сообщения: srgcli contact-log export {contact.id} --format txt",
        )
    if contact.party != Party.CLIENT.value:
        party = Party.try_parse(contact.party)
        raise SrgError(
            f"Письмо № {contact.id} адресовано не клиенту "
            f"({party.label if party else contact.party}): адрес получателя неизвестен.",
            ExitCode.USAGE,
            hint=f"Текст письма: srgcli contact-log export {contact.id} --format txt",
        )
    email = (ticket.client_email or "").strip()
    valid = "client_email" not in ticket.invalid
    address = _address(ticket.client_name or "", email) if valid else None
    if address is None:
        state = "не указан" if not email else "указан неверно"
        raise PreconditionError(
            f"E-mail клиента по заявке {ticket.id} {state}: письму .eml некому быть адресованным.",
            hint=f"Укажите адрес: srgcli fill {ticket.id} --set client_email=АДРЕС и выгрузите "
            f"снова; или выгрузите текст для другого канала: srgcli contact-log export "
            f"{contact.id} --format txt",
        )
    return address


def eml_bytes(contact: Contact, ticket: Ticket, sender: ExecutorProfile) -> bytes:
    """The letter as an e-mail draft: UTF-8, From the executor, To the client, a subject
    naming the ticket, dated when the letter was logged; `X-Unsent: 1` makes Outlook open it
    as a message to send."""
    from email import policy
    from email.message import EmailMessage

    assert contact.text is not None
    message = EmailMessage(policy=policy.default)
    message["From"] = _address(sender.name, sender.email)
    message["To"] = _recipient(contact, ticket)
    message["Subject"] = subject(ticket)
    message["Date"] = datetime.fromisoformat(contact.at)
    message["X-Unsent"] = "1"
    message["Content-Language"] = "ru"
    message.set_content(contact.text, charset="utf-8")
    # Headers are not folded at 78 columns: folding splits a Cyrillic display name into
    # encoded words that Python's own parser (3.11) joins back with a stray space
    # («Викторов на»). RFC 5322 allows lines up to 998 characters.
    return message.as_bytes(policy=policy.default.clone(linesep="\r\n", max_line_length=998))


def docx_bytes(contact: Contact, ticket: Ticket, executor: ExecutorProfile) -> bytes:
    """The letter as a Word document: its paragraphs, Russian as the proofing language, the
    executor as author, the ticket as subject."""
    import io

    from srgcli.render.docx import DocumentProperties, plain_document

    assert contact.text is not None
    props = DocumentProperties(
        title=f"Письмо по обращению № {ticket.id}",
        subject=f"Обращение № {ticket.id}",
        author=executor.name,
    )
    document = plain_document(props, datetime.fromisoformat(contact.at))
    for block in contact.text.strip().split("\n\n"):
        paragraph = document.add_paragraph()
        lines = block.strip("\n").split("\n")
        for n, line in enumerate(lines):
            run = paragraph.add_run(line)
            if n < len(lines) - 1:  # the lines of a signature stay lines of one paragraph
                run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
