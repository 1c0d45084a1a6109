"""The full-text index behind `srgcli search` (the query is read in `srgcli.search`): FTS5
tables over complaints, findings, contacts, letters and settlements, and the SQL that
searches them.

Design. The texts are indexed as written, in FTS5 tables that sqlite-utils' `enable_fts`
creates beside each table (`tickets_fts`, `findings_fts`, `contacts_fts`, `resolutions_fts`:
external content, rowid-keyed) with its insert, update and delete triggers, so every write
path — fetch, fill, review, contact-log (contacts, letters, the settlement), even plain SQL —
keeps the index current without knowing it exists; the update triggers watch only the
indexed columns. Russian is handled when a query is read, not in the index
(`srgcli.search.query` expands each word to every form of its lexeme).

The one exception is fetch's first import into an empty workspace, which must cost no more
than it did before search existed (issue 11). FTS5 writes its pending terms out at the end of
every statement, so the insert trigger, row by row, made a first import of 100,000 tickets
about twice as slow, and even one `rebuild` at its end added seconds. So that import drops the
triggers on `tickets` and marks the index stale instead (`defer_ticket_index`, inside the
import's transaction: a rolled-back import leaves both as they were). Stale means a row
`search.stale` in the `state` table: which FTS tables wait for a rebuild, and SQLite's own
copies of the triggers dropped. While it is there, writes to `tickets` (later fetches, fill)
go unindexed and cost nothing extra; writes to the other tables keep their triggers and their
index. The first `search` that finds the mark (`stale_rows`) rebuilds those tables from their
content, recreates the triggers exactly as they were and deletes the mark, in one write
transaction (`refresh_index`; a second process that waited for the lock finds nothing left to
do), showing a status on stderr meanwhile; from then on the triggers keep the index current.
Once the workspace holds tickets, no fetch defers the index again: a later fetch pays for the
index through the triggers, in proportion to the tickets it adds or whose texts it changes
(an unchanged re-import fires none).

Why this and not a stemmer in the index: SQLite has no Russian stemmer, and Python's sqlite3
cannot register an FTS5 tokenizer, so lemmas in the index would have to be computed in Python
on every write — which SQL triggers cannot do, and every other write path would have to
remember. Query-time expansion keeps the index plain `unicode61` text, maintained by SQL
alone, and the morphology in one function that a test can read. The tokenizer is `unicode61`
with `remove_diacritics 0`: SQLite's diacritic folding covers Latin letters only (checked on
3.40: «й» stays «й» and «ё» stays «ё» with any setting), so it cannot merge «ё» and «е» — the
query does that — and with 0 no future folding can merge «й» with «и» («мой» ≠ «мои»).

Caveats: the index is keyed by rowid, and `tickets`, `findings` and `resolutions` have text
keys, so a `VACUUM` that renumbered rowids would need `rebuild_index()` afterwards (srgcli
never vacuums); writes to these tables must not use `INSERT OR REPLACE`, whose implicit delete
fires no trigger while `recursive_triggers` is off (srgcli uses `ON CONFLICT … DO UPDATE`).
Where SQLite lacks FTS5 the migration creates nothing and `search` says so.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from srgcli.workspace.db import begin_immediate

# What a hit can be, in the order results of equal rank are listed.
KINDS = ("complaint", "finding", "contact", "letter", "resolution")


@dataclass(frozen=True)
class Source:
    """One searchable text field: which kind of hit it gives, and where it is stored."""

    kind: str
    table: str
    column: str
    ticket_column: str = "ticket_id"


SOURCES: tuple[Source, ...] = (
    Source("complaint", "tickets", "complaint_text", ticket_column="id"),
    Source("complaint", "tickets", "client_demand", ticket_column="id"),
    Source("finding", "findings", "description"),
    Source("finding", "findings", "root_cause"),
    Source("finding", "findings", "corrective_action"),
    Source("contact", "contacts", "summary"),
    Source("letter", "contacts", "text"),
    Source("resolution", "resolutions", "summary"),
)
# The `state` row that marks the index stale (see the module's docstring).
STALE_KEY = "search.stale"


def indexed_columns(sources: Sequence[Source] = SOURCES) -> dict[str, tuple[str, ...]]:
    """Table -> the columns its FTS table indexes, in index order (what migrations create)."""
    columns: dict[str, tuple[str, ...]] = {}
    for source in sources:
        columns[source.table] = (*columns.get(source.table, ()), source.column)
    return columns


# --- the index -------------------------------------------------------------------------


def fts5_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has the FTS5 extension built in."""
    return bool(conn.execute("select sqlite_compileoption_used('ENABLE_FTS5')").fetchone()[0])


def create_index(
    conn: sqlite3.Connection, tables: Mapping[str, Sequence[str]], tokenize: str
) -> bool:
    """Create the FTS5 tables and their triggers with sqlite-utils and index the rows already
    stored, inside the caller's transaction. False (nothing created) without FTS5."""
    if not fts5_available(conn):
        return False
    from srgcli.workspace.schema import database

    db = database(conn)  # the connection's settings left as they are (no recursive triggers)
    for table, columns in tables.items():
        db.table(table).enable_fts(
            list(columns), fts_version="FTS5", create_triggers=True, tokenize=tokenize
        )
        _narrow_update_trigger(conn, table, columns)
    return True


def _narrow_update_trigger(conn: sqlite3.Connection, table: str, columns: Sequence[str]) -> None:
    """Make sqlite-utils' update trigger fire only when an indexed column changes.

    As created it re-indexes the row on any update, and tickets are updated for every event,
    contact or verdict (their revision); FTS5 writes its pending terms out at the end of
    each statement, so that would cost a disk write per event imported. `UPDATE OF` alone
    is not enough: fetch's update of a ticket sets every column, its texts too, whatever
    changed, so the trigger also compares the values. Should the trigger's text ever differ
    from what is expected here, it is kept as it is: slower, still right.
    """
    name = f"{table}_au"
    row = conn.execute(
        "select sql from sqlite_master where type = 'trigger' and name = ?", (name,)
    ).fetchone()
    clause = f'AFTER UPDATE ON "{table}" BEGIN'
    if row is None or clause not in row[0]:
        return
    watched = ", ".join(f'"{c}"' for c in columns)
    changed = " OR ".join(f'old."{c}" IS NOT new."{c}"' for c in columns)
    narrowed = f'AFTER UPDATE OF {watched} ON "{table}" WHEN {changed} BEGIN'
    conn.execute(f'drop trigger "{name}"')
    conn.execute(row[0].replace(clause, narrowed, 1))


def defer_ticket_index(conn: sqlite3.Connection) -> None:
    """For a bulk import into an empty tickets table: drop the index's triggers on tickets
    and mark the index stale, in the import's transaction; the first search rebuilds it
    (`refresh_index`). Nothing to do when the triggers are not there (stale already, or no
    FTS5)."""
    triggers = conn.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'tickets' "
        "and name in ('tickets_ai', 'tickets_au', 'tickets_ad') order by name"
    ).fetchall()
    if not triggers:
        return
    stale = _stale(conn)
    stale["tickets"] = [[name, sql] for name, sql in triggers]
    for name, _ in triggers:
        conn.execute(f'drop trigger "{name}"')
    conn.execute(
        "insert into state (key, value) values (?, ?) "
        "on conflict(key) do update set value = excluded.value",
        (STALE_KEY, json.dumps(stale)),
    )


def _stale(conn: sqlite3.Connection) -> dict[str, list[list[str]]]:
    """Table -> [trigger name, its statement] of each table whose index waits for a rebuild."""
    row = conn.execute("select value from state where key = ?", (STALE_KEY,)).fetchone()
    if row is None:
        return {}
    stale: dict[str, list[list[str]]] = json.loads(row[0])
    return {table: triggers for table, triggers in stale.items() if table in indexed_columns()}


def stale_rows(conn: sqlite3.Connection) -> int | None:
    """How many rows `refresh_index` would index; None when the index is current."""
    row = conn.execute("select 1 from state where key = ?", (STALE_KEY,)).fetchone()
    if row is None:
        return None
    return sum(
        int(conn.execute(f"select count(*) from {table}").fetchone()[0]) for table in _stale(conn)
    )


def refresh_index(conn: sqlite3.Connection) -> bool:
    """Rebuild the tables a bulk import left stale and bring their triggers back, in one
    write transaction (or the caller's); False when nothing was stale by the time the write
    lock was had."""
    own = not conn.in_transaction
    if own:
        begin_immediate(conn)
    try:
        stale = _stale(conn)
        for table, triggers in stale.items():
            conn.execute(f"insert into {table}_fts ({table}_fts) values ('rebuild')")
            for name, sql in triggers:
                conn.execute(f'drop trigger if exists "{name}"')
                conn.execute(sql)
        conn.execute("delete from state where key = ?", (STALE_KEY,))
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("rollback")
        raise
    if own:
        conn.execute("commit")
    return bool(stale)


def index_exists(conn: sqlite3.Connection) -> bool:
    """Whether the search index tables are there (absent only where SQLite lacks FTS5)."""
    names = {f"{table}_fts" for table in indexed_columns()}
    found = conn.execute(
        f"select count(*) from sqlite_master where type = 'table' "
        f"and name in ({', '.join('?' for _ in names)})",
        tuple(names),
    ).fetchone()[0]
    return int(found) == len(names)


def rebuild_index(conn: sqlite3.Connection) -> None:
    """Rebuild every FTS table from its content table (after a VACUUM renumbered rowids)."""
    for table in indexed_columns():
        conn.execute(f"insert into {table}_fts ({table}_fts) values ('rebuild')")


def check_index(conn: sqlite3.Connection) -> None:
    """FTS5's own check that each index matches its table; sqlite3.DatabaseError if not."""
    for table in indexed_columns():
        conn.execute(f"insert into {table}_fts ({table}_fts, rank) values ('integrity-check', 1)")


# --- searching -------------------------------------------------------------------------


def matches(
    conn: sqlite3.Connection,
    source: Source,
    expression: str,
    *,
    ticket_id: str | None,
    limit: int | None,
    marks: tuple[str, str],
    tokens: int,
) -> tuple[list[tuple[Any, ...]], int]:
    """The best rows of one source that match an FTS5 expression, and how many match in all.

    Each row is (ticket id, contact id or None, the snippet with each match between `marks`,
    FTS5's rank: bm25, lower is better); `tokens` is the snippet's length in words.
    """
    fts = f"{source.table}_fts"
    position = indexed_columns()[source.table].index(source.column)
    where = f"{fts} match ?"
    params: list[object] = [expression]
    if ticket_id is not None:
        where += f" and t.{source.ticket_column} = ?"
        params.append(ticket_id)
    contact_id = "t.id" if source.table == "contacts" else "null"
    rows = conn.execute(
        f"select t.{source.ticket_column}, {contact_id}, "
        f"snippet({fts}, {position}, ?, ?, '…', {tokens}), {fts}.rank "
        f"from {fts} join {source.table} t on t.rowid = {fts}.rowid "
        f"where {where} order by {fts}.rank limit ?",
        (*marks, *params, -1 if limit is None else limit),
    ).fetchall()
    if limit is not None and len(rows) < limit:
        return [tuple(r) for r in rows], len(rows)
    count = conn.execute(
        f"select count(*) from {fts} join {source.table} t on t.rowid = {fts}.rowid where {where}",
        params,
    ).fetchone()[0]
    return [tuple(r) for r in rows], int(count)


__all__ = [
    "KINDS",
    "SOURCES",
    "STALE_KEY",
    "Source",
    "check_index",
    "create_index",
    "defer_ticket_index",
    "fts5_available",
    "index_exists",
    "indexed_columns",
    "matches",
    "rebuild_index",
    "refresh_index",
    "stale_rows",
]
