"""Shared fixtures: real workspaces in tmp_path, and the CLI driven through Typer's runner
in an `Environment` the test chooses (terminal width, a TTY on stdin, the time)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from srgcli.cli.app import app
from srgcli.cli.env import Environment, system_clock
from srgcli.demo import run_demo
from srgcli.search import refresh_index
from srgcli.workspace import Workspace, create_workspace, open_workspace
from srgcli.workspace import search as search_index

# A fixed "now" so that deadlines and business days are reproducible (a Wednesday).
PINNED_NOW = "2026-11-25T10:00:00+03:00"


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _pin_clock(monkeypatch: pytest.MonkeyPatch, _cache_dir: Path) -> None:
    monkeypatch.setenv("SRGCLI_CACHE_DIR", str(_cache_dir))  # not the user's cache folder
    monkeypatch.setenv("SRGCLI_NOW", PINNED_NOW)
    monkeypatch.delenv("SRGCLI_WORKSPACE", raising=False)
    monkeypatch.setenv("COLUMNS", "160")


@pytest.fixture
def ws_root(tmp_path: Path) -> Path:
    """A fresh, empty workspace folder."""
    root = tmp_path / "ws"
    create_workspace(root).close()
    return root


@pytest.fixture
def ws(ws_root: Path) -> Iterator[Workspace]:
    """An open fresh workspace."""
    workspace = open_workspace(ws_root)
    yield workspace
    workspace.close()


@dataclass
class Result:
    """What a CLI run produced."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def terminal(*, width: int = 160, tty: bool = False, now: str | None = None) -> Environment:
    """An environment `width` columns wide, without colour; `tty`: stdin is a terminal (so
    commands may ask questions); `now`: the clock stands at that ISO moment."""
    clock = system_clock if now is None else (lambda: datetime.fromisoformat(now))
    return Environment(stdin_isatty=tty, width=width, color=False, clock=clock)


class Cli:
    """Runs `srgcli` in-process against one workspace, like a user in a terminal would."""

    def __init__(self, root: Path | None, env: Environment | None = None):
        self.root = root
        self.env = env or terminal()
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, workspace: bool = True) -> Result:
        argv = [*(["--workspace", str(self.root)] if workspace and self.root else []), *args]
        # A fresh copy per run: each invocation makes its own consoles.
        env = replace(self.env)
        result = self.runner.invoke(app, argv, input=input, catch_exceptions=False, obj=env)
        return Result(result.exit_code, result.stdout, result.stderr)

    def on_terminal(self, columns: int, *args: str, exit_code: int = 0) -> list[str]:
        """`srgcli ARGS` on a terminal `columns` wide: stdout's lines (the run must end with
        `exit_code`)."""
        result = Cli(self.root, replace(self.env, width=columns))(*args)
        assert result.exit_code == exit_code, result.stderr
        return result.stdout.splitlines()


@pytest.fixture
def cli(ws_root: Path) -> Cli:
    """The CLI bound to a fresh workspace."""
    return Cli(ws_root)


@pytest.fixture
def tty(cli: Cli) -> None:
    """stdin is a terminal for `cli`: commands ask their questions (answered by `input=`)."""
    cli.env = replace(cli.env, stdin_isatty=True)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver's test servers listen on the loopback address, on a free port."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def pylat() -> Any:
    """pylat-ru loaded once for the whole test session (~1.5 s, ~240 MB)."""
    from srgcli.gate.pylat import shared_languagetool

    return shared_languagetool()


# --- the search tests: the demo workspace built once, hits read from --json, the index ---


def build_demo(factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo workspace as `srgcli demo` leaves it (its index stale from the first fetch):
    the sample tickets imported through fetch's pipeline, two verdicts, a call, a letter from
    a template and a settlement. For a module-scoped fixture; tests work on copies."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SRGCLI_NOW", PINNED_NOW)
    mp.setenv("SRGCLI_CACHE_DIR", str(factory.mktemp("cache")))
    root = factory.mktemp("template") / "demo"
    run_demo(root).close()
    yield root
    mp.undo()


def copy_demo(template: Path, target: Path, *, searched: bool = True) -> Cli:
    """The CLI on a copy of the demo; `searched`: after a first search rebuilt its index."""
    shutil.copytree(template, target)
    if searched:
        with open_workspace(target) as ws:
            refresh_index(ws)
    return Cli(target)


def hits(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, Any]] = result.json()
    return found


def matched_words(hit: dict[str, Any]) -> list[str]:
    """The words a hit's highlights mark in its snippet."""
    return [hit["snippet"][start : start + length] for start, length in hit["highlights"]]


def where(found: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(h["kind"], h["ticket_id"], h["field"]) for h in found}


def assert_index_consistent(root: Path) -> None:
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        search_index.check_index(conn)
    finally:
        conn.close()


def ticket_triggers(root: Path) -> list[tuple[str, str]]:
    """The search index's triggers on tickets (name, statement)."""
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        return conn.execute(
            "select name, sql from sqlite_master where type = 'trigger' "
            "and name in ('tickets_ai', 'tickets_au', 'tickets_ad') order by name"
        ).fetchall()
    finally:
        conn.close()


def stale_rows(root: Path) -> int | None:
    """How many rows wait for a rebuild (None: the index is current)."""
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        return search_index.stale_rows(conn)
    finally:
        conn.close()
