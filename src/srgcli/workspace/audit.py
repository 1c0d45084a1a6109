"""The append-only audit trail: who changed what on a ticket, when, old value → new value."""

from __future__ import annotations

import getpass
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from srgcli.calendar import now


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change."""

    id: int
    at: str
    actor: str
    command: str | None
    ticket_id: str | None
    entity: str
    field: str | None
    old: str | None
    new: str | None


def current_actor() -> str:
    """Who is making the change: the operating-system user (the executor)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "executor"


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def record(
    conn: sqlite3.Connection,
    *,
    command: str,
    ticket_id: str | None,
    entity: str,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    actor: str | None = None,
) -> None:
    """Append one entry; call inside the transaction that makes the change."""
    conn.execute(
        "insert into audit (at, actor, command, ticket_id, entity, field, old, new) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            now().isoformat(timespec="seconds"),
            actor or current_actor(),
            command,
            ticket_id,
            entity,
            field,
            _text(old),
            _text(new),
        ),
    )


def trail(conn: sqlite3.Connection, ticket_id: str) -> list[AuditEntry]:
    """A ticket's audit trail, oldest first."""
    rows = conn.execute(
        "select id, at, actor, command, ticket_id, entity, field, old, new "
        "from audit where ticket_id = ? order by id",
        (ticket_id,),
    ).fetchall()
    return [AuditEntry(*tuple(row)) for row in rows]
