"""`fetch`: records from exports or the ИС become tickets and order events, in one transaction.

The upsert never loses the executor's work: fields the executor set with `fill` are not
overwritten; when the ИС sends another value, the difference is recorded as a conflict.
Records go in chunks of CHUNK: grouped by their keys, normalised column by column
(`normalize.columns`), kept as received in compact form (`workspace.received`), and written
with a fixed number of queries per chunk. A record exactly as stored last time is
recognised by its digest and not normalised again.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import IO, Any, cast

from srgcli.calendar import now_iso
from srgcli.exit import ExitCode, SrgError
from srgcli.model import EDITABLE_FIELDS
from srgcli.normalize.columns import ColumnNormalizer
from srgcli.normalize.fast import ValueNormalizer, as_text
from srgcli.normalize.mapping import ColumnMapper, canonical_kind, unknown_targets
from srgcli.normalize.values import deadline_problem, normalize_datetime
from srgcli.sources.files import Reader, SourceRecord, open_source
from srgcli.tickets import compute_due
from srgcli.workspace import Workspace, bulk, reads, writes
from srgcli.workspace.audit import current_actor
from srgcli.workspace.db import bulk_journal
from srgcli.workspace.received import Layout, Layouts, delta_text, delta_texts, record_hashes

CHUNK = 1000
# Page cache for an import (KiB, as SQLite's negative cache_size): with the default 2 MB the
# index pages are spilled to the WAL again and again during a large import.
IMPORT_CACHE_KIB = 32_000
DATA_FIELDS: tuple[str, ...] = EDITABLE_FIELDS
_COLUMN_SET = frozenset(("id", *DATA_FIELDS))
COMMAND = "fetch"
STATE_SETTINGS = "fetch.settings"
UNKNOWN_COLUMNS_SHOWN = 20
UNREADABLE_EVENT_DATE = (
    "дата события не распознана, сохранена как получена; порядок событий может быть неверным"
)

# Progress callback: (source name, bytes done, bytes in total or None).
ProgressHook = Callable[[str, int, int | None], None]
EventItem = tuple[str, str, str | None, str | None, Any]


@dataclass(frozen=True)
class Rejection:
    """A record that did not go in: where it was and why (no personal data)."""

    source: str
    line: int | None
    reason: str
    # The record's number in a JSON array (records of a one-line array share a line).
    position: int | None = None

    def order(self) -> tuple[bool, int, int]:
        """Where the record was in its source, for listing rejections in file order."""
        return (self.line is None, self.line or 0, self.position or 0)


@dataclass(frozen=True)
class FetchWarning:
    """Something the user should know about a source that still went in (no personal data)."""

    source: str
    line: int | None
    message: str


@dataclass(frozen=True)
class Conflict:
    """The ИС sent a value for a field the executor set with `fill`; the executor's is kept."""

    ticket_id: str
    field: str
    executor_value: str | None
    is_value: str | None


@dataclass
class FetchSummary:
    """What a fetch did (or, with --dry-run or an aborted --strict batch, would have done)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events_added: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[FetchWarning] = field(default_factory=list)
    dry_run: bool = False
    aborted: bool = False

    @property
    def written(self) -> bool:
        """True when the changes were committed."""
        return not (self.dry_run or self.aborted)


def summary_json(summary: FetchSummary) -> dict[str, Any]:
    """`fetch --json` as DESIGN.md fixes it, plus "warnings" (records that went in with a
    caveat, sources that held nothing)."""
    return {
        "new": summary.new,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "conflicts": [
            {
                "ticket_id": c.ticket_id,
                "field": c.field,
                "executor_value": c.executor_value,
                "is_value": c.is_value,
            }
            for c in summary.conflicts
        ],
        "rejected": [
            {"source": r.source, "line": r.line, "reason": r.reason} for r in summary.rejected
        ],
        "warnings": [
            {"source": w.source, "line": w.line, "message": w.message} for w in summary.warnings
        ],
    }


@dataclass(frozen=True, slots=True, eq=False)  # one object per key set: compared by identity
class _Shape:
    """How records with one set of keys feed the ticket's columns (planned once per key set)."""

    layout: Layout
    # Column ("id", a data field or "history") -> the keys feeding it, in record order.
    feeds: dict[str, tuple[str, ...]]


@dataclass(slots=True)
class _Group:
    """Records of one shape from one source, ready to store (valid, unique ids)."""

    shape: _Shape
    source: str  # as stored in tickets.source
    ids: list[str]
    records: list[dict[str, Any]]
    events: list[list[EventItem]] | None  # per record, when the shape has a history


def place_in_array(record: SourceRecord) -> str:
    """ "запись №N: " for an element of a JSON array, else "": on a one-line array every
    record is on line 1, so the line alone does not find it."""
    return "" if record.position is None else f"запись №{record.position}: "


def settings_fingerprint(ws: Workspace) -> str:
    """What the stored values of a record depend on besides the record itself."""
    import hashlib

    from srgcli import __version__

    config = ws.config
    payload = json.dumps(
        [
            __version__,
            config.section("fetch.mapping"),
            config.section("fill"),
            config.section("sla"),
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def ticket_id_of(value: Any) -> str | None:
    """The ticket id from a received value, or None when there is none usable."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    text, _ = as_text(value)
    text = (text or "").strip()
    return text or None


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


def _pick(record: Mapping[str, Any], keys: Sequence[str]) -> Any:
    """The value of a column fed by several keys: the first non-empty one, as ColumnMapper
    maps a record."""
    value = record[keys[0]]
    for key in keys[1:]:
        if value in (None, ""):
            value = record[key]
    return value


def _place(source: str, line: int | None, position: int | None) -> str:
    """Where a record was, for messages: "file, строка 3" or "file, строка 1, запись №2"."""
    where = source if line is None else f"{source}, строка {line}"
    return where if position is None else f"{where}, запись №{position}"


def _in_field_order(invalid: Mapping[str, str]) -> dict[str, str]:
    return {name: invalid[name] for name in DATA_FIELDS if name in invalid}


class Importer:
    """Turns records into tickets and events; call inside a transaction, then finish()."""

    def __init__(self, ws: Workspace, *, command: str = COMMAND) -> None:
        self.ws = ws
        self.command = command
        self.conn: sqlite3.Connection = ws.conn
        mapping = ws.config.section("fetch.mapping")
        wrong = unknown_targets(mapping)
        if wrong:
            raise SrgError(
                f"[fetch.mapping]: неизвестное поле заявки «{wrong[0]}».",
                ExitCode.USAGE,
                hint="Допустимые поля: " + ", ".join((*DATA_FIELDS, "id", "history")) + ".",
            )
        self.mapper = ColumnMapper(mapping)
        self.event_mapper = ColumnMapper(events=True)
        self.values = ValueNormalizer(ws.config.section("fill")["order_id_pattern"])
        self.columns = ColumnNormalizer(self.values)
        self.layouts = Layouts(self.conn)
        self.summary = FetchSummary()
        self.stamp = now_iso()
        self.actor = current_actor()
        # Ticket id -> the record that brought it in this batch (source, line, array place).
        self.seen: dict[str, tuple[str, int | None, int | None]] = {}
        self.unchanged_ids: set[str] = set()
        self._pending: list[_Group] = []
        self._shapes: dict[tuple[tuple[Any, ...], str | None], _Shape] = {}
        self._due_cache: dict[str, str | None] = {}
        self.settings_key = settings_fingerprint(ws)
        self.same_settings = reads.get_state(ws, STATE_SETTINGS) == self.settings_key
        self._was_empty = bulk.is_empty(self.conn)
        # Into an empty tickets table, the secondary indexes of the tables an import fills
        # are dropped and built once at the end (sorted, much cheaper than row by row).
        self._deferred_indexes = (
            bulk.defer_indexes(self.conn, ("tickets", "audit")) if self._was_empty else []
        )

    def _restore_indexes(self) -> None:
        deferred, self._deferred_indexes = self._deferred_indexes, []
        bulk.restore_indexes(self.conn, deferred)

    def close(self) -> None:
        """Store what the next fetch needs to know; call before committing."""
        self.flush()
        self._restore_indexes()
        if not self.same_settings:
            writes.set_state(self.conn, STATE_SETTINGS, self.settings_key)

    # --- records ------------------------------------------------------------------------

    def feed(
        self,
        records: Iterable[SourceRecord],
        *,
        source_label: str | None = None,
        on_chunk: Callable[[], None] | None = None,
        empty: str | None = None,
    ) -> int:
        """Prepare and store the records of one source, chunk by chunk; returns their number.
        `empty` is how the source writes an empty value ("" for CSV), so such values need no
        room in `raw`."""
        stream = iter(records)
        count = 0
        while True:
            batch = list(islice(stream, CHUNK))
            count += len(batch)
            self._take(batch, source_label, empty)
            self.flush()
            if on_chunk is not None:
                on_chunk()
            if len(batch) < CHUNK:
                return count

    def reject(
        self, source: str, line: int | None, reason: str, position: int | None = None
    ) -> None:
        """List a record that does not go in."""
        self.summary.rejected.append(Rejection(source, line, reason, position))

    def reject_record(self, record: SourceRecord, reason: str) -> None:
        """List a record that does not go in, named by its place in its source."""
        self.reject(record.source, record.line, place_in_array(record) + reason, record.position)

    def warn(self, source: str, line: int | None, message: str) -> None:
        """Tell the user about something that went in, but not quite as received."""
        self.summary.warnings.append(FetchWarning(source, line, message))

    def start_source(self) -> None:
        """Call before each source: its unknown columns are noticed (and named) anew."""
        self.mapper.start_source()
        self._shapes.clear()

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

    def _shape(self, keys: tuple[Any, ...], empty: str | None) -> _Shape:
        found = self._shapes.get((keys, empty))
        if found is not None:
            return found
        columns: list[str | None] = []
        feeds: dict[str, list[str]] = {}
        for key in keys:
            name = self.mapper.field(key) if isinstance(key, str) else None
            if name is not None:
                feeds.setdefault(name, []).append(key)
            columns.append(name if name in _COLUMN_SET else None)
        shape = _Shape(
            Layout(tuple(map(str, keys)), tuple(columns), empty),
            {name: tuple(group) for name, group in feeds.items()},
        )
        if len(self._shapes) > 1000:
            self._shapes.clear()
        self._shapes[(keys, empty)] = shape
        return shape

    def _take(
        self, batch: Sequence[SourceRecord], source_label: str | None, empty: str | None
    ) -> None:
        """Check a chunk's records (objects with a new, unique id) and group them by shape."""
        rejected_before = len(self.summary.rejected)
        if not self._take_uniform(batch, source_label, empty):
            self._take_mixed(batch, source_label, empty)
        # Records and their events are checked shape by shape: list the rejected in the
        # order of the file.
        rejected = self.summary.rejected
        if len(rejected) - rejected_before > 1:
            rejected[rejected_before:] = sorted(rejected[rejected_before:], key=Rejection.order)

    def _take_mixed(
        self, batch: Sequence[SourceRecord], source_label: str | None, empty: str | None
    ) -> None:
        """Any chunk: records of several shapes, rejected ones, repeated ids."""
        shapes: dict[_Shape, list[int]] = {}
        shape_of = self._shape
        for position, record in enumerate(batch):
            data = record.data
            if data.__class__ is not dict:
                self.reject_record(record, "запись не является объектом")
                continue
            shape = shape_of(tuple(data), empty)
            found = shapes.get(shape)
            if found is None:
                shapes[shape] = [position]
            else:
                found.append(position)
        # Ids are read shape by shape, then checked in the order of the records, so the
        # first of two records with one id is the one that goes in.
        ids: list[str | None] = [None] * len(batch)
        for shape, positions in shapes.items():
            id_keys = shape.feeds.get("id")
            if not id_keys:
                continue
            key = id_keys[0]
            for position in positions:
                data = batch[position].data
                value = data[key] if len(id_keys) == 1 else _pick(data, id_keys)
                ids[position] = value.strip() if value.__class__ is str else ticket_id_of(value)
        seen = self.seen
        kept = [False] * len(batch)
        for position, record in enumerate(batch):
            ticket_id = ids[position]
            if not ticket_id:
                if record.data.__class__ is dict:
                    self.reject_record(record, "нет номера заявки")
                continue
            first = seen.get(ticket_id)
            if first is not None:
                where = _place(*first)
                self.reject_record(
                    record,
                    f"номер заявки {ticket_id} повторяется в этой загрузке (впервые: {where})",
                )
                continue
            seen[ticket_id] = (record.source, record.line, record.position)
            kept[position] = True
        for shape, positions in shapes.items():
            chosen = [p for p in positions if kept[p]]
            if chosen:
                self._pending.append(self._group(shape, batch, chosen, ids, source_label))

    def _take_uniform(
        self, batch: Sequence[SourceRecord], source_label: str | None, empty: str | None
    ) -> bool:
        """The usual chunk, taken without a loop in Python: objects with the same keys, each
        with a new id of its own. False (nothing done) for anything else."""
        if not batch:
            return True
        datas = [record.data for record in batch]
        if not all(data.__class__ is dict for data in datas):
            return False
        keys = list(map(tuple, datas))
        if keys.count(keys[0]) != len(keys):
            return False
        shape = self._shape(keys[0], empty)
        id_keys = shape.feeds.get("id")
        if id_keys is None or len(id_keys) != 1:
            return False
        given = [data[id_keys[0]] for data in datas]
        if not all(value.__class__ is str for value in given):
            return False
        ids = [value.strip() for value in given]
        if not all(ids) or len(set(ids)) != len(ids) or not self.seen.keys().isdisjoint(ids):
            return False
        self.seen.update(
            (ticket_id, (record.source, record.line, record.position))
            for ticket_id, record in zip(ids, batch, strict=True)
        )
        self._pending.append(
            self._group(shape, batch, list(range(len(batch))), list(ids), source_label)
        )
        return True

    def _group(
        self,
        shape: _Shape,
        batch: Sequence[SourceRecord],
        positions: list[int],
        ids: list[str | None],
        source_label: str | None,
    ) -> _Group:
        items = [batch[p] for p in positions]
        datas = [record.data for record in items]
        events: list[list[EventItem]] | None = None
        history_keys = shape.feeds.get("history")
        if history_keys:
            events = []
            for record, data in zip(items, datas, strict=True):
                history = _pick(data, history_keys)
                events.append([] if history is None else self._events(history, record))
        source = source_label or items[0].source
        return _Group(shape, source, [cast(str, ids[p]) for p in positions], datas, events)

    def _events(self, history: Any, record: SourceRecord) -> list[EventItem]:
        if isinstance(history, str):
            if not history.strip():
                return []
            try:
                history = json.loads(history)
            except (ValueError, RecursionError):
                self.reject_record(record, "история заказа: неверный JSON")
                return []
        if not isinstance(history, list):
            self.reject_record(record, "история заказа должна быть списком событий")
            return []
        events = []
        for number, item in enumerate(history, start=1):
            event = self.event(item, record, number)
            if isinstance(event, str):
                self.reject_record(record, f"событие истории №{number}: {event}")
            else:
                events.append(event)
        return events

    def event(
        self, item: Any, origin: SourceRecord | None = None, number: int | None = None
    ) -> EventItem | str:
        """An order event from a received item, or the reason it cannot be one.

        A date that cannot be read is kept as received, with a warning naming `origin`
        (the record it came in) and `number` (its place in the record's history).
        """
        if not isinstance(item, dict):
            return "не является объектом"
        mapped = self.event_mapper.map(item)
        at, _ = as_text(mapped.get("at"))
        kind, _ = as_text(mapped.get("kind"))
        if not at or not at.strip():
            return "нет даты события"
        if not kind or not kind.strip():
            return "нет вида события"
        try:
            at = normalize_datetime(at)
        except ValueError:
            at = at.strip()
            if origin is not None:
                place = f"событие истории №{number}: " if number is not None else ""
                self.warn(
                    origin.source,
                    origin.line,
                    place_in_array(origin) + place + UNREADABLE_EVENT_DATE,
                )
        actor, _ = as_text(mapped.get("actor"))
        comment, _ = as_text(mapped.get("comment"))
        return (
            at,
            canonical_kind(kind),
            (actor or "").strip() or None,
            (comment or "").strip() or None,
            item,
        )

    # --- storing ------------------------------------------------------------------------

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
        for group in groups:
            self._store(group, known, out)
        bulk.insert_tickets(self.conn, out.inserts, (self.stamp, self.actor, self.command))
        bulk.update_tickets(self.conn, out.updates)
        bulk.update_raw(self.conn, out.raw_updates)
        bulk.insert_events(self.conn, out.events)
        bulk.audit_many(self.conn, out.audits)

    def _store(
        self,
        group: _Group,
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
                group = _Group(
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
        self, group: _Group, received: list[list[Any]], hashes: list[str], layout_id: int
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
                    else [_pick(record, keys) for record in group.records]
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
        for index, bad in invalid.items():
            invalid_texts[index] = json.dumps(bad, ensure_ascii=False)
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
        group: _Group,
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
                json.dumps(_in_field_order(invalid), ensure_ascii=False) if invalid else "{}",
                ticket_id,
            )
        )
        for name in changed:
            out.audits.append(
                (
                    self.stamp,
                    self.actor,
                    self.command,
                    ticket_id,
                    "ticket",
                    name,
                    current[name],
                    target[name],
                )
            )
        if not changed:
            out.audits.append(
                (
                    self.stamp,
                    self.actor,
                    self.command,
                    ticket_id,
                    "ticket",
                    "invalid",
                    json.dumps(old_invalid, ensure_ascii=False, sort_keys=True),
                    json.dumps(invalid, ensure_ascii=False, sort_keys=True),
                )
            )
        return True

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
                (
                    self.stamp,
                    self.actor,
                    self.command,
                    ticket_id,
                    "order_event",
                    None,
                    None,
                    f"добавлено событий истории: {added}",
                )
            )
        return added

    # --- a separate history file ----------------------------------------------------------

    def feed_history(self, records: Iterable[SourceRecord]) -> int:
        """Order events from a history export, each row naming a ticket or an order;
        returns the number of rows read."""
        self.flush()
        self._restore_indexes()  # rows are looked up by order id
        by_ticket: dict[str, list[EventItem]] = {}
        exists: dict[str, bool] = {}
        orders: dict[str, list[str]] = {}
        count = 0
        for record in records:
            count += 1
            if not isinstance(record.data, dict):
                self.reject_record(record, "запись не является объектом")
                continue
            mapped = self.event_mapper.map(record.data)
            ticket_id = ticket_id_of(mapped.get("ticket_id"))
            order_id = ticket_id_of(mapped.get("order_id"))
            targets: list[str] = []
            if ticket_id is not None:
                if ticket_id not in exists:
                    exists[ticket_id] = bulk.ticket_exists(self.conn, ticket_id)
                if not exists[ticket_id]:
                    self.reject_record(record, f"заявка {ticket_id} не найдена")
                    continue
                targets = [ticket_id]
            elif order_id is not None:
                if order_id not in orders:
                    orders[order_id] = bulk.tickets_of_order(self.conn, order_id)
                targets = orders[order_id]
                if not targets:
                    self.reject_record(record, f"нет заявок по заказу {order_id}")
                    continue
            else:
                self.reject_record(record, "нет номера заявки или заказа")
                continue
            event = self.event(record.data, record)
            if isinstance(event, str):
                self.reject_record(record, event)
                continue
            for target in targets:
                by_ticket.setdefault(target, []).append(event)
        ids = list(by_ticket)
        fingerprints = bulk.existing_fingerprints(self.conn, ids)
        rows: list[tuple[Any, ...]] = []
        audits: list[tuple[Any, ...]] = []
        for ticket_id in ids:
            added = self._new_events(
                ticket_id, by_ticket[ticket_id], fingerprints.get(ticket_id), rows, audits
            )
            if added and ticket_id in self.unchanged_ids:
                self.unchanged_ids.discard(ticket_id)
                self.summary.unchanged -= 1
                self.summary.updated += 1
            elif added and ticket_id not in self.seen:
                self.summary.updated += 1
        bulk.insert_events(self.conn, rows)
        bulk.audit_many(self.conn, audits)
        return count


def run_batch(
    ws: Workspace,
    body: Callable[[Importer], None],
    *,
    strict: bool = False,
    dry_run: bool = False,
    command: str = COMMAND,
) -> FetchSummary:
    """Run `body` with an Importer in one transaction: committed, or rolled back for
    --dry-run, for --strict with rejections, and on any error."""
    # An import allocates millions of short-lived dicts, lists and tuples and builds no
    # reference cycles: the cyclic collector would only rescan them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with bulk_journal(ws.conn), bulk.page_cache(ws.conn, IMPORT_CACHE_KIB):
            return _in_transaction(ws, body, strict=strict, dry_run=dry_run, command=command)
    finally:
        if collecting:
            gc.enable()


def _in_transaction(
    ws: Workspace,
    body: Callable[[Importer], None],
    *,
    strict: bool,
    dry_run: bool,
    command: str,
) -> FetchSummary:
    with bulk.batch_transaction(ws.conn) as batch:
        importer = Importer(ws, command=command)
        body(importer)
        importer.close()
        summary = importer.summary
        summary.dry_run = dry_run
        summary.aborted = strict and bool(summary.rejected)
        batch.commit = summary.written
    return summary


def import_files(
    ws: Workspace,
    sources: Sequence[str],
    *,
    history: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    stdin: IO[bytes] | None = None,
    progress: ProgressHook | None = None,
) -> FetchSummary:
    """Import tickets from export files (and '-' for stdin), then an optional history file.

    A file that cannot be parsed raises BrokenSource and nothing is written.
    """
    readers: list[Reader] = []
    try:
        for name in sources:
            readers.append(open_source(name, stdin))
        history_reader = open_source(history, stdin) if history else None
    except BaseException:
        for reader in readers:
            reader.close()
        raise
    return import_readers(
        ws, readers, history_reader, strict=strict, dry_run=dry_run, progress=progress
    )


def import_readers(
    ws: Workspace,
    readers: Sequence[Reader],
    history_reader: Reader | None = None,
    *,
    strict: bool = False,
    dry_run: bool = False,
    progress: ProgressHook | None = None,
    source_label: str | None = None,
    command: str = COMMAND,
) -> FetchSummary:
    """Import from open readers in one transaction; the readers are closed afterwards."""

    def body(importer: Importer) -> None:
        for reader in readers:
            label = source_label or ("stdin" if reader.format == "stdin" else reader.name)

            def tick(reader: Reader = reader) -> None:
                if progress is not None:
                    progress(reader.name, reader.position, reader.size)

            importer.start_source()
            read = importer.feed(
                reader.records(), source_label=label, on_chunk=tick, empty=reader.empty
            )
            if not read:
                importer.warn(reader.name, None, _nothing_in(reader, "ни одной заявки"))
            _warn_unknown(importer, reader.name, reader, importer.mapper, "заявки")
        if history_reader is not None:
            importer.event_mapper.start_source()
            rows = importer.feed_history(history_reader.records())
            if not rows:
                importer.warn(
                    history_reader.name, None, _nothing_in(history_reader, "ни одного события")
                )
            _warn_unknown(
                importer, history_reader.name, history_reader, importer.event_mapper, "события"
            )

    try:
        return run_batch(ws, body, strict=strict, dry_run=dry_run, command=command)
    finally:
        for reader in readers:
            reader.close()
        if history_reader is not None:
            history_reader.close()


def _warn_unknown(
    importer: Importer, label: str, reader: Reader, mapper: ColumnMapper, entity: str
) -> None:
    """One warning per source naming the columns that went into no field of the `entity`
    (headers are not personal data); their values stay in the record as received."""
    unknown = mapper.unknown_keys()
    if not unknown:
        return
    names = ", ".join(f"«{name}»" for name in unknown[:UNKNOWN_COLUMNS_SHOWN])
    if len(unknown) > UNKNOWN_COLUMNS_SHOWN:
        names += f" и ещё {len(unknown) - UNKNOWN_COLUMNS_SHOWN}"
    table = reader.format in ("csv", "xlsx")
    if len(unknown) == 1:
        noun = "неизвестный столбец" if table else "неизвестный ключ"
        message = (
            f"{noun} {names} не загружен в поля {entity} "
            "(его значения сохранены только в исходной записи)"
        )
    else:
        noun = "неизвестные столбцы" if table else "неизвестные ключи"
        message = (
            f"{noun} {names} не загружены в поля {entity} "
            "(их значения сохранены только в исходной записи)"
        )
    if entity == "заявки":  # [fetch.mapping] maps ticket columns only
        them = "это поле" if len(unknown) == 1 else "это поля"
        message += (
            f"; если {them} заявки, сопоставьте в srgcli.toml, раздел [fetch.mapping]: "
            f'"{unknown[0]}" = "поле"'
        )
    importer.warn(label, None, message)


def _nothing_in(reader: Reader, what: str) -> str:
    """The notice for a source that held no records (not an error: exit 0)."""
    place = "на стандартном вводе" if reader.format == "stdin" else "в файле"
    return f"{place} нет {what}"
