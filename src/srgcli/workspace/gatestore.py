"""The gate's tables in the workspace: its sentence cache and the workspace dictionary."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from srgcli.calendar import now
from srgcli.workspace import audit
from srgcli.workspace.db import rollback_quietly, transaction

# SQLite's default limit on host parameters is 999 on older builds.
_CHUNK = 500


def cached_issues(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, str]:
    """The cached issues (JSON text) of those sentence keys that are cached."""
    unique = list(dict.fromkeys(keys))
    found: dict[str, str] = {}
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"select key, issues from gate_cache where key in ({marks})", chunk
        ):
            found[row["key"]] = row["issues"]
    return found


def cache_issues(conn: sqlite3.Connection, items: Mapping[str, str]) -> None:
    """Store fresh results (sentence key -> issues as JSON text) in one transaction."""
    stamp = now().isoformat()
    rows = [(key, issues, stamp) for key, issues in items.items()]
    with transaction(conn):
        conn.executemany(
            "insert or replace into gate_cache (key, issues, created_at) values (?, ?, ?)",
            rows,
        )


def cache_issues_unless_busy(
    conn: sqlite3.Connection, items: Mapping[str, str], wait_ms: int
) -> bool:
    """`cache_issues`, waiting at most `wait_ms` for another command's write lock (and
    announcing nothing); False, with nothing stored, when the database stays busy."""
    stamp = now().isoformat()
    rows = [(key, issues, stamp) for key, issues in items.items()]
    previous = int(conn.execute("pragma busy_timeout").fetchone()[0])
    conn.execute(f"pragma busy_timeout = {max(int(wait_ms), 0)}")
    try:
        conn.execute("begin immediate")
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            return False
        raise
    finally:
        conn.execute(f"pragma busy_timeout = {previous}")
    try:
        conn.executemany(
            "insert or replace into gate_cache (key, issues, created_at) values (?, ?, ?)",
            rows,
        )
        conn.execute("commit")
    except BaseException:
        rollback_quietly(conn)
        raise
    return True


def _busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def clear_cache(conn: sqlite3.Connection) -> int:
    """Forget every cached result; returns how many there were."""
    with transaction(conn):
        return conn.execute("delete from gate_cache").rowcount


def dictionary_words(conn: sqlite3.Connection) -> list[str]:
    """Every word of the workspace dictionary, sorted."""
    return [r["word"] for r in conn.execute("select word from dictionary order by word")]


def add_dictionary_words(conn: sqlite3.Connection, words: Iterable[str]) -> None:
    """Add words (new ones only) in one transaction, each audited."""
    with transaction(conn):
        for word in words:
            conn.execute(
                "insert into dictionary (word, added_at) values (?, ?)",
                (word, now().isoformat()),
            )
            audit.record(conn, command="dict add", ticket_id=None, entity="dictionary", new=word)


def remove_dictionary_words(conn: sqlite3.Connection, words: Iterable[str]) -> None:
    """Remove words in one transaction, each audited."""
    with transaction(conn):
        for word in words:
            conn.execute("delete from dictionary where word = ?", (word,))
            audit.record(conn, command="dict remove", ticket_id=None, entity="dictionary", old=word)
