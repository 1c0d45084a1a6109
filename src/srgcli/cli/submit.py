"""`srgcli submit`: hand the report over (variant A or B) and record the Customer's decision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from srgcli.cli.common import command_options, emit_json, err, open_ws

if TYPE_CHECKING:
    from srgcli.model import Decision, LabeledEnum

E = TypeVar("E", bound="LabeledEnum")


def register(app: typer.Typer) -> None:
    """Add `submit` to the application."""
    app.command(
        "submit",
        **command_options(
            "srgcli submit 2026-000118 && "
            'srgcli submit 2026-000118 --decision returned --remarks "Уточнить сроки"'
        ),
    )(submit_command)


def submit_command(
    ctx: typer.Context,
    ticket_id: Annotated[str, typer.Argument(help="Номер заявки.", metavar="ID")],
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant",
            help="A — сдача Заказчику (по умолчанию); B — передача Клиенту с отметкой в ИС.",
            metavar="A|B",
            show_default=False,
        ),
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel",
            help="outbox — папка outbox/ (по умолчанию, без сети); api — через API ИС.",
            metavar="outbox|api",
            show_default=False,
        ),
    ] = None,
    mark_ref: Annotated[
        str | None,
        typer.Option(
            "--mark-ref",
            help="Номер отметки о передаче Клиенту в ИС (вариант Б).",
            metavar="НОМЕР",
            show_default=False,
        ),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision",
            help="Решение Заказчика по сданному отчёту (вариант А): accepted — принят, "
            "returned — возвращён на доработку.",
            metavar="accepted|returned",
            show_default=False,
        ),
    ] = None,
    remarks: Annotated[
        str | None,
        typer.Option(
            "--remarks",
            help="Замечания Заказчика (обязательны при returned).",
            metavar="ТЕКСТ",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Сдать отчёт по заявке (вариант А или Б) или записать решение Заказчика.

    Сдаётся только актуальный отчёт, прошедший проверку: его файл сверяется по sha256.
    В папке outbox/ для каждой сдачи создаётся папка с отчётом DOCX и описью manifest.json.
    """
    from srgcli.exit import ExitCode, SrgError
    from srgcli.model import Decision, SubmissionChannel, Variant

    if decision is not None:
        if variant or channel or mark_ref:
            raise SrgError(
                "--decision записывает решение по уже сданному отчёту; его нельзя сочетать "
                "с --variant, --channel и --mark-ref.",
                ExitCode.USAGE,
            )
        chosen = _parse(Decision, decision, "--decision")
        _decide(ctx, ticket_id, chosen, remarks, as_json)
        return
    if remarks:
        raise SrgError("--remarks указывается вместе с --decision returned.", ExitCode.USAGE)
    from srgcli.submit import submit_report

    ws = open_ws(ctx)
    result = submit_report(
        ws,
        ticket_id,
        variant=_parse(Variant, variant or "A", "--variant"),
        channel=_parse(SubmissionChannel, channel or "outbox", "--channel"),
        mark_ref=mark_ref,
    )
    if as_json:
        emit_json(
            {
                "id": result.ticket_id,
                "action": result.action,
                "variant": result.variant,
                "channel": result.channel,
                "report_version": result.report_version,
                "folder": str(result.folder) if result.folder else None,
                "mark_ref": result.mark_ref,
                "status": result.status.value,
            }
        )
        return
    if result.action == "marked":
        err().print(
            f"[green]Отметка о передаче записана:[/] {result.mark_ref}. "
            f"Статус заявки: [bold]{result.status.label}[/]."
        )
        return
    where = "в ИС через API и в папку" if result.channel == "api" else "в папку"
    err().print(
        f"[green]Отчёт v{result.report_version} сдан[/] ({Variant.parse(result.variant).label}) "
        f"{where} {result.folder}."
    )
    err().print(f"Статус заявки: [bold]{result.status.label}[/].")
    if result.variant == "B" and not result.mark_ref:
        err().print(
            "Передайте отчёт Клиенту и запишите отметку из ИС: "
            f"[bold]srgcli submit {result.ticket_id} --variant B --mark-ref НОМЕР[/]"
        )
    elif result.variant == "A":
        err().print(
            "Когда Заказчик примет решение: "
            f"[bold]srgcli submit {result.ticket_id} --decision accepted[/] или "
            '[bold]--decision returned --remarks "…"[/]'
        )


def _decide(
    ctx: typer.Context, ticket_id: str, decision: Decision, remarks: str | None, as_json: bool
) -> None:
    from srgcli.model import Decision
    from srgcli.submit import record_decision

    ws = open_ws(ctx)
    result = record_decision(ws, ticket_id, decision, remarks)
    if as_json:
        emit_json(
            {
                "id": result.ticket_id,
                "action": "decision",
                "report_version": result.report_version,
                "decision": result.decision,
                "remarks": result.remarks,
                "status": result.status.value,
            }
        )
        return
    err().print(
        f"[green]Решение записано:[/] отчёт v{result.report_version} — "
        f"{Decision.parse(result.decision).label}. Статус заявки: [bold]{result.status.label}[/]."
    )
    if result.decision == Decision.RETURNED.value:
        err().print(
            "Доработайте заявку и сформируйте новую версию отчёта: "
            f"[bold]srgcli report {result.ticket_id}[/]"
        )


def _parse(enum: type[E], value: str, option: str) -> E:
    from srgcli.exit import ExitCode, SrgError

    try:
        return enum.parse(value)
    except ValueError as exc:
        raise SrgError(
            f"Неверное значение {option}: «{value}». Допустимо: {exc}", ExitCode.USAGE
        ) from None
