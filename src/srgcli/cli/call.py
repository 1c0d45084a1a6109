"""`srgcli call`: the call sheet for step 3, and the call logged afterwards (`--log`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from srgcli.cli.common import command_options, err, interactive, open_ws, out
from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.call.sheet import CallSheet

FORMATS = ("rich", "txt", "docx", "json")


def register(app: typer.Typer) -> None:
    """Add `call` to the application."""
    app.command("call", **command_options("srgcli call 2026-000121 --format docx"))(call_command)


def _option(flag: str, help_text: str, metavar: str, *alias: str) -> Any:
    return typer.Option(flag, *alias, help=help_text, metavar=metavar, show_default=False)


def call_command(
    ctx: typer.Context,
    ticket_id: Annotated[str, typer.Argument(help="Номер заявки.", metavar="ID")],
    fmt: Annotated[
        str | None,
        _option(
            "--format",
            "rich (в терминале, по умолчанию), txt (текст для печати; по умолчанию вне "
            "терминала), docx (документ Word), json (для скриптов).",
            "ФОРМАТ",
            "-f",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        _option(
            "--output",
            "Файл для листа (txt, docx, json); docx по умолчанию — "
            "outbox/calls/ЗАЯВКА/ рабочей папки.",
            "ПУТЬ",
            "-o",
        ),
    ] = None,
    log: Annotated[
        bool,
        typer.Option(
            "--log",
            help="После звонка: записать исходящий звонок клиенту, как contact-log add "
            "--channel phone --direction out (в терминале спросит итог и содержание).",
        ),
    ] = False,
    outcome: Annotated[
        str | None,
        _option(
            "--outcome",
            "С --log: итог — reached (связь установлена), no_answer (нет ответа), "
            "callback_scheduled (назначен повторный звонок), resolved (вопрос решён).",
            "ИТОГ",
        ),
    ] = None,
    summary: Annotated[
        str | None,
        _option(
            "--summary", "С --log: кратко о разговоре; попадает в отчёт и проверяется.", "ТЕКСТ"
        ),
    ] = None,
    at: Annotated[
        str | None,
        _option("--at", "С --log: когда был звонок (по умолчанию — сейчас).", "ДАТА"),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Вывод в JSON: лист (как --format json) или, с --log, записанный контакт.",
        ),
    ] = False,
) -> None:
    """Лист звонка клиенту: когда звонить, что сказать и что спросить.

    Местное время клиента — по номеру телефона (городские номера) или по региону в адресе
    объекта; предупреждение, если у клиента сейчас не 9:00–20:00 или выходной. Приветствие
    по имени и отчеству, пункты разговора по тому, что записано (обращение, вывод review,
    урегулирование), вопросы и вежливое завершение. Слова из орфоэпического списка — с
    ударениями. Текст разговора проверяется, как письмо: при ошибках код 1.

    После звонка: srgcli call ID --log записывает его в контакты (итог и содержание — из
    --outcome и --summary или вопросами в терминале).
    """
    if log:
        _log_call(ctx, ticket_id, outcome, summary, at, as_json)
        return
    for given, flag in ((outcome, "--outcome"), (summary, "--summary"), (at, "--at")):
        if given is not None:
            raise SrgError(f"{flag} — только вместе с --log.", ExitCode.USAGE)
    chosen = (fmt or ("json" if as_json else "")).strip().lower().lstrip(".")
    if not chosen:
        chosen = "rich" if _stdout_terminal(ctx) and output is None else "txt"
    if chosen not in FORMATS:
        raise SrgError(
            f"--format: неизвестный формат «{fmt}». Допустимо: {', '.join(FORMATS)}.",
            ExitCode.USAGE,
        )
    if chosen == "rich" and output is not None:
        raise SrgError("--output: в файл пишется txt, docx или json, не rich.", ExitCode.USAGE)
    from srgcli.call import prepare_sheet

    ws = open_ws(ctx)
    sheet = prepare_sheet(ws, ticket_id)
    _refuse_on_gate_errors(sheet)
    if chosen == "rich":
        _print_rich(sheet)
    else:
        _emit(sheet, chosen, output, ws.root)


def _stdout_terminal(ctx: typer.Context) -> bool:
    from srgcli.cli.common import environment

    return environment(ctx).stdout_isatty


def _refuse_on_gate_errors(sheet: CallSheet) -> None:
    from srgcli.cli.views.issues import issue_text

    result = sheet.gate
    if result is None:
        return
    text = sheet.spoken_text()
    for issue in result.issues:
        err().print(issue_text(text, issue, "лист звонка"))
    if not result.passed:
        raise SrgError(
            f"Текст листа звонка не прошёл проверку: ошибок — {result.errors}.",
            ExitCode.PROBLEMS,
            hint="Исправьте записанные данные заявки (srgcli fill, srgcli review) "
            "или добавьте слово в словарь: srgcli dict add СЛОВО",
        )


def _print_rich(sheet: CallSheet) -> None:
    from rich.markup import escape
    from rich.padding import Padding
    from rich.text import Text

    from srgcli.call import sheet_lines

    style = {"heading": "bold", "say": "", "note": "dim", "warning": "bold yellow"}
    bullet = {"heading": "", "say": "", "note": "· ", "warning": "⚠ "}
    console = out()
    for kind, text in sheet_lines(sheet):
        if kind == "title":
            console.rule(escape(text))
            continue
        if kind == "heading":
            console.print()
            console.print(Text(text, style=style[kind]))
            continue
        # Wrapped lines keep the indent of the line they belong to.
        console.print(
            Padding(Text(bullet[kind] + text, style=style[kind]), (0, 0, 0, 2), expand=False)
        )


def _emit(sheet: CallSheet, fmt: str, output: Path | None, root: Path) -> None:
    import json

    from srgcli.call import docx_bytes, sheet_json, sheet_text
    from srgcli.call.output import default_path
    from srgcli.workspace.files import save_private

    if fmt == "docx":
        data = docx_bytes(sheet)
    elif fmt == "json":
        data = (json.dumps(sheet_json(sheet), ensure_ascii=False, indent=2) + "\n").encode()
    else:
        data = sheet_text(sheet).encode()
    if output is None and fmt != "docx":
        import sys

        sys.stdout.write(data.decode())
        sys.stdout.flush()
        return
    target = default_path(root, sheet.ticket_id, fmt)
    if output is not None:
        given = output.expanduser()
        target = given / target.name if given.is_dir() else given
    save_private(target, data, "лист звонка")
    out().print(str(target.resolve()), highlight=False, markup=False, soft_wrap=True)
    err().print(f"[green]Лист звонка по заявке {sheet.ticket_id} сохранён[/] ({fmt}).")


def _log_call(
    ctx: typer.Context,
    ticket_id: str,
    outcome: str | None,
    summary: str | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Record the call through `contact-log add`'s own code path (gated summary)."""
    from srgcli.cli.contact import add_command

    missing = [flag for flag, v in (("--outcome", outcome), ("--summary", summary)) if not v]
    if missing and not interactive(ctx):
        raise SrgError(
            f"call --log без терминала: укажите {' и '.join(missing)}.",
            ExitCode.USAGE,
            hint=f'Например: srgcli call {ticket_id} --log --outcome reached --summary "…"',
        )
    if outcome is None or not outcome.strip():
        outcome = _ask_outcome()
    if summary is None or not summary.strip():
        summary = typer.prompt("Кратко о разговоре (попадёт в отчёт)").strip()
    add_command(
        ctx,
        ticket_id=ticket_id,
        channel="phone",
        direction="out",
        outcome=outcome,
        summary=summary,
        party="client",
        text_file=None,
        template=None,
        at=at,
        as_json=as_json,
    )


def _ask_outcome() -> str:
    """Ask for the outcome until a known one is given (number, name or Russian label)."""
    from srgcli.model import ContactOutcome

    members = list(ContactOutcome)
    for n, member in enumerate(members, start=1):
        err().print(f"  {n}. {member.label} ({member.value})")
    while True:
        answer = typer.prompt("Итог звонка (номер или название)").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(members):
            return str(members[int(answer) - 1].value)
        if ContactOutcome.try_parse(answer) is not None:
            return str(answer)
        err().print("  [yellow]Нет такого итога: введите номер из списка.[/]")
