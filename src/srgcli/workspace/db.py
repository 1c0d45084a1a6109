"""Opening the workspace database: pragmas, ownership checks, migrations, transactions."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from srgcli.exit import ExitCode, SrgError, os_error_text
from srgcli.workspace.migrations import MIGRATIONS, apply_migrations, pending, schema_version

DB_NAME = "srgcli.db"
# How long a command waits for another one's write lock (a large fetch holds it for its whole
# batch) before it gives up; SRGCLI_BUSY_TIMEOUT (seconds) overrides it.
BUSY_TIMEOUT_MS = 60_000
BUSY_ENV_VAR = "SRGCLI_BUSY_TIMEOUT"
# A wait longer than this is announced on stderr, so a user sees why nothing happens.
NOTICE_AFTER_MS = 1000
# After a checkpoint the WAL file is cut back to this size (a large import would otherwise
# leave it as large as the import).
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
# A ticket row keeps the record as received next to its fields (about 2.5 KB): with SQLite's
# default 4 KiB pages only one fits per page; 8 KiB pages hold three, a third less to write.
# Only a new, empty database can take it (an existing one keeps its page size).
PAGE_SIZE = 8192


def create_db_file(path: Path) -> None:
    """Create an empty database file readable by the owner only."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def busy_timeout_ms() -> int:
    """The write-lock wait of this process: $SRGCLI_BUSY_TIMEOUT seconds, else the default."""
    value = os.environ.get(BUSY_ENV_VAR, "").strip()
    try:
        return max(int(float(value) * 1000), 0) if value else BUSY_TIMEOUT_MS
    except ValueError:
        return BUSY_TIMEOUT_MS


def connect(path: Path, *, migrate: bool = True, new: bool = False) -> sqlite3.Connection:
    """Open a workspace database, check it is srgcli's, and bring its schema up to date.

    A missing, empty (unless `new`: only `init` creates the schema), corrupt or foreign
    file is an SrgError naming the file (exit 2); nothing in the file is changed then.
    """
    if not path.exists():
        raise SrgError(
            f"Не найдена база данных {path}, хотя рабочая папка существует.",
            hint="Восстановите рабочую папку из резервной копии: srgcli restore АРХИВ "
            "НОВАЯ_ПАПКА. Новую рабочую папку создаёт только srgcli init.",
        )
    if not path.is_file():
        raise SrgError(f"{path} — не файл базы данных (это папка или особый файл).")
    if not new and _empty_file(path):
        raise SrgError(
            f"База данных {path} пуста (0 байт): данные рабочей папки утрачены; "
            "пустая база не создаётся заново сама по себе.",
            hint="Восстановите рабочую папку из резервной копии: srgcli restore АРХИВ "
            "НОВАЯ_ПАПКА. Новую рабочую папку создаёт только srgcli init.",
        )
    timeout = busy_timeout_ms()
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=timeout / 1000)
    except sqlite3.Error as exc:
        raise database_error(path, exc) from exc
    try:
        _check_is_ours(conn, path)
        conn.execute(f"pragma busy_timeout = {timeout}")
        conn.execute("pragma foreign_keys = on")
        if conn.execute("pragma page_count").fetchone()[0] == 0:
            conn.execute(f"pragma page_size = {PAGE_SIZE}")
        # Reading the mode takes no lock; only a database not yet in WAL mode (a new one)
        # needs the exclusive lock that switching takes, and waits for it like a write.
        if str(conn.execute("pragma journal_mode").fetchone()[0]).lower() != "wal":
            _wait_for_lock(conn, path, "pragma journal_mode = wal")
        conn.execute("pragma synchronous = normal")
        conn.execute(f"pragma journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        if migrate and pending(conn) and apply_migrations(conn):
            _check_schema(conn, path)
    except SrgError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise database_error(path, exc) from exc
    conn.row_factory = sqlite3.Row
    return conn


def database_path(conn: sqlite3.Connection) -> Path | None:
    """The file `conn` has open (SQLite's own record of it), to name in errors raised outside
    connect(); None for an in-memory database or a closed connection."""
    try:
        for _, name, file in conn.execute("pragma database_list"):
            if name == "main":
                return Path(file) if file else None
    except sqlite3.Error:
        pass
    return None


def _empty_file(path: Path) -> bool:
    """A 0-byte database whose WAL holds nothing either: not a workspace's database."""
    try:
        if path.stat().st_size:
            return False
        wal = path.with_name(path.name + "-wal")
        return not wal.exists() or wal.stat().st_size == 0
    except OSError:
        return False


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def wait_notice(path: Path, seconds: float) -> None:
    """Say on stderr what the command waits for (printed once, after a second of waiting)."""
    sys.stderr.write(
        f"База данных {path} занята другой командой srgcli (идёт запись, например загрузка "
        f"fetch), жду её завершения до {seconds:.0f} с…\n"
    )
    sys.stderr.flush()


def _wait_for_lock(conn: sqlite3.Connection, path: Path | None, sql: str) -> None:
    """Run `sql` that takes the write lock, waiting for another command's lock up to the busy
    timeout; a wait over NOTICE_AFTER_MS is announced on stderr. SQLite's own busy handler
    does the waiting (Python offers no hook to print from it): first a short one, then,
    after the notice, the rest."""
    timeout = busy_timeout_ms()
    first = min(NOTICE_AFTER_MS, timeout)
    started = time.monotonic()
    try:
        conn.execute(f"pragma busy_timeout = {first}")
        try:
            conn.execute(sql)
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or first >= timeout:
                raise
        where = path or database_path(conn) or Path(DB_NAME)
        wait_notice(where, timeout / 1000)
        while True:
            left = timeout - int((time.monotonic() - started) * 1000)
            conn.execute(f"pragma busy_timeout = {max(left, 1)}")
            try:
                conn.execute(sql)
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or left <= 0:
                    raise
            # The handler gave up early (SQLite gives up at once on some lock states):
            # wait a little here and try again.
            time.sleep(0.05)
    finally:
        conn.execute(f"pragma busy_timeout = {timeout}")


def begin_immediate(conn: sqlite3.Connection) -> None:
    """Start a write transaction, waiting (and saying so) while another command writes."""
    try:
        _wait_for_lock(conn, None, "begin immediate")
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            raise database_error(database_path(conn), exc) from exc
        raise


def database_error(path: Path | None, exc: sqlite3.Error) -> SrgError:
    """A Russian message for a database error: no write access, busy, disk full, damaged
    pages, each told apart (a full disk is never called damage); exit 2."""
    path = path or Path(DB_NAME)
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        if _disk_full(path):
            return _full_error(path)
        return SrgError(
            f"Нет доступа на запись к базе данных {path} или к её папке "
            "(SQLite нужна запись в папку для журнала).",
            hint="Проверьте права на рабочую папку; сам файл базы, скорее всего, в порядке.",
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return SrgError(
            f"База данных {path} занята другой командой srgcli дольше "
            f"{busy_timeout_ms() / 1000:.0f} с.",
            hint=f"Дождитесь её завершения и повторите (время ожидания задаёт {BUSY_ENV_VAR}, "
            "в секундах).",
        )
    if primary == sqlite3.SQLITE_FULL or _disk_full(path):
        return _full_error(path)
    if primary == sqlite3.SQLITE_IOERR:
        return SrgError(
            f"Ошибка чтения или записи базы данных {path} (диск или файловая система).",
            hint="Проверьте диск и свободное место, затем повторите; проверка: srgcli doctor.",
        )
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or primary is None:
        return SrgError(
            f"Файл {path} повреждён или не является базой данных SQLite.",
            hint="Восстановите рабочую папку из резервной копии: srgcli restore АРХИВ "
            "НОВАЯ_ПАПКА (копию делает srgcli backup); проверка: srgcli doctor.",
        )
    return SrgError(
        f"Ошибка базы данных {path}: {getattr(exc, 'sqlite_errorname', type(exc).__name__)}.",
        hint="Проверьте рабочую папку: srgcli doctor.",
    )


# Below this many free bytes a failed write is put down to a full disk.
LOW_SPACE_BYTES = 1024 * 1024


def _disk_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def _full_error(path: Path) -> SrgError:
    return SrgError(
        f"На диске нет места: не удалось записать базу данных {path}. Изменения отменены, "
        "база данных цела.",
        hint="Освободите место на диске и повторите команду.",
    )


def disk_full_error(exc: OSError) -> SrgError:
    """A file write failed for lack of space (ENOSPC): exit 2, nothing called damaged."""
    where = f" ({exc.filename})" if exc.filename else ""
    return SrgError(
        f"На диске нет места{where}: файл не записан.",
        hint="Освободите место на диске и повторите команду.",
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
        raise database_error(path, exc) from exc
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
    """One write transaction: everything inside is committed together or not at all. A
    COMMIT that fails (busy, disk full) is rolled back too, so the connection is never left
    inside the transaction; the commit's own error is the one raised."""
    begin_immediate(conn)
    try:
        yield conn
        conn.execute("commit")
    except BaseException:
        rollback_quietly(conn)
        raise


def rollback_quietly(conn: sqlite3.Connection) -> None:
    """Roll back after an error without hiding it: SQLite may already have rolled back by
    itself (disk full, I/O error), and a failing rollback must not replace the real cause."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("rollback")


@contextmanager
def bulk_writes(conn: sqlite3.Connection) -> Iterator[None]:
    """For one large write, in WAL mode like every other (so other commands keep reading and
    wait for the write lock instead of being refused): no automatic checkpoints while the
    batch runs, one checkpoint after it. The rollback journal fetch used before wrote each new
    page once instead of twice; docs/reliability.md has the figures."""
    conn.execute("pragma wal_autocheckpoint = 0")
    try:
        yield
    finally:
        conn.execute("pragma wal_autocheckpoint = 1000")
        if not conn.in_transaction:
            # PASSIVE: copies what no reader still needs and never waits for anyone; should
            # it fail, the next commit's automatic checkpoint does the work.
            with suppress(sqlite3.Error):
                conn.execute("pragma wal_checkpoint(passive)")


def ensure_private(path: Path) -> None:
    """Restrict a file or folder to its owner (152-ФЗ: client data is personal data)."""
    try:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    except OSError as exc:
        raise SrgError(f"Не удалось ограничить доступ к {path}: {os_error_text(exc)}.") from exc


__all__ = [
    "DB_NAME",
    "ExitCode",
    "begin_immediate",
    "connect",
    "create_db_file",
    "database_error",
    "database_path",
    "ensure_private",
    "transaction",
]
