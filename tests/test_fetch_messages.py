"""What `fetch` tells the user besides the counts: warnings about data that went in with a
caveat, and where exactly a rejected record was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


def _header_only_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["№ заявки", "ФИО клиента"])
    book.save(path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("пусто.csv", b""),
        ("заголовок.csv", "№ заявки;ФИО клиента;Телефон\r\n".encode("cp1251")),
        ("пусто.jsonl", b"\n\n"),
        ("пусто.json", b"[ ]"),
        ("пусто2.json", b'{"tickets": []}'),
        ("заголовок.xlsx", None),
    ],
)
def test_source_without_records_is_reported(
    cli: Cli, tmp_path: Path, name: str, content: bytes | None
) -> None:
    path = tmp_path / name
    if content is None:
        _header_only_xlsx(path)
    else:
        path.write_bytes(content)
    human = cli("fetch", str(path))
    assert human.exit_code == 0
    assert f"{path}: в файле нет ни одной заявки" in human.stderr
    result = cli("fetch", str(path), "--json")
    assert result.exit_code == 0
    assert result.json()["warnings"] == [
        {"source": str(path), "line": None, "message": "в файле нет ни одной заявки"}
    ]


def test_empty_stdin_and_empty_history_are_reported(cli: Cli, tmp_path: Path) -> None:
    result = cli("fetch", "-", "--json", input="")
    assert result.exit_code == 0
    assert result.json()["warnings"] == [
        {"source": "stdin", "line": None, "message": "на стандартном вводе нет ни одной заявки"}
    ]
    tickets = tmp_path / "t.json"
    tickets.write_text(json.dumps([ticket_record("2026-000001")]), "utf-8")
    history = tmp_path / "история.csv"
    history.write_text("№ заявки;Дата;Событие\n", "utf-8")
    result = cli("fetch", str(tickets), "--history", str(history), "--json")
    assert result.exit_code == 0
    data = result.json()
    assert data["new"] == 1
    assert data["warnings"] == [
        {"source": str(history), "line": None, "message": "в файле нет ни одного события"}
    ]


def test_a_file_with_records_gets_no_notice(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"id": 1}, ticket_record("2026-000001")]), "utf-8")
    result = cli("fetch", str(path), "--json")
    assert result.json()["warnings"] == []
    assert "Предупреждения" not in result.stderr
