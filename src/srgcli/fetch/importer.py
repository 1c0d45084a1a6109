"""`fetch`: records from exports or the ИС become tickets and order events, in one transaction.

Records go in chunks of CHUNK: grouped by their keys (shapes), checked for an id of their
own, then normalised and stored shape by shape (`fetch.store`), kept as received in compact
form (`workspace.received`). A record exactly as stored last time is recognised by its digest
and not normalised again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, cast

from srgcli.calendar import now_iso
from srgcli.exit import ExitCode, SrgError
from srgcli.fetch.files import SourceRecord
from srgcli.fetch.limits import Limits
from srgcli.fetch.store import DATA_FIELDS, EventItem, Group, Shape, Storing, pick
from srgcli.fetch.summary import FetchSummary, FetchWarning, Rejection
from srgcli.normalize.columns import ColumnNormalizer
from srgcli.normalize.fast import ValueNormalizer, as_text
from srgcli.normalize.mapping import ColumnMapper, canonical_kind, unknown_targets
from srgcli.normalize.values import normalize_datetime
from srgcli.workspace import Workspace, bulk, reads, writes
from srgcli.workspace.audit import current_actor
from srgcli.workspace.received import Layout, Layouts
from srgcli.workspace.search import defer_ticket_index

if TYPE_CHECKING:
    import sqlite3

CHUNK = 1000
_COLUMN_SET = frozenset(("id", *DATA_FIELDS))
COMMAND = "fetch"
STATE_SETTINGS = "fetch.settings"
UNREADABLE_EVENT_DATE = (
    "дата события не распознана, сохранена как получена; порядок событий может быть неверным"
)


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


def _place(source: str, line: int | None, position: int | None) -> str:
    """Where a record was, for messages: "file, строка 3" or "file, строка 1, запись №2"."""
    where = source if line is None else f"{source}, строка {line}"
    return where if position is None else f"{where}, запись №{position}"


class Importer(Storing):
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
        self.limits = Limits.of(ws.config.section("fetch"))
        self.values = ValueNormalizer(ws.config.section("fill")["order_id_pattern"])
        self.columns = ColumnNormalizer(self.values)
        self.layouts = Layouts(self.conn)
        self.summary = FetchSummary()
        self.stamp = now_iso()
        self.actor = current_actor()
        # Ticket id -> the record that brought it in this batch (source, line, array place).
        self.seen: dict[str, tuple[str, int | None, int | None]] = {}
        self.unchanged_ids: set[str] = set()
        self._pending: list[Group] = []
        self._shapes: dict[tuple[tuple[Any, ...], str | None], Shape] = {}
        self._due_cache: dict[str, str | None] = {}
        self.settings_key = settings_fingerprint(ws)
        self.same_settings = reads.get_state(ws, STATE_SETTINGS) == self.settings_key
        self._was_empty = bulk.is_empty(self.conn)
        # Into an empty tickets table, the secondary indexes of the tables an import fills
        # are dropped and built once at the end (sorted, much cheaper than row by row); the
        # search index of tickets is left stale, for the first search to rebuild.
        self._deferred_indexes = (
            bulk.defer_indexes(self.conn, ("tickets", "audit")) if self._was_empty else []
        )
        if self._was_empty:
            defer_ticket_index(self.conn)

    def _restore_indexes(self) -> None:
        deferred, self._deferred_indexes = self._deferred_indexes, []
        bulk.restore_indexes(self.conn, deferred)

    def close(self) -> None:
        """Store what the next fetch needs to know; call before committing."""
        self.flush()
        self._restore_indexes()
        if not self.same_settings:
            writes.set_state(self.conn, STATE_SETTINGS, self.settings_key)

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

    def _shape(self, keys: tuple[Any, ...], empty: str | None) -> Shape:
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
        shape = Shape(
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
        batch = self._within_limits(batch)
        if not self._take_uniform(batch, source_label, empty):
            self._take_mixed(batch, source_label, empty)
        # Records and their events are checked shape by shape: list the rejected in the
        # order of the file.
        rejected = self.summary.rejected
        if len(rejected) - rejected_before > 1:
            rejected[rejected_before:] = sorted(rejected[rejected_before:], key=Rejection.order)

    def _within_limits(self, batch: Sequence[SourceRecord]) -> Sequence[SourceRecord]:
        """The records of a chunk within [fetch]'s size bounds; the others are rejected."""
        oversize = self.limits.oversize
        kept: list[SourceRecord] = []
        for record in batch:
            data = record.data
            reason = oversize(data) if data.__class__ is dict else None
            if reason is None:
                kept.append(record)
            else:
                self.reject_record(record, reason)
        return batch if len(kept) == len(batch) else kept

    def _take_mixed(
        self, batch: Sequence[SourceRecord], source_label: str | None, empty: str | None
    ) -> None:
        """Any chunk: records of several shapes, rejected ones, repeated ids."""
        shapes: dict[Shape, list[int]] = {}
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
        received: list[Any] = [None] * len(batch)
        for shape, positions in shapes.items():
            id_keys = shape.feeds.get("id")
            if not id_keys:
                continue
            key = id_keys[0]
            for position in positions:
                data = batch[position].data
                value = data[key] if len(id_keys) == 1 else pick(data, id_keys)
                received[position] = value
                ids[position] = value.strip() if value.__class__ is str else ticket_id_of(value)
        seen = self.seen
        kept = [False] * len(batch)
        for position, record in enumerate(batch):
            ticket_id = ids[position]
            if not ticket_id:
                if record.data.__class__ is dict:
                    self.reject_record(record, "нет номера заявки")
                continue
            problem = self.limits.id_problem(received[position], ticket_id)
            if problem is not None:
                self.reject_record(record, problem)
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
        if not all(map(self.limits.id_ok, ids)):
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
        shape: Shape,
        batch: Sequence[SourceRecord],
        positions: list[int],
        ids: list[str | None],
        source_label: str | None,
    ) -> Group:
        items = [batch[p] for p in positions]
        datas = [record.data for record in items]
        events: list[list[EventItem]] | None = None
        history_keys = shape.feeds.get("history")
        if history_keys:
            events = []
            for record, data in zip(items, datas, strict=True):
                history = pick(data, history_keys)
                events.append([] if history is None else self._events(history, record))
        source = source_label or items[0].source
        return Group(shape, source, [cast(str, ids[p]) for p in positions], datas, events)

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
