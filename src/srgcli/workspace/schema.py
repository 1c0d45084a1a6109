"""The workspace schema as SQLite holds it, read through sqlite-utils' introspection, and
whether it is the one srgcli's model expects: checked whenever migrations have run."""

from __future__ import annotations

import sqlite3
from typing import Any

from srgcli.model.fields import TICKET_COLUMNS

# Tables every workspace has, whatever migrations added since.
REQUIRED_TABLES: tuple[str, ...] = (
    "_migrations",
    "tickets",
    "order_events",
    "findings",
    "contacts",
    "resolutions",
    "reports",
    "submissions",
    "audit",
    "dictionary",
    "state",
)
# Tables a later migration adds: required once that migration is recorded as applied.
MIGRATION_TABLES: dict[str, tuple[str, ...]] = {
    "m005_billing": ("acts", "act_lines", "payments", "receipts"),
}
# Rows that record what happened are never rewritten; a change the report reflects bumps the
# ticket's revision. Both are triggers, so a schema without them breaks a promise silently.
REQUIRED_TRIGGERS: tuple[str, ...] = (
    "audit_no_update",
    "audit_no_delete",
    "tickets_data_bumps_revision",
    *(
        f"{table}_{event}_bumps_revision"
        for table in ("order_events", "findings", "contacts", "resolutions")
        for event in ("insert", "update", "delete")
    ),
)


def database(conn: sqlite3.Connection) -> Any:
    """The workspace connection wrapped in sqlite-utils, changing none of its settings.

    (sqlite-utils' defaults would switch on recursive triggers for the whole connection and run
    plugin hooks on it.) Imported here, not at start-up: sqlite-utils takes ~0.15 s to import.
    """
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """What the schema lacks against srgcli's model, in Russian; empty when it is complete."""
    db = database(conn)
    tables = set(db.table_names())
    required = list(REQUIRED_TABLES)
    if "_migrations" in tables:
        applied = {row[0] for row in conn.execute("select name from _migrations")}
        for migration, added in MIGRATION_TABLES.items():
            required += list(added) if migration in applied else []
    problems = [f"нет таблицы {name}" for name in required if name not in tables]
    if "tickets" in tables:
        columns = db["tickets"].columns_dict
        missing = [name for name in TICKET_COLUMNS if name not in columns]
        problems += [f"в таблице tickets нет столбца {name}" for name in missing]
    triggers = {trigger.name for trigger in db.triggers}
    problems += [f"нет триггера {name}" for name in REQUIRED_TRIGGERS if name not in triggers]
    return problems
