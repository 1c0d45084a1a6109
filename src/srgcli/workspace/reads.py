"""Queries on the workspace database: tickets and everything recorded about them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from srgcli import model
from srgcli.model import TICKET_COLUMNS, StageMoments, Ticket
from srgcli.workspace.folder import Workspace
from srgcli.workspace.received import received_record

_T = TypeVar("_T")


def _record(cls: type[_T], row: sqlite3.Row, **decode: Callable[[Any], Any]) -> _T:
    """A model dataclass from a row whose columns carry its field names (other columns are
    left out); `decode` turns a stored text into the field's value, e.g. JSON."""
    columns = set(row.keys())
    values = {f.name: row[f.name] for f in fields(cls) if f.name in columns}  # type: ignore[arg-type]
    for name, convert in decode.items():
        values[name] = convert(values[name])
    return cls(**values)


def _json_tuple(text: str | None) -> tuple[Any, ...]:
    return tuple(json.loads(text or "[]"))


def row_to_ticket(row: sqlite3.Row | Mapping[str, Any]) -> Ticket:
    """Build a Ticket from a database row (a row without `raw` gives an empty raw)."""
    data = dict(row)
    raw = data.get("raw")
    data["raw"] = json.loads(raw) if raw and raw != "{}" else {}
    owned = data["executor_fields"]
    data["executor_fields"] = tuple(json.loads(owned)) if owned and owned != "[]" else ()
    invalid = data["invalid"]
    data["invalid"] = json.loads(invalid) if invalid and invalid != "{}" else {}
    return Ticket(**data)


def get_ticket(ws: Workspace, ticket_id: str) -> Ticket | None:
    """The ticket with this ИС number, or None."""
    row = ws.conn.execute(
        f"select {', '.join(TICKET_COLUMNS)}, raw_layout from tickets where id = ?", (ticket_id,)
    ).fetchone()
    if row is None:
        return None
    data = dict(row)
    layout = data.pop("raw_layout")
    data["raw"] = json.dumps(
        received_record(ws.conn, layout, data["raw"], data), ensure_ascii=False
    )
    return row_to_ticket(data)


def ticket_ids(ws: Workspace) -> list[str]:
    """Every ticket id, in storage order."""
    return [row[0] for row in ws.conn.execute("select id from tickets")]


def list_tickets(ws: Workspace) -> list[Ticket]:
    """All tickets without their raw records, ordered by deadline (none last), then id."""
    columns = [c for c in TICKET_COLUMNS if c != "raw"]
    owned_at, invalid_at = columns.index("executor_fields"), columns.index("invalid")
    cur = ws.conn.cursor()
    cur.row_factory = None  # plain tuples: this runs over every ticket, keep it lean
    rows = cur.execute(
        f"select {', '.join(columns)} from tickets order by due_at is null, due_at, id"
    ).fetchall()
    loads = json.loads
    raw_at = TICKET_COLUMNS.index("raw")
    result = []
    for row in rows:
        owned, invalid = row[owned_at], row[invalid_at]
        result.append(
            Ticket(  # type: ignore[call-arg]  # positional, in TICKET_COLUMNS order (tested)
                *row[:raw_at],
                {},
                tuple(loads(owned)) if owned != "[]" else (),
                loads(invalid) if invalid != "{}" else {},
                *row[invalid_at + 1 :],
            )
        )
    return result


@dataclass(frozen=True)
class StatusRows:
    """What the status of every ticket depends on besides its fields, read in five queries."""

    findings: set[str]
    resolutions: set[str]
    contact_counts: dict[str, int]
    # ticket id -> (newest report version, the ticket revision it reflects)
    reports: dict[str, tuple[int, int]]
    # ticket id -> the newest submission's (variant, report version, decision, mark_ref)
    submissions: dict[str, tuple[str, int, str | None, str | None]]


def status_rows(ws: Workspace) -> StatusRows:
    """The facts of status derivation stored outside the tickets table, for every ticket."""
    conn = ws.conn
    return StatusRows(
        findings={r[0] for r in conn.execute("select ticket_id from findings")},
        resolutions={r[0] for r in conn.execute("select ticket_id from resolutions")},
        contact_counts=dict(
            conn.execute("select ticket_id, count(*) from contacts group by ticket_id")
        ),
        reports={
            r["ticket_id"]: (r["version"], r["ticket_revision"])
            for r in conn.execute(
                "select r.ticket_id, r.version, r.ticket_revision from reports r "
                "join (select ticket_id, max(version) v from reports group by ticket_id) m "
                "on m.ticket_id = r.ticket_id and m.v = r.version"
            )
        },
        submissions={
            r["ticket_id"]: (r["variant"], r["report_version"], r["decision"], r["mark_ref"])
            for r in conn.execute(
                "select s.ticket_id, s.variant, s.report_version, s.decision, s.mark_ref "
                "from submissions s "
                "join (select ticket_id, max(id) i from submissions group by ticket_id) m "
                "on m.i = s.id"
            )
        },
    )


def stage_moments(ws: Workspace) -> dict[str, StageMoments]:
    """When each ticket's stages were first done, for every ticket in three queries.

    The same choice as `show` makes from the full lists: the earliest contact with the client
    that was not left unanswered, the first report version, the first submission.
    """
    conn = ws.conn
    contacted = dict(
        conn.execute(
            "select ticket_id, min(at) from contacts "
            "where party = 'client' and outcome <> 'no_answer' group by ticket_id"
        )
    )
    reported = dict(
        conn.execute(
            "select r.ticket_id, r.created_at from reports r "
            "join (select ticket_id, min(version) v from reports group by ticket_id) m "
            "on m.ticket_id = r.ticket_id and m.v = r.version"
        )
    )
    # As tickets.overview._handed_over() has it: the first submission not returned for rework; a
    # variant B delivery only once its ИС mark is recorded.
    handed = dict(
        conn.execute(
            "select s.ticket_id, case when s.variant = 'B' then s.marked_at else s.submitted_at "
            "end from submissions s join (select ticket_id, min(id) i from submissions "
            "where decision is null or decision <> 'returned' group by ticket_id) m "
            "on m.i = s.id"
        )
    )
    return {
        ticket_id: StageMoments(
            contacted.get(ticket_id), reported.get(ticket_id), handed.get(ticket_id)
        )
        for ticket_id in contacted.keys() | reported.keys() | handed.keys()
    }


def events(ws: Workspace, ticket_id: str) -> list[model.OrderEvent]:
    """The order's history, oldest first."""
    rows = ws.conn.execute(
        "select id, ticket_id, at, kind, actor, comment from order_events "
        "where ticket_id = ? order by at, id",
        (ticket_id,),
    ).fetchall()
    return [_record(model.OrderEvent, r) for r in rows]


def finding(ws: Workspace, ticket_id: str) -> model.Finding | None:
    """The executor's current verdict, if any."""
    r = ws.conn.execute("select * from findings where ticket_id = ?", (ticket_id,)).fetchone()
    if r is None:
        return None
    return _record(model.Finding, r, evidence=_json_tuple)


_CONTACT_COLUMNS = (
    "id, ticket_id, at, channel, direction, party, outcome, summary, text, template, gate"
)


def _row_to_contact(r: sqlite3.Row) -> model.Contact:
    return _record(model.Contact, r, gate=lambda text: json.loads(text) if text else None)


def contacts(ws: Workspace, ticket_id: str) -> list[model.Contact]:
    """Contacts logged on the ticket, oldest first."""
    rows = ws.conn.execute(
        f"select {_CONTACT_COLUMNS} from contacts where ticket_id = ? order by at, id",
        (ticket_id,),
    ).fetchall()
    return [_row_to_contact(r) for r in rows]


def contact(ws: Workspace, contact_id: int) -> model.Contact | None:
    """One contact by its number (the `id` of `contact-log list --json`), if it exists."""
    row = ws.conn.execute(
        f"select {_CONTACT_COLUMNS} from contacts where id = ?", (contact_id,)
    ).fetchone()
    return _row_to_contact(row) if row else None


def all_contacts(ws: Workspace) -> list[model.Contact]:
    """Contacts logged on every ticket, oldest first."""
    rows = ws.conn.execute(
        f"select {_CONTACT_COLUMNS} from contacts order by at, ticket_id, id"
    ).fetchall()
    return [_row_to_contact(r) for r in rows]


def resolution(ws: Workspace, ticket_id: str) -> model.Resolution | None:
    """How the complaint was settled, if it was."""
    r = ws.conn.execute(
        "select ticket_id, outcome, summary, resolved_at from resolutions where ticket_id = ?",
        (ticket_id,),
    ).fetchone()
    return _record(model.Resolution, r) if r else None


def reports(ws: Workspace, ticket_id: str) -> list[model.ReportVersion]:
    """Generated reports, oldest version first."""
    rows = ws.conn.execute(
        "select ticket_id, version, template, path, sha256, gate, input_hash, ticket_revision, "
        "created_at from reports where ticket_id = ? order by version",
        (ticket_id,),
    ).fetchall()
    return [
        _record(model.ReportVersion, r, gate=lambda text: json.loads(text or "{}")) for r in rows
    ]


def submissions(ws: Workspace, ticket_id: str) -> list[model.Submission]:
    """Submissions of the ticket's reports, oldest first."""
    rows = ws.conn.execute(
        "select id, ticket_id, variant, channel, submitted_at, report_version, decision, "
        "remarks, decided_at, mark_ref, path, marked_at from submissions where ticket_id = ? "
        "order by id",
        (ticket_id,),
    ).fetchall()
    return [_record(model.Submission, r) for r in rows]


def conflicts(ws: Workspace, ticket_id: str) -> list[dict[str, Any]]:
    """Differences between the executor's values and what the ИС sent later."""
    rows = ws.conn.execute(
        "select field, executor_value, is_value, detected_at from field_conflicts "
        "where ticket_id = ? order by id",
        (ticket_id,),
    ).fetchall()
    return [dict(r) for r in rows]


def review_proposals(ws: Workspace, ticket_id: str) -> list[model.ReviewProposal]:
    """The proposals of the last `review --auto` on this ticket, in rule order."""
    rows = ws.conn.execute(
        "select ticket_id, rule, category, description, evidence, proposed_at "
        "from review_proposals where ticket_id = ? order by id",
        (ticket_id,),
    ).fetchall()
    return [_record(model.ReviewProposal, r, evidence=_json_tuple) for r in rows]


def get_state(ws: Workspace, key: str) -> str | None:
    """A workspace-level value (e.g. the time of the last successful fetch)."""
    row = ws.conn.execute("select value from state where key = ?", (key,)).fetchone()
    return None if row is None else str(row["value"])


def ticket_revision(ws: Workspace, ticket_id: str) -> int:
    """The ticket's revision: bumped by every change a report reflects."""
    row = ws.conn.execute("select revision from tickets where id = ?", (ticket_id,)).fetchone()
    return int(row["revision"])
