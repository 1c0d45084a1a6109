"""What `fetch` tells the user besides the counts: warnings about data that went in with a
caveat, and where exactly a rejected record was."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.fetch_helpers import ticket_record

# Not a date, and not something to repeat in a message: it names a person.
BAD_DATE = "после звонка Соколовой"


def test_event_with_unreadable_date_goes_in_with_a_warning(cli: Cli, tmp_path: Path) -> None:
    history = [
        {"at": "27.10.2026 11:02", "kind": "Заказ создан"},
        {"at": BAD_DATE, "kind": "оплачено"},
    ]
    tickets = tmp_path / "t.jsonl"
    tickets.write_text(
        json.dumps(ticket_record("2026-000001"), ensure_ascii=False)
        + "\n"
        + json.dumps(ticket_record("2026-000002", history=history), ensure_ascii=False)
        + "\n",
        "utf-8",
    )
    events_file = tmp_path / "история.csv"
    events_file.write_text(
        "№ заявки;Дата;Событие\n2026-000001;01.11.2026 10:00;отчёт загружен\n"
        f"2026-000001;{BAD_DATE};отчёт отправлен\n",
        "utf-8",
    )
    result = cli("fetch", str(tickets), "--history", str(events_file), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["new"], data["rejected"]) == (2, [])
    assert data["warnings"] == [
        {
            "source": str(tickets),
            "line": 2,
            "message": "событие истории №2: дата события не распознана, сохранена как "
            "получена; порядок событий может быть неверным",
        },
        {
            "source": str(events_file),
            "line": 3,
            "message": "дата события не распознана, сохранена как получена; порядок событий "
            "может быть неверным",
        },
    ]
    assert "Предупреждения (2)" in result.stderr
    assert f"{events_file}, строка 3: дата события не распознана" in result.stderr.replace(
        "\n", " "
    )
    assert BAD_DATE not in result.stdout + result.stderr
    # Kept as received, like an invalid ticket value (and sorted after the readable dates).
    second = cli("show", "2026-000002", "--json").json()["events"]
    assert [(e["at"], e["kind"]) for e in second] == [
        ("2026-10-27T11:02:00+03:00", "order_created"),
        (BAD_DATE, "payment_received"),
    ]
    first = cli("show", "2026-000001", "--json").json()["events"]
    assert {e["at"] for e in first} == {"2026-11-01T10:00:00+03:00", BAD_DATE}


def test_human_summary_lists_warnings_on_stderr(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    history = [{"at": BAD_DATE, "kind": "оплачено"}]
    path.write_text(json.dumps([ticket_record("2026-000001", history=history)]), "utf-8")
    result = cli("fetch", str(path))
    assert result.exit_code == 0
    assert "Предупреждения" not in result.stdout
    assert "Предупреждения (1):" in result.stderr
    assert "событие истории №1: дата события не распознана" in result.stderr
