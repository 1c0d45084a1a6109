"""Bulk SQL for `fetch`: look up many tickets at once, insert and update them with executemany.

Call everything inside one transaction (`batch_transaction`); the rules of what may be
overwritten live in `srgcli.fetch`, the SQL here. Plain sqlite3 rather than sqlite-utils:
this is the hot path of a large import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from srgcli.model.fields import TICKET_DATA_COLUMNS
from srgcli.workspace.db import begin_immediate, rollback_quietly

# SQLite's default limit on host parameters is 32766 (999 before 3.32): stay well below.
_GROUP = 500

EXISTING_COLUMNS = (
    "id",
    *TICKET_DATA_COLUMNS,
    "due_source",
    "executor_fields",
    "invalid",
    "raw",
    "raw_layout",
    "received_hash",
)

# What a fetch writes of a ticket besides its id: the data, then how and when it came.
UPDATE_COLUMNS = (
    *TICKET_DATA_COLUMNS,
    "due_source",
    "source",
    "fetched_at",
    "raw",
    "raw_layout",
    "received_hash",
    "invalid",
)
INSERT_COLUMNS = ("id", *UPDATE_COLUMNS, "executor_fields", "created_at")

_INSERT_TICKET = (
    f"insert into tickets ({', '.join(INSERT_COLUMNS)}) "
    f"values ({', '.join('?' for _ in INSERT_COLUMNS)})"
)
_UPDATE_TICKET = f"update tickets set {', '.join(f'{c} = ?' for c in UPDATE_COLUMNS)} where id = ?"
_INSERT_EVENT = (
    "insert or ignore into order_events (ticket_id, at, kind, actor, comment, fingerprint, raw) "
    "values (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_AUDIT = (
    "insert into audit (at, actor, command, ticket_id, entity, field, old, new) "
    "values (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _groups(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _GROUP):
        yield items[start : start + _GROUP]


class StoredTicket(NamedTuple):
    """What a fetch compares a received record with: a stored ticket's row, by name."""

    id: str
    data: tuple[str | None, ...]  # the data fields, in TICKET_DATA_COLUMNS order
    due_source: str | None
    executor_fields: str  # JSON list
    invalid: str  # JSON object
    raw: str
    raw_layout: int | None
    received_hash: str | None


_DATA_END = 1 + len(TICKET_DATA_COLUMNS)


def existing_tickets(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, StoredTicket]:
    """Stored rows of those ids that exist, in a few queries."""
    found: dict[str, StoredTicket] = {}
    columns = ", ".join(EXISTING_COLUMNS)
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples, split by the column list above
    end = _DATA_END
    for group in _groups(ids):
        marks = ", ".join("?" for _ in group)
        for row in cur.execute(f"select {columns} from tickets where id in ({marks})", group):
            found[row[0]] = StoredTicket(row[0], row[1:end], *row[end:])
    return found


def received_states(
    conn: sqlite3.Connection, ids: Sequence[str]
) -> dict[str, tuple[str | None, int | None]]:
    """(received_hash, raw_layout) of those ids that exist: enough to see that a record is
    exactly the one stored last time."""
    found: dict[str, tuple[str | None, int | None]] = {}
    cur = conn.cursor()
    cur.row_factory = None
    for group in _groups(ids):
        marks = ", ".join("?" for _ in group)
        for ticket_id, digest, layout in cur.execute(
            f"select id, received_hash, raw_layout from tickets where id in ({marks})",
            tuple(group),
        ):
            found[ticket_id] = (digest, layout)
    return found


def existing_fingerprints(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, set[str]]:
    """Fingerprints of the stored order events of these tickets."""
    found: dict[str, set[str]] = {}
    for group in _groups(ids):
        marks = ", ".join("?" for _ in group)
        cur = conn.execute(
            f"select ticket_id, fingerprint from order_events where ticket_id in ({marks})",
            tuple(group),
        )
        for ticket_id, fingerprint in cur:
            found.setdefault(ticket_id, set()).add(fingerprint)
    return found


def insert_tickets(
    conn: sqlite3.Connection, rows: Sequence[Sequence[Any]], audit: tuple[str, str, str]
) -> None:
    """Insert new tickets (each row in INSERT_COLUMNS order) and audit their creation;
    `audit` is (at, actor, command)."""
    if not rows:
        return
    # Rows inserted now get rowids above the current largest: audit them in one statement.
    last = conn.execute("select coalesce(max(rowid), 0) from tickets").fetchone()[0]
    conn.executemany(_INSERT_TICKET, rows)
    conn.execute(
        "insert into audit (at, actor, command, ticket_id, entity, field, old, new) "
        "select ?, ?, ?, id, 'ticket', null, null, 'создана' from tickets "
        "where rowid > ? order by rowid",
        (*audit, last),
    )


def update_tickets(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Update tickets; each row in UPDATE_COLUMNS order followed by the id."""
    if rows:
        conn.executemany(_UPDATE_TICKET, rows)


def update_raw(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Keep the record as last received (raw, raw_layout, received_hash, id) where no ticket
    field changed."""
    if rows:
        conn.executemany(
            "update tickets set raw = ?, raw_layout = ?, received_hash = ? where id = ?", rows
        )


def insert_events(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Insert order events (ticket_id, at, kind, actor, comment, fingerprint, raw); duplicates
    by fingerprint are ignored."""
    if rows:
        conn.executemany(_INSERT_EVENT, rows)


def audit_many(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Append audit entries (at, actor, command, ticket_id, entity, field, old, new)."""
    if rows:
        conn.executemany(_INSERT_AUDIT, rows)


def record_conflict(
    conn: sqlite3.Connection,
    ticket_id: str,
    field: str,
    executor_value: str | None,
    is_value: str | None,
    detected_at: str,
) -> bool:
    """Record that the ИС sent another value for an executor-owned field; False if known."""
    cur = conn.execute(
        "insert or ignore into field_conflicts (ticket_id, field, executor_value, is_value, "
        "detected_at) values (?, ?, ?, ?, ?)",
        (ticket_id, field, executor_value, is_value, detected_at),
    )
    return cur.rowcount > 0


def tickets_of_order(conn: sqlite3.Connection, order_id: str) -> list[str]:
    """Ids of the tickets about this appraisal order."""
    return [r[0] for r in conn.execute("select id from tickets where order_id = ?", (order_id,))]


def ticket_exists(conn: sqlite3.Connection, ticket_id: str) -> bool:
    """True when a ticket with this id is stored."""
    return conn.execute("select 1 from tickets where id = ?", (ticket_id,)).fetchone() is not None


def is_empty(conn: sqlite3.Connection) -> bool:
    """True when the workspace holds no ticket yet."""
    return not conn.execute("select exists (select 1 from tickets)").fetchone()[0]


def defer_indexes(conn: sqlite3.Connection, tables: Sequence[str]) -> list[str]:
    """Drop the plain (non-unique) secondary indexes of `tables` and return the statements
    that build them again (SQLite's own copies of the schema, so they come back exactly as
    they were; a rolled-back batch restores them with everything else). A unique index also
    enforces a rule while rows go in, so it stays."""
    marks = ", ".join("?" for _ in tables)
    plain = {
        row["name"]
        for table in tables
        for row in conn.execute(f"pragma index_list({table})")
        if row["origin"] == "c" and not row["unique"]
    }
    indexes = [
        (row["name"], row["sql"])
        for row in conn.execute(
            "select name, sql from sqlite_master where type = 'index' "
            f"and tbl_name in ({marks}) and sql is not null order by name",
            tuple(tables),
        )
        if row["name"] in plain
    ]
    for name, _ in indexes:
        conn.execute(f'drop index "{name}"')
    return [sql for _, sql in indexes]


def restore_indexes(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    """Build again the indexes that defer_indexes() dropped."""
    for sql in statements:
        conn.execute(sql)


@contextmanager
def page_cache(conn: sqlite3.Connection, kib: int) -> Iterator[None]:
    """A larger page cache (KiB) for one import, the previous size restored afterwards."""
    cache_size = conn.execute("pragma cache_size").fetchone()[0]
    conn.execute(f"pragma cache_size = {-kib}")
    try:
        yield
    finally:
        conn.execute(f"pragma cache_size = {int(cache_size)}")


class Batch:
    """One batch's transaction; set `commit` to False to roll it back at the end."""

    commit: bool = True


@contextmanager
def batch_transaction(conn: sqlite3.Connection) -> Iterator[Batch]:
    """A write transaction committed at the end unless the batch says otherwise (a dry run,
    a --strict batch with rejections); rolled back on any error."""
    batch = Batch()
    begin_immediate(conn)
    try:
        yield batch
    except BaseException:
        rollback_quietly(conn)
        raise
    conn.execute("commit" if batch.commit else "rollback")
