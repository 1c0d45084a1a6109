"""`srgcli contact-log`: step 3 — contacts with the client, letters, the settlement."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from srgcli.cli import common
from srgcli.cli.common import (
    command_options,
    emit_json,
    err,
    new_app,
    open_ws,
    out,
    warn_unknown_rules,
)
from srgcli.cli.contact_export import export_command
from srgcli.cli.views.tables import fit_columns
from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.gate.issue import GateResult
    from srgcli.model import Contact, Ticket
    from srgcli.workspace import Workspace

contact_app = new_app(
    "Контакты с клиентом, письма по шаблонам и итог урегулирования (шаг 3).",
)


def _option(flag: str, help_text: str, metavar: str) -> Any:
    return typer.Option(flag, help=help_text, metavar=metavar, show_default=False)


@contact_app.command(
    "add",
    **command_options(
        "srgcli contact-log add 2026-000121 --channel phone --direction out --outcome reached "
        '--summary "Обсудили сроки"'
    ),
)
def add_command(
    ctx: typer.Context,
    ticket_id: Annotated[str, typer.Argument(help="Номер заявки.", metavar="ID")],
    channel: Annotated[
        str,
        _option(
            "--channel",
            "Канал: phone (телефон), email (электронная почта), messenger (мессенджер), "
            "is_chat (чат ИС), visit (личный визит).",
            "КАНАЛ",
        ),
    ],
    direction: Annotated[
        str, _option("--direction", "in (входящий) или out (исходящий).", "НАПРАВЛЕНИЕ")
    ],
    outcome: Annotated[
        str,
        _option(
            "--outcome",
            "Итог: reached (связь установлена), no_answer (нет ответа), callback_scheduled "
            "(назначен повторный звонок), resolved (вопрос решён).",
            "ИТОГ",
        ),
    ],
    summary: Annotated[str, _option("--summary", "Кратко о содержании контакта.", "ТЕКСТ")],
    party: Annotated[
        str,
        typer.Option(
            "--party",
            help="С кем: client (клиент), customer (заказчик), appraiser (оценщик), bank (банк).",
            metavar="СТОРОНА",
        ),
    ] = "client",
    text_file: Annotated[
        Path | None,
        _option(
            "--text-file",
            "Файл с текстом письма или сообщения (UTF-8; каналы email, messenger, is_chat); "
            "«-» — stdin.",
            "ФАЙЛ",
        ),
    ] = None,
    template: Annotated[
        str | None,
        _option(
            "--template",
            "Письмо по шаблону (список: srgcli contact-log templates); в терминале "
            "открывается в редакторе $EDITOR.",
            "ШАБЛОН",
        ),
    ] = None,
    at: Annotated[
        str | None,
        _option(
            "--at",
            "Когда: «03.11.2026 10:15» или ISO, не раньше поступления заявки и не позже "
            "текущего момента; по умолчанию — сейчас (московское время).",
            "ДАТА",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Записать контакт: звонок, письмо, сообщение или встречу.

    Текст письма (--text-file или --template) и --summary (оно попадает в отчёт) до записи
    проверяются на орфографию и стиль. При ошибках контакт не записывается (код 1); письмо
    сохраняется в outbox/letters/.
    """
    from srgcli.contact import log as contacts
    from srgcli.model import Channel, ContactOutcome, Direction, Party
    from srgcli.tickets import entity_json, require_filled, require_ticket
    from srgcli.workspace import reads

    item = contacts.ContactInput(
        channel=contacts.parse_choice(Channel, channel, "--channel"),
        direction=contacts.parse_choice(Direction, direction, "--direction"),
        party=contacts.parse_choice(Party, party, "--party"),
        outcome=contacts.parse_choice(ContactOutcome, outcome, "--outcome"),
        summary=_required_text(summary, "--summary"),
        at=contacts.parse_at(at),
    )
    if text_file is not None and template is not None:
        raise SrgError("--text-file и --template: укажите что-то одно.", ExitCode.USAGE)
    if (text_file is not None or template is not None) and (
        item.channel.value not in contacts.WRITTEN_CHANNELS
    ):
        given = "--template" if template is not None else "--text-file"
        raise SrgError(
            f"{given}: письмо или сообщение записывается только с письменным каналом "
            f"(email, messenger, is_chat), а указан «{item.channel.label}».",
            ExitCode.USAGE,
            hint="Звонок или встречу опишите в --summary, без текста.",
        )
    ws = open_ws(ctx)
    warn_unknown_rules(ws)
    ticket = require_ticket(ws, ticket_id)
    if at is not None and at.strip():
        # Only a moment the user gave: "now" after a receipt time in the future (a wrong
        # value from the ИС) must not keep a real call from being logged.
        contacts.require_after_receipt(ticket, item.at)
    require_filled(ws, ticket, "контакты записываются — после шага 1")
    text: str | None = None
    if text_file is not None and str(text_file) == "-":
        text = contacts.read_text_stream()
    elif text_file is not None:
        text = contacts.read_text_file(text_file)
    elif template is not None:
        text = contacts.render_letter(ws, ticket, template, item.at)
        if common.interactive(ctx):
            text = _edit(text)
    # The summary goes into the report: checked now, while it can still be put right (a
    # logged contact cannot be edited, and an error in it would block the report).
    summary_check = _gate(ws, ticket, item.summary, "--summary")
    result = None
    if text is not None:
        name = str(text_file) if text_file is not None else f"письмо «{template}»"
        result = _gate(ws, ticket, text, "stdin" if name == "-" else name)
    from dataclasses import replace

    item = replace(item, text=text, template=template.removesuffix(".j2") if template else None)
    logged = contacts.log_contact(ws, ticket, item, result, summary_result=summary_check)
    contact = next(c for c in reads.contacts(ws, ticket.id) if c.id == logged.contact_id)
    if as_json:
        emit_json({**entity_json(contact), "path": str(logged.path) if logged.path else None})
        return
    err().print(
        f"[green]Контакт № {contact.id} записан:[/] {_contact_words(contact)}"
        + (f"; письмо: {logged.path}" if logged.path else "")
    )
    if contact.text is not None:
        err().print(
            f"Отправить письмо из почтовой программы: srgcli contact-log export {contact.id} "
            "--format eml",
            highlight=False,
        )
    if contact.channel == "phone" and contact.party == "client" and ctx.info_name != "call":
        _suggest_call_sheet(ws, ticket.id, contact.id)


def _suggest_call_sheet(ws: Workspace, ticket_id: str, contact_id: int) -> None:
    """After the first call with the client is logged: the call sheet for the next ones."""
    from srgcli.workspace import reads

    earlier = [
        c
        for c in reads.contacts(ws, ticket_id)
        if c.channel == "phone" and c.party == "client" and c.id != contact_id
    ]
    if not earlier:
        err().print(
            f"Перед следующим звонком: srgcli call {ticket_id} — местное время клиента, что "
            "сказать, ударения; после звонка: srgcli call "
            f"{ticket_id} --log.",
            highlight=False,
        )


def _required_text(value: str, option: str) -> str:
    text = value.strip()
    if not text:
        raise SrgError(f"{option}: пустой текст.", ExitCode.USAGE)
    return text


def _edit(text: str) -> str:
    """Open the letter in $VISUAL/$EDITOR; the saved text is what goes on."""
    import click

    try:
        edited = click.edit(text, extension=".txt", require_save=False)
    except click.ClickException as exc:
        raise SrgError(
            f"Редактор не запустился или завершился с ошибкой ({exc.format_message()}): "
            "письмо не записано.",
            ExitCode.PROBLEMS,
            hint="Укажите редактор в переменной окружения EDITOR или запустите с --no-input.",
        ) from None
    final = text if edited is None else edited
    if not final.strip():
        raise SrgError("Письмо пустое: контакт не записан.", ExitCode.PROBLEMS)
    return final


def _gate(ws: Workspace, ticket: Ticket, text: str, name: str) -> GateResult:
    """Check a text about the ticket and show its issues (warnings do not block)."""
    from srgcli.cli.views.issues import issue_text
    from srgcli.contact import log as contacts
    from srgcli.gate.engine import open_gate

    result = contacts.check_text(open_gate(ws), ws, ticket, text)
    for issue in result.issues:
        err().print(issue_text(text, issue, name))
    if result.errors:
        err().print(f"[bold red]Ошибок: {result.errors}[/], предупреждений: {result.warnings}.")
    elif result.warnings:
        err().print(f"[green]Ошибок нет[/], предупреждений: {result.warnings}.")
    return result


def _contact_words(contact: Contact) -> str:
    from srgcli.model import Channel, ContactOutcome, Direction, Party

    return ", ".join(
        _label(kind, value)
        for kind, value in (
            (Channel, contact.channel),
            (Direction, contact.direction),
            (Party, contact.party),
            (ContactOutcome, contact.outcome),
        )
    )


def _label(kind: Any, value: str) -> str:
    known = kind.try_parse(value)
    return str(known.label) if known is not None else value


def _gate_cell(gate: dict[str, Any] | None) -> str:
    if gate is None:
        return "—"
    errors, warnings = int(gate.get("errors", 0)), int(gate.get("warnings", 0))
    if errors:
        return f"[red]✗ ошибок: {errors}[/]"
    if warnings:
        return f"[yellow]✓ предупр.: {warnings}[/]"
    return "[green]✓[/]"


# `contact-log list` headers, and the order its columns give way on a narrow terminal: the
# summary wraps first, then a long ticket id folds under the time, then the outcome wraps
# between words («связь / установлена», never cut), and the summary narrows further. Channel,
# direction, party and the gate's note never shrink (at most 14 and 13 columns).
_WHEN_TICKET = "Когда, заявка"
_CHANNEL_HEADER = "Канал, с кем"
_OUTCOME_HEADER = "Итог"
_SUMMARY_HEADER = "Кратко"
_TEXT_HEADER = "Текст"
_LIST_SHRINK_ORDER = (
    (_SUMMARY_HEADER, 24),
    (_WHEN_TICKET, 14),
    (_OUTCOME_HEADER, 11),
    (_SUMMARY_HEADER, 12),
)


def _short_moment(value: str) -> str:
    from datetime import datetime

    from srgcli.calendar import MOSCOW

    try:
        return datetime.fromisoformat(value).astimezone(MOSCOW).strftime("%d.%m.%y %H:%M")
    except ValueError:
        return value


@contact_app.command("list", **command_options("srgcli contact-log list 2026-000121"))
def list_command(
    ctx: typer.Context,
    ticket_id: Annotated[
        str | None, typer.Argument(help="Номер заявки (без него — все контакты).", metavar="[ID]")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Показать записанные контакты по заявке или по всем заявкам."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from srgcli.contact import letters
    from srgcli.contact import log as contacts
    from srgcli.model import Channel, ContactOutcome, Direction, Party
    from srgcli.tickets import entity_json

    ws = open_ws(ctx)
    found = contacts.list_contacts(ws, ticket_id)
    if as_json:
        emit_json([entity_json(c) for c in found])
        return
    if not found:
        where = f"по заявке {ticket_id}" if ticket_id else "ни по одной заявке"
        err().print(f"Контактов {where} пока нет. Записать: srgcli contact-log add ID …")
        return
    # A letter is named by its template's title, as `contact-log templates` lists it.
    titles = {name: t.title for name, t in letters.available(ws).items()}
    title = f"Контакты по заявке {escape(ticket_id)}" if ticket_id else "Контакты"
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    # All tickets: the ticket id goes under the time; a long one folds whole, never cut.
    when = "Когда" if ticket_id else _WHEN_TICKET
    table.add_column(when, no_wrap=ticket_id is not None, overflow="fold")
    # Channel over direction and party: three narrow facts in one column.
    table.add_column(_CHANNEL_HEADER)
    table.add_column(_OUTCOME_HEADER)
    table.add_column(_SUMMARY_HEADER)
    table.add_column(_TEXT_HEADER)
    for c in found:
        # Narrow forms (accepted as input too); the full labels are in --help.
        channel = contacts.short_form(c.channel) or _label(Channel, c.channel)
        direction = contacts.short_form(c.direction) or _label(Direction, c.direction)
        cells = [_short_moment(c.at) + ("" if ticket_id else f"\n[dim]{escape(c.ticket_id)}[/]")]
        cells += [
            f"{escape(channel)}\n{direction}, {escape(_label(Party, c.party))}",
            escape(_label(ContactOutcome, c.outcome)),
            escape(c.summary)
            + (
                f" [dim](письмо «{escape(titles.get(c.template, c.template))}»)[/]"
                if c.template
                else ""
            ),
            _gate_cell(c.gate) + (f"\n[dim]№ {c.id}[/]" if c.text is not None else ""),
        ]
        table.add_row(*cells)
    fit_columns(table, out(), _LIST_SHRINK_ORDER)
    out().print(table)


@contact_app.command(
    "resolve",
    **command_options(
        "srgcli contact-log resolve 2026-000121 --outcome satisfied "
        '--summary "Отчёт передан клиенту"'
    ),
)
def resolve_command(
    ctx: typer.Context,
    ticket_id: Annotated[str, typer.Argument(help="Номер заявки.", metavar="ID")],
    outcome: Annotated[
        str,
        _option(
            "--outcome",
            "satisfied (требование удовлетворено), partially_satisfied (частично), "
            "rejected (отказано), explained (даны разъяснения).",
            "ИТОГ",
        ),
    ],
    summary: Annotated[
        str, _option("--summary", "Итог урегулирования; попадает в отчёт и проверяется.", "ТЕКСТ")
    ],
    at: Annotated[
        str | None,
        _option(
            "--at",
            "Когда урегулирование завершено: «12.11.2026 16:00» или ISO, не раньше поступления "
            "заявки, вывода и первого состоявшегося контакта с клиентом и не позже текущего "
            "момента; по умолчанию — сейчас.",
            "ДАТА",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Записать итог урегулирования обращения.

    Нужны вывод по заявке (srgcli review) и хотя бы один контакт с клиентом. Текст итога
    попадает в отчёт, поэтому проверяется: при ошибках ничего не записывается (код 1).
    Если урегулирование завершено раньше, укажите когда: --at (в отчёте — эта дата).
    """
    from srgcli.contact import log as contacts
    from srgcli.model import ResolutionOutcome
    from srgcli.tickets import entity_json, require_resolvable, require_ticket

    chosen = contacts.parse_choice(ResolutionOutcome, outcome, "--outcome")
    text = _required_text(summary, "--summary")
    resolved_at = contacts.parse_resolved_at(at)
    ws = open_ws(ctx)
    warn_unknown_rules(ws)
    ticket = require_ticket(ws, ticket_id)
    require_resolvable(ws, ticket)
    if resolved_at is not None:
        # Checked before the gate runs: a wrong date is found without waiting for it.
        contacts.require_resolved_in_order(ws, ticket, resolved_at)
    result = _gate(ws, ticket, text, "--summary")
    resolution = contacts.resolve(ws, ticket, chosen, text, result, at=resolved_at)
    if as_json:
        emit_json(entity_json(resolution))
        return
    err().print(
        f"[green]Итог записан:[/] {chosen.label}. Заявка урегулирована; дальше: "
        f"[bold]srgcli report {ticket.id}[/]"
    )


@contact_app.command("templates", **command_options("srgcli contact-log templates"))
def templates_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Показать шаблоны писем: встроенные и из папки templates/letters/ рабочей папки."""
    from rich.table import Table

    from srgcli.contact import letters

    ws = open_ws(ctx)
    found = letters.available(ws)
    if as_json:
        emit_json(
            [
                {
                    "name": t.name,
                    "title": t.title,
                    "source": t.source,
                    "path": str(t.path),
                    "requires": list(t.requires),
                }
                for t in found.values()
            ]
        )
        return
    table = Table(title="Шаблоны писем", header_style="bold")
    table.add_column("Имя", no_wrap=True)
    table.add_column("Назначение")
    table.add_column("Откуда")
    for t in found.values():
        source = "встроенный" if t.source == "builtin" else f"рабочая папка ({t.path.name})"
        needs = " [dim](нужен вывод review)[/]" if "finding" in t.requires else ""
        table.add_row(t.name, t.title + needs, source)
    out().print(table)
    err().print(
        f"Свои шаблоны (.j2, Jinja2) кладите в {letters.workspace_dir(ws)}; "
        "одноимённый заменяет встроенный."
    )


contact_app.command("export", **command_options("srgcli contact-log export 7 --format eml"))(
    export_command
)


def register(app: typer.Typer) -> None:
    """Add the `contact-log` group to the application."""
    app.add_typer(contact_app, name="contact-log")
