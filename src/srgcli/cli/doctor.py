"""`srgcli doctor`, `srgcli backup`, `srgcli restore`: check, copy and bring back a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from srgcli.cli.common import command_options, emit_json, err, out, state
from srgcli.exit import ExitCode

# How each status is shown in the checklist.
MARKS = {"ok": "[green]✓[/]", "warning": "[yellow]![/]", "fail": "[red]✗[/]"}
LABELS = {
    "config": "Настройки",
    "database": "База данных",
    "schema": "Схема базы",
    "permissions": "Права доступа",
    "leftovers": "Временные файлы",
    "files": "Файлы отчётов и сдач",
    "gate": "Проверка текста",
    "templates": "Шаблоны",
    "is": "ИС",
    "disk": "Место на диске",
}


def register(app: typer.Typer) -> None:
    """Add `doctor`, `backup` and `restore` to the application."""
    app.command("doctor", **command_options("srgcli doctor --json"))(doctor_command)
    app.command("backup", **command_options("srgcli backup ~/копии/заявки.tar.gz"))(backup_command)
    app.command(
        "restore",
        **command_options("srgcli restore srgcli-backup-20261125-100000.tar.gz ~/заявки2"),
    )(restore_command)


def doctor_command(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Список проверок в JSON (для скриптов).")
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Полная проверка базы (integrity_check вместо quick_check; дольше)."
        ),
    ] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Не обращаться к ИС, даже если она настроена.")
    ] = False,
) -> None:
    """Проверить рабочую папку: базу, схему, права, временные файлы, файлы отчётов, настройки,
    проверку текста, шаблоны, связь с ИС и место на диске.

    Код выхода 1, если хотя бы одна проверка не пройдена (✗); предупреждения (!) его не
    меняют. --json выводит список {"check", "status": ok|warning|fail, "message"}.
    """
    from rich.markup import escape

    from srgcli.doctor import run_checks
    from srgcli.workspace import find_root

    root = find_root(override=state(ctx).workspace)
    checks = run_checks(root, full=full, network=not offline)
    failed = any(c.status == "fail" for c in checks)
    if as_json:
        emit_json([c.as_json() for c in checks])
    else:
        console = out()
        console.print(f"Рабочая папка: {escape(str(root))}")
        for c in checks:
            label = LABELS.get(c.check, c.check)
            console.print(f" {MARKS[c.status]} [bold]{label}[/]: {escape(c.message)}")
        warned = sum(1 for c in checks if c.status == "warning")
        if failed:
            err().print("[red]Найдены проблемы[/] (отмечены ✗).")
        elif warned:
            err().print("[green]Всё работает[/]; есть предупреждения (!).")
        else:
            err().print("[green]Всё в порядке.[/]")
    if failed:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def backup_command(
    ctx: typer.Context,
    target: Annotated[
        Path | None,
        typer.Argument(
            help="Файл архива .tar.gz (по умолчанию srgcli-backup-ГГГГММДД-ЧЧММСС.tar.gz в "
            "текущей папке, а если она внутри рабочей — рядом с рабочей папкой).",
            metavar="[ФАЙЛ]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Сделать резервную копию рабочей папки в один архив .tar.gz.

    В архиве — согласованная копия базы (можно делать, пока работают другие команды),
    srgcli.toml, папки reports/, outbox/ и templates/ и опись manifest.json с суммами
    SHA-256 каждого файла. Восстановление: srgcli restore ФАЙЛ ПАПКА.
    """
    from rich.markup import escape

    from srgcli.calendar import now
    from srgcli.cli.common import open_ws
    from srgcli.doctor.backup import default_target, make_backup

    ws = open_ws(ctx)
    moment = now()
    path = target if target is not None else default_target(ws.root, Path.cwd(), moment)
    result = make_backup(ws, path, moment)
    err().print(
        f"[green]Копия сохранена:[/] {escape(str(result.archive))} "
        f"(файлов: {result.files}, заявок: {result.tickets})"
    )
    err().print(f"Восстановление: srgcli restore {escape(str(result.archive))} НОВАЯ_ПАПКА")


def restore_command(
    archive: Annotated[
        Path, typer.Argument(help="Архив, сделанный srgcli backup.", metavar="ФАЙЛ")
    ],
    directory: Annotated[
        Path,
        typer.Argument(help="Новая или пустая папка для рабочей папки.", metavar="ПАПКА"),
    ],
) -> None:
    """Восстановить рабочую папку из архива srgcli backup в новую или пустую папку.

    Каждый файл сверяется с описью архива (SHA-256), база данных открывается и проверяется;
    при любом расхождении ничего не восстанавливается (код выхода 2). Файлы получают права
    0600, папки — 0700.
    """
    from rich.markup import escape

    from srgcli.doctor.backup import restore_backup

    result = restore_backup(archive, directory)
    err().print(
        f"[green]Рабочая папка восстановлена:[/] {escape(str(result.folder))} "
        f"(файлов: {result.files}, заявок: {result.tickets}; все суммы SHA-256 совпали)"
    )
    err().print(f"Проверка: srgcli --workspace {escape(str(result.folder))} doctor")
