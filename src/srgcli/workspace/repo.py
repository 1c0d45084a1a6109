"""Queries and writes on the workspace database; the only module that knows its SQL."""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from typing import Any, TypeVar

from srgcli.calendar import now
from srgcli.exit import ExitCode, SrgError
from srgcli.model import (
    TICKET_COLUMNS,
    Contact,
    Finding,
    OrderEvent,
    ReportVersion,
    Resolution,
    ReviewProposal,
    StageMoments,
    Status,
    Submission,
    Ticket,
    TicketFacts,
    derive_status,
)
from srgcli.normalize.values import EARLY_DEADLINE, deadline_problem, ticket_problems
from srgcli.workspace import Workspace, audit
from srgcli.workspace.db import transaction

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


def now_iso() -> str:
    """The current moment as stored: ISO 8601, Moscow offset, seconds."""
    return now().isoformat(timespec="seconds")


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
    from srgcli.sources.received import received_record

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


def require_ticket(ws: Workspace, ticket_id: str) -> Ticket:
    """The ticket, or an SrgError (exit 2) that suggests close matches."""
    ticket = get_ticket(ws, ticket_id)
    if ticket is not None:
        return ticket
    import difflib

    ids = [row[0] for row in ws.conn.execute("select id from tickets")]
    close = difflib.get_close_matches(ticket_id, ids, n=3, cutoff=0.6)
    close += [i for i in ids if ticket_id and ticket_id in i and i not in close][: 3 - len(close)]
    hint = ("Возможно, вы имели в виду: " + ", ".join(close)) if close else None
    if not ids:
        hint = "В рабочей папке пока нет заявок: загрузите их командой srgcli fetch."
    raise SrgError(f"Заявка {ticket_id} не найдена.", ExitCode.USAGE, hint=hint)


def ticket_count(ws: Workspace) -> int:
    """How many tickets the workspace holds."""
    return int(ws.conn.execute("select count(*) from tickets").fetchone()[0])


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


def collect_facts(ws: Workspace, tickets: Iterable[Ticket]) -> dict[str, TicketFacts]:
    """The facts derive_status() needs, for many tickets in a fixed number of queries."""
    conn = ws.conn
    findings = {r[0] for r in conn.execute("select ticket_id from findings")}
    resolutions = {r[0] for r in conn.execute("select ticket_id from resolutions")}
    contacts = dict(conn.execute("select ticket_id, count(*) from contacts group by ticket_id"))
    reports = {
        r[0]: (r[1], r[2])
        for r in conn.execute(
            "select r.ticket_id, r.version, r.ticket_revision from reports r "
            "join (select ticket_id, max(version) v from reports group by ticket_id) m "
            "on m.ticket_id = r.ticket_id and m.v = r.version"
        )
    }
    submissions = {
        r[0]: (r[1], r[2], r[3], r[4])
        for r in conn.execute(
            "select s.ticket_id, s.variant, s.report_version, s.decision, s.mark_ref "
            "from submissions s "
            "join (select ticket_id, max(id) i from submissions group by ticket_id) m "
            "on m.i = s.id"
        )
    }
    required = ws.config.required_fields
    plain = [name for name in required if name != "client_contact"]
    needed = {*plain, "client_phone", "client_email"}
    # The usual ticket: every required field filled and nothing invalid, so nothing is missing.
    filled = _all_filled(plain)
    contact = "client_contact" in required
    result: dict[str, TicketFacts] = {}
    for t in tickets:
        report = reports.get(t.id)
        sub = submissions.get(t.id)
        missing: tuple[str, ...] = ()
        if t.invalid or not filled(t) or (contact and not (t.client_phone or t.client_email)):
            values = {name: getattr(t, name) for name in needed}
            missing = tuple(ticket_problems(values, t.invalid, required))
        result[t.id] = TicketFacts(
            ticket_id=t.id,
            missing=missing,
            has_finding=t.id in findings,
            contact_count=int(contacts.get(t.id, 0)),
            has_resolution=t.id in resolutions,
            report_version=report[0] if report else None,
            report_fresh=report is not None and report[1] == t.revision,
            submission_variant=sub[0] if sub else None,
            submission_report_version=sub[1] if sub else None,
            submission_decision=sub[2] if sub else None,
            submission_mark_ref=sub[3] if sub else None,
        )
    return result


def ticket_status(ws: Workspace, ticket: Ticket) -> Status:
    """The derived status of one ticket."""
    return derive_status(collect_facts(ws, [ticket])[ticket.id])


def _all_filled(names: list[str]) -> Callable[[Ticket], bool]:
    """A test that every one of these fields of a ticket has a value."""
    if not names:
        return lambda _: True
    values = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda ticket: bool(values(ticket))
    return lambda ticket: all(values(ticket))


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
    # As tickets.handed_over() has it: the first submission not returned for rework; a
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


def problems(ws: Workspace, ticket: Ticket) -> dict[str, str]:
    """Required fields of one ticket that are empty or invalid, with reasons."""
    values = {name: ticket.value(name) for name in ("id", *ticket_field_names())}
    return ticket_problems(values, ticket.invalid, ws.config.required_fields)


def ticket_field_names() -> tuple[str, ...]:
    """The ticket's data fields (without id)."""
    from srgcli.model import EDITABLE_FIELDS

    return EDITABLE_FIELDS


def events(ws: Workspace, ticket_id: str) -> list[OrderEvent]:
    """The order's history, oldest first."""
    rows = ws.conn.execute(
        "select id, ticket_id, at, kind, actor, comment from order_events "
        "where ticket_id = ? order by at, id",
        (ticket_id,),
    ).fetchall()
    return [OrderEvent(*tuple(r)) for r in rows]


def finding(ws: Workspace, ticket_id: str) -> Finding | None:
    """The executor's current verdict, if any."""
    r = ws.conn.execute("select * from findings where ticket_id = ?", (ticket_id,)).fetchone()
    if r is None:
        return None
    return _record(Finding, r, evidence=_json_tuple)


def contacts(ws: Workspace, ticket_id: str) -> list[Contact]:
    """Contacts logged on the ticket, oldest first."""
    rows = ws.conn.execute(
        f"select {_CONTACT_COLUMNS} from contacts where ticket_id = ? order by at, id",
        (ticket_id,),
    ).fetchall()
    return [_row_to_contact(r) for r in rows]


def all_contacts(ws: Workspace) -> list[Contact]:
    """Contacts logged on every ticket, oldest first."""
    rows = ws.conn.execute(
        f"select {_CONTACT_COLUMNS} from contacts order by at, ticket_id, id"
    ).fetchall()
    return [_row_to_contact(r) for r in rows]


_CONTACT_COLUMNS = (
    "id, ticket_id, at, channel, direction, party, outcome, summary, text, template, gate"
)


def _row_to_contact(r: sqlite3.Row) -> Contact:
    return _record(Contact, r, gate=lambda text: json.loads(text) if text else None)


def resolution(ws: Workspace, ticket_id: str) -> Resolution | None:
    """How the complaint was settled, if it was."""
    r = ws.conn.execute(
        "select ticket_id, outcome, summary, resolved_at from resolutions where ticket_id = ?",
        (ticket_id,),
    ).fetchone()
    return Resolution(*tuple(r)) if r else None


def reports(ws: Workspace, ticket_id: str) -> list[ReportVersion]:
    """Generated reports, oldest version first."""
    rows = ws.conn.execute(
        "select ticket_id, version, template, path, sha256, gate, input_hash, ticket_revision, "
        "created_at from reports where ticket_id = ? order by version",
        (ticket_id,),
    ).fetchall()
    return [_record(ReportVersion, r, gate=lambda text: json.loads(text or "{}")) for r in rows]


def submissions(ws: Workspace, ticket_id: str) -> list[Submission]:
    """Submissions of the ticket's reports, oldest first."""
    rows = ws.conn.execute(
        "select id, ticket_id, variant, channel, submitted_at, report_version, decision, "
        "remarks, decided_at, mark_ref, path, marked_at from submissions where ticket_id = ? "
        "order by id",
        (ticket_id,),
    ).fetchall()
    return [Submission(*tuple(r)) for r in rows]


def conflicts(ws: Workspace, ticket_id: str) -> list[dict[str, Any]]:
    """Differences between the executor's values and what the ИС sent later."""
    rows = ws.conn.execute(
        "select field, executor_value, is_value, detected_at from field_conflicts "
        "where ticket_id = ? order by id",
        (ticket_id,),
    ).fetchall()
    return [dict(r) for r in rows]


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


def compute_due(ws: Workspace, received_at: str | None) -> str | None:
    """A deadline from the receipt time and the SLA in config; None without a valid receipt."""
    from datetime import datetime

    if not received_at:
        return None
    try:
        received = datetime.fromisoformat(received_at)
    except ValueError:
        return None
    due = ws.calendar.due_at(received, ws.config.sla_days)
    return str(due.isoformat(timespec="seconds"))


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


def set_executor_fields(
    ws: Workspace, ticket_id: str, values: Mapping[str, str], *, command: str = "fill"
) -> dict[str, tuple[str | None, str]]:
    """Store values the executor set (already validated); a later fetch never overwrites them.

    Everything is one transaction, audited field by field. Returns field -> (old, new)
    for the values that actually changed.
    """
    from srgcli.model import EDITABLE_FIELDS

    unknown = [f for f in values if f not in EDITABLE_FIELDS]
    if unknown:
        raise SrgError(f"Неизвестное поле: {', '.join(unknown)}.", ExitCode.USAGE)
    from srgcli.sources.received import keep_received

    changed: dict[str, tuple[str | None, str]] = {}
    with transaction(ws.conn):
        ticket = require_ticket(ws, ticket_id)
        store_received = keep_received(ws.conn, ticket_id)
        owned = set(ticket.executor_fields)
        invalid = dict(ticket.invalid)
        for name, new in values.items():
            old = ticket.value(name)
            owned.add(name)
            invalid.pop(name, None)
            if old == new:
                continue
            changed[name] = (old, new)
            ws.conn.execute(f"update tickets set {name} = ? where id = ?", (new, ticket_id))
            audit.record(
                ws.conn,
                command=command,
                ticket_id=ticket_id,
                entity="ticket",
                field=name,
                old=old,
                new=new,
            )
        if "due_at" in values:
            ws.conn.execute("update tickets set due_source = 'executor' where id = ?", (ticket_id,))
        elif "received_at" in changed and ticket.due_source in (None, "computed"):
            due = compute_due(ws, values["received_at"])
            if due != ticket.due_at:
                ws.conn.execute(
                    "update tickets set due_at = ?, due_source = 'computed' where id = ?",
                    (due, ticket_id),
                )
                audit.record(
                    ws.conn,
                    command=command,
                    ticket_id=ticket_id,
                    entity="ticket",
                    field="due_at",
                    old=ticket.due_at,
                    new=due,
                )
        # A deadline marked as earlier than the receipt (by fetch) is judged again against
        # the new receipt time: fixing the receipt time fixes the pair.
        if (
            invalid.get("due_at") == EARLY_DEADLINE
            and "received_at" in values
            and deadline_problem(values["received_at"], ticket.due_at) is None
        ):
            del invalid["due_at"]
        # received_hash is cleared: the next fetch compares the record with these values even
        # if the ИС sends it unchanged, so a value of the ИС that differs from the executor's
        # is recorded as a conflict then, as it would be along with any other change.
        ws.conn.execute(
            "update tickets set executor_fields = ?, invalid = ?, received_hash = null "
            "where id = ?",
            (
                json.dumps(sorted(owned)),
                json.dumps(invalid, ensure_ascii=False),
                ticket_id,
            ),
        )
        store_received()
    return changed


def get_state(ws: Workspace, key: str) -> str | None:
    """A workspace-level value (e.g. the time of the last successful fetch)."""
    row = ws.conn.execute("select value from state where key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


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
    ws: Workspace, ticket_id: str, outcome: str, summary: str, *, command: str = "contact-log"
) -> None:
    """Record how the complaint was settled, replacing an earlier record; audited."""
    with transaction(ws.conn):
        old = resolution(ws, ticket_id)
        ws.conn.execute(
            "insert into resolutions (ticket_id, outcome, summary, resolved_at) "
            "values (?, ?, ?, ?) "
            "on conflict(ticket_id) do update set outcome = excluded.outcome, "
            "summary = excluded.summary, resolved_at = excluded.resolved_at",
            (ticket_id, outcome, summary, now_iso()),
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


def review_proposals(ws: Workspace, ticket_id: str) -> list[ReviewProposal]:
    """The proposals of the last `review --auto` on this ticket, in rule order."""
    rows = ws.conn.execute(
        "select ticket_id, rule, category, description, evidence, proposed_at "
        "from review_proposals where ticket_id = ? order by id",
        (ticket_id,),
    ).fetchall()
    return [_record(ReviewProposal, r, evidence=_json_tuple) for r in rows]


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
    moment = submitted_at or now_iso()
    with transaction(ws.conn):
        cur = ws.conn.execute(
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
            ws.conn,
            command=command,
            ticket_id=ticket_id,
            entity="submission",
            field="variant",
            new=variant,
        )
        if mark_ref:
            audit.record(
                ws.conn,
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
            old=old[0] if old else None,
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
