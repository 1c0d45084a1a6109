"""What `fetch` tells the user besides the counts: warnings about data that went in with a
caveat, and where exactly a rejected record was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import table_dump, ticket_record
from tests.conftest import Cli

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
        ("ноль.json", b""),
        ("пробелы.json", b" \r\n\t\n"),
        ("bom.json", b"\xef\xbb\xbf\n"),
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
        {
            "source": "стандартный ввод",
            "line": None,
            "message": "на стандартном вводе нет ни одной заявки",
        }
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


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_an_empty_json_file_is_announced_like_other_empty_sources(
    cli: Cli, tmp_path: Path, content: bytes
) -> None:
    tickets = tmp_path / "t.json"
    tickets.write_text(json.dumps([ticket_record("2026-000001")]), "utf-8")
    empty = tmp_path / "пусто.json"
    empty.write_bytes(content)
    # Beside a file with records, and as a history file: a notice, not a broken file.
    result = cli("fetch", str(empty), str(tickets), "--history", str(empty), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["new"], data["rejected"]) == (1, [])
    assert data["warnings"] == [
        {"source": str(empty), "line": None, "message": "в файле нет ни одной заявки"},
        {"source": str(empty), "line": None, "message": "в файле нет ни одного события"},
    ]
    assert "Ошибка" not in result.stderr and "пуст:" not in result.stderr


def test_a_file_with_records_gets_no_notice(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"id": 1}, ticket_record("2026-000001")]), "utf-8")
    result = cli("fetch", str(path), "--json")
    assert result.json()["warnings"] == []
    assert "Предупреждения" not in result.stderr


def test_unknown_columns_are_named_once_per_file(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            "[fetch.mapping]\n", '[fetch.mapping]\n"Мобильный клиента" = "client_phone"\n'
        ),
        "utf-8",
    )
    csv_path = tmp_path / "выгрузка.csv"
    csv_path.write_text(
        "№ заявки;ФИО клиента;Мобильный клиента;Статус;Менеджер;\n"
        "A-1;Ким Анна;89161234567;в работе;Петров;\n"
        "A-2;Ли Олег;89161234568;закрыта;Сидоров;\n",
        "utf-8",
    )
    json_path = tmp_path / "ещё.json"
    # Keys differ between records: the unknown ones of every record are named, once each.
    json_path.write_text(
        json.dumps([{"id": "B-1", "Статус": "новая"}, {"id": "B-2", "Канал": "сайт", "Статус": 1}]),
        "utf-8",
    )
    history = tmp_path / "история.csv"
    history.write_text("№ заявки;Дата;Событие;Откуда\nA-1;01.11.2026 10:00;оплачено;1С\n", "utf-8")
    result = cli("fetch", str(csv_path), str(json_path), "--history", str(history), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["new"] == 4
    hint = "; если это поля заявки, сопоставьте в srgcli.toml, раздел [fetch.mapping]: "
    kept = "(их значения сохранены только в исходной записи)"
    assert data["warnings"] == [
        {
            "source": str(csv_path),
            "line": None,
            "message": f"неизвестные столбцы «Статус», «Менеджер» не загружены в поля заявки "
            f'{kept}{hint}"Статус" = "поле"',
        },
        {
            "source": str(json_path),
            "line": None,
            "message": f"неизвестные ключи «Статус», «Канал» не загружены в поля заявки "
            f'{kept}{hint}"Статус" = "поле"',
        },
        {
            "source": str(history),
            "line": None,
            "message": "неизвестный столбец «Откуда» не загружен в поля события "
            "(его значения сохранены только в исходной записи)",
        },
    ]
    # The unknown values are not lost: the record as received keeps them.
    assert cli("show", "A-1", "--json").json()["raw"]["Статус"] == "в работе"
    human = cli("fetch", str(csv_path), "--dry-run")
    assert "неизвестные столбцы «Статус», «Менеджер»" in human.stderr.replace("\n", " ")
    assert "[fetch.mapping]" in human.stderr


def test_the_same_unknown_columns_in_two_files_are_named_for_each(cli: Cli, tmp_path: Path) -> None:
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    first.write_text("№ заявки;Статус\nA-1;новая\n", "utf-8")
    second.write_text("№ заявки;Статус\nA-2;новая\n", "utf-8")
    warnings = cli("fetch", str(first), str(second), "--json").json()["warnings"]
    assert [(w["source"], w["message"].split(" не ")[0]) for w in warnings] == [
        (str(first), "неизвестный столбец «Статус»"),
        (str(second), "неизвестный столбец «Статус»"),
    ]


def test_mapping_a_column_silences_its_warning(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("№ заявки,Источник обращения\nA-1,сайт\n", "utf-8")
    assert len(cli("fetch", str(path), "--json").json()["warnings"]) == 1
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            "[fetch.mapping]\n", '[fetch.mapping]\n"Источник обращения" = "client_demand"\n'
        ),
        "utf-8",
    )
    assert cli("fetch", str(path), "--json").json()["warnings"] == []


@pytest.mark.parametrize(
    ("flag", "why"),
    [
        ("--strict", "Ничего не записано: есть отклонённые записи, а указан --strict"),
        ("--dry-run", "Ничего не записано: пробный запуск (--dry-run)"),
    ],
)
def test_summary_of_a_batch_not_written_says_so(
    cli: Cli, ws_root: Path, tmp_path: Path, flag: str, why: str
) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([ticket_record("2026-000001"), {"x": 2}]), "utf-8")
    before = table_dump(ws_root / "srgcli.db")
    result = cli("fetch", str(path), flag)
    assert result.exit_code == 1
    assert why in result.stdout
    assert "Было бы новых" in result.stdout
    assert "Итог загрузки" not in result.stdout
    assert "┃ Новые" not in result.stdout
    assert table_dump(ws_root / "srgcli.db") == before
    # The JSON keeps its keys: the counts are what a real run would do.
    data = cli("fetch", str(path), flag, "--json").json()
    assert (data["new"], len(data["rejected"])) == (1, 1)
    written = cli("fetch", str(path))
    assert "Итог загрузки" in written.stdout
    assert "┃ Новые" in written.stdout
    assert "Ничего не записано" not in written.stdout + written.stderr


def test_rejections_in_a_one_line_array_name_the_record(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "одна строка.json"
    records = [
        ticket_record("2026-000001", history=[{"kind": "оплачено"}]),
        {"x": 2},
        ticket_record("2026-000001"),
        7,
        ticket_record("2026-000002", history=[{"at": BAD_DATE, "kind": "оплачено"}]),
    ]
    path.write_text(json.dumps({"tickets": records}, ensure_ascii=False), "utf-8")
    result = cli("fetch", str(path), "--json")
    assert result.exit_code == 1
    data = result.json()
    assert data["new"] == 2
    assert [(r["line"], r["reason"]) for r in data["rejected"]] == [
        (1, "запись №1: событие истории №1: нет даты события"),
        (1, "запись №2: нет номера заявки"),
        (
            1,
            "запись №3: номер заявки 2026-000001 повторяется в этой загрузке "
            f"(впервые: {path}, строка 1, запись №1)",
        ),
        (1, "запись №4: запись не является объектом"),
    ]
    warning = data["warnings"][0]
    assert (warning["line"], warning["message"].split(": ")[0]) == (1, "запись №5")
    assert data["warnings"][1]["message"].startswith("неизвестный ключ «x»")


def test_multiline_array_keeps_the_line_too(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([ticket_record("2026-000001"), {"x": 2}], indent=2), "utf-8")
    rejected = cli("fetch", str(path), "--json").json()["rejected"]
    lines = path.read_text("utf-8").splitlines()
    line = lines.index("  {", lines.index("  {") + 1) + 1
    assert line > 2
    assert rejected == [
        {"source": str(path), "line": line, "reason": "запись №2: нет номера заявки"}
    ]


def test_history_array_and_json_lines(cli: Cli, tmp_path: Path) -> None:
    tickets = tmp_path / "t.jsonl"
    tickets.write_text(
        json.dumps(ticket_record("2026-000001")) + "\n" + json.dumps({"x": 1}) + "\n", "utf-8"
    )
    history = tmp_path / "h.json"
    rows = [
        {"ticket_id": "2026-000001", "at": "01.11.2026 10:00", "kind": "оплачено"},
        {"ticket_id": "2026-000009", "at": "01.11.2026 10:00", "kind": "оплачено"},
    ]
    history.write_text(json.dumps(rows), "utf-8")
    data = cli("fetch", str(tickets), "--history", str(history), "--json").json()
    assert [(r["source"], r["line"], r["reason"]) for r in data["rejected"]] == [
        # JSON Lines: the line is exact, no number is added.
        (str(tickets), 2, "нет номера заявки"),
        (str(history), 1, "запись №2: заявка 2026-000009 не найдена"),
    ]
