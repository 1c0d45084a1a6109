"""No command is refused while another writes: one journal mode (WAL) for the life of the
workspace, every writer waits for the lock up to the busy timeout and says so after a second."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from srgcli.demo import demo_config
from srgcli.exit import SrgError
from srgcli.workspace import Workspace, create_workspace
from srgcli.workspace.db import begin_immediate, connect
from tests.builders import TICKET, add_ticket, srgcli_command, srgcli_env, write_jsonl
from tests.conftest import Cli


def _hold_write_lock(root: Path, seconds: float) -> threading.Thread:
    """Another connection holds the write lock for `seconds` (as a running fetch does)."""
    conn = sqlite3.connect(root / "srgcli.db", isolation_level=None, check_same_thread=False)
    conn.execute("begin immediate")
    conn.execute("insert into state (key, value) values ('lock-test', 'x')")

    def release() -> None:
        time.sleep(seconds)
        conn.execute("rollback")
        conn.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_a_writer_waits_for_the_lock_and_says_what_it_waits_for(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    holder = _hold_write_lock(ws.root, 2.0)
    started = time.monotonic()
    result = cli("fill", TICKET, "--set", "bank=ПАО Сбербанк")
    waited = time.monotonic() - started
    holder.join()
    assert result.exit_code == 0, result.stderr
    assert waited >= 1.5
    assert "занята другой командой srgcli" in result.stderr
    assert "жду" in result.stderr
    assert ws.conn.execute("select bank from tickets").fetchone()[0] == "ПАО Сбербанк"


def test_a_short_wait_is_silent(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    holder = _hold_write_lock(ws.root, 0.3)
    result = cli("fill", TICKET, "--set", "bank=ПАО Сбербанк")
    holder.join()
    assert result.exit_code == 0, result.stderr
    assert "занята" not in result.stderr


def test_a_lock_held_past_the_busy_timeout_is_refused_with_exit_2(
    ws: Workspace, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_ticket(ws)
    monkeypatch.setenv("SRGCLI_BUSY_TIMEOUT", "1.5")
    holder = _hold_write_lock(ws.root, 3.0)
    result = cli("fill", TICKET, "--set", "bank=ПАО Сбербанк")
    holder.join()
    assert result.exit_code == 2
    assert "занята другой командой srgcli дольше 2 с" in result.stderr
    assert "SRGCLI_BUSY_TIMEOUT" in result.stderr


def test_the_busy_database_is_named_even_after_another_one_was_opened(
    ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A process may hold several databases open (restore's staging copy, the server's
    # threads): the notice and the error name the busy one, not the one opened last.
    other = create_workspace(tmp_path / "other", demo_config())
    monkeypatch.setenv("SRGCLI_BUSY_TIMEOUT", "1.2")
    holder = _hold_write_lock(ws.root, 2.5)
    try:
        with pytest.raises(SrgError) as refused:
            begin_immediate(ws.conn)
    finally:
        holder.join()
        other.close()
    busy = str(ws.root / "srgcli.db")
    assert f"База данных {busy} занята другой командой srgcli дольше" in refused.value.message
    assert f"База данных {busy} занята другой командой srgcli (идёт запись" in (
        capsys.readouterr().err
    )


def test_opening_a_wal_database_takes_no_lock(ws_root: Path) -> None:
    holder = _hold_write_lock(ws_root, 1.0)
    started = time.monotonic()
    conn = connect(ws_root / "srgcli.db")
    assert time.monotonic() - started < 0.9  # did not wait for the writer
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    conn.close()
    holder.join()


def test_a_database_left_in_another_journal_mode_is_switched_back_to_wal(ws_root: Path) -> None:
    raw = sqlite3.connect(ws_root / "srgcli.db")
    raw.execute("pragma journal_mode = delete")
    raw.close()
    conn = connect(ws_root / "srgcli.db")
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_fill_and_list_during_a_large_fetch_are_never_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    add_ticket(ws)
    export = write_jsonl(tmp_path / "big.jsonl", 30_000)
    env = srgcli_env()
    fetch = subprocess.Popen(
        srgcli_command(ws.root, "fetch", str(export), "--json"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    runs: list[tuple[str, int, str, bool]] = []
    n = 0
    while True:
        running = fetch.poll() is None
        if not running and len(runs) >= 4:
            break
        n += 1
        args = ("fill", TICKET, "--set", f"bank=Банк {n}") if n % 2 else ("list", "--json")
        done = subprocess.run(
            srgcli_command(ws.root, *args), env=env, capture_output=True, text=True, timeout=120
        )
        runs.append((args[0], done.returncode, done.stderr, running))
    _out, err = fetch.communicate(timeout=120)
    assert fetch.returncode == 0, err
    refused = [(cmd, code, stderr) for cmd, code, stderr, _ in runs if code != 0]
    assert refused == []
    assert any(during for *_, during in runs), "no command ran while the fetch did"
    assert ws.conn.execute("select count(*) from tickets").fetchone()[0] == 30_001
    last_fill = max(i for i in range(1, n + 1) if i % 2)
    assert ws.conn.execute("select bank from tickets where id = ?", (TICKET,)).fetchone()[0] == (
        f"Банк {last_fill}"
    )
    assert ws.conn.execute("pragma journal_mode").fetchone()[0] == "wal"
