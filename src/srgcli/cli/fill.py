"""`srgcli fill`: step 1 — check the ticket's fields and complete what is missing or invalid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from srgcli.cli import common
from srgcli.cli.common import command_options, emit_json, err, open_ws, out
from srgcli.cli.views.tables import ID_HEADER, fit_columns
from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.fill.fields import FieldProblem, FillResult, TicketCheck
    from srgcli.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add `fill` to the application."""
    app.command(
        "fill", **command_options('srgcli fill 2026-000127 --set client_phone="+7 916 123-45-67"')
    )(fill_command)


def fill_command(
    ctx: typer.Context,
    ticket_id: Annotated[
        str | None, typer.Argument(help="Номер заявки.", metavar="ID", show_default=False)
    ] = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Задать поле без вопросов: ПОЛЕ=ЗНАЧЕНИЕ (имя поля или его русское название; "
            "можно повторять). Если хоть одно значение неверно, ничего не сохраняется.",
            metavar="ПОЛЕ=ЗНАЧЕНИЕ",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Только показать проблемы, ничего не меняя.")
    ] = False,
    all_tickets: Annotated[
        bool, typer.Option("--all", help="Проверить все заявки (вместе с --check).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Проверить и дозаполнить поля заявки (шаг 1): спрашивает недостающие и неверные поля.

    Код выхода 1 — остались незаполненные или неверные поля либо значение отклонено.
    """
    from srgcli.fill import fields as filling

    if all_tickets:
        if ticket_id is not None or assignments or not check:
            raise SrgError(
                "--all работает только вместе с --check и без номера заявки.",
                ExitCode.USAGE,
                hint="Например: srgcli fill --all --check",
            )
        checks = filling.check_all(common.open_ws(ctx))
        if as_json:
            emit_json(filling.checks_json(checks))
        else:
            _print_all(checks)
        if any(not c.ok for c in checks):
            raise typer.Exit(int(ExitCode.PROBLEMS))
        return
    if ticket_id is None:
        raise SrgError(
            "Укажите номер заявки или --all --check.",
            ExitCode.USAGE,
            hint="Например: srgcli fill 2026-000127",
        )
    if check and assignments:
        raise SrgError("--check и --set нельзя использовать вместе.", ExitCode.USAGE)
    raw = filling.parse_assignments(assignments or [])
    ws = open_ws(ctx)
    if raw:
        _finish(filling.fill_ticket(ws, ticket_id, raw), as_json)
        return
    current = filling.check_ticket(ws, ticket_id)
    if check or as_json or current.ok or not common.interactive(ctx):
        _report_check(current, as_json)
        return
    answers = _ask(ws, current)
    if not answers:
        err().print("Ничего не изменено.")
        _report_check(filling.check_ticket(ws, ticket_id), as_json=False)
        return
    _finish(filling.fill_ticket(ws, ticket_id, answers), as_json=False)


def _report_check(check: TicketCheck, as_json: bool) -> None:
    if as_json:
        emit_json(_check_json(check))
    elif check.ok:
        err().print(f"[green]Заявка {check.ticket_id}: все обязательные поля заполнены.[/]")
    else:
        _print_problems(check)
        err().print(
            f"Заполните их: [bold]srgcli fill {check.ticket_id}[/] (вопросы по очереди) "
            "или [bold]--set ПОЛЕ=ЗНАЧЕНИЕ[/]."
        )
    if not check.ok:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _check_json(check: TicketCheck) -> dict[str, object]:
    from srgcli.fill.fields import check_json

    return check_json(check)


def _print_problems(check: TicketCheck) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title=f"Заявка {escape(check.ticket_id)}: проблем с полями — {len(check.problems)}",
        header_style="bold",
    )
    table.add_column("Поле", no_wrap=True)
    table.add_column("Сейчас")
    table.add_column("Что не так")
    table.add_column("Ожидается")
    for p in check.problems:
        table.add_row(
            p.label,
            escape(shown) if (shown := _shown_value(p)) else "[dim]—[/]",
            f"[red]{escape(p.reason)}[/]",
            escape(p.expected),
        )
    out().print(table)


def _shown_value(problem: FieldProblem) -> str | None:
    """The current value as the user reads it: a stored moment in Russian form."""
    return _human_value(problem.field, problem.value)


def _human_value(name: str, value: str | None) -> str | None:
    """A stored value as the user reads it: dates and moments in Russian form
    («16.11.2026 09:40»), a phone as people write it («+7 (916) 123-45-67»), a category or
    object type by its Russian label; anything else
    (an invalid value as received) stays as is."""
    from srgcli.model import display_value
    from srgcli.ru import format_moment

    if value and name in _DATE_FIELDS:
        return format_moment(value)
    if value and name == "client_phone":
        from srgcli.render.filters import phone

        return phone(value)
    return display_value(name, value)


_DATE_FIELDS = ("received_at", "due_at", "order_date")


def _print_all(checks: list[TicketCheck]) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not checks:
        err().print("В рабочей папке нет заявок.")
        return
    bad = sum(1 for c in checks if not c.ok)
    table = Table(title=f"Проверка полей: заявок {len(checks)}, с проблемами {bad}")
    # The id is copied into `srgcli fill ID`: whole, on one line while the table fits.
    table.add_column(ID_HEADER, no_wrap=True)
    table.add_column("Статус", no_wrap=True)
    table.add_column("Проблемы")
    for c in checks:
        text = (
            "; ".join(f"{p.label}: {escape(p.reason)}" for p in c.problems)
            if c.problems
            else "[green]всё заполнено[/]"
        )
        table.add_row(escape(c.ticket_id), c.status.label, text)
    fit_columns(table, out(), _SHRINK_ORDER)
    out().print(table)


# On a narrow terminal the problems wrap first, then long ids fold (never cut), then the
# problems narrow further; the status never shrinks.
_SHRINK_ORDER = (("Проблемы", 30), (ID_HEADER, 12), ("Проблемы", 20))


def _ask(ws: Workspace, check: TicketCheck) -> dict[str, str]:
    """Ask for each problem field in turn; returns the accepted answers (nothing is saved).

    Ctrl-C (or the end of input) leaves the ticket as it was.
    """
    err().print(
        f"Заявка {check.ticket_id}: нужно заполнить или исправить полей — {len(check.problems)}. "
        "[dim]Enter — пропустить поле, Ctrl-C — выйти без сохранения.[/]"
    )
    from srgcli.fill import fields as filling

    answers: dict[str, str] = {}
    accepted: dict[str, str] = {}
    questions = list(check.problems)
    try:
        while questions:
            problem = questions.pop(0)
            answer = _ask_one(ws, check.ticket_id, problem, accepted)
            if answer is None:
                continue
            answers[problem.field] = answer
            # A receipt time after the deadline from the ИС: the deadline is asked next.
            follow = filling.deadline_question(ws, check.ticket_id, accepted)
            if follow is not None and all(q.field != follow.field for q in questions):
                questions.insert(0, follow)
        if answers and not common.confirm("Сохранить изменения?"):
            answers = {}
    except typer.Abort:
        err().print("\nПрервано: заявка не изменена.")
        raise typer.Exit(int(ExitCode.PROBLEMS)) from None
    return answers


def _ask_one(
    ws: Workspace, ticket_id: str, problem: FieldProblem, accepted: dict[str, str]
) -> str | None:
    from rich.markup import escape

    from srgcli.fill import fields as filling
    from srgcli.ru import format_moment

    shown = _shown_value(problem)
    current = escape(shown) if shown else "—"
    err().print(
        f"\n[bold]{problem.label}[/]: сейчас {current} [red]({escape(problem.reason)})[/]\n"
        f"  ожидается: {escape(problem.expected)}"
    )
    default = ""
    if problem.field == "due_at":
        due = filling.suggested_due(ws, ticket_id, accepted)
        if due:
            default = format_moment(due)
            err().print("  [dim]Enter — срок по SLA из настроек[/]")
    while True:
        answer = typer.prompt(problem.label, default=default, show_default=bool(default), err=True)
        if not answer.strip():
            err().print("  [dim]пропущено[/]")
            return None
        try:
            accepted.update(
                filling.normalize_answer(ws, ticket_id, problem.field, answer, accepted)
            )
        except ValueError as exc:
            err().print(f"  [red]Не принято: {escape(str(exc))}.[/] Попробуйте ещё раз.")
            continue
        return str(answer)


def _finish(result: FillResult, as_json: bool) -> None:
    from rich.markup import escape

    from srgcli.fill.fields import fill_json
    from srgcli.model import FIELD_LABELS

    if as_json:
        emit_json(fill_json(result))
    if not result.saved:
        reasons = "; ".join(
            f"{FIELD_LABELS.get(name, name)} — {reason}" for name, reason in result.rejected.items()
        )
        raise SrgError(
            f"Значения не приняты, заявка не изменена: {reasons}.",
            ExitCode.PROBLEMS,
            hint="Исправьте значения и повторите команду.",
        )
    if not as_json:
        if result.changed:
            err().print(
                f"[green]Заявка {result.ticket_id}: сохранено полей — {len(result.changed)}.[/]"
            )
            for name, (old, new) in result.changed.items():
                before = escape(_human_value(name, old) or "—")
                after = escape(_human_value(name, new) or "—")
                err().print(f"  {FIELD_LABELS.get(name, name)}: {before} → {after}")
        else:
            err().print("Значения совпадают с сохранёнными: ничего не изменилось.")
    if result.check is not None:
        if as_json:
            if not result.check.ok:
                raise typer.Exit(int(ExitCode.PROBLEMS))
            return
        _report_check(result.check, as_json=False)
