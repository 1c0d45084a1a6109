"""Storing prepared records: normalised column by column, then inserted or updated with a
fixed number of queries per chunk (the SQL is `workspace.bulk`).

The rules of what may be overwritten live here: fields the executor set with `fill` are
kept, and a different value from the ИС is recorded as a conflict.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any

from srgcli.fetch.summary import Conflict, FetchSummary, invalid_value_warning
from srgcli.model import EDITABLE_FIELDS
from srgcli.normalize.columns import ColumnNormalizer
from srgcli.normalize.values import deadline_problem
from srgcli.tickets import compute_due
from srgcli.workspace import Workspace, bulk, writes
from srgcli.workspace.received import Layout, Layouts, delta_text, delta_texts, record_hashes

if TYPE_CHECKING:
    import sqlite3

DATA_FIELDS: tuple[str, ...] = EDITABLE_FIELDS
EventItem = tuple[str, str, str | None, str | None, Any]


@dataclass(frozen=True, slots=True, eq=False)  # one object per key set: compared by identity
class Shape:
    """How records with one set of keys feed the ticket's columns (planned once per key set)."""

    layout: Layout
    # Column ("id", a data field or "history") -> the keys feeding it, in record order.
    feeds: dict[str, tuple[str, ...]]


@dataclass(slots=True)
class Group:
    """Records of one shape from one source, ready to store (valid, unique ids)."""

    shape: Shape
    source: str  # as stored in tickets.source
    ids: list[str]
    records: list[dict[str, Any]]
    events: list[list[EventItem]] | None  # per record, when the shape has a history


@dataclass
class _Writes:
    """The rows one chunk writes, each kind with one executemany."""

    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    raw_updates: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    audits: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class _Rows:
    """A group's records in their stored form, column by column."""

    ids: list[str]
    fields: list[list[str | None]]  # one column per data field, in DATA_FIELDS order
    due_sources: list[str]
    source: str
    stamp: str
    raws: list[str]
    layout_id: int
    hashes: list[str]
    invalid_texts: list[str]
    # For the field-by-field update of a stored ticket:
    stored: dict[str, list[str | None]]  # the fields the records have
    invalid: dict[int, dict[str, str]]  # by position: field -> reason
    received: list[list[Any]]  # one column per key of the layout

    def insert(self, index: int, fields: tuple[Any, ...]) -> tuple[Any, ...]:
        """The row of a new ticket, in bulk.INSERT_COLUMNS order."""
        return (
            self.ids[index],
            *fields,
            self.due_sources[index],
            self.source,
            self.stamp,
            self.raws[index],
            self.layout_id,
            self.hashes[index],
            self.invalid_texts[index],
            "[]",
            self.stamp,
        )

    def inserts(self) -> Iterator[tuple[Any, ...]]:
        """Every row as a new ticket, built column-wise."""
        return zip(
            self.ids,
            *self.fields,
            self.due_sources,
            repeat(self.source),
            repeat(self.stamp),
            self.raws,
            repeat(self.layout_id),
            self.hashes,
            self.invalid_texts,
            repeat("[]"),
            repeat(self.stamp),
        )


def pick(record: Mapping[str, Any], keys: Sequence[str]) -> Any:
    """The value of a column fed by several keys: the first non-empty one, as ColumnMapper
    maps a record."""
    value = record[keys[0]]
    for key in keys[1:]:
        if value in (None, ""):
            value = record[key]
    return value


def in_field_order(invalid: Mapping[str, str]) -> dict[str, str]:
    return {name: invalid[name] for name in DATA_FIELDS if name in invalid}


class Storing:
    """The storing half of the Importer (a mixin): what it writes and how it decides."""

    ws: Workspace
    conn: sqlite3.Connection
    command: str
    columns: ColumnNormalizer
    layouts: Layouts
    summary: FetchSummary
    stamp: str
    actor: str
    unchanged_ids: set[str]
    same_settings: bool
    # Ticket id -> where the record that brought it was (source, line, number in an array).
    seen: dict[str, tuple[str, int | None, int | None]]
    _pending: list[Group]
    _due_cache: dict[str, str | None]
    _was_empty: bool

    def _early_deadlines(
        self, stored: dict[str, list[str | None]], reasons: dict[str, dict[int, str]]
    ) -> None:
        """A deadline before the receipt time is kept as received but marked invalid."""
        bad_due, bad_moment = reasons["due_at"], reasons["received_at"]
        for index, (moment, due) in enumerate(
            zip(stored["received_at"], stored["due_at"], strict=True)
        ):
            if due and moment and index not in bad_due and index not in bad_moment:
                reason = deadline_problem(moment, due)
                if reason is not None:
                    bad_due[index] = reason

    def _due(self, received: str | None) -> str | None:
        if not received:
            return None
        day = received[:10]
        if day not in self._due_cache:
            self._due_cache[day] = compute_due(self.ws, received)
        return self._due_cache[day]

    def flush(self) -> None:
        """Store the prepared records: a few lookups, then executemany per kind of write."""
        groups, self._pending = self._pending, []
        if not groups:
            return
        # Into a workspace that was empty, every id of the batch is new (they are unique).
        known: dict[str, tuple[str | None, int | None]] = {}
        if not self._was_empty:
            known = bulk.received_states(self.conn, [i for g in groups for i in g.ids])
        out = _Writes()
        warned = len(self.summary.warnings)
        for group in groups:
            self._store(group, known, out)
        # Records are stored shape by shape: list the invalid values in the order of the file.
        warnings = self.summary.warnings
        if len(warnings) - warned > 1:
            warnings[warned:] = sorted(warnings[warned:], key=lambda w: w.order())
        bulk.insert_tickets(self.conn, out.inserts, (self.stamp, self.actor, self.command))
        bulk.update_tickets(self.conn, out.updates)
        bulk.update_raw(self.conn, out.raw_updates)
        bulk.insert_events(self.conn, out.events)
        bulk.audit_many(self.conn, out.audits)

    def _store(
        self,
        group: Group,
        known: Mapping[str, tuple[str | None, int | None]],
        out: _Writes,
    ) -> None:
        """Normalise the records of one shape column by column, then insert or update each."""
        layout_id = self.layouts.id_of(group.shape.layout)
        # Records of one shape have the same keys in the same order: transpose them.
        received = [list(column) for column in zip(*map(dict.values, group.records), strict=True)]
        hashes = record_hashes(received, len(group.ids))
        if known and self.same_settings:
            kept = self._skip_stored(group.ids, hashes, layout_id, known)
            if not kept:
                return
            if len(kept) < len(group.ids):
                group = Group(
                    group.shape,
                    group.source,
                    [group.ids[i] for i in kept],
                    [group.records[i] for i in kept],
                    None if group.events is None else [group.events[i] for i in kept],
                )
                hashes = [hashes[i] for i in kept]
                received = [[column[i] for i in kept] for column in received]
        existing: dict[str, bulk.StoredTicket] = {}
        if known:
            existing = bulk.existing_tickets(self.conn, [i for i in group.ids if i in known])
        rows = self._rows(group, received, hashes, layout_id)
        if not existing and group.events is None:
            out.inserts.extend(rows.inserts())  # all new, as on a first import
            self.summary.new += len(group.ids)  # audited by insert_tickets
            return
        self._write_each(group, rows, existing, out)

    def _skip_stored(
        self,
        ids: list[str],
        hashes: list[str],
        layout_id: int,
        known: Mapping[str, tuple[str | None, int | None]],
    ) -> list[int]:
        """Count as unchanged the records exactly as stored last time (same digest and
        layout, same settings); the positions of the others."""
        kept: list[int] = []
        for index, (ticket_id, digest) in enumerate(zip(ids, hashes, strict=True)):
            if known.get(ticket_id) == (digest, layout_id):
                self.summary.unchanged += 1
                self.unchanged_ids.add(ticket_id)
            else:
                kept.append(index)
        return kept

    def _rows(
        self, group: Group, received: list[list[Any]], hashes: list[str], layout_id: int
    ) -> _Rows:
        """The stored form of a group's records, column by column."""
        shape, count = group.shape, len(group.ids)
        by_key = dict(zip(shape.layout.keys, received, strict=True))
        nothing: list[Any] = [None] * count
        stored: dict[str, list[str | None]] = {}
        reasons: dict[str, dict[int, str]] = {}
        for name in DATA_FIELDS:
            keys = shape.feeds.get(name)
            if keys:
                values = (
                    by_key[keys[0]]
                    if len(keys) == 1
                    else [pick(record, keys) for record in group.records]
                )
                stored[name], reasons[name] = self.columns.column(name, values)
        if "due_at" in stored and "received_at" in stored:
            self._early_deadlines(stored, reasons)
        given = stored.get("due_at", nothing)
        final = {name: stored.get(name, nothing) for name in DATA_FIELDS}
        final["due_at"] = self._deadlines(
            given, stored.get("received_at", nothing), reasons.get("received_at", {})
        )
        final["id"] = group.ids
        invalid: dict[int, dict[str, str]] = {}
        for name in DATA_FIELDS:  # in field order, so equal reasons give equal text
            for index, reason in reasons.get(name, {}).items():
                invalid.setdefault(index, {})[name] = reason
        invalid_texts = ["{}"] * count
        warnings = self.summary.warnings
        for index, bad in sorted(invalid.items()):
            invalid_texts[index] = json.dumps(bad, ensure_ascii=False)
            ticket_id = group.ids[index]
            where = self.seen.get(ticket_id, (group.source, None, None))
            for name, reason in bad.items():
                value = final[name][index]
                warnings.append(invalid_value_warning(where, ticket_id, name, reason, value))
        return _Rows(
            ids=group.ids,
            fields=[final[name] for name in DATA_FIELDS],
            due_sources=["is" if value else "computed" for value in given],
            source=group.source,
            stamp=self.stamp,
            raws=delta_texts(shape.layout, received, final, count),
            layout_id=layout_id,
            hashes=hashes,
            invalid_texts=invalid_texts,
            stored=stored,
            invalid=invalid,
            received=received,
        )

    def _deadlines(
        self, given: list[str | None], moments: list[str | None], bad_moments: Mapping[int, str]
    ) -> list[str | None]:
        """The deadline of each record: from the ИС, or computed from when it came in (an
        invalid moment gives none)."""
        if bad_moments:
            moments = [None if i in bad_moments else m for i, m in enumerate(moments)]
        cache = self._due_cache
        for moment in moments:
            if moment and moment[:10] not in cache:
                cache[moment[:10]] = compute_due(self.ws, moment)
        return [
            value if value else (cache[moment[:10]] if moment else None)
            for value, moment in zip(given, moments, strict=True)
        ]

    def _write_each(
        self,
        group: Group,
        rows: _Rows,
        existing: Mapping[str, bulk.StoredTicket],
        out: _Writes,
    ) -> None:
        """Insert the new tickets and refresh the stored ones, record by record."""
        fingerprints: dict[str, set[str]] = {}
        if group.events is not None:
            with_events = [
                i for i, e in zip(group.ids, group.events, strict=True) if e and i in existing
            ]
            if with_events:
                fingerprints = bulk.existing_fingerprints(self.conn, with_events)
        fields = list(zip(*rows.fields, strict=True))
        for index, ticket_id in enumerate(group.ids):
            current = existing.get(ticket_id)
            if current is None:
                out.inserts.append(rows.insert(index, fields[index]))
                self.summary.new += 1  # audited by insert_tickets
                changed = True
            elif (
                current.executor_fields == "[]"
                and current.data == fields[index]
                and current.due_source == rows.due_sources[index]
                and (current.invalid, current.raw, current.raw_layout)
                == (rows.invalid_texts[index], rows.raws[index], rows.layout_id)
            ):
                changed = False  # exactly what is stored: the common case of a repeated fetch
                if current.received_hash != rows.hashes[index]:
                    out.raw_updates.append(
                        (rows.raws[index], rows.layout_id, rows.hashes[index], ticket_id)
                    )
            else:
                changed = self._update(
                    ticket_id,
                    group.source,
                    group.shape.layout,
                    {name: column[index] for name, column in rows.stored.items()},
                    rows.invalid.get(index, {}),
                    [column[index] for column in rows.received],
                    (rows.layout_id, rows.hashes[index]),
                    current,
                    out,
                )
            added = 0
            if group.events is not None:
                added = self._new_events(
                    ticket_id,
                    group.events[index],
                    fingerprints.get(ticket_id),
                    out.events,
                    out.audits,
                )
            if current is not None:
                if changed or added:
                    self.summary.updated += 1
                else:
                    self.summary.unchanged += 1
                    self.unchanged_ids.add(ticket_id)

    def _update(
        self,
        ticket_id: str,
        source: str,
        layout: Layout,
        present: Mapping[str, str | None],
        new_invalid: Mapping[str, str],
        values: list[Any],
        received_as: tuple[int, str],
        row: bulk.StoredTicket,
        out: _Writes,
    ) -> bool:
        """Refresh the ИС's fields of a stored ticket; True when anything changed."""
        current = dict(zip(DATA_FIELDS, row.data, strict=True))
        old_due_source, owned_text, invalid_text = row.due_source, row.executor_fields, row.invalid
        old_raw, old_layout, old_hash = row.raw, row.raw_layout, row.received_hash
        layout_id, record_hash = received_as
        owned = set(json.loads(owned_text)) if owned_text != "[]" else set()
        old_invalid = json.loads(invalid_text) if invalid_text != "{}" else {}
        target = dict(current)
        invalid = {k: v for k, v in old_invalid.items() if k in owned or k not in present}
        for name, value in present.items():
            if name in owned:
                if value is not None and value != current[name]:
                    self._conflict(ticket_id, name, current[name], value)
                continue
            target[name] = value
            if name in new_invalid:
                invalid[name] = new_invalid[name]
        due_source = old_due_source
        if "due_at" not in owned and old_due_source != "executor":
            if present.get("due_at"):
                due_source = "is"
            elif "due_at" in present or old_due_source != "is":
                due = None
                if target["received_at"] and "received_at" not in invalid:
                    due = self._due(target["received_at"])
                target["due_at"] = due
                due_source = "computed"
                invalid.pop("due_at", None)
        raw = delta_text(layout, values, {"id": ticket_id, **target})
        changed = [name for name in DATA_FIELDS if target[name] != current[name]]
        if not changed and invalid == old_invalid and due_source == old_due_source:
            if (raw, layout_id, record_hash) != (old_raw, old_layout, old_hash):
                out.raw_updates.append((raw, layout_id, record_hash, ticket_id))
            return False
        out.updates.append(
            (
                *(target[name] for name in DATA_FIELDS),
                due_source,
                source,
                self.stamp,
                raw,
                layout_id,
                record_hash,
                json.dumps(in_field_order(invalid), ensure_ascii=False) if invalid else "{}",
                ticket_id,
            )
        )
        for name in changed:
            audit_row = self._audit_row(ticket_id, "ticket", name, current[name], target[name])
            out.audits.append(audit_row)
        if not changed:
            out.audits.append(
                self._audit_row(
                    ticket_id,
                    "ticket",
                    "invalid",
                    json.dumps(old_invalid, ensure_ascii=False, sort_keys=True),
                    json.dumps(invalid, ensure_ascii=False, sort_keys=True),
                )
            )
        return True

    def _audit_row(
        self, ticket_id: str, entity: str, name: str | None, old: Any, new: Any
    ) -> tuple[Any, ...]:
        """One row for `bulk.audit_many`: this fetch's moment, actor and command."""
        return (self.stamp, self.actor, self.command, ticket_id, entity, name, old, new)

    def _conflict(self, ticket_id: str, name: str, executor: str | None, value: str) -> None:
        if bulk.record_conflict(self.conn, ticket_id, name, executor, value, self.stamp):
            self.summary.conflicts.append(Conflict(ticket_id, name, executor, value))

    def _new_events(
        self,
        ticket_id: str,
        events: Sequence[EventItem],
        known: set[str] | None,
        rows: list[tuple[Any, ...]],
        audits: list[Any],
    ) -> int:
        if not events:
            return 0
        seen = set(known or ())
        added = 0
        for at, kind, actor, comment, raw in events:
            fingerprint = writes.event_fingerprint(at, kind, actor, comment)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            raw_text = json.dumps(raw, ensure_ascii=False, default=str)
            rows.append((ticket_id, at, kind, actor, comment, fingerprint, raw_text))
            added += 1
        if added:
            self.summary.events_added += added
            audits.append(
                self._audit_row(
                    ticket_id, "order_event", None, None, f"добавлено событий истории: {added}"
                )
            )
        return added
