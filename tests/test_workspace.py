"""Creating and opening workspaces, and every kind of bad input around them."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from srgcli.exit import ExitCode, SrgError
from srgcli.model.fields import TICKET_COLUMNS
from srgcli.workspace import migrations, open_workspace
from srgcli.workspace.db import connect, create_db_file, transaction
from srgcli.workspace.schema import database, schema_problems
from tests.builders import file_hashes
from tests.conftest import Cli

VALID_INN = "500100732259"


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
    before = file_hashes(ws_root)
    result = Cli(None)("init", str(ws_root), workspace=False)
    assert result.exit_code == 2
    assert "уже является рабочей папкой" in result.stderr
    assert file_hashes(ws_root) == before


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
    before = file_hashes(ws_root)
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "srgcli.toml" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert file_hashes(ws_root) == before


def test_config_that_is_not_utf8(ws_root: Path) -> None:
    (ws_root / "srgcli.toml").write_bytes('[executor]\nname = "Пётр"\n'.encode("cp1251"))
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr


def test_corrupt_database_is_refused_untouched(ws_root: Path) -> None:
    db = ws_root / "srgcli.db"
    db.write_bytes(b"this is not sqlite at all" * 100)
    before = file_hashes(ws_root)
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "srgcli.db" in result.stderr
    assert "не является базой данных SQLite" in result.stderr
    assert file_hashes(ws_root) == before


def test_foreign_sqlite_database_is_refused_untouched(ws_root: Path) -> None:
    db = ws_root / "srgcli.db"
    db.unlink()
    for side in ws_root.glob("srgcli.db-*"):
        side.unlink()
    conn = sqlite3.connect(db)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.commit()
    conn.close()
    before = file_hashes(ws_root)
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "не база srgcli" in result.stderr
    assert file_hashes(ws_root) == before


def test_database_from_a_newer_srgcli_is_refused(ws_root: Path) -> None:
    conn = sqlite3.connect(ws_root / "srgcli.db")
    conn.execute("insert into _migrations values ('m999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    result = Cli(ws_root)("list")
    assert result.exit_code == 2
    assert "более новой версией" in result.stderr


def _database_at(path: Path, applied: list[tuple[str, migrations.Migration]]) -> None:
    """A database file as an older srgcli left it: only `applied` migrations run."""
    create_db_file(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("create table _migrations (name text primary key, applied_at text not null)")
    for name, fn in applied:
        conn.execute("begin")
        fn(conn)
        conn.execute("insert into _migrations values (?, '2026-01-01')", (name,))
        conn.execute("commit")
    conn.close()


@pytest.mark.parametrize("applied", range(len(migrations.MIGRATIONS)))
def test_database_made_by_an_earlier_schema_is_migrated_on_open(
    tmp_path: Path, applied: int
) -> None:
    path = tmp_path / "old.db"
    _database_at(path, migrations.MIGRATIONS[:applied])
    conn = connect(path)
    assert migrations.pending(conn) == []
    assert schema_problems(conn) == []
    conn.close()


def test_schema_read_through_sqlite_utils_is_the_models(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    _database_at(path, [])
    conn = connect(path)
    tickets = database(conn)["tickets"]
    assert set(TICKET_COLUMNS) <= set(tickets.columns_dict)
    assert tickets.pks == ["id"]
    assert schema_problems(conn) == []
    # Wrapping the connection changes none of its settings.
    assert conn.execute("pragma recursive_triggers").fetchone()[0] == 0
    conn.close()


def test_a_migration_that_breaks_the_schema_is_refused_with_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _database_at(path, list(migrations.MIGRATIONS))

    def m999_lose_the_audit_guard(conn: sqlite3.Connection) -> None:
        conn.execute("drop trigger audit_no_update")

    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        [*migrations.MIGRATIONS, ("m999_lose_the_audit_guard", m999_lose_the_audit_guard)],
    )
    with pytest.raises(SrgError) as caught:
        connect(path)
    assert caught.value.code == ExitCode.USAGE
    assert "нет триггера audit_no_update" in caught.value.message


def test_a_new_migration_keeps_the_data_of_an_older_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Today's schema plays "the earlier one"; a later migration must upgrade it in place.
    path = tmp_path / "old.db"
    _database_at(path, list(migrations.MIGRATIONS))
    conn = sqlite3.connect(path)
    conn.execute(
        "insert into tickets (id, client_name, created_at) values ('T-1', 'Иванов Иван', 'x')"
    )
    conn.commit()
    conn.close()

    def m999_add_priority(conn: sqlite3.Connection) -> None:
        conn.execute("alter table tickets add column priority integer not null default 0")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m999_add_priority", m999_add_priority)]
    )
    conn = connect(path)
    assert migrations.pending(conn) == []
    row = conn.execute("select client_name, priority from tickets where id = 'T-1'").fetchone()
    assert tuple(row) == ("Иванов Иван", 0)
    conn.close()


def test_two_processes_migrating_at_once_apply_each_migration_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _database_at(path, [])
    first = sqlite3.connect(path, isolation_level=None)
    second = sqlite3.connect(path, isolation_level=None)
    # Both read the same pending list before either took the write lock ...
    stale = migrations.pending(second)
    migrations.apply_migrations(first)
    # ... so the second still believes every migration is pending when its turn comes.
    monkeypatch.setattr(migrations, "pending", lambda conn: stale)
    migrations.apply_migrations(second)
    names = [r[0] for r in second.execute("select name from _migrations")]
    assert names == [name for name, _ in migrations.MIGRATIONS]


def test_read_only_workspace_is_not_called_corrupt(ws_root: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    (ws_root / "srgcli.db").chmod(0o400)
    for side in ws_root.glob("srgcli.db-*"):
        side.unlink()
    ws_root.chmod(0o500)
    try:
        result = Cli(ws_root)("list")
    finally:
        ws_root.chmod(0o700)
    assert result.exit_code == 2
    assert "повреждён" not in result.stderr


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


def test_a_failing_commit_is_rolled_back_and_the_connection_stays_usable(ws_root: Path) -> None:
    # A COMMIT can fail (busy, disk full, a deferred constraint): the transaction must not
    # stay open, or the next command's BEGIN fails and the half-done rows linger.
    conn = connect(ws_root / "srgcli.db")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), transaction(conn):
        conn.execute("pragma defer_foreign_keys = on")  # checked only at COMMIT
        conn.execute(
            "insert into order_events (ticket_id, at, kind, fingerprint) "
            "values ('NO-SUCH-TICKET', 'now', 'x', 'f')"
        )
    assert not conn.in_transaction
    with transaction(conn):
        conn.execute("insert into audit (at, actor, entity) values ('now', 'me', 'ticket')")
    assert conn.execute("select count(*) from order_events").fetchone()[0] == 0
    assert connect(ws_root / "srgcli.db").execute("select count(*) from audit").fetchone()[0] >= 1


def test_ticket_columns_match_the_ticket_fields() -> None:
    # reads.list_tickets builds Ticket positionally from these columns, for speed.
    import dataclasses

    from srgcli.model import TICKET_COLUMNS, Ticket

    assert tuple(f.name for f in dataclasses.fields(Ticket)) == TICKET_COLUMNS


def test_new_database_gets_larger_pages_existing_one_keeps_its_own(tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    create_db_file(new)
    conn = connect(new, new=True)
    assert conn.execute("pragma page_size").fetchone()[0] == 8192
    conn.close()
    # A database created before (4 KiB pages) is migrated and used with its own page size.
    old = tmp_path / "old.db"
    plain = sqlite3.connect(old)
    plain.execute("pragma page_size = 4096")
    plain.execute("create table _migrations (name text primary key, applied_at text not null)")
    plain.commit()
    plain.close()
    conn = connect(old)
    assert conn.execute("pragma page_size").fetchone()[0] == 4096
    assert conn.execute("select count(*) from tickets").fetchone()[0] == 0
    conn.close()


def test_marks_recorded_before_marked_at_existed_are_dated_from_the_audit_trail(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    names = [name for name, _ in migrations.MIGRATIONS]
    _database_at(path, migrations.MIGRATIONS[: names.index("m003_submit_marked_at")])
    conn = sqlite3.connect(path)
    rows = [
        ("T-1", "B", "2026-11-20T10:00:00+03:00", "ИС-1"),  # marked later, as audited
        ("T-2", "B", "2026-11-21T10:00:00+03:00", "ИС-2"),  # marked at once, no audit row
        ("T-3", "B", "2026-11-22T10:00:00+03:00", None),  # still waiting
        ("T-4", "A", "2026-11-23T10:00:00+03:00", None),
    ]
    for ticket, variant, at, mark in rows:
        conn.execute("insert into tickets (id, created_at) values (?, 'x')", (ticket,))
        conn.execute(
            "insert into submissions (ticket_id, variant, channel, submitted_at, report_version, "
            "mark_ref) values (?, ?, 'outbox', ?, 1, ?)",
            (ticket, variant, at, mark),
        )
    conn.execute(
        "insert into audit (at, actor, ticket_id, entity, field, new) values "
        "('2026-11-24T09:30:00+03:00', 'me', 'T-1', 'submission', 'mark_ref', 'ИС-1')"
    )
    conn.commit()
    conn.close()
    conn = connect(path)
    marked = dict(conn.execute("select ticket_id, marked_at from submissions").fetchall())
    conn.close()
    assert marked == {
        "T-1": "2026-11-24T09:30:00+03:00",
        "T-2": "2026-11-21T10:00:00+03:00",
        "T-3": None,
        "T-4": None,
    }
