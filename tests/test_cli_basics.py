"""The CLI's global behaviour: version, help in Russian, finding the workspace, exit codes."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from srgcli import __version__
from srgcli.calendar import now
from srgcli.cli.env import Environment
from srgcli.workspace import Workspace
from tests.builders import add_ticket
from tests.conftest import PINNED_NOW, Cli, terminal


def test_version(tmp_path: Path) -> None:
    result = Cli(None)("--version", workspace=False)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"srgcli {__version__}"


def test_help_is_russian_with_examples() -> None:
    result = Cli(None)("list", "--help", workspace=False)
    assert result.exit_code == 0
    assert "Использование:" in result.stdout
    assert "Показать эту справку и выйти." in result.stdout
    assert "Пример:" in result.stdout


def test_outside_workspace_says_how_to_create_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = Cli(None)("list", workspace=False)
    assert result.exit_code == 2
    assert "srgcli init" in result.stderr
    assert "Traceback" not in result.stderr


def test_workspace_found_upward_from_a_subfolder(
    ws_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = ws_root / "reports" / "deeper"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = Cli(None)("list", "--json", workspace=False)
    assert result.exit_code == 0
    assert result.json() == []


def test_workspace_from_environment(
    ws_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SRGCLI_WORKSPACE", str(ws_root))
    assert Cli(None)("list", "--json", workspace=False).exit_code == 0


def test_unknown_command_is_a_usage_error_in_russian() -> None:
    result = Cli(None)("lst", workspace=False)
    assert result.exit_code == 2
    assert "Нет такой команды" in result.stderr


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (
            ("contact-log", "add", "2026-000501", "--no-input"),
            "srgcli --no-input contact-log add …",
        ),
        (("list", "--workspace", "/tmp"), "srgcli --workspace ПАПКА list …"),
        (("fill", "-w", "/tmp", "2026-000501"), "srgcli -w ПАПКА fill …"),
    ],
)
def test_a_global_option_after_the_command_says_where_it_goes(
    args: tuple[str, ...], where: str
) -> None:
    result = Cli(None)(*args, workspace=False)
    assert result.exit_code == 2
    text = " ".join(result.stderr.replace("│", " ").split())
    assert f"общий для всех команд и пишется перед командой: {where}" in text
    unknown = Cli(None)("list", "--nope", workspace=False)
    assert "Нет такого параметра: --nope." in unknown.stderr


@pytest.mark.parametrize(
    ("answer", "meaning"),
    [
        ("да", True),
        ("Да.", True),
        (" д ", True),
        ("YES", True),
        ("y", True),
        ("нет", False),
        ("Н", False),
        ("no", False),
        ("n", False),
        ("ладно", None),
        ("", None),
        ("l", None),
    ],
)
def test_yes_no_answers(answer: str, meaning: bool | None) -> None:
    from srgcli.cli.common import parse_yes_no

    assert parse_yes_no(answer) is meaning


def test_a_choice_is_asked_again_in_russian() -> None:
    import io

    from rich.console import Console

    from srgcli.cli.common import ask_choice

    shown = io.StringIO()
    console = Console(file=shown, width=120, color_system=None)
    answer = ask_choice("Ваш выбор", ["1", "п"], "п", console, stream=io.StringIO("x\n1\n"))
    assert answer == "1"
    assert "Выберите один из вариантов" in shown.getvalue()
    assert "Please" not in shown.getvalue()


def _examples() -> list[tuple[str, str]]:
    import typer

    from srgcli.cli.app import app

    found: list[tuple[str, str]] = []

    def walk(command: Any, path: str) -> None:
        epilog = getattr(command, "epilog", None) or ""
        if epilog.startswith("Пример: "):
            found.append((path, epilog.removeprefix("Пример: ")))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "srgcli")
    return found


@pytest.mark.parametrize(("command", "example"), _examples(), ids=lambda v: str(v)[:30])
def test_help_examples_parse_as_written(command: str, example: str) -> None:
    # Each example is a shell line a user may paste: every srgcli call in it must be accepted
    # by the command's parser (quotes balanced, no stray words, known options and values).
    import shlex

    import click
    import typer

    from srgcli.cli.app import app

    calls = [shlex.split(part) for part in example.split("&&")]
    ours = [words for words in calls if words[0] == "srgcli"]
    assert any(" ".join(words[: len(command.split())]) == command for words in ours), example
    for words in ours:
        group: Any = typer.main.get_command(app)
        ctx = group.make_context("srgcli", words[1:])
        args = [*ctx._protected_args, *ctx.args]
        while isinstance(group, click.Group) and args:
            _, sub, rest = group.resolve_command(ctx, args)
            assert sub is not None, example
            ctx = sub.make_context(sub.name or "", rest, parent=ctx)
            group, args = sub, [*getattr(ctx, "_protected_args", []), *ctx.args]
        assert not args, f"{example}: лишние аргументы {args}"


def test_a_runs_clock_is_its_own_and_ends_with_it(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)  # received 16.11.2026, first contact due 17.11 18:00; pinned clock: 25.11
    cli.env = terminal(now="2026-11-17T10:00:00+03:00")
    assert not cli("list", "--json").json()[0]["overdue"]
    assert now().isoformat() == PINNED_NOW
    cli.env = terminal()
    assert cli("list", "--json").json()[0]["overdue"]


def test_json_is_indented_only_for_a_terminal(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    assert "\n" not in cli("list", "--json").stdout.strip()
    cli.env = replace(cli.env, stdout_isatty=True)
    assert '\n  {\n    "id": "2026-000200"' in cli("list", "--json").stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")
def test_the_environment_finds_a_terminal_on_the_process_streams(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os
    import pty

    master, slave = pty.openpty()
    with open(slave, "w", encoding="utf-8") as terminal_stream, io.StringIO() as pipe:
        monkeypatch.setattr(sys, "stderr", terminal_stream)
        monkeypatch.setattr(sys, "stdout", pipe)
        env = Environment.detect()
    os.close(master)
    assert (env.stderr_isatty, env.stdout_isatty) == (True, False)
