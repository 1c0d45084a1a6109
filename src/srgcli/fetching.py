"""`fetch`: records from exports or the ИС become tickets and order events, in one transaction.

The upsert never loses the executor's work: fields the executor set with `fill` are not
overwritten; when the ИС sends another value, the difference is recorded as a conflict.
Records are processed in chunks with a fixed number of queries per chunk, so a large
export imports at about the speed of a plain `executemany`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from srgcli.exit import ExitCode, SrgError
from srgcli.model import EDITABLE_FIELDS
from srgcli.sources.files import Reader, SourceRecord, open_source
from srgcli.sources.mapping import ColumnMapper, canonical_kind, unknown_targets
from srgcli.sources.values import ValueNormalizer, as_text
from srgcli.validate import deadline_problem, normalize_datetime
from srgcli.workspace import Workspace, repo, upsert
from srgcli.workspace.audit import current_actor

CHUNK = 1000
# Page cache for an import (KiB, as SQLite's negative cache_size): with the default 2 MB the
# index pages are spilled to the WAL again and again during a large import.
IMPORT_CACHE_KIB = 32_000
DATA_FIELDS: tuple[str, ...] = EDITABLE_FIELDS
_DATA_SET = frozenset(DATA_FIELDS)
COMMAND = "fetch"
STATE_SETTINGS = "fetch.settings"
UNKNOWN_COLUMNS_SHOWN = 20
UNREADABLE_EVENT_DATE = (
    "дата события не распознана, сохранена как получена; порядок событий может быть неверным"
)

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
# Progress callback: (source name, bytes done, bytes in total or None).
ProgressHook = Callable[[str, int, int | None], None]
EventItem = tuple[str, str, str | None, str | None, Any]


@dataclass(frozen=True)
class Rejection:
    """A record that did not go in: where it was and why (no personal data)."""

    source: str
    line: int | None
    reason: str


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


@dataclass(slots=True)
class _Prepared:
    id: str
    source: str
    line: int | None
    mapped: dict[str, Any]
    record: Mapping[str, Any]
    text: str | None
    events: list[EventItem]
    # Filled in by flush(), only for records that need it.
    present: dict[str, str | None] = None  # type: ignore[assignment]
    invalid: dict[str, str] = None  # type: ignore[assignment]


def _flag_early_deadline(present: Mapping[str, str | None], invalid: dict[str, str]) -> None:
    """A deadline before the receipt time is kept as received but marked invalid for `fill`."""
    if "due_at" not in invalid and "received_at" not in invalid:
        reason = deadline_problem(present.get("received_at"), present.get("due_at"))
        if reason is not None:
            invalid["due_at"] = reason


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
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def ticket_id_of(value: Any) -> str | None:
    """The ticket id from a received value, or None when there is none usable."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    text, _ = as_text(value)
    text = (text or "").strip()
    return text or None


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
        self.summary = FetchSummary()
        self.stamp = repo.now_iso()
        self.actor = current_actor()
        self.seen: dict[str, tuple[str, int | None]] = {}
        self.unchanged_ids: set[str] = set()
        self._pending: list[_Prepared] = []
        self._due_cache: dict[str, str | None] = {}
        self.settings_key = settings_fingerprint(ws)
        self.same_settings = repo.get_state(ws, STATE_SETTINGS) == self.settings_key
        self._deferred_indexes = self._defer_indexes()

    def _defer_indexes(self) -> list[str]:
        """Into an empty tickets table, drop the secondary indexes of the tables an import
        fills and build them once at the end (sorted, much cheaper than row by row).
        The statements are SQLite's own copies of the schema, so the indexes come back
        exactly as they were; a rolled-back batch restores them with everything else."""
        if not self.conn.execute("select not exists (select 1 from tickets)").fetchone()[0]:
            return []
        # Only plain (non-unique) indexes: a unique one also enforces a rule while rows go in.
        plain = {
            row[1]
            for table in ("tickets", "audit")
            for row in self.conn.execute(f"pragma index_list({table})")
            if row[3] == "c" and not row[2]
        }
        indexes = [
            (name, sql)
            for name, sql in self.conn.execute(
                "select name, sql from sqlite_master where type = 'index' "
                "and tbl_name in ('tickets', 'audit') and sql is not null order by name"
            )
            if name in plain
        ]
        for name, _ in indexes:
            self.conn.execute(f'drop index "{name}"')
        return [sql for _, sql in indexes]

    def _restore_indexes(self) -> None:
        deferred, self._deferred_indexes = self._deferred_indexes, []
        for sql in deferred:
            self.conn.execute(sql)

    def close(self) -> None:
        """Store what the next fetch needs to know; call before committing."""
        self.flush()
        self._restore_indexes()
        if not self.same_settings:
            repo.set_state(self.conn, STATE_SETTINGS, self.settings_key)

    # --- records ------------------------------------------------------------------------

    def feed(
        self,
        records: Iterable[SourceRecord],
        *,
        source_label: str | None = None,
        on_chunk: Callable[[], None] | None = None,
    ) -> int:
        """Prepare and store the records of one source, chunk by chunk; returns their number."""
        count = 0
        for record in records:
            count += 1
            item = self._prepare(record, source_label or record.source)
            if item is not None:
                self._pending.append(item)
                if len(self._pending) >= CHUNK:
                    self.flush()
                    if on_chunk is not None:
                        on_chunk()
        self.flush()
        if on_chunk is not None:
            on_chunk()
        return count

    def reject(self, source: str, line: int | None, reason: str) -> None:
        """List a record that does not go in."""
        self.summary.rejected.append(Rejection(source, line, reason))

    def reject_record(self, record: SourceRecord, reason: str) -> None:
        """List a record that does not go in, named by its place in its source."""
        self.reject(record.source, record.line, place_in_array(record) + reason)

    def warn(self, source: str, line: int | None, message: str) -> None:
        """Tell the user about something that went in, but not quite as received."""
        self.summary.warnings.append(FetchWarning(source, line, message))

    def _prepare(self, record: SourceRecord, stored_source: str) -> _Prepared | None:
        data = record.data
        if not isinstance(data, dict):
            self.reject_record(record, "запись не является объектом")
            return None
        mapped = self.mapper.map(data)
        ticket_id = ticket_id_of(mapped.get("id"))
        if ticket_id is None:
            self.reject_record(record, "нет номера заявки")
            return None
        first = self.seen.get(ticket_id)
        if first is not None:
            where = f"{first[0]}, строка {first[1]}" if first[1] is not None else first[0]
            self.reject_record(
                record,
                f"номер заявки {ticket_id} повторяется в этой загрузке (впервые: {where})",
            )
            return None
        self.seen[ticket_id] = (record.source, record.line)
        events: list[EventItem] = []
        history = mapped.get("history")
        if history is not None:
            events = self._events(history, record)
        return _Prepared(ticket_id, stored_source, record.line, mapped, data, record.text, events)

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

    def _due(self, received: str | None, invalid: Mapping[str, str]) -> str | None:
        if not received or "received_at" in invalid:
            return None
        day = received[:10]
        if day not in self._due_cache:
            self._due_cache[day] = repo.compute_due(self.ws, received)
        return self._due_cache[day]

    def flush(self) -> None:
        """Store the prepared records: one lookup, then executemany per kind of write."""
        chunk, self._pending = self._pending, []
        if not chunk:
            return
        existing = upsert.existing_tickets(self.conn, [p.id for p in chunk])
        with_events = [p.id for p in chunk if p.events and p.id in existing]
        fingerprints = upsert.existing_fingerprints(self.conn, with_events) if with_events else {}
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        raw_updates: list[tuple[str, str]] = []
        audits: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        normalize = self.values.normalize_fields
        for p in chunk:
            current = existing.get(p.id)
            raw = p.text if p.text is not None else _encode(p.record)
            if current is not None and self.same_settings and current[-1] == raw:
                # The ИС sent exactly what it sent last time, under the same settings:
                # nothing can change, so the record is not even normalised again.
                self.summary.unchanged += 1
                self.unchanged_ids.add(p.id)
                continue
            p.present, p.invalid = normalize(p.mapped, _DATA_SET)
            if "due_at" in p.present:
                _flag_early_deadline(p.present, p.invalid)
            if current is None:
                self._insert(p, raw, inserts, audits)
                changed = True
            else:
                changed = self._update(p, raw, current, updates, audits)
                if not changed and current[-1] != raw:
                    raw_updates.append((raw, p.id))
            added = self._new_events(p.id, p.events, fingerprints.get(p.id), event_rows, audits)
            if current is not None:
                if changed or added:
                    self.summary.updated += 1
                else:
                    self.summary.unchanged += 1
                    self.unchanged_ids.add(p.id)
        upsert.insert_tickets(self.conn, inserts)
        upsert.update_tickets(self.conn, updates)
        upsert.update_raw(self.conn, raw_updates)
        upsert.insert_events(self.conn, event_rows)
        upsert.audit_many(self.conn, audits)

    def _raw(self, p: _Prepared) -> str:
        if p.text is not None:
            return p.text
        return _encode(p.record)

    def _insert(
        self, p: _Prepared, raw: str, inserts: list[tuple[Any, ...]], audits: list[Any]
    ) -> None:
        present = p.present
        due = present.get("due_at")
        due_source = "is" if due else "computed"
        if not due:
            due = self._due(present.get("received_at"), p.invalid)
        values = list(map(present.get, DATA_FIELDS))
        values[1] = due  # DATA_FIELDS[1] is due_at
        inserts.append(
            (
                p.id,
                *values,
                due_source,
                p.source,
                self.stamp,
                raw,
                "[]",
                json.dumps(p.invalid, ensure_ascii=False) if p.invalid else "{}",
                self.stamp,
            )
        )
        audits.append((self.stamp, self.actor, self.command, p.id, "ticket", None, None, "создана"))
        self.summary.new += 1

    def _update(
        self,
        p: _Prepared,
        raw: str,
        row: tuple[Any, ...],
        updates: list[tuple[Any, ...]],
        audits: list[Any],
    ) -> bool:
        """Refresh the ИС's fields of a stored ticket; True when anything changed."""
        current = dict(zip(DATA_FIELDS, row[1:15], strict=True))
        old_due_source, owned_text, invalid_text = row[15], row[16], row[17]  # then raw
        owned = set(json.loads(owned_text)) if owned_text != "[]" else set()
        old_invalid = json.loads(invalid_text) if invalid_text != "{}" else {}
        target = dict(current)
        invalid = {k: v for k, v in old_invalid.items() if k in owned or k not in p.present}
        for name, value in p.present.items():
            if name in owned:
                if value is not None and value != current[name]:
                    self._conflict(p.id, name, current[name], value)
                continue
            target[name] = value
            if name in p.invalid:
                invalid[name] = p.invalid[name]
        due_source = old_due_source
        if "due_at" not in owned and old_due_source != "executor":
            if p.present.get("due_at"):
                due_source = "is"
            elif "due_at" in p.present or old_due_source != "is":
                target["due_at"] = self._due(target["received_at"], invalid)
                due_source = "computed"
                invalid.pop("due_at", None)
        changed = [name for name in DATA_FIELDS if target[name] != current[name]]
        if not changed and invalid == old_invalid and due_source == old_due_source:
            return False
        updates.append(
            (
                *(target[name] for name in DATA_FIELDS),
                due_source,
                p.source,
                self.stamp,
                raw,
                json.dumps(invalid, ensure_ascii=False) if invalid else "{}",
                p.id,
            )
        )
        for name in changed:
            audits.append(
                (
                    self.stamp,
                    self.actor,
                    self.command,
                    p.id,
                    "ticket",
                    name,
                    current[name],
                    target[name],
                )
            )
        if not changed:
            audits.append(
                (
                    self.stamp,
                    self.actor,
                    self.command,
                    p.id,
                    "ticket",
                    "invalid",
                    json.dumps(old_invalid, ensure_ascii=False, sort_keys=True),
                    json.dumps(invalid, ensure_ascii=False, sort_keys=True),
                )
            )
        return True

    def _conflict(self, ticket_id: str, name: str, executor: str | None, value: str) -> None:
        if upsert.record_conflict(self.conn, ticket_id, name, executor, value, self.stamp):
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
            fingerprint = repo.event_fingerprint(at, kind, actor, comment)
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
                    exists[ticket_id] = upsert.ticket_exists(self.conn, ticket_id)
                if not exists[ticket_id]:
                    self.reject_record(record, f"заявка {ticket_id} не найдена")
                    continue
                targets = [ticket_id]
            elif order_id is not None:
                if order_id not in orders:
                    orders[order_id] = upsert.tickets_of_order(self.conn, order_id)
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
        fingerprints = upsert.existing_fingerprints(self.conn, ids)
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
        upsert.insert_events(self.conn, rows)
        upsert.audit_many(self.conn, audits)
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
    conn = ws.conn
    cache_size = conn.execute("pragma cache_size").fetchone()[0]
    conn.execute(f"pragma cache_size = {-IMPORT_CACHE_KIB}")
    try:
        conn.execute("begin immediate")
        try:
            importer = Importer(ws, command=command)
            body(importer)
            importer.close()
            summary = importer.summary
            summary.dry_run = dry_run
            summary.aborted = strict and bool(summary.rejected)
        except BaseException:
            conn.execute("rollback")
            raise
        conn.execute("rollback" if not summary.written else "commit")
    finally:
        conn.execute(f"pragma cache_size = {int(cache_size)}")
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

            importer.mapper.start_source()
            if not importer.feed(reader.records(), source_label=label, on_chunk=tick):
                importer.warn(label, None, _nothing_in(reader, "ни одной заявки"))
            _warn_unknown(importer, label, reader, importer.mapper, "заявки")
        if history_reader is not None:
            label = "stdin" if history_reader.format == "stdin" else history_reader.name
            importer.event_mapper.start_source()
            rows = importer.feed_history(history_reader.records())
            if not rows:
                importer.warn(label, None, _nothing_in(history_reader, "ни одного события"))
            _warn_unknown(importer, label, history_reader, importer.event_mapper, "события")

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
    noun = "столбцы" if reader.format in ("csv", "xlsx") else "ключи"
    message = (
        f"неизвестные {noun} {names} не загружены в поля {entity} "
        "(значения сохранены только в исходной записи)"
    )
    if entity == "заявки":  # [fetch.mapping] maps ticket columns only
        message += (
            "; если это поля заявки, сопоставьте их в srgcli.toml, раздел [fetch.mapping]: "
            f'"{unknown[0]}" = "поле"'
        )
    importer.warn(label, None, message)


def _nothing_in(reader: Reader, what: str) -> str:
    """The notice for a source that held no records (not an error: exit 0)."""
    place = "на стандартном вводе" if reader.format == "stdin" else "в файле"
    return f"{place} нет {what}"
