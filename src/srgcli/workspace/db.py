"""Opening the workspace database: pragmas, ownership checks, migrations, transactions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from srgcli.exit import ExitCode, SrgError, os_error_text
from srgcli.workspace.migrations import MIGRATIONS, apply_migrations, pending, schema_version

DB_NAME = "srgcli.db"
BUSY_TIMEOUT_MS = 5000
# A ticket row keeps the record as received next to its fields (about 2.5 KB): with SQLite's
# default 4 KiB pages only one fits per page; 8 KiB pages hold three, a third less to write.
# Only a new, empty database can take it (an existing one keeps its page size).
PAGE_SIZE = 8192


def create_db_file(path: Path) -> None:
    """Create an empty database file readable by the owner only."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def connect(path: Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open a workspace database, check it is srgcli's, and bring its schema up to date.

    A missing, corrupt or foreign file is an SrgError naming the file (exit 2); nothing in
    the file is changed in that case.
    """
    if not path.exists():
        raise SrgError(
            f"Не найдена база данных {path}.",
            hint="Рабочая папка повреждена: восстановите файл из копии или создайте папку "
            "заново командой srgcli init.",
        )
    if not path.is_file():
        raise SrgError(f"{path} — не файл базы данных (это папка или особый файл).")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _database_error(path, exc) from exc
    try:
        _check_is_ours(conn, path)
        conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("pragma foreign_keys = on")
        if conn.execute("pragma page_count").fetchone()[0] == 0:
            conn.execute(f"pragma page_size = {PAGE_SIZE}")
        if conn.execute("pragma journal_mode").fetchone()[0] != "wal":
            conn.execute("pragma journal_mode = wal")
        conn.execute("pragma synchronous = normal")
        if migrate and pending(conn) and apply_migrations(conn):
            _check_schema(conn, path)
    except SrgError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise _database_error(path, exc) from exc
    conn.row_factory = sqlite3.Row
    return conn


def _database_error(path: Path, exc: sqlite3.Error) -> SrgError:
    """A Russian message that tells a damaged file from a folder the user may not write to."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return SrgError(
            f"Нет доступа на запись к базе данных {path} или к её папке "
            "(SQLite нужна запись в папку для журнала).",
            hint="Проверьте права на рабочую папку; сам файл базы, скорее всего, в порядке.",
        )
    if primary == sqlite3.SQLITE_BUSY:
        return SrgError(
            f"База данных {path} занята другой командой srgcli дольше {BUSY_TIMEOUT_MS // 1000} с.",
            hint="Дождитесь её завершения и повторите.",
        )
    if primary == sqlite3.SQLITE_FULL:
        return SrgError(f"На диске нет места для базы данных {path}.")
    return SrgError(
        f"Файл {path} повреждён или не является базой данных SQLite.",
        hint="Восстановите srgcli.db из резервной копии.",
    )


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """After migrations: the schema is the one the model expects, or a clear error."""
    from srgcli.workspace.schema import schema_problems

    problems = schema_problems(conn)
    if problems:
        raise SrgError(
            f"Схема базы {path} неполна после обновления: {'; '.join(problems)}.",
            hint="Восстановите srgcli.db из резервной копии и сообщите разработчикам.",
        )


def _check_is_ours(conn: sqlite3.Connection, path: Path) -> None:
    try:
        tables = {row[0] for row in conn.execute("select name from sqlite_master")}
    except sqlite3.Error as exc:
        raise _database_error(path, exc) from exc
    if not tables:
        return  # a new, empty file: migrations will create the schema
    if "_migrations" not in tables:
        raise SrgError(
            f"Файл {path} — база данных SQLite, но не база srgcli (нет таблиц srgcli).",
            hint="Укажите правильную рабочую папку или создайте новую: srgcli init.",
        )
    known = {name for name, _ in MIGRATIONS}
    applied = {row[0] for row in conn.execute("select name from _migrations")}
    if applied - known:
        raise SrgError(
            f"База {path} создана более новой версией srgcli (схема {schema_version(conn)}).",
            hint="Обновите srgcli: pip install -U srgcli.",
        )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: everything inside is committed together or not at all."""
    conn.execute("begin immediate")
    try:
        yield conn
    except BaseException:
        # SQLite may already have rolled back by itself (disk full, I/O error).
        if conn.in_transaction:
            conn.execute("rollback")
        raise
    else:
        conn.execute("commit")


@contextmanager
def bulk_journal(conn: sqlite3.Connection) -> Iterator[bool]:
    """For one large write: a rollback journal instead of the WAL, when nobody else has the
    database open (each new page is then written once, not to the WAL and again at the
    checkpoint). Yields whether it switched; WAL mode is back afterwards (and every open
    restores it anyway, should this process die in between)."""
    conn.execute("pragma busy_timeout = 0")  # another connection: just keep the WAL
    try:
        mode = conn.execute("pragma journal_mode = delete").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "wal"
    finally:
        conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    switched = str(mode).lower() == "delete"
    if switched:
        conn.execute("pragma synchronous = full")  # what a rollback journal needs to be safe
    try:
        yield switched
    finally:
        if switched:
            try:
                conn.execute("pragma journal_mode = wal")
                conn.execute("pragma synchronous = normal")
            except sqlite3.OperationalError:
                pass  # busy: the next open of the workspace switches back


def ensure_private(path: Path) -> None:
    """Restrict a file or folder to its owner (152-ФЗ: client data is personal data)."""
    try:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    except OSError as exc:
        raise SrgError(f"Не удалось ограничить доступ к {path}: {os_error_text(exc)}.") from exc


__all__ = [
    "DB_NAME",
    "ExitCode",
    "connect",
    "create_db_file",
    "ensure_private",
    "transaction",
]
