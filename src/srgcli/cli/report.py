"""`srgcli report` and `srgcli templates`: DOCX reports that pass the gate, and their templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from srgcli.cli.common import (
    FormatOption,
    command_options,
    emit_json,
    environment,
    err,
    new_app,
    open_ws,
    out,
    warn_unknown_rules,
)
from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.render.check import TemplateProblem
    from srgcli.report.make import ReportOutcome

FORMATS = ("rich", "json", "github")

templates_app = new_app(
    "Шаблоны: список шаблонов отчётов, проверка шаблонов отчётов и писем "
    "(для CI — --format github)."
)


def register(app: typer.Typer) -> None:
    """Add `report` and the `templates` group to the application."""
    app.command("report", **command_options("srgcli report 2026-000118 --json"))(report_command)
    templates_app.command(
        "check",
        **command_options("srgcli templates check мой-отчёт.docx письмо.j2 --format github"),
    )(templates_check)
    templates_app.command("list", **command_options("srgcli templates list"))(templates_list)
    app.add_typer(templates_app, name="templates")


def report_command(
    ctx: typer.Context,
    ticket_id: Annotated[
        str | None,
        typer.Argument(help="Номер заявки.", metavar="ЗАЯВКА", show_default=False),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="Шаблон: имя (встроенный или из папки templates/) или путь к .docx. "
            "По умолчанию — из \\[templates] report.",
            metavar="ШАБЛОН",
            show_default=False,
        ),
    ] = None,
    all_tickets: Annotated[
        bool, typer.Option("--all", help="Все заявки, для которых следующий шаг — отчёт.")
    ] = False,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Сохранить рядом с DOCX копию PDF/A-2b для архива (нужен LibreOffice); "
            "по умолчанию — как в \\[report] pdf.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Сформировать отчёт DOCX по заявке; он сохраняется, только если текст прошёл проверку.

    Версия растёт после каждого возврата на доработку; до сдачи повторный запуск
    перезаписывает текущую версию. Код выхода 1 — текст не прошёл проверку (файл не
    сохраняется), 3 — заявка ещё не урегулирована или в подтверждённом выводе не указаны
    описание, причина, ответственная сторона или корректирующее действие, 4 — отчёт DOCX
    сохранён, а копия PDF не сделана (нет LibreOffice или он не справился; причина — в
    pdf_error).
    """
    if all_tickets == (ticket_id is not None):
        raise SrgError(
            "Укажите номер заявки или --all (но не то и другое).",
            ExitCode.USAGE,
            hint="Например: srgcli report 2026-000118",
        )
    ws = open_ws(ctx)
    warn_unknown_rules(ws)
    from srgcli.report import make as reporting

    if ticket_id is not None:
        try:
            outcome = reporting.make_report(ws, ticket_id, template, pdf=pdf or None)
        except SrgError as exc:
            if as_json and getattr(exc, "missing", None):
                # Scripts learn which fields to fill from stdout; the message goes to stderr.
                emit_json(reporting.ReportFailure.of(ticket_id, exc).to_json())
            raise
        if as_json:
            emit_json(outcome.to_json())
        _print_outcome(outcome, ws.root, detailed=True)
        if outcome.state == "refused":
            raise typer.Exit(int(ExitCode.PROBLEMS))
        if outcome.pdf_error:
            raise typer.Exit(int(ExitCode.EXTERNAL))
        return
    ids = reporting.reportable_ids(ws)
    progress = _progress() if environment(ctx).stderr_isatty and ids else None
    task = progress.add_task("Отчёты", total=len(ids)) if progress else None
    if progress:
        progress.start()
    try:
        batch = reporting.make_reports(
            ws,
            ids,
            template,
            advance=(lambda: progress.advance(task)) if progress and task is not None else None,
            pdf=pdf or None,
        )
    finally:
        if progress:
            progress.stop()
    if as_json:
        items = [o.to_json() | {"outcome": o.state} for o in batch.outcomes]
        emit_json(items + [f.to_json() for f in batch.failures])
    for outcome in batch.outcomes:
        _print_outcome(outcome, ws.root, detailed=False)
    for failure in batch.failures:
        err().print(f"[red]{failure.ticket_id}:[/] {failure.error}", markup=True)
    if not ids:
        err().print("Нет заявок, готовых к отчёту.")
    if not batch.ok:
        raise typer.Exit(int(ExitCode.PROBLEMS))
    if any(o.pdf_error for o in batch.outcomes):
        raise typer.Exit(int(ExitCode.EXTERNAL))


def _progress() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err()
    )


def _print_pdf(outcome: ReportOutcome, root: Path) -> None:
    """The PDF copy's line: where it is, or why it was not made and how to get it."""
    from rich.markup import escape

    if outcome.pdf is not None:
        where = outcome.pdf.relative_to(root) if outcome.pdf.is_relative_to(root) else outcome.pdf
        err().print(f"{outcome.ticket_id}: копия PDF/A для архива: {where}", highlight=False)
    elif outcome.pdf_error:
        err().print(
            f"[yellow]{escape(outcome.ticket_id)}: копия PDF не сделана — "
            f"{escape(outcome.pdf_error)}.[/] Отчёт DOCX сохранён. "
            f"{escape(outcome.pdf_hint or '')}",
            highlight=False,
        )


def _print_outcome(outcome: ReportOutcome, root: Path, *, detailed: bool) -> None:
    console = err()
    where = outcome.path.relative_to(root) if outcome.path else None
    if outcome.state == "fresh":
        console.print(
            f"{outcome.ticket_id}: отчёт (версия {outcome.version}) уже сформирован и актуален: "
            f"{where}"
        )
    elif outcome.state in ("created", "replaced"):
        verb = "перезаписан" if outcome.state == "replaced" else "сформирован"
        gate = outcome.gate
        console.print(
            f"[green]{outcome.ticket_id}: отчёт (версия {outcome.version}) {verb}:[/] {where} "
            f"[dim](проверка: ошибок нет, предупреждений {gate.get('warnings', 0)})[/]"
        )
    else:
        console.print(
            f"[red]{outcome.ticket_id}: отчёт не сформирован — текст не прошёл проверку "
            f"(ошибок: {outcome.gate.get('errors', 0)}). Файл не сохранён.[/]"
        )
        if not detailed:
            console.print(
                f"  Ошибки и где их исправить: srgcli report {outcome.ticket_id}",
                highlight=False,
                markup=False,
            )
        elif outcome.result is not None:
            from rich.markup import escape

            from srgcli.cli.views.issues import issue_text
            from srgcli.gate.issue import Severity

            for issue in outcome.result.issues:
                if issue.severity is Severity.ERROR:
                    console.print(issue_text(outcome.result.text, issue, "отчёт"))
                    origin = outcome.sources.get(issue.offset)
                    if origin:
                        console.print(f"    Откуда текст: {escape(origin)}", highlight=False)
            console.print(
                f"Исправьте текст там, откуда он взят, и сформируйте отчёт снова: "
                f"srgcli report {escape(outcome.ticket_id)}",
                highlight=False,
            )
    _print_pdf(outcome, root)


def templates_check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Файлы шаблонов: отчёты .docx и письма .j2; по умолчанию все встроенные "
            "и из папки templates/ (письма — из templates/letters/).",
            metavar="[ПУТЬ…]",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = "rich",
) -> None:
    """Проверить шаблоны отчётов и писем: синтаксис Jinja, переменные, пробную подстановку и текст.

    Письма проверяются с данными, которые подставляет contact-log, в том числе без вывода
    по заявке, если шаблон его не требует. Код выхода 1, если найдена хотя бы одна ошибка.
    """
    from srgcli.cli.common import optional_ws
    from srgcli.cli.views.issues import github_escape
    from srgcli.contact import letters
    from srgcli.gate.engine import open_gate
    from srgcli.render.check import check_template
    from srgcli.report.make import builtin_templates, workspace_templates

    if output_format not in FORMATS:
        raise typer.BadParameter(
            f"неизвестный формат «{output_format}». Допустимо: {', '.join(FORMATS)}.",
            param_hint="--format",
        )
    ws = optional_ws(ctx)
    warn_unknown_rules(ws)
    if paths:
        for given in paths:
            if not given.is_file():
                raise SrgError(f"Файл {given} не найден.", ExitCode.USAGE)
        targets = list(paths)
    else:
        targets = [r.path for r in [*builtin_templates(), *workspace_templates(ws)]]
        targets += letters.template_files(ws)
    gate = open_gate(ws)
    problems: list[TemplateProblem] = []
    for path in targets:
        problems.extend(check_template(path, gate))
    errors = sum(1 for p in problems if p.severity == "error")
    if output_format == "json":
        emit_json(
            {
                "templates": [str(p) for p in targets],
                "errors": errors,
                "warnings": len(problems) - errors,
                "problems": [
                    {
                        "file": str(p.path),
                        "kind": p.kind,
                        "severity": p.severity,
                        "message": p.message,
                        "line": p.line,
                        "column": p.column,
                    }
                    for p in problems
                ],
            }
        )
    elif output_format == "github":
        for p in problems:
            level = "error" if p.severity == "error" else "warning"
            where = f"file={github_escape(str(p.path), prop=True)}"
            if p.line:
                where += f",line={p.line}"
            if p.column:
                where += f",col={p.column}"
            where += f",title={github_escape(p.kind, prop=True)}"
            sys.stdout.write(f"::{level} {where}::{github_escape(p.message)}\n")
    else:
        from rich.markup import escape

        console = out()
        for p in problems:
            where = f"{p.path}:{p.line}" if p.line else str(p.path)
            style = "red" if p.severity == "error" else "yellow"
            word = "ошибка" if p.severity == "error" else "предупреждение"
            console.print(
                f"[bold]{escape(where)}[/] [{style}]{word}[/] [dim]\\[{p.kind}][/] "
                f"{escape(p.message)}"
            )
        console.print(
            f"Шаблонов проверено: {len(targets)}; ошибок: {errors}, "
            f"предупреждений: {len(problems) - errors}."
        )
    if errors:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def templates_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Показать шаблоны отчётов: встроенные и из папки templates/ рабочей папки."""
    from srgcli.cli.common import optional_ws
    from srgcli.report.make import builtin_templates, workspace_templates

    ws = optional_ws(ctx)
    rows = [("встроенный", r) for r in builtin_templates()]
    rows += [("рабочая папка", r) for r in workspace_templates(ws)]
    if as_json:
        emit_json(
            [{"name": r.name, "path": str(r.path), "builtin": k == "встроенный"} for k, r in rows]
        )
        return
    from rich.table import Table

    table = Table(box=None)
    table.add_column("Имя", no_wrap=True)
    table.add_column("Где", no_wrap=True)
    table.add_column("Файл", overflow="fold")
    for kind, ref in rows:
        table.add_row(ref.name, kind, str(ref.path))
    out().print(table)
