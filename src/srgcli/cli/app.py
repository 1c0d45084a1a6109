"""The `srgcli` Typer application: global options, command registration, error handling.

Only Typer is imported at start-up; each command imports what it needs when it runs, so
`srgcli --help` and `srgcli --version` stay fast.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from srgcli import __version__
from srgcli.cli.common import AppState, state
from srgcli.cli.env import system_clock
from srgcli.cli.russian import RussianGroup
from srgcli.exit import ExitCode, SrgError


class SrgcliGroup(RussianGroup):
    """The root group: prints user errors in one place, in Russian, without tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SrgError as exc:
            _print_error(exc)
            raise typer.Exit(int(exc.code)) from None
        except (typer.Exit, typer.Abort):
            raise
        except click.UsageError as exc:
            # Raised by a command itself (a bad option value found while it runs).
            from srgcli.cli.russian import russian_usage_error

            raise russian_usage_error(exc) from None
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            from srgcli.cli.common import err

            err().print("\n[yellow]Прервано.[/] Незавершённые изменения отменены.")
            raise typer.Exit(130) from None
        except Exception as exc:
            debug = isinstance(ctx.obj, AppState) and ctx.obj.debug
            if debug:
                raise
            known = _environment_error(
                exc, ctx.obj.database if isinstance(ctx.obj, AppState) else None
            )
            if known is not None:
                _print_error(known)
                raise typer.Exit(int(known.code)) from None
            # The exception's text may quote client data: only its type is shown.
            _print_error(
                SrgError(
                    f"Внутренняя ошибка srgcli ({type(exc).__name__}). "
                    "Незавершённые изменения отменены.",
                    ExitCode.INTERNAL,
                    hint="Повторите команду с --debug, чтобы увидеть подробности, и сообщите "
                    "разработчикам.",
                )
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


def _environment_error(exc: BaseException, database: Path | None) -> SrgError | None:
    """A fault of the machine rather than of srgcli, met in the middle of a command: a full
    disk, damaged database pages, a lock held too long. Exit 2 with the file named (`database`,
    the one the command opened)."""
    import errno

    for cause in (exc, exc.__cause__, exc.__context__):
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            from srgcli.workspace.db import disk_full_error

            return disk_full_error(cause)
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        from srgcli.workspace.db import database_error

        # Errors of the database itself, not of srgcli's SQL (a bug stays exit 70).
        if not isinstance(exc, sqlite3.ProgrammingError | sqlite3.IntegrityError):
            code = getattr(exc, "sqlite_errorcode", None)
            if isinstance(code, int) and code & 0xFF != sqlite3.SQLITE_ERROR:
                return database_error(database, exc)
    return None


def _print_error(exc: SrgError) -> None:
    from rich.markup import escape

    from srgcli.cli.common import err

    err().print(f"[bold red]Ошибка:[/] {escape(exc.message)}")
    if exc.hint:
        err().print(f"[dim]{escape(exc.hint)}[/]")


def _new_root() -> typer.Typer:
    root_app = typer.Typer(
        name="srgcli",
        cls=SrgcliGroup,
        help=(
            "Рабочее место исполнителя по обращениям клиентов оценочной компании: заявки, "
            "история заказа, контакты с клиентом, отчёт DOCX с проверкой орфографии и стиля, "
            "сдача."
        ),
        epilog="Начните с [bold]srgcli demo[/] или [bold]srgcli init[/]. "
        "Справка по команде: srgcli КОМАНДА --help",
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    root_app.callback()(root)
    return root_app


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"srgcli {__version__}\n")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Рабочая папка (по умолчанию ищется вверх от текущей; "
            "или переменная SRGCLI_WORKSPACE).",
            metavar="ПАПКА",
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Никогда не задавать вопросов (для скриптов)."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Показывать трассировку внутренних ошибок.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Показать версию и выйти.",
        ),
    ] = False,
) -> None:
    """Глобальные параметры действуют для всех команд."""
    # The environment is the process's own, unless the caller (a test) passed one as `obj`.
    env = state(ctx).env
    ctx.obj = AppState(workspace=workspace, no_input=no_input, debug=debug, env=env)
    if env.clock is not system_clock:
        from srgcli.calendar import use_clock

        ctx.with_resource(use_clock(env.clock))


# The command modules, in the order of the work (the help lists them this way), with the
# command names each registers. A module is imported only when one of its commands runs.
COMMAND_MODULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("admin", ("init", "demo")),
    ("fetch", ("fetch",)),
    ("tickets", ("list", "show")),
    ("search", ("search",)),
    ("fill", ("fill",)),
    ("review", ("review",)),
    ("contact", ("contact-log",)),
    ("call", ("call",)),
    ("report", ("report", "templates")),
    ("submit", ("submit",)),
    ("billing", ("act", "payment", "receipt", "income")),
    ("check", ("check", "dict")),
    ("stress", ("stress",)),
    ("serve", ("serve",)),
    ("doctor", ("doctor", "backup", "restore")),
)


def build_app(command: str | None = None) -> typer.Typer:
    """The application with every command, or with only the module that owns `command`.

    Typer turns every registered command into a Click command on each run; building just
    the one being run keeps start-up short as the number of commands grows.
    """
    application = _new_root()
    for module_name, names in COMMAND_MODULES:
        if command is not None and command not in names:
            continue
        module = importlib.import_module(f"srgcli.cli.{module_name}")
        module.register(application)
    return application


def command_name(argv: list[str]) -> str | None:
    """The subcommand in an argument list (after the global options), if it is a known one."""
    known = {name for _, names in COMMAND_MODULES for name in names}
    args = iter(argv)
    for arg in args:
        if arg in ("--workspace", "-w"):
            next(args, None)
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in known else None
    return None


def __getattr__(name: str) -> Any:
    # `app` (the whole application) is built on first use: tests, the docs generator.
    if name == "app":
        application = build_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
