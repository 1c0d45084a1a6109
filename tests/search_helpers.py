"""Helpers shared by the search tests: the demo workspace built once, hits read from --json,
the state of the index."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from srgcli.demo import run_demo
from srgcli.search import refresh_index
from srgcli.workspace import open_workspace
from srgcli.workspace import search as search_index
from tests.conftest import PINNED_NOW, Cli, Result


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
