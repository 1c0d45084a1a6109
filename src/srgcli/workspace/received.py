"""The record as received, kept compactly: a shared layout plus what the stored fields lack.

The records of one export share their keys, and most received values are stored as they
came. So a ticket keeps the id of its record's *layout* (the keys in order, each with the
ticket column it feeds, and how the source writes an empty value) and, in `tickets.raw`, only
the received values that the stored columns do not give back. `rebuild()` restores the record
exactly; whoever changes a ticket's columns (fetch, fill) stores the delta again with
`delta()` against the new values, so the record can always be rebuilt.

A ticket stored before layouts existed has no layout id and its `raw` is the whole record.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


@dataclass(frozen=True, slots=True)
class Layout:
    """The keys of a received record, the column each feeds (None: none), the empty value."""

    keys: tuple[str, ...]
    columns: tuple[str | None, ...]
    empty: str | None = None

    def naive(self, column: str, stored: Mapping[str, Any]) -> Any:
        """What a key feeding `column` is taken to have held when the delta has no entry."""
        value = stored.get(column)
        return self.empty if value is None else value

    def to_text(self) -> str:
        data = {"keys": list(self.keys), "columns": list(self.columns), "empty": self.empty}
        return _encode(data)

    @classmethod
    def from_text(cls, text: str) -> Layout:
        data = json.loads(text)
        return cls(tuple(data["keys"]), tuple(data["columns"]), data["empty"])


def delta(layout: Layout, values: Sequence[Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """The received values (in layout order) that the stored columns do not give back.

    Stored values are text or None, so a received number or `true` is always kept here.
    """
    result: dict[str, Any] = {}
    for key, column, value in zip(layout.keys, layout.columns, values, strict=True):
        if column is None or value != layout.naive(column, stored):
            result[key] = value
    return result


def delta_text(layout: Layout, values: Sequence[Any], stored: Mapping[str, Any]) -> str:
    """`delta()` as stored in `tickets.raw`."""
    found = delta(layout, values, stored)
    if not found:
        return "{}"
    return "{" + ",".join(_entry(key, value) for key, value in found.items()) + "}"


_quote = json.encoder.encode_basestring  # the C encoder json.dumps uses with ensure_ascii=False


def _entry(key: str, value: Any) -> str:
    """One `"key":value` of a delta, written as json.dumps(..., ensure_ascii=False) would."""
    return _quote(key) + ":" + _value(value)


def rebuild(
    layout: Layout, delta_value: Mapping[str, Any], stored: Mapping[str, Any]
) -> dict[str, Any]:
    """The record exactly as received."""
    record: dict[str, Any] = {}
    for key, column in zip(layout.keys, layout.columns, strict=True):
        if key in delta_value or column is None:
            record[key] = delta_value.get(key)
        else:
            record[key] = layout.naive(column, stored)
    return record


class Layouts:
    """The layouts of one workspace by id, created on first use inside the caller's
    transaction (a rolled-back import leaves none behind)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._ids: dict[Layout, int] = {}
        self._layouts: dict[int, Layout] = {}

    def id_of(self, layout: Layout) -> int:
        """The id of a layout, stored now if it is new."""
        found = self._ids.get(layout)
        if found is not None:
            return found
        text = layout.to_text()
        select = "select id from record_layouts where layout = ?"
        row = self.conn.execute(select, (text,)).fetchone()
        if row is None:
            cur = self.conn.execute("insert into record_layouts (layout) values (?)", (text,))
            layout_id = int(cur.lastrowid or 0)
        else:
            layout_id = int(row[0])
        self._ids[layout] = layout_id
        self._layouts[layout_id] = layout
        return layout_id

    def get(self, layout_id: int) -> Layout:
        """The layout with this id."""
        found = self._layouts.get(layout_id)
        if found is None:
            row = self.conn.execute(
                "select layout from record_layouts where id = ?", (layout_id,)
            ).fetchone()
            if row is None:
                raise LookupError(f"record layout {layout_id} is missing")
            found = Layout.from_text(row[0])
            self._layouts[layout_id] = found
            self._ids[found] = layout_id
        return found


def received_record(
    conn: sqlite3.Connection, layout_id: int | None, raw: str | None, stored: Mapping[str, Any]
) -> dict[str, Any]:
    """A ticket's record as received, from its stored row (old rows keep the whole record)."""
    value = json.loads(raw) if raw and raw != "{}" else {}
    if layout_id is None:
        return value if isinstance(value, dict) else {}
    return rebuild(Layouts(conn).get(layout_id), value, stored)


def keep_received(conn: sqlite3.Connection, ticket_id: str) -> Callable[[], None]:
    """Call before changing a ticket's columns; call what it returns afterwards: the record
    as received is then stored again against the new values, so it can still be rebuilt."""
    row = conn.execute("select * from tickets where id = ?", (ticket_id,)).fetchone()
    if row is None or row["raw_layout"] is None:
        return lambda: None
    layouts = Layouts(conn)
    layout = layouts.get(int(row["raw_layout"]))
    record = received_record(conn, int(row["raw_layout"]), row["raw"], dict(row))

    def store() -> None:
        after = conn.execute("select * from tickets where id = ?", (ticket_id,)).fetchone()
        values = [record.get(key) for key in layout.keys]
        conn.execute(
            "update tickets set raw = ? where id = ?",
            (delta_text(layout, values, dict(after)), ticket_id),
        )

    return store


def delta_texts(
    layout: Layout,
    received: Sequence[Sequence[Any]],
    stored: Mapping[str, Sequence[Any]],
    count: int,
) -> list[str]:
    """`delta_text()` for many records of one layout at once, column by column.

    `received` holds one list of values per key of the layout; `stored` one list of
    stored values per column.
    """
    parts: list[list[str]] = []  # per key with any difference: its entry in each delta, or ""
    empty = layout.empty
    for key, column, values in zip(layout.keys, layout.columns, received, strict=True):
        prefix = _quote(key) + ":"
        if column is None:
            parts.append([prefix + _value(value) for value in values])
            continue
        column_values = stored[column]
        naive = (
            column_values
            if None not in column_values
            else [empty if value is None else value for value in column_values]
        )
        if values != naive:
            quote, encode = _quote, _encode
            parts.append(
                [
                    ""
                    if value == known
                    else prefix + (quote(value) if value.__class__ is str else encode(value))
                    for value, known in zip(values, naive, strict=True)
                ]
            )
    if not parts:
        return ["{}"] * count
    if len(parts) == 1:
        return ["{" + entry + "}" for entry in parts[0]]
    return ["{" + ",".join(filter(None, entries)) + "}" for entries in zip(*parts, strict=True)]


def _value(value: Any) -> str:
    return _quote(value) if value.__class__ is str else _encode(value)


_FIELD_SEP = "\x1e"  # record separator: between the values of a record for its digest


def record_hashes(received: Sequence[Sequence[Any]], count: int) -> list[str]:
    """A digest of each record as received (its values in layout order; the layout itself
    is compared separately), for many records of one layout at once."""
    import hashlib

    blake = hashlib.blake2b
    separators = len(received) - 1
    texts: list[str] = []
    for values in zip(*received, strict=True):
        try:
            text = "t" + _FIELD_SEP.join(values)
        except TypeError:  # a number, a list…
            text = ""
        # Text values are joined when that splits back unambiguously, anything else is JSON;
        # the first letter keeps the two forms apart.
        if not text or text.count(_FIELD_SEP) != separators:
            text = "j" + _encode(list(values))
        texts.append(text)
    if not received:
        texts = [""] * count
    return [
        blake(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest() for text in texts
    ]
