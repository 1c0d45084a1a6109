"""The upsert: the ИС refreshes its fields, never the executor's; history without duplicates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from srgcli.tickets import set_executor_fields
from srgcli.workspace import Workspace, open_workspace
from srgcli.workspace.audit import trail
from tests.builders import table_dump, ticket_record
from tests.conftest import Cli

HISTORY = [
    {"at": "27.10.2026 11:02", "kind": "Заказ создан", "actor": "сайт"},
    {"дата": "2026-10-27T11:15:00+03:00", "событие": "оплачено", "комментарий": "4500 руб."},
    {"at": "2026-10-29T10:00:00+03:00", "kind": "звонок из банка"},
]


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    return path


def test_refetch_same_file_changes_nothing(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "t.json",
        [
            ticket_record("2026-000001", history=HISTORY),
            ticket_record("2026-000002", received_at="бред"),
        ],
    )
    first = cli("fetch", str(path), "--json")
    assert first.exit_code == 0
    assert first.json()["new"] == 2
    before = table_dump(ws_root / "srgcli.db")
    again = cli("fetch", str(path), "--json")
    assert again.json() == {
        "new": 0,
        "updated": 0,
        "unchanged": 2,
        "conflicts": [],
        "rejected": [],
        "warnings": [],
    }
    assert table_dump(ws_root / "srgcli.db") == before


def test_history_events_mapped_and_not_duplicated(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", [ticket_record("2026-000001", history=HISTORY)])
    cli("fetch", str(path))
    events = cli("show", "2026-000001", "--json").json()["events"]
    assert [e["kind"] for e in events] == ["order_created", "payment_received", "звонок из банка"]
    assert events[0]["at"] == "2026-10-27T11:02:00+03:00"
    assert events[1]["comment"] == "4500 руб."
    # One more event in the ИС: only it is added, and the ticket counts as updated.
    longer = [*HISTORY, {"at": "2026-11-02T10:00:00+03:00", "kind": "отчёт загружен"}]
    _write(path, [ticket_record("2026-000001", events=longer)])
    result = cli("fetch", str(path), "--json").json()
    assert (result["updated"], result["unchanged"]) == (1, 0)
    kinds = [e["kind"] for e in cli("show", "2026-000001", "--json").json()["events"]]
    assert kinds == ["order_created", "payment_received", "звонок из банка", "report_uploaded"]


def test_is_fields_refreshed_and_audited(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", [ticket_record("2026-000001")])
    cli("fetch", str(path))
    _write(
        path,
        [
            ticket_record(
                "2026-000001", object_address="г. Москва, ул. Новая, д. 1", category="оплата"
            )
        ],
    )
    result = cli("fetch", str(path), "--json").json()
    assert (result["new"], result["updated"]) == (0, 1)
    shown = cli("show", "2026-000001", "--json").json()
    assert shown["object_address"] == "г. Москва, ул. Новая, д. 1"
    assert shown["category"] == "payment"
    with open_workspace(ws_root) as ws:
        changes = {(e.field, e.old, e.new) for e in trail(ws.conn, "2026-000001")}
    assert ("category", "deadlines", "payment") in changes
    assert (None, None, "создана") in changes


def test_executor_values_survive_and_conflicts_are_recorded(
    cli: Cli, ws_root: Path, tmp_path: Path
) -> None:
    path = _write(tmp_path / "t.json", [ticket_record("2026-000001", client_phone="")])
    cli("fetch", str(path))
    with open_workspace(ws_root) as ws:
        set_executor_fields(
            ws,
            "2026-000001",
            {"client_phone": "+79031112233", "object_address": "г. Москва, ул. Верная, д. 7"},
        )
    _write(
        path,
        [
            ticket_record(
                "2026-000001",
                client_phone="8 916 555-44-33",
                object_address="г. Москва, ул. Профсоюзная, д. 93, кв. 41",
                complaint_text="Новый текст из ИС.",
            )
        ],
    )
    result = cli("fetch", str(path), "--json")
    data = result.json()
    assert data["updated"] == 1
    assert sorted((c["field"], c["executor_value"], c["is_value"]) for c in data["conflicts"]) == [
        (
            "client_phone",
            "+79031112233",
            "+79165554433",
        ),
        (
            "object_address",
            "г. Москва, ул. Верная, д. 7",
            "г. Москва, ул. Профсоюзная, д. 93, кв. 41",
        ),
    ]
    shown = cli("show", "2026-000001", "--json").json()
    assert shown["client_phone"] == "+79031112233"
    assert shown["object_address"] == "г. Москва, ул. Верная, д. 7"
    assert shown["complaint_text"] == "Новый текст из ИС."
    assert {c["field"] for c in shown["conflicts"]} == {"client_phone", "object_address"}
    human = cli("show", "2026-000001")
    assert "+79165554433" in human.stdout
    # The same ИС data again: no new conflicts, nothing changes.
    before = table_dump(ws_root / "srgcli.db")
    again = cli("fetch", str(path), "--json").json()
    assert (again["unchanged"], again["conflicts"]) == (1, [])
    assert table_dump(ws_root / "srgcli.db") == before


def test_unchanged_record_after_fill_still_shows_the_conflict(
    cli: Cli, ws_root: Path, tmp_path: Path
) -> None:
    # The ИС sends exactly the record it sent before the executor corrected a field: the
    # difference is a conflict all the same, reported once.
    path = _write(tmp_path / "t.json", [ticket_record("2026-000001")])
    cli("fetch", str(path))
    filled = cli("fill", "2026-000001", "--set", "object_address=г. Москва, ул. Верная, д. 7")
    assert filled.exit_code == 0
    again = cli("fetch", str(path), "--json").json()
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert [(c["field"], c["executor_value"]) for c in again["conflicts"]] == [
        ("object_address", "г. Москва, ул. Верная, д. 7")
    ]
    shown = cli("show", "2026-000001", "--json").json()
    assert shown["object_address"] == "г. Москва, ул. Верная, д. 7"
    assert [c["field"] for c in shown["conflicts"]] == ["object_address"]
    # Known now: a third fetch reports nothing new and writes nothing.
    before = table_dump(ws_root / "srgcli.db")
    third = cli("fetch", str(path), "--json").json()
    assert (third["unchanged"], third["conflicts"]) == (1, [])
    assert table_dump(ws_root / "srgcli.db") == before


def test_conflicts_printed_in_human_summary(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "t.json", [ticket_record("2026-000001")])
    cli("fetch", str(path))
    with open_workspace(ws_root) as ws:
        set_executor_fields(ws, "2026-000001", {"bank": "ПАО Банк"})
    _write(path, [ticket_record("2026-000001", bank="АО Другой банк")])
    result = cli("fetch", str(path))
    assert result.exit_code == 0
    assert "Конфликты" in result.stdout
    assert "АО Другой банк" in result.stdout
    assert "ПАО Банк" in result.stdout


def test_executor_due_date_kept_and_computed_due_follows_receipt(
    cli: Cli, ws_root: Path, tmp_path: Path
) -> None:
    path = _write(tmp_path / "t.json", [ticket_record("A"), ticket_record("B")])
    cli("fetch", str(path))
    assert cli("show", "A", "--json").json()["due_at"] == "2026-11-23T18:00:00+03:00"
    with open_workspace(ws_root) as ws:
        set_executor_fields(ws, "A", {"due_at": "2026-12-01T18:00:00+03:00"})
    moved = "2026-11-18T09:00:00+03:00"
    _write(path, [ticket_record("A", received_at=moved), ticket_record("B", received_at=moved)])
    cli("fetch", str(path))
    a, b = (cli("show", t, "--json").json() for t in ("A", "B"))
    assert (a["due_at"], a["due_source"]) == ("2026-12-01T18:00:00+03:00", "executor")
    assert (b["due_at"], b["due_source"]) == ("2026-11-25T18:00:00+03:00", "computed")
    _write(path, [ticket_record("B", received_at=moved, due_at="30.11.2026 12:00")])
    cli("fetch", str(path))
    b = cli("show", "B", "--json").json()
    assert (b["due_at"], b["due_source"]) == ("2026-11-30T12:00:00+03:00", "is")


def test_history_file_by_ticket_or_order(cli: Cli, tmp_path: Path) -> None:
    tickets = _write(
        tmp_path / "t.json",
        [ticket_record("2026-000001", order_id="ОЦ-1"), ticket_record("2026-000002")],
    )
    history = tmp_path / "h.csv"
    history.write_text(
        "№ заявки;№ заказа;Дата;Событие;Кто;Комментарий\n"
        "2026-000001;;27.10.2026 11:02;Заказ создан;сайт;\n"
        ";ОЦ-1;28.10.2026 10:00;Назначен оценщик;офис;Кузнецов\n"
        "2026-999999;;28.10.2026 10:00;оплата;;\n"
        ";;28.10.2026 10:00;оплата;;\n"
        "2026-000002;;;оплата;;\n",
        "utf-8",
    )
    result = cli("fetch", str(tickets), "--history", str(history), "--json")
    assert result.exit_code == 1
    data = result.json()
    assert data["new"] == 2
    assert [(r["line"], r["reason"]) for r in data["rejected"]] == [
        (4, "заявка 2026-999999 не найдена"),
        (5, "нет номера заявки или заказа"),
        (6, "нет даты события"),
    ]
    events = cli("show", "2026-000001", "--json").json()["events"]
    assert [(e["kind"], e["actor"]) for e in events] == [
        ("order_created", "сайт"),
        ("appraiser_assigned", "офис"),
    ]
    # History alone (no ИС call), the same rows again: nothing new.
    again = cli("fetch", "--history", str(history), "--json").json()
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 0)


def test_history_file_updates_unchanged_ticket(cli: Cli, tmp_path: Path) -> None:
    tickets = _write(tmp_path / "t.json", [ticket_record("2026-000001")])
    cli("fetch", str(tickets))
    history = tmp_path / "h.jsonl"
    history.write_text(
        json.dumps({"ticket_id": "2026-000001", "at": "2026-10-27", "kind": "оплата"}) + "\n",
        "utf-8",
    )
    data = cli("fetch", str(tickets), "--history", str(history), "--json").json()
    assert (data["updated"], data["unchanged"]) == (1, 0)


def test_import_restores_the_connection_cache_size(ws: Workspace, tmp_path: Path) -> None:
    from srgcli.fetch import import_files

    before = ws.conn.execute("pragma cache_size").fetchone()[0]
    path = _write(tmp_path / "t.json", [ticket_record("2026-000001")])
    assert import_files(ws, [str(path)]).new == 1
    assert ws.conn.execute("pragma cache_size").fetchone()[0] == before


def test_deadline_before_receipt_is_kept_and_marked_for_fill(
    cli: Cli, ws_root: Path, tmp_path: Path
) -> None:
    early = "01.11.2026 18:00"  # received on 16.11 (ticket_record)
    path = _write(
        tmp_path / "t.json",
        [
            ticket_record("2026-000001", due_at=early),
            ticket_record("2026-000002", due_at="20.11.2026 18:00"),
        ],
    )
    assert cli("fetch", str(path)).exit_code == 0
    reason = "срок исполнения раньше даты поступления заявки"
    shown = cli("show", "2026-000001", "--json").json()
    assert shown["due_at"] == "2026-11-01T18:00:00+03:00"  # kept as the ИС sent it
    assert shown["invalid"] == {"due_at": reason}
    assert cli("show", "2026-000002", "--json").json()["invalid"] == {}
    check = cli("fill", "2026-000001", "--check", "--json")
    assert check.exit_code == 1
    assert [(p["field"], p["reason"]) for p in check.json()["problems"]] == [("due_at", reason)]
    # The ИС corrects the deadline: the mark goes away with the next fetch.
    _write(path, [ticket_record("2026-000001", due_at="23.11.2026 18:00")])
    assert cli("fetch", str(path), "--json").json()["updated"] == 1
    assert cli("show", "2026-000001", "--json").json()["invalid"] == {}
    # And comes back if the ИС sends the early one again; the executor's value clears it.
    _write(path, [ticket_record("2026-000001", due_at=early)])
    cli("fetch", str(path))
    assert cli("show", "2026-000001", "--json").json()["invalid"] == {"due_at": reason}
    fill = cli("fill", "2026-000001", "--set", "due_at=24.11.2026 18:00", "--json")
    assert fill.exit_code == 0, fill.stdout
    assert cli("fill", "2026-000001", "--check", "--json").json()["problems"] == []
