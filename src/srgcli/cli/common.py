"""What every command shares: the global options, the environment (consoles, terminal,
clock), the workspace, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import click
import typer

from srgcli.cli.env import Environment
from srgcli.cli.russian import RussianCommand, RussianGroup

if TYPE_CHECKING:
    from rich.console import Console

    from srgcli.workspace import Workspace


@dataclass
class AppState:
    """Global options and the environment of this invocation, kept on the Click context."""

    workspace: Path | None = None
    no_input: bool = False
    debug: bool = False
    env: Environment = field(default_factory=Environment.detect)
    # The database the command opened: named when it fails with a database error.
    database: Path | None = None


def state(ctx: click.Context) -> AppState:
    """The global options of this invocation.

    Before the root callback has run, the context's object may be an `Environment` a caller
    (a test) passed to the runner; it is kept.
    """
    root = ctx.find_root()
    if isinstance(root.obj, Environment):
        root.obj = AppState(env=root.obj)
    elif not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj


def environment(ctx: click.Context | None = None) -> Environment:
    """The environment of the running invocation (of `ctx`, or of the current Click context);
    outside any invocation, the process's own."""
    ctx = ctx or click.get_current_context(silent=True)
    return state(ctx).env if ctx is not None else Environment.detect()


def out() -> Console:
    """Console for data (stdout) of the running invocation."""
    return environment().stdout


def err() -> Console:
    """Console for human messages (stderr) of the running invocation."""
    return environment().stderr


def interactive(ctx: click.Context) -> bool:
    """True when prompts are allowed: a terminal on stdin and no --no-input."""
    current = state(ctx)
    return current.env.prompts_allowed(current.no_input)


# Answers to a yes/no question: Russian first, English too (a user may not switch layouts).
YES_ANSWERS = frozenset({"да", "д", "yes", "y"})
NO_ANSWERS = frozenset({"нет", "н", "no", "n"})


def parse_yes_no(answer: str) -> bool | None:
    """«да»/«д»/«y» → True, «нет»/«н»/«n» → False, anything else → None (any case)."""
    word = answer.strip().lower().rstrip(".!")
    if word in YES_ANSWERS:
        return True
    if word in NO_ANSWERS:
        return False
    return None


def confirm(question: str, *, default: bool = True) -> bool:
    """Ask a yes/no question on stderr: [Д/н] or [д/Н], Enter takes the default.

    Any other answer repeats the question; Ctrl-C or the end of input raises typer.Abort,
    as Click's own prompts do.
    """
    hint = "[Д/н]" if default else "[д/Н]"
    while True:
        answer = typer.prompt(f"{question} {hint}", default="", show_default=False, err=True)
        if not answer.strip():
            return default
        decided = parse_yes_no(answer)
        if decided is not None:
            return decided
        err().print("  [yellow]Ответьте «да» или «нет» (можно «д» или «н»).[/]")


def ask_choice(
    question: str,
    choices: list[str],
    default: str,
    console: Console,
    stream: TextIO | None = None,
) -> str:
    """Ask for one of `choices` (shown in brackets); anything else is asked again, in Russian."""
    from rich.prompt import Prompt

    class RussianPrompt(Prompt):
        illegal_choice_message = "[prompt.invalid.choice]Выберите один из вариантов в скобках."

    return RussianPrompt.ask(
        question, choices=choices, default=default, console=console, stream=stream
    )


def open_ws(ctx: typer.Context) -> Workspace:
    """Find and open the workspace for this invocation; closed when the command ends."""
    from srgcli.workspace import find_root, open_workspace

    ws = open_workspace(find_root(override=state(ctx).workspace))
    ctx.call_on_close(ws.close)
    state(ctx).database = ws.db_path
    if ws.notes:
        from rich.markup import escape

        for note in ws.notes:
            err().print(f"[yellow]Восстановление:[/] {escape(note)}")
    return ws


def warn_unknown_rules(ws: Workspace | None, disabled: Iterable[str] = ()) -> None:
    """Warn on stderr, once per command, about disabled rule ids no rule has (from
    `[checker] disabled_rules` or `--disable`), naming the closest known ids."""
    from rich.markup import escape

    from srgcli.gate.engine import configured_disabled_rules
    from srgcli.gate.rule_ids import unknown_rule_warnings

    given = [
        (configured_disabled_rules(ws), "в [checker] disabled_rules"),
        (frozenset(disabled), "в --disable"),
    ]
    for rules, where in given:
        if rules:
            for message in unknown_rule_warnings(rules, where):
                err().print(f"[yellow]Внимание:[/] {escape(message)}")


def emit_json(data: Any) -> None:
    """Machine output on stdout: UTF-8 JSON, Cyrillic unescaped (C1 controls and bidi
    overrides escaped as \\uXXXX, so that a terminal showing it is not driven by them).

    Indented for a person at a terminal; compact (and several times faster to encode,
    since the C encoder handles it) when piped to a script.
    """
    from srgcli.cli.views.terminal import json_safe

    indent = 2 if environment().stdout_isatty else None
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    sys.stdout.write(json_safe(text) + "\n")


def new_app(help_text: str, **kwargs: Any) -> typer.Typer:
    """A Typer sub-application that speaks Russian."""
    return typer.Typer(
        help=help_text,
        cls=RussianGroup,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        **kwargs,
    )


def command_options(example: str) -> dict[str, Any]:
    """Keyword arguments for @app.command(): Russian help and an example under it."""
    return {"cls": RussianCommand, "epilog": f"Пример: {example}"}


# `--format` of the commands that report problems in text (check, templates check).
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="Вывод: rich (для человека), json (для скриптов), github (аннотации CI).",
        metavar="ФОРМАТ",
    ),
]


def optional_ws(ctx: typer.Context) -> Workspace | None:
    """The workspace if there is one (an explicitly named one must exist); else None."""
    import os

    if state(ctx).workspace is not None or os.environ.get("SRGCLI_WORKSPACE"):
        return open_ws(ctx)
    from srgcli.exit import SrgError
    from srgcli.workspace import find_root

    try:
        find_root()
    except SrgError:
        return None
    return open_ws(ctx)
