"""`srgcli fetch`: tickets and order history from export files or the ИС."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from srgcli.cli.common import command_options, emit_json, environment, err, open_ws, out
from srgcli.exit import ExitCode

if TYPE_CHECKING:
    from srgcli.fetch import FetchSummary

# Show a progress bar only for files at least this large (and only on a terminal).
PROGRESS_MIN_BYTES = 2_000_000
# At most this many warnings are listed on the terminal; --json has them all.
WARNINGS_SHOWN = 50
WRITTEN_COLUMNS = ("Новые", "Обновлены", "Без изменений", "Конфликты", "Отклонены")
# With --dry-run or an aborted --strict batch the counts are what a real run would do.
WOULD_BE_COLUMNS = (
    "Было бы новых",
    "Было бы обновлено",
    "Без изменений",
    "Конфликты",
    "Отклонены",
)
STRICT_ABORT = "есть отклонённые записи, а указан --strict"


def register(app: typer.Typer) -> None:
    """Add `fetch` to the application."""
    app.command("fetch", **command_options("srgcli fetch выгрузка.csv --history история.csv"))(
        fetch_command
    )


def fetch_command(
    ctx: typer.Context,
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Файлы выгрузки (.json, .jsonl, .csv, .xlsx) или «-» — JSON со стандартного "
            "ввода. Без файлов — загрузка из ИС по настройкам раздела [is].",
            metavar="[ИСТОЧНИК]...",
            show_default=False,
        ),
    ] = None,
    history: Annotated[
        str | None,
        typer.Option(
            "--history",
            help="Файл истории заказов (.csv, .jsonl, .json, .xlsx) с номером заявки или заказа.",
            metavar="ФАЙЛ",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Отклонена хоть одна запись — не загружать ничего.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Показать итог, ничего не записывая.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Итог в JSON для скриптов.")] = False,
) -> None:
    """Загрузить заявки и историю заказов из файлов выгрузки или из ИС.

    ИСТОЧНИК — файл .json, .jsonl, .csv или .xlsx (можно несколько) или «-» для JSON со
    стандартного ввода; без источника заявки загружаются из ИС (раздел [is] в srgcli.toml).
    Значения, заданные командой fill, не перезаписываются: расхождения показываются как
    конфликты.
    """
    from srgcli.fetch import import_files, summary_json

    ws = open_ws(ctx)
    if sources or history:
        bar = _ProgressBar() if environment(ctx).stderr_isatty else None
        try:
            summary = import_files(
                ws, sources or [], history=history, strict=strict, dry_run=dry_run, progress=bar
            )
        finally:
            if bar is not None:
                bar.close()
    else:
        from srgcli.fetch import fetch_from_is

        summary = fetch_from_is(ws, strict=strict, dry_run=dry_run)
    if as_json:
        emit_json(summary_json(summary))
    else:
        _print_summary(summary)
    _print_warnings(summary)
    if summary.rejected:
        raise typer.Exit(int(ExitCode.PROBLEMS))


class _ProgressBar:
    """A Rich progress bar on stderr for large files; started on first use, always stopped."""

    def __init__(self) -> None:
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, name: str, done: int, total: int | None) -> None:
        if not total or total < PROGRESS_MIN_BYTES:
            return
        if self.progress is None:
            from rich.progress import Progress

            self.progress = Progress(console=err(), transient=True)
            self.progress.start()
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(f"Загрузка {name}", total=total)
        self.progress.update(self.tasks[name], completed=min(done, total))

    def close(self) -> None:
        """Remove the bar from the terminal."""
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def _print_summary(summary: FetchSummary) -> None:
    from rich.markup import escape
    from rich.table import Table

    from srgcli.model import FIELD_LABELS

    if summary.written:
        title, columns = "Итог загрузки", WRITTEN_COLUMNS
    else:
        why = "пробный запуск (--dry-run)" if summary.dry_run else STRICT_ABORT
        title, columns = f"Ничего не записано: {why}", WOULD_BE_COLUMNS
    table = Table(title=title, header_style="bold", expand=False)
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(
        str(summary.new),
        str(summary.updated),
        str(summary.unchanged),
        str(len(summary.conflicts)),
        str(len(summary.rejected)),
    )
    out().print(table)
    if summary.conflicts:
        conflicts = Table(
            title="Конфликты: значения исполнителя сохранены, ИС прислала другие",
            header_style="bold",
        )
        for title in ("Заявка", "Поле", "Значение исполнителя", "Значение ИС"):
            conflicts.add_column(title)
        for c in summary.conflicts:
            conflicts.add_row(
                escape(c.ticket_id),
                FIELD_LABELS.get(c.field, c.field),
                escape(c.executor_value or "—"),
                escape(c.is_value or "—"),
            )
        out().print(conflicts)
    if summary.rejected:
        rejected = Table(title="Отклонённые записи", header_style="bold")
        for title in ("Источник", "Строка", "Причина"):
            rejected.add_column(title)
        for r in summary.rejected[:200]:
            rejected.add_row(escape(r.source), str(r.line or "—"), escape(r.reason))
        out().print(rejected)
        if len(summary.rejected) > 200:
            err().print(f"… и ещё {len(summary.rejected) - 200}; полный список: --json.")
    if summary.dry_run:
        err().print("[yellow]Пробный запуск (--dry-run): ничего не записано.[/]")
    elif summary.aborted:
        err().print("[red]Есть отклонённые записи, а указан --strict: ничего не записано.[/]")


def _print_warnings(summary: FetchSummary) -> None:
    """Warnings go to stderr in both modes: with --json they are also in "warnings"."""
    from rich.markup import escape

    if not summary.warnings:
        return
    console = err()
    console.print(f"[yellow]Предупреждения ({len(summary.warnings)}):[/]")
    for w in summary.warnings[:WARNINGS_SHOWN]:
        where = w.source if w.line is None else f"{w.source}, строка {w.line}"
        console.print(f"  {escape(where)}: {escape(w.message)}")
    if len(summary.warnings) > WARNINGS_SHOWN:
        console.print(f"  … и ещё {len(summary.warnings) - WARNINGS_SHOWN}; полный список: --json.")
