"""Writes on the workspace database, each audited; the rules that decide them live elsewhere."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from srgcli.calendar import now_iso
from srgcli.model import Finding, ReviewProposal
from srgcli.workspace import audit
from srgcli.workspace.db import transaction
from srgcli.workspace.folder import Workspace
from srgcli.workspace.reads import finding, resolution


def event_fingerprint(at: str, kind: str, actor: str | None, comment: str | None) -> str:
    """A stable identity of an order event, so a re-fetched history is not duplicated."""
    import hashlib

    payload = json.dumps([at, kind, actor or "", comment or ""], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def insert_events(
    conn: sqlite3.Connection, ticket_id: str, items: Iterable[Mapping[str, Any]]
) -> int:
    """Add order events that are not stored yet; returns how many were new."""
    added = 0
    for item in items:
        at, kind = str(item["at"]), str(item["kind"])
        actor, comment = item.get("actor"), item.get("comment")
        cur = conn.execute(
            "insert or ignore into order_events (ticket_id, at, kind, actor, comment, "
            "fingerprint, raw) values (?, ?, ?, ?, ?, ?, ?)",
            (
                ticket_id,
                at,
                kind,
                actor,
                comment,
                event_fingerprint(at, kind, actor, comment),
                json.dumps(dict(item.get("raw") or {}), ensure_ascii=False),
            ),
        )
        added += cur.rowcount
    return added


def insert_ticket(
    conn: sqlite3.Connection,
    values: Mapping[str, Any],
    *,
    command: str,
) -> None:
    """Insert a new ticket row (values already normalised) and audit its creation."""
    row = dict(values)
    row.setdefault("created_at", now_iso())
    for key in ("raw", "invalid"):
        if not isinstance(row.get(key, "{}"), str):
            row[key] = json.dumps(row[key], ensure_ascii=False)
    if not isinstance(row.get("executor_fields", "[]"), str):
        row["executor_fields"] = json.dumps(list(row["executor_fields"]))
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"insert into tickets ({columns}) values ({marks})", tuple(row.values()))
    audit.record(conn, command=command, ticket_id=row["id"], entity="ticket", new="создана")


def set_ticket_field(
    conn: sqlite3.Connection,
    ticket_id: str,
    name: str,
    old: str | None,
    new: str | None,
    *,
    command: str,
) -> None:
    """Change one field of a ticket (a name from model.EDITABLE_FIELDS); audited old → new.
    Call inside a transaction."""
    conn.execute(f"update tickets set {name} = ? where id = ?", (new, ticket_id))
    audit.record(
        conn, command=command, ticket_id=ticket_id, entity="ticket", field=name, old=old, new=new
    )


def set_due_source(conn: sqlite3.Connection, ticket_id: str, due_source: str) -> None:
    """Record where the ticket's deadline came from ('is', 'computed', 'executor')."""
    conn.execute("update tickets set due_source = ? where id = ?", (due_source, ticket_id))


def set_executor_owned(
    conn: sqlite3.Connection, ticket_id: str, owned: Iterable[str], invalid: Mapping[str, str]
) -> None:
    """Store which fields the executor set and which values are invalid.

    received_hash is cleared: the next fetch compares the record with these values even if
    the ИС sends it unchanged, so a value of the ИС that differs from the executor's is
    recorded as a conflict then, as it would be along with any other change.
    """
    conn.execute(
        "update tickets set executor_fields = ?, invalid = ?, received_hash = null where id = ?",
        (json.dumps(sorted(owned)), json.dumps(dict(invalid), ensure_ascii=False), ticket_id),
    )


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store a workspace-level value; call inside a transaction."""
    conn.execute(
        "insert into state (key, value) values (?, ?) "
        "on conflict(key) do update set value = excluded.value",
        (key, value),
    )


def save_finding(ws: Workspace, item: Finding, *, command: str = "review") -> None:
    """Record the executor's verdict, replacing an earlier one; audited old → new."""
    row = {
        "ticket_id": item.ticket_id,
        "verdict": item.verdict,
        "category": item.category,
        "description": item.description,
        "root_cause": item.root_cause,
        "responsible": item.responsible,
        "evidence": json.dumps(list(item.evidence)),
        "corrective_action": item.corrective_action,
        "decided_at": item.decided_at or now_iso(),
    }
    with transaction(ws.conn):
        old = finding(ws, item.ticket_id)
        ws.conn.execute("delete from findings where ticket_id = ?", (item.ticket_id,))
        ws.conn.execute(
            f"insert into findings ({', '.join(row)}) values ({', '.join('?' for _ in row)})",
            tuple(row.values()),
        )
        audit.record(
            ws.conn,
            command=command,
            ticket_id=item.ticket_id,
            entity="finding",
            field="verdict",
            old=old.verdict if old else None,
            new=item.verdict,
        )


def add_contact(
    ws: Workspace,
    ticket_id: str,
    *,
    at: str,
    channel: str,
    direction: str,
    party: str,
    outcome: str,
    summary: str,
    text: str | None = None,
    template: str | None = None,
    gate: Mapping[str, Any] | None = None,
    command: str = "contact-log",
) -> int:
    """Log one contact; returns its id."""
    with transaction(ws.conn):
        cur = ws.conn.execute(
            "insert into contacts (ticket_id, at, channel, direction, party, outcome, summary, "
            "text, template, gate, logged_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ticket_id,
                at,
                channel,
                direction,
                party,
                outcome,
                summary,
                text,
                template,
                json.dumps(dict(gate), ensure_ascii=False) if gate is not None else None,
                now_iso(),
            ),
        )
        contact_id = int(cur.lastrowid or 0)
        audit.record(
            ws.conn,
            command=command,
            ticket_id=ticket_id,
            entity="contact",
            new=f"{channel}: {outcome}",
        )
    return contact_id


def save_resolution(
    ws: Workspace,
    ticket_id: str,
    outcome: str,
    summary: str,
    *,
    resolved_at: str | None = None,
    command: str = "contact-log",
) -> None:
    """Record how the complaint was settled (at `resolved_at`, default now), replacing an
    earlier record; audited."""
    with transaction(ws.conn):
        old = resolution(ws, ticket_id)
        ws.conn.execute(
            "insert into resolutions (ticket_id, outcome, summary, resolved_at) "
            "values (?, ?, ?, ?) "
            "on conflict(ticket_id) do update set outcome = excluded.outcome, "
            "summary = excluded.summary, resolved_at = excluded.resolved_at",
            (ticket_id, outcome, summary, resolved_at or now_iso()),
        )
        audit.record(
            ws.conn,
            command=command,
            ticket_id=ticket_id,
            entity="resolution",
            field="outcome",
            old=old.outcome if old else None,
            new=outcome,
        )


def replace_review_proposals(
    ws: Workspace,
    ticket_id: str,
    items: Iterable[ReviewProposal],
    *,
    command: str = "review",
) -> None:
    """Store the proposals of a new automatic review, replacing the ticket's earlier ones."""
    stamp = now_iso()
    items = list(items)
    with transaction(ws.conn):
        ws.conn.execute("delete from review_proposals where ticket_id = ?", (ticket_id,))
        for item in items:
            ws.conn.execute(
                "insert into review_proposals (ticket_id, rule, category, description, "
                "evidence, proposed_at) values (?, ?, ?, ?, ?, ?)",
                (
                    ticket_id,
                    item.rule,
                    item.category,
                    item.description,
                    json.dumps(list(item.evidence)),
                    stamp,
                ),
            )
        audit.record(
            ws.conn,
            command=command,
            ticket_id=ticket_id,
            entity="review_proposals",
            new=", ".join(i.rule for i in items) or "нарушений не найдено",
        )


def store_report(
    conn: sqlite3.Connection,
    ticket_id: str,
    version: int,
    *,
    template: str,
    path: str,
    sha256: str,
    gate: Mapping[str, Any],
    input_hash: str,
    command: str,
) -> None:
    """Record a report version against the ticket's current revision, replacing a row of the
    same version; audited. Call inside a transaction."""
    revision = conn.execute("select revision from tickets where id = ?", (ticket_id,)).fetchone()
    old = conn.execute(
        "select sha256 from reports where ticket_id = ? and version = ?", (ticket_id, version)
    ).fetchone()
    conn.execute("delete from reports where ticket_id = ? and version = ?", (ticket_id, version))
    conn.execute(
        "insert into reports (ticket_id, version, template, path, sha256, gate, "
        "input_hash, ticket_revision, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ticket_id,
            version,
            template,
            path,
            sha256,
            json.dumps(dict(gate), ensure_ascii=False),
            input_hash,
            revision["revision"],
            now_iso(),
        ),
    )
    audit.record(
        conn,
        command=command,
        ticket_id=ticket_id,
        entity="report",
        field=f"v{version}",
        old=old["sha256"] if old else None,
        new=sha256,
    )


def add_submission(
    ws: Workspace,
    ticket_id: str,
    *,
    variant: str,
    channel: str,
    report_version: int,
    path: str | None,
    mark_ref: str | None = None,
    submitted_at: str | None = None,
    command: str = "submit",
) -> int:
    """Record a report handed over (variant A or B); returns the submission's id."""
    with transaction(ws.conn):
        return insert_submission(
            ws.conn,
            ticket_id,
            variant=variant,
            channel=channel,
            report_version=report_version,
            path=path,
            mark_ref=mark_ref,
            submitted_at=submitted_at,
            command=command,
        )


def submission_of_version(conn: sqlite3.Connection, ticket_id: str, version: int) -> str | None:
    """The outbox folder (relative path, or "" without one) of the submission of this report
    version, or None when the version has not been handed over."""
    row = conn.execute(
        "select path from submissions where ticket_id = ? and report_version = ? "
        "order by id limit 1",
        (ticket_id, version),
    ).fetchone()
    return None if row is None else (row[0] or "")


def insert_submission(
    conn: sqlite3.Connection,
    ticket_id: str,
    *,
    variant: str,
    channel: str,
    report_version: int,
    path: str | None,
    mark_ref: str | None = None,
    submitted_at: str | None = None,
    command: str = "submit",
) -> int:
    """`add_submission` inside the caller's transaction."""
    moment = submitted_at or now_iso()
    cur = conn.execute(
        "insert into submissions (ticket_id, variant, channel, submitted_at, report_version, "
        "mark_ref, path, marked_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ticket_id,
            variant,
            channel,
            moment,
            report_version,
            mark_ref,
            path,
            moment if mark_ref else None,
        ),
    )
    submission_id = int(cur.lastrowid or 0)
    audit.record(
        conn,
        command=command,
        ticket_id=ticket_id,
        entity="submission",
        field="variant",
        new=variant,
    )
    if mark_ref:
        audit.record(
            conn,
            command=command,
            ticket_id=ticket_id,
            entity="submission",
            field="mark_ref",
            new=mark_ref,
        )
    return submission_id


def set_submission_mark(
    ws: Workspace, submission_id: int, ticket_id: str, mark_ref: str, *, command: str = "submit"
) -> None:
    """Record the ИС delivery mark of a variant B submission; audited."""
    with transaction(ws.conn):
        old = ws.conn.execute(
            "select mark_ref from submissions where id = ?", (submission_id,)
        ).fetchone()
        ws.conn.execute(
            "update submissions set mark_ref = ?, marked_at = ? where id = ?",
            (mark_ref, now_iso(), submission_id),
        )
        audit.record(
            ws.conn,
            command=command,
            ticket_id=ticket_id,
            entity="submission",
            field="mark_ref",
            old=old["mark_ref"] if old else None,
            new=mark_ref,
        )


def set_submission_decision(
    ws: Workspace,
    submission_id: int,
    ticket_id: str,
    decision: str,
    remarks: str | None,
    *,
    command: str = "submit",
) -> None:
    """Record the Customer's decision on a variant A submission; audited."""
    with transaction(ws.conn):
        ws.conn.execute(
            "update submissions set decision = ?, remarks = ?, decided_at = ? where id = ?",
            (decision, remarks, now_iso(), submission_id),
        )
        audit.record(
            ws.conn,
            command=command,
            ticket_id=ticket_id,
            entity="submission",
            field="decision",
            new=decision if not remarks else f"{decision}: {remarks}",
        )
