"""Schema migrations: plain functions applied in order on open, each recorded once.

Append new migrations at the end with `@migration`; never edit or reorder released ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from srgcli.model.fields import TICKET_DATA_COLUMNS

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register a migration under its function name, in definition order."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def schema_version(conn: sqlite3.Connection) -> int:
    """How many migrations this database has applied (0 for a new file)."""
    exists = conn.execute(
        "select 1 from sqlite_master where type='table' and name='_migrations'"
    ).fetchone()
    if not exists:
        return 0
    return int(conn.execute("select count(*) from _migrations").fetchone()[0])


def pending(conn: sqlite3.Connection) -> list[str]:
    """Names of migrations not yet applied."""
    applied = set()
    if schema_version(conn):
        applied = {row[0] for row in conn.execute("select name from _migrations")}
    return [name for name, _ in MIGRATIONS if name not in applied]


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations, each in its own transaction; returns the names applied."""
    conn.execute(
        "create table if not exists _migrations (name text primary key, applied_at text not null)"
    )
    from srgcli.workspace.db import begin_immediate

    todo = set(pending(conn))
    done = []
    for name, fn in MIGRATIONS:
        if name not in todo:
            continue
        # The connection is in autocommit mode: one explicit transaction per migration, so
        # a failing migration leaves the database exactly as it was before it.
        begin_immediate(conn)
        already = conn.execute("select 1 from _migrations where name = ?", (name,)).fetchone()
        if already:
            # Another process applied it while this one waited for the write lock.
            conn.execute("commit")
            continue
        try:
            fn(conn)
            conn.execute(
                "insert into _migrations (name, applied_at) values (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("rollback")
            raise
        conn.execute("commit")
        done.append(name)
    return done


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute several statements inside the current transaction.

    (sqlite3's executescript() would commit first, breaking the migration's atomicity.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        conn.execute(statement)


def _revision_trigger(table: str, event: str, ref: str) -> str:
    return (
        f"create trigger {table}_{event.lower()}_bumps_revision after {event} on {table} "
        f"begin update tickets set revision = revision + 1 where id = {ref}.ticket_id; end"
    )


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    """Every table of DESIGN.md's "Data", the audit trail, the gate cache and dictionary."""
    run_script(
        conn,
        """
        create table tickets (
            id text primary key,
            received_at text,
            due_at text,
            due_source text,            -- 'is' when the ИС gave it, 'computed' from the SLA
            client_name text,
            client_phone text,
            client_email text,
            order_id text,
            order_date text,
            object_type text,
            object_address text,
            bank text,
            appraiser text,
            category text,
            complaint_text text,
            client_demand text,
            source text,
            fetched_at text,
            raw text not null default '{}',
            executor_fields text not null default '[]',  -- fields set with fill: never overwritten
            invalid text not null default '{}',           -- field -> reason the value is invalid
            revision integer not null default 0,          -- bumped by any change a report reflects
            created_at text not null
        );
        create index tickets_due_at on tickets(due_at);
        create index tickets_order_id on tickets(order_id);

        create table order_events (
            id integer primary key,
            ticket_id text not null references tickets(id) on delete cascade,
            at text not null,
            kind text not null,
            actor text,
            comment text,
            fingerprint text not null,
            raw text not null default '{}',
            unique (ticket_id, fingerprint)
        );
        create index order_events_ticket on order_events(ticket_id, at);

        create table field_conflicts (
            id integer primary key,
            ticket_id text not null references tickets(id) on delete cascade,
            field text not null,
            executor_value text,
            is_value text,
            detected_at text not null,
            unique (ticket_id, field, is_value)
        );

        create table review_proposals (
            id integer primary key,
            ticket_id text not null references tickets(id) on delete cascade,
            rule text not null,
            category text not null,
            description text not null,
            evidence text not null default '[]',
            proposed_at text not null
        );
        create index review_proposals_ticket on review_proposals(ticket_id);

        create table findings (
            ticket_id text primary key references tickets(id) on delete cascade,
            verdict text not null,
            category text,
            description text,
            root_cause text,
            responsible text,
            evidence text not null default '[]',
            corrective_action text,
            decided_at text not null
        );

        create table contacts (
            id integer primary key,
            ticket_id text not null references tickets(id) on delete cascade,
            at text not null,
            channel text not null,
            direction text not null,
            party text not null,
            outcome text not null,
            summary text not null,
            text text,
            template text,
            gate text,
            logged_at text not null
        );
        create index contacts_ticket on contacts(ticket_id, at);

        create table resolutions (
            ticket_id text primary key references tickets(id) on delete cascade,
            outcome text not null,
            summary text not null,
            resolved_at text not null
        );

        create table reports (
            id integer primary key,
            ticket_id text not null references tickets(id) on delete cascade,
            version integer not null,
            template text not null,
            path text not null,
            sha256 text not null,
            gate text not null default '{}',
            input_hash text not null,
            ticket_revision integer not null,
            created_at text not null,
            unique (ticket_id, version)
        );

        create table submissions (
            id integer primary key,
            ticket_id text not null references tickets(id) on delete cascade,
            variant text not null,
            channel text not null,
            submitted_at text not null,
            report_version integer not null,
            decision text,
            remarks text,
            decided_at text,
            mark_ref text,
            path text
        );
        create index submissions_ticket on submissions(ticket_id, id);

        create table audit (
            id integer primary key,
            at text not null,
            actor text not null,
            command text,
            ticket_id text,
            entity text not null,
            field text,
            old text,
            new text
        );
        create index audit_ticket on audit(ticket_id, id);
        create trigger audit_no_update before update on audit
            begin select raise(abort, 'audit is append-only'); end;
        create trigger audit_no_delete before delete on audit
            begin select raise(abort, 'audit is append-only'); end;

        create table gate_cache (
            key text primary key,       -- hash of engine, version, rules, dictionary, sentence
            issues text not null,
            created_at text not null
        );

        create table dictionary (
            word text primary key,
            added_at text not null
        );

        create table state (
            key text primary key,
            value text
        );
        """,
    )
    changed = " or ".join(f"new.{c} is not old.{c}" for c in TICKET_DATA_COLUMNS)
    conn.execute(
        "create trigger tickets_data_bumps_revision after update on tickets "
        f"when new.revision = old.revision and ({changed}) "
        "begin update tickets set revision = revision + 1 where id = new.id; end"
    )
    for table in ("order_events", "findings", "contacts", "resolutions"):
        conn.execute(_revision_trigger(table, "INSERT", "new"))
        conn.execute(_revision_trigger(table, "UPDATE", "new"))
        conn.execute(_revision_trigger(table, "DELETE", "old"))


@migration
def m002_fetch_record_layouts(conn: sqlite3.Connection) -> None:
    """The record as received is kept as a shared layout plus the values the columns lack
    (see `srgcli.workspace.received`); rows from before keep their whole record in `raw`."""
    run_script(
        conn,
        """
        create table record_layouts (
            id integer primary key,
            layout text not null unique     -- keys, the column each feeds, the empty value
        );
        alter table tickets add column raw_layout integer references record_layouts(id);
        -- a digest of the record as received: a repeated fetch of the same record is seen
        -- without normalising it again
        alter table tickets add column received_hash text;
        """,
    )


@migration
def m003_submit_marked_at(conn: sqlite3.Connection) -> None:
    """When a variant B delivery got its ИС mark: only then does it count as done (the service
    description, acceptance 3.2). Marks recorded before are dated from the audit trail."""
    run_script(
        conn,
        """
        alter table submissions add column marked_at text;
        update submissions set marked_at = coalesce(
            (select max(a.at) from audit a where a.ticket_id = submissions.ticket_id
                and a.entity = 'submission' and a.field = 'mark_ref'),
            submitted_at)
        where mark_ref is not null;
        """,
    )


@migration
def m004_search_index(conn: sqlite3.Connection) -> None:
    """Full-text search for `srgcli search` (see `srgcli.workspace.search`): FTS5 tables on
    the texts, kept current by triggers; the rows already stored are indexed now. Where
    SQLite lacks FTS5 nothing is created and search says it is unavailable."""
    from srgcli.workspace.search import create_index

    create_index(
        conn,
        {
            "tickets": ("complaint_text", "client_demand"),
            "findings": ("description", "root_cause", "corrective_action"),
            "contacts": ("summary", "text"),
            "resolutions": ("summary",),
        },
        tokenize="unicode61 remove_diacritics 0",
    )


@migration
def m005_billing(conn: sqlite3.Connection) -> None:
    """The executor's own paperwork (see `srgcli.workspace.billing`): monthly acts to the
    Customer with their lines, the Customer's payments and the receipts made for them."""
    run_script(
        conn,
        """
        create table acts (
            id integer primary key,
            year integer not null,              -- the number series restarts every year
            number integer not null,
            month text not null,                -- the month covered, 'YYYY-MM'
            version integer not null,           -- a re-issued month is version n + 1
            issued_on text not null,            -- the act's date
            total text not null,                -- rubles, a decimal string
            regime text not null,
            customer text not null default '{}',
            path text not null,
            sha256 text not null,
            gate text not null default '{}',
            superseded_at text,                 -- set when a newer version replaces it
            created_at text not null,
            unique (month, version),
            unique (year, number, version)
        );
        create table act_lines (
            act_id integer not null references acts(id) on delete cascade,
            position integer not null,
            ticket_id text not null,
            received_at text,
            accepted_at text not null,
            variant text not null,
            price text not null,
            primary key (act_id, position)
        );
        create table payments (
            id integer primary key,
            act_year integer not null,
            act_number integer not null,
            amount text not null,
            paid_on text not null,
            payer text not null,                -- organisation | sole_proprietor | individual
            created_at text not null
        );
        create index payments_act on payments(act_year, act_number);
        create table receipts (
            id integer primary key,
            payment_id integer not null unique references payments(id) on delete cascade,
            number text not null,
            made_on text not null,
            url text,
            created_at text not null
        );
        """,
    )
