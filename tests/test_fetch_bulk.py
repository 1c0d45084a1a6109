"""Large imports over several chunks: into an empty table and next to a stored ticket they give
the same rows, and a failure in a later chunk still leaves nothing behind."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from srgcli.fetch import CHUNK, import_files
from srgcli.search import refresh_index
from srgcli.workspace import create_workspace
from tests.builders import table_dump, ticket_record

COUNT = CHUNK * 2 + 37


def _records() -> list[str]:
    lines = []
    for n in range(COUNT):
        extra: dict[str, object] = {"client_phone": f"8 916 {n:07d}"}
        if n % 7 == 0:
            extra["received_at"] = "бред"  # invalid: kept as received, no deadline
        if n % 5 == 0:
            extra["history"] = [{"at": "01.11.2026 10:00", "kind": "Создан заказ"}]
        lines.append(json.dumps(ticket_record(f"2026-{n:06d}", **extra), ensure_ascii=False))
    return lines


def _tickets_and_events(root: Path) -> dict[str, list[tuple[object, ...]]]:
    snap = table_dump(root / "srgcli.db")
    # Layout ids depend on what came first; the layouts themselves must be the same.
    layouts = {row[0]: row[1] for row in snap["record_layouts"]}
    return {
        # The last two columns: raw_layout, received_hash.
        "tickets": [
            (*r[:-2], layouts[r[-2]], r[-1]) for r in snap["tickets"] if r[0] != "2026-999999"
        ],
        "order_events": sorted((r[1:] for r in snap["order_events"]), key=repr),
        "audit": sorted((r[1:] for r in snap["audit"] if r[4] != "2026-999999"), key=repr),
    }


def test_chunked_import_gives_the_same_rows_into_empty_and_used_tables(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(_records()) + "\n", "utf-8")
    empty = create_workspace(tmp_path / "empty")
    summary = import_files(empty, [str(path)])
    empty.close()
    assert (summary.new, summary.updated, summary.events_added) == (COUNT, 0, (COUNT + 4) // 5)
    # A ticket already stored: every chunk looks up existing rows.
    other = create_workspace(tmp_path / "other")
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps([ticket_record("2026-999999")], ensure_ascii=False), "utf-8")
    import_files(other, [str(seed)])
    assert import_files(other, [str(path)]).new == COUNT
    other.close()
    first, second = _tickets_and_events(tmp_path / "empty"), _tickets_and_events(tmp_path / "other")
    assert len(first["tickets"]) == COUNT
    assert len(first["audit"]) == COUNT + (COUNT + 4) // 5
    assert first == second


def test_broken_line_after_chunks_written_leaves_workspace_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(_records()) + '\n{"id": \n', "utf-8")
    ws = create_workspace(tmp_path / "ws")
    before = table_dump(tmp_path / "ws" / "srgcli.db")
    try:
        import_files(ws, [str(path)])
    except Exception as exc:  # BrokenSource: the file, line and column
        assert f"строка {COUNT + 1}" in str(exc)
    else:
        raise AssertionError("a broken file must not be imported")
    assert table_dump(tmp_path / "ws" / "srgcli.db") == before
    assert not ws.conn.in_transaction
    ws.close()


def _schema(root: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        return sorted(conn.execute("select type, name, tbl_name, sql from sqlite_master"))
    finally:
        conn.close()


def test_first_import_leaves_the_schema_exactly_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(_records()) + "\n", "utf-8")
    root = tmp_path / "ws"
    ws = create_workspace(root)
    schema = _schema(root)
    assert any(row[1] == "tickets_order_id" for row in schema)
    assert import_files(ws, [str(path)], dry_run=True).new == COUNT
    assert _schema(root) == schema
    assert import_files(ws, [str(path)]).new == COUNT
    # Only the search index's triggers on tickets wait, for the first search to bring back.
    deferred = {"tickets_ai", "tickets_au", "tickets_ad"}
    assert _schema(root) == [row for row in schema if row[1] not in deferred]
    assert refresh_index(ws)
    assert _schema(root) == schema
    plan = ws.conn.execute(
        "explain query plan select id from tickets where order_id = ?", ("ОЦ-001",)
    ).fetchall()
    assert "tickets_order_id" in str([tuple(row) for row in plan])
    ws.close()
