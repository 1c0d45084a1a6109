"""Bulk SQL for `fetch`: look up many tickets at once, insert and update them with executemany.

Call everything inside one transaction (`db.transaction`); the rules of what may be
overwritten live in `srgcli.fetching`, the SQL here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from srgcli.model.fields import TICKET_DATA_COLUMNS

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


def existing_tickets(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """Stored rows (in EXISTING_COLUMNS order) of those ids that exist, in a few queries."""
    found: dict[str, tuple[Any, ...]] = {}
    columns = ", ".join(EXISTING_COLUMNS)
    for group in _groups(ids):
        marks = ", ".join("?" for _ in group)
        cur = conn.execute(f"select {columns} from tickets where id in ({marks})", tuple(group))
        for row in cur:
            found[row[0]] = tuple(row)
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
