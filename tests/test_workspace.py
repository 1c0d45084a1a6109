"""Creating and opening workspaces, and every kind of bad input around them."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from srgcli.workspace import migrations, open_workspace
from srgcli.workspace.db import connect, create_db_file
from tests.conftest import Cli

VALID_INN = "500100732259"


def snapshot(root: Path) -> dict[str, str]:
    """Names and hashes of every file in a folder, to prove nothing changed."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_init_creates_a_private_workspace(tmp_path: Path) -> None:
    root = tmp_path / "work"
    result = Cli(None)(
        "init",
        str(root),
        "--executor-name",
        "Петрова Анна Сергеевна",
        "--executor-inn",
        VALID_INN,
        "--executor-status",
        "ИП",
        workspace=False,
    )
    assert result.exit_code == 0, result.stderr
    assert "Рабочая папка создана" in result.stderr
    for name in ("srgcli.toml", "srgcli.db"):
        assert stat.S_IMODE((root / name).stat().st_mode) == 0o600
    for name in ("reports", "outbox"):
        assert stat.S_IMODE((root / name).stat().st_mode) == 0o700
    text = (root / "srgcli.toml").read_text("utf-8")
    assert 'name = "Петрова Анна Сергеевна"' in text
    assert 'status = "sole-proprietor"' in text
    assert "# Срок отработки заявки" in text  # every setting commented in Russian
    ws = open_workspace(root)
    assert ws.config.executor.inn == VALID_INN
    ws.close()


def test_init_refuses_an_existing_workspace(ws_root: Path) -> None:
    before = snapshot(ws_root)
    result = Cli(None)("init", str(ws_root), workspace=False)
    assert result.exit_code == 2
    assert "уже есть рабочая папка" in result.stderr
    assert snapshot(ws_root) == before


@pytest.mark.parametrize(
    ("inn", "reason"),
    [
        ("500100732258", "контрольные цифры"),
        ("12345", "12 цифр"),
        ("50010073225x", "только из цифр"),
    ],
)
def test_init_refuses_a_bad_inn_and_creates_nothing(tmp_path: Path, inn: str, reason: str) -> None:
    root = tmp_path / "work"
    result = Cli(None)("init", str(root), "--executor-inn", inn, workspace=False)
    assert result.exit_code == 2
    assert reason in result.stderr
    assert not root.exists()


def test_init_in_an_unwritable_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # Root may write anywhere on a normal file system; sysfs refuses even root.
        target = Path("/sys/srgcli-test-workspace")
        if not Path("/sys/kernel").is_dir():
            pytest.skip("no read-only file system to try as root")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "ws"
    result = Cli(None)("init", str(target), workspace=False)
    assert result.exit_code == 2
    assert "Нет прав на запись" in result.stderr or "только для чтения" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_init_into_a_path_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = Cli(None)("init", str(target), workspace=False)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert target.read_text() == "x"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ('[sla]\nticket_days = "пять"\n', "строка 2: «sla.ticket_days» должно быть целым числом"),
        ("[sla]\nticket_days = 5\n[executor\n", "строка 3: ошибка синтаксиса TOML"),
        ("[sla]\nticket_dais = 5\n", "строка 2: неизвестная настройка «sla.ticket_dais»"),
        ('[executor]\ninn = "500100732258"\n', "строка 2: «executor.inn» — не сходятся"),
        ('[sla]\ndays_off = ["31.12.2026"]\n', "строка 2: «sla.days_off»"),
        ('[checker]\nengine = "word"\n', "строка 2: «checker.engine»"),
    ],
)
def test_bad_config_names_file_and_line_and_changes_nothing(
    ws_root: Path, config: str, expected: str
) -> None:
    (ws_root / "srgcli.toml").write_text(config, "utf-8")
    before = snapshot(ws_root)
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "srgcli.toml" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(ws_root) == before


def test_config_that_is_not_utf8(ws_root: Path) -> None:
    (ws_root / "srgcli.toml").write_bytes('[executor]\nname = "Пётр"\n'.encode("cp1251"))
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr


def test_corrupt_database_is_refused_untouched(ws_root: Path) -> None:
    db = ws_root / "srgcli.db"
    db.write_bytes(b"this is not sqlite at all" * 100)
    before = snapshot(ws_root)
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "srgcli.db" in result.stderr
    assert "не является базой данных SQLite" in result.stderr
    assert snapshot(ws_root) == before


def test_foreign_sqlite_database_is_refused_untouched(ws_root: Path) -> None:
    db = ws_root / "srgcli.db"
    db.unlink()
    for side in ws_root.glob("srgcli.db-*"):
        side.unlink()
    conn = sqlite3.connect(db)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.commit()
    conn.close()
    before = snapshot(ws_root)
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "не база srgcli" in result.stderr
    assert snapshot(ws_root) == before


def test_database_from_a_newer_srgcli_is_refused(ws_root: Path) -> None:
    conn = sqlite3.connect(ws_root / "srgcli.db")
    conn.execute("insert into _migrations values ('m999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "более новой версией" in result.stderr


@pytest.mark.parametrize("applied", range(len(migrations.MIGRATIONS)))
def test_database_made_by_an_earlier_schema_is_migrated_on_open(
    tmp_path: Path, applied: int
) -> None:
    path = tmp_path / "old.db"
    create_db_file(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("create table _migrations (name text primary key, applied_at text not null)")
    for name, fn in migrations.MIGRATIONS[:applied]:
        conn.execute("begin")
        fn(conn)
        conn.execute("insert into _migrations values (?, '2026-01-01')", (name,))
        conn.execute("commit")
    if applied:
        conn.execute(
            "insert into tickets (id, client_name, created_at) values ('T-1', 'Иванов Иван', 'x')"
        )
    conn.close()
    conn = connect(path)
    assert migrations.pending(conn) == []
    if applied:
        assert conn.execute("select client_name from tickets").fetchone()[0] == "Иванов Иван"
    conn.close()


def test_a_failing_migration_leaves_the_database_as_it_was(
    ws_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def m900_broken(conn: sqlite3.Connection) -> None:
        conn.execute("create table half_done (x integer)")
        conn.execute("insert into no_such_table values (1)")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m900_broken", m900_broken)]
    )
    with pytest.raises(sqlite3.OperationalError):
        migrations.apply_migrations(sqlite3.connect(ws_root / "srgcli.db", isolation_level=None))
    conn = sqlite3.connect(ws_root / "srgcli.db")
    tables = {r[0] for r in conn.execute("select name from sqlite_master")}
    assert "half_done" not in tables
    assert "m900_broken" not in {r[0] for r in conn.execute("select name from _migrations")}


def test_pragmas(ws_root: Path) -> None:
    conn = connect(ws_root / "srgcli.db")
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert conn.execute("pragma foreign_keys").fetchone()[0] == 1
    assert conn.execute("pragma busy_timeout").fetchone()[0] >= 1000


def test_audit_is_append_only(ws_root: Path) -> None:
    conn = connect(ws_root / "srgcli.db")
    conn.execute("insert into audit (at, actor, entity) values ('now', 'me', 'ticket')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("update audit set actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("delete from audit")


def test_ticket_columns_match_the_ticket_fields() -> None:
    # repo.list_tickets builds Ticket positionally from these columns, for speed.
    import dataclasses

    from srgcli.model import Ticket
    from srgcli.workspace.repo import TICKET_COLUMNS

    assert tuple(f.name for f in dataclasses.fields(Ticket)) == TICKET_COLUMNS
