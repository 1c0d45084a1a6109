"""Building tickets and order histories in a real workspace, through the library as fetch would."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srgcli.calendar import now_iso
from srgcli.normalize.values import normalize_record
from srgcli.tickets import compute_due
from srgcli.workspace import Workspace, writes
from srgcli.workspace.db import transaction

# A ticket with every required field valid; tests override what they need.
GOOD_TICKET: dict[str, Any] = {
    "id": "2026-000200",
    "received_at": "2026-11-16T09:40:00+03:00",
    "client_name": "Смирнова Ольга Викторовна",
    "client_phone": "+7 916 204-31-77",
    "client_email": "o.smirnova@example.ru",
    "order_id": "ОЦ-48213",
    "order_date": "2026-10-27",
    "object_type": "квартира",
    "object_address": "г. Москва, ул. Профсоюзная, д. 93, кв. 41",
    "category": "сроки",
    "complaint_text": "Отчёт задерживается.",
}


def add_ticket(
    ws: Workspace,
    history: Iterable[Mapping[str, Any]] = (),
    **fields: Any,
) -> str:
    """Insert one ticket (GOOD_TICKET with `fields` on top) and its history; returns its id."""
    record = {**GOOD_TICKET, **fields}
    item = normalize_record(record, ws.config.section("fill")["order_id_pattern"])
    values: dict[str, Any] = dict(item.values)
    if not values.get("due_at") and "received_at" not in item.invalid:
        values["due_at"] = compute_due(ws, values.get("received_at"))
    with transaction(ws.conn):
        writes.insert_ticket(
            ws.conn,
            {
                "id": item.id,
                **values,
                "due_source": "computed",
                "source": "test",
                "fetched_at": now_iso(),
                "raw": record,
                "invalid": item.invalid,
            },
            command="test",
        )
        writes.insert_events(ws.conn, item.id, list(history))
    return item.id


def table_dump(ws: Workspace, *tables: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the given tables, to compare a workspace before and after a command."""
    return {
        name: [tuple(row) for row in ws.conn.execute(f"select * from {name} order by rowid")]
        for name in tables
    }
