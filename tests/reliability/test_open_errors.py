"""What a damaged, emptied or missing database, a full disk and a failed ИС connection look
like to the user: exit 2 (4 for the ИС), the file named, the right advice, no secrets."""

from __future__ import annotations

import errno
import sqlite3
import threading
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from srgcli.isapi import mask_url
from srgcli.workspace import Workspace
from srgcli.workspace import folder as workspace_folder
from tests.builders import add_ticket, configure_is, damage_database, write_jsonl
from tests.conftest import Cli


@pytest.fixture
def filled(ws: Workspace, tmp_path: Path, cli: Cli) -> Path:
    """A workspace with 400 tickets, closed."""
    assert cli("fetch", str(write_jsonl(tmp_path / "t.jsonl", 400))).exit_code == 0
    ws.close()
    return ws.root


@pytest.mark.parametrize("where", ["header", "pages"])
def test_damaged_pages_are_exit_2_naming_the_file_and_restore(filled: Path, where: str) -> None:
    damage_database(filled, where=where)
    result = Cli(filled)("list", "--json")
    assert result.exit_code == 2, result.stderr
    assert str(filled / "srgcli.db") in result.stderr.replace("\n", "")
    assert "srgcli restore" in result.stderr
    assert "Внутренняя ошибка" not in result.stderr


def test_an_empty_database_is_refused_not_created_again(ws_root: Path) -> None:
    db = ws_root / "srgcli.db"
    for side in ws_root.glob("srgcli.db-*"):
        side.unlink()
    db.write_bytes(b"")
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "пуста (0 байт)" in result.stderr
    assert "srgcli restore" in result.stderr
    assert db.stat().st_size == 0
    assert not (ws_root / "srgcli.db-wal").exists()


def test_a_missing_database_in_a_workspace_is_refused_not_created(ws_root: Path) -> None:
    for path in ws_root.glob("srgcli.db*"):
        path.unlink()
    result = Cli(ws_root)("fill", "--all", "--check")
    assert result.exit_code == 2
    assert "Не найдена база данных" in result.stderr
    assert "srgcli restore" in result.stderr
    assert not (ws_root / "srgcli.db").exists()


def test_init_still_creates_the_database(tmp_path: Path) -> None:
    result = Cli(None)("init", str(tmp_path / "new"))
    assert result.exit_code == 0, result.stderr
    assert Cli(tmp_path / "new")("list", "--json").json() == []


def test_a_full_database_is_exit_2_no_space_and_nothing_written(
    ws: Workspace, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_ticket(ws)
    opened = workspace_folder.connect

    def capped(path: Path, **kwargs: bool) -> sqlite3.Connection:
        # SQLite's own SQLITE_FULL: the database may not grow past its current size.
        conn = opened(path, **kwargs)
        pages = conn.execute("pragma page_count").fetchone()[0]
        conn.execute(f"pragma max_page_count = {pages + 2}")
        return conn

    monkeypatch.setattr(workspace_folder, "connect", capped)
    result = cli("fetch", str(write_jsonl(tmp_path / "t.jsonl", 500)))
    assert result.exit_code == 2, result.stderr
    assert "нет места" in result.stderr
    assert "повреждён" not in result.stderr
    assert ws.conn.execute("select count(*) from tickets").fetchone()[0] == 1


def test_an_os_level_full_disk_is_exit_2(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(workspace_folder, "load_config", full)
    result = cli("list")
    assert result.exit_code == 2
    assert "нет места" in result.stderr.lower()
    assert "повреждён" not in result.stderr


def test_credentials_in_the_url_are_masked() -> None:
    assert mask_url("https://user:pa55@is.example.ru/api") == "https://***@is.example.ru/api"
    assert mask_url("https://is.example.ru/api") == "https://is.example.ru/api"


def test_an_is_timeout_does_not_print_the_credentials(
    cli: Cli, ws_root: Path, httpserver: HTTPServer
) -> None:
    address = httpserver.url_for("").rstrip("/").replace("http://", "http://exec:pa55word@")
    configure_is(ws_root, address, timeout=1, retries=0)
    answered = threading.Event()

    def silent(request: Request) -> Response:
        answered.wait(10)
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/api/tickets").respond_with_handler(silent)
    try:
        result = cli("fetch")
    finally:
        answered.set()
    assert result.exit_code == 4
    assert "не ответила" in result.stderr
    assert "pa55word" not in result.stderr and "exec" not in result.stderr
    assert "***@" in result.stderr


def test_an_unreachable_is_does_not_print_the_credentials(cli: Cli, ws_root: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    configure_is(ws_root, f"http://exec:pa55word@127.0.0.1:{port}", timeout=1, retries=0)
    result = cli("fetch")
    assert result.exit_code == 4
    assert "pa55word" not in result.stderr
