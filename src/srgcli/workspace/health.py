"""The SQL behind `doctor` and `backup`: integrity, schema version, the files rows point at,
and a consistent copy of a database that other commands may be writing."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from srgcli.workspace.db import database_error, database_path
from srgcli.workspace.migrations import MIGRATIONS, schema_version


def integrity_problems(conn: sqlite3.Connection, *, full: bool = False) -> list[str]:
    """What SQLite's own check finds wrong (`quick_check`, or `integrity_check` if `full`);
    an empty list for a sound database. At most ten lines; pages too damaged to check are an
    SrgError (exit 2) naming the file."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = [str(row[0]) for row in conn.execute(f"pragma {pragma}(10)")]
    except sqlite3.Error as exc:
        raise database_error(database_path(conn), exc) from exc
    return [] if rows == ["ok"] else rows


def schema_state(conn: sqlite3.Connection) -> tuple[int, int]:
    """(applied migrations, migrations this srgcli knows)."""
    return schema_version(conn), len(MIGRATIONS)


def referenced_files(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(kind, ticket id, path relative to the workspace) of every file or folder a row
    points at: reports and outbox submissions."""
    try:
        return _referenced_files(conn)
    except sqlite3.Error as exc:
        raise database_error(database_path(conn), exc) from exc


def _referenced_files(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    found = [
        ("report", str(ticket_id), str(path))
        for ticket_id, path in conn.execute(
            "select ticket_id, path from reports where path is not null order by id"
        )
    ]
    found += [
        ("submission", str(ticket_id), str(path))
        for ticket_id, path in conn.execute(
            "select ticket_id, path from submissions where path is not null and path != '' "
            "order by id"
        )
    ]
    return found


def ticket_count(conn: sqlite3.Connection) -> int:
    """How many tickets the database holds."""
    return int(conn.execute("select count(*) from tickets").fetchone()[0])


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the open database into the new file `target` (0600) with SQLite's
    online backup API: other commands may keep reading and writing meanwhile; the copy is one
    committed state of the database, WAL contents included, in rollback-journal mode."""
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    dst = sqlite3.connect(target)
    try:
        # One step (-1): the whole database under one read transaction, so a writer that
        # commits in between cannot make the copy restart or mix two states.
        source.backup(dst, pages=-1)
        dst.execute("pragma journal_mode = delete")
        problems = integrity_problems(dst)
    finally:
        dst.close()
    if problems:
        raise sqlite3.DatabaseError("; ".join(problems))
