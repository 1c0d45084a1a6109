"""`srgcli fetch FILE…`: every format and encoding, stdin, column aliases and config mapping."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from srgcli.fetch.files import detect_encoding, sniff_delimiter
from srgcli.normalize.mapping import canonical_kind, normalize_header
from tests.builders import RU_HEADERS, RU_ROWS, set_config, table_dump, ticket_record
from tests.conftest import Cli


def _csv_bytes(encoding: str, delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(RU_HEADERS)
    writer.writerows(RU_ROWS)
    return buffer.getvalue().encode(encoding)


def _assert_ru_rows_imported(cli: Cli) -> None:
    first = cli("show", "2026-000501", "--json").json()
    assert first["client_name"] == "Соколова Мария Петровна"
    assert first["client_phone"] == "+79161234567"
    assert first["received_at"] == "2026-11-03T10:15:00+03:00"
    assert first["object_type"] == "apartment"
    assert first["category"] == "deadlines"
    assert first["due_source"] == "computed"
    assert first["due_at"] == "2026-11-11T18:00:00+03:00"  # 5 business days (4.11 is a holiday)
    second = cli("show", "2026-000502", "--json").json()
    assert second["client_name"] == "Ёлкин Пётр Семёнович"
    assert second["client_phone"] == "+74951234567"
    assert second["due_at"] == "2026-11-12T18:00:00+03:00"
    assert second["due_source"] == "is"
    assert second["object_type"] == "house"
    assert second["invalid"] == {}


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ";"),
        ("cp1251", ";"),
        ("cp1251", "\t"),
        ("utf-8", "\t"),
    ],
)
def test_csv_encodings_and_delimiters(
    cli: Cli, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = tmp_path / "выгрузка.csv"
    path.write_bytes(_csv_bytes(encoding, delimiter))
    result = cli("fetch", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == {
        "new": 2,
        "updated": 0,
        "unchanged": 0,
        "conflicts": [],
        "rejected": [],
        "warnings": [],
    }
    _assert_ru_rows_imported(cli)


def test_xlsx_first_sheet_with_typed_cells(cli: Cli, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Заявки"
    sheet.append(RU_HEADERS)
    first = list(RU_ROWS[0])
    first[1] = datetime(2026, 11, 3, 10, 15)  # a real date cell
    sheet.append(first)
    second = list(RU_ROWS[1])
    second[0] = "2026-000502"
    second[5] = 50002  # an order number stored as a number
    sheet.append(second)
    other = book.create_sheet("Справочник")
    other.append(["№ заявки"])
    other.append(["не-заявка"])
    path = tmp_path / "выгрузка.xlsx"
    book.save(path)
    result = cli("fetch", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["new"] == 2
    _assert_ru_rows_imported(cli)
    assert cli("show", "2026-000502", "--json").json()["order_id"] == "50002"


def test_json_array_object_and_jsonl(cli: Cli, tmp_path: Path) -> None:
    array = tmp_path / "a.json"
    array.write_text(json.dumps([ticket_record("2026-000001")], ensure_ascii=False), "utf-8")
    wrapped = tmp_path / "b.json"
    wrapped.write_text(
        json.dumps({"exported": "2026-11-20", "tickets": [ticket_record("2026-000002")]}),
        "utf-8",
    )
    lines = tmp_path / "c.jsonl"
    lines.write_text(
        "\n".join(json.dumps(ticket_record(f"2026-00001{i}")) for i in range(3)) + "\n\n",
        "utf-8",
    )
    result = cli("fetch", str(array), str(wrapped), str(lines), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["new"] == 5
    listed = {item["id"] for item in cli("list", "--json").json()}
    assert listed == {"2026-000001", "2026-000002", "2026-000010", "2026-000011", "2026-000012"}
    shown = cli("show", "2026-000011", "--json").json()
    assert shown["source"] == str(lines)
    assert shown["raw"]["client_phone"] == "+7 (916) 204-31-77"


@pytest.mark.parametrize("shape", ["array", "object", "jsonl"])
def test_stdin(cli: Cli, shape: str) -> None:
    records = [ticket_record("2026-000301"), ticket_record("2026-000302")]
    if shape == "array":
        text = json.dumps(records)
    elif shape == "object":
        text = json.dumps({"tickets": records})
    else:
        text = "\n".join(json.dumps(r) for r in records)
    result = cli("fetch", "-", "--json", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.json()["new"] == 2
    assert cli("show", "2026-000302", "--json").json()["source"] == "stdin"


def test_config_mapping_adds_headers(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            "[fetch.mapping]\n",
            '[fetch.mapping]\n"Идентификатор" = "id"\n"Мобильный клиента" = "client_phone"\n',
        ),
        "utf-8",
    )
    path = tmp_path / "x.csv"
    path.write_text("Идентификатор,Мобильный клиента,ФИО клиента\nA-1,89161234567,Ким Анна\n")
    result = cli("fetch", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    shown = cli("show", "A-1", "--json").json()
    assert shown["client_phone"] == "+79161234567"
    assert shown["client_name"] == "Ким Анна"


def test_config_mapping_to_unknown_field_is_refused(
    cli: Cli, ws_root: Path, tmp_path: Path
) -> None:
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            "[fetch.mapping]\n", '[fetch.mapping]\n"Телефон 2" = "phone2"\n'
        ),
        "utf-8",
    )
    path = tmp_path / "x.csv"
    path.write_text("id\nA-1\n")
    result = cli("fetch", str(path))
    assert result.exit_code == 2
    assert "phone2" in result.stderr


def test_invalid_values_are_kept_and_marked(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    record = ticket_record(
        "2026-000401",
        client_phone="12345",
        received_at="вчера",
        category="жалоба",
        order_date=1.5,
        bank=["не", "строка"],
    )
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    assert cli("fetch", str(path)).exit_code == 0
    shown = cli("show", "2026-000401", "--json").json()
    assert shown["client_phone"] == "12345"
    assert shown["received_at"] == "вчера"
    assert shown["category"] == "жалоба"
    assert shown["due_at"] is None
    assert set(shown["invalid"]) == {
        "client_phone",
        "received_at",
        "category",
        "order_date",
        "bank",
    }
    assert shown["status"] == "new"
    assert "received_at" in shown["missing"]


def test_rejected_records_listed_with_line_and_the_rest_go_in(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(ticket_record("2026-000001")),
                json.dumps({"client_name": "Без Номера"}),
                "[1, 2]",
                json.dumps(ticket_record("2026-000001")),
                json.dumps(ticket_record("2026-000002")),
            ]
        ),
        "utf-8",
    )
    result = cli("fetch", str(path), "--json")
    assert result.exit_code == 1
    data = result.json()
    assert data["new"] == 2
    assert [(r["line"], r["reason"].split(" ")[0]) for r in data["rejected"]] == [
        (2, "нет"),
        (3, "запись"),
        (4, "номер"),
    ]
    assert all(r["source"] == str(path) for r in data["rejected"])
    assert "Без Номера" not in result.stdout


def test_strict_rejects_the_whole_batch(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(ticket_record("2026-000001")) + "\n{}\n", "utf-8")
    before = table_dump(ws_root / "srgcli.db")
    result = cli("fetch", str(path), "--strict")
    assert result.exit_code == 1
    assert "ничего не записано" in result.stderr
    assert table_dump(ws_root / "srgcli.db") == before


def test_dry_run_writes_nothing(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps([ticket_record("2026-000001")]), "utf-8")
    before = table_dump(ws_root / "srgcli.db")
    result = cli("fetch", str(path), "--dry-run", "--json")
    assert result.exit_code == 0
    assert result.json()["new"] == 1
    assert table_dump(ws_root / "srgcli.db") == before


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("broken.json", b'[\n  {"id": "1"},\n  {"id": "2",,}\n]', "строка 3, столбец 14"),
        ("broken.json", b'{"tickets": [{"id": "1"}', "строка 1"),
        ("broken.jsonl", b'{"id": "1"}\n{"id": "2"\n', "строка 2"),
        ("binary.jsonl", b"\x00\x01\x02\xff" * 50, "строка 1"),
        ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "строка 1"),
        ("binary.csv", b"id,name\n1,\x00\x00\x00\x01\x02", "строка 2"),
        ("bad.xlsx", b"PK\x03\x04 not really a zip", "повреждён"),
        ("latin.json", b'[{"id": "\xff\xfe"}]', "UTF-8"),
    ],
)
def test_broken_file_changes_nothing(
    cli: Cli, ws_root: Path, tmp_path: Path, name: str, content: bytes, where: str
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps([ticket_record("2026-000009")]), "utf-8")
    assert cli("fetch", str(good)).exit_code == 0
    assert cli("fetch", "--json", str(good)).exit_code == 0
    before = table_dump(ws_root / "srgcli.db")
    path = tmp_path / name
    path.write_bytes(content)
    # The good file comes first: its (new) records must be rolled back too.
    fresh = tmp_path / "fresh.json"
    fresh.write_text(json.dumps([ticket_record("2026-000010")]), "utf-8")
    result = cli("fetch", str(fresh), str(path))
    assert result.exit_code == 2, result.stderr
    assert str(path) in result.stderr
    assert where in result.stderr
    assert "Traceback" not in result.stderr
    assert table_dump(ws_root / "srgcli.db") == before


def test_missing_file_and_unknown_format(cli: Cli, tmp_path: Path) -> None:
    assert cli("fetch", str(tmp_path / "нет.csv")).exit_code == 2
    odd = tmp_path / "x.txt"
    odd.write_text("id\n1\n")
    result = cli("fetch", str(odd))
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr


def test_no_source_and_no_is_configured(cli: Cli) -> None:
    result = cli("fetch")
    assert result.exit_code == 2
    assert "base_url" in (result.stderr)


def test_human_summary_table(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps([ticket_record("2026-000001"), {"x": 1}]), "utf-8")
    result = cli("fetch", str(path))
    assert result.exit_code == 1
    for word in ("Новые", "Обновлены", "Без изменений", "Конфликты", "Отклонены"):
        assert word in result.stdout
    assert "нет номера заявки" in result.stdout


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("№ заявки", "id"),
        ("Номер заявки", "id"),
        ("  НОМЕР   ЗАЯВКИ: ", "id"),
        ("Дата поступления", "received_at"),
        ("ФИО клиента", "client_name"),
        ("Телефон", "client_phone"),
        ("E-mail", "client_email"),
        ("№ заказа", "order_id"),
        ("Адрес объекта", "object_address"),
        ("Тип объекта", "object_type"),
        ("Категория", "category"),
        ("Суть обращения", "complaint_text"),
        ("Срок исполнения", "due_at"),
        ("client_phone", "client_phone"),
    ],
)
def test_builtin_aliases(header: str, field: str) -> None:
    from srgcli.normalize.mapping import ColumnMapper

    assert ColumnMapper().field(header) == field


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Оплата получена", "payment_received"),
        ("оплачено", "payment_received"),
        ("Осмотр перенесён", "inspection_rescheduled"),
        ("осмотр перенесен", "inspection_rescheduled"),
        ("Отчёт отправлен клиенту", "report_sent"),
        ("report_corrected", "report_corrected"),
        ("Звонок из банка", "Звонок из банка"),
    ],
)
def test_event_kinds(name: str, kind: str) -> None:
    assert canonical_kind(name) == kind


def test_header_normalisation_and_sniffing() -> None:
    assert normalize_header("\ufeff№ Заявки:") == normalize_header("№заявки")
    assert sniff_delimiter('"Адрес, город";Телефон;ФИО') == ";"
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter("id") == ","
    assert detect_encoding("Привет".encode("cp1251")) == "cp1251"
    assert detect_encoding("Привет".encode()) == "utf-8"
    assert detect_encoding("Привет".encode()[:-1]) == "utf-8"  # cut mid-character
    assert detect_encoding("Привет".encode("utf-8-sig")) == "utf-8-sig"


def _big_jsonl(path: Path) -> Path:
    text = "Отчёт об оценке задерживается, банк ждёт. " * 40
    with path.open("w", encoding="utf-8") as fh:
        for n in range(1200):
            record = ticket_record(f"2026-{n:06d}", complaint_text=text)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    assert path.stat().st_size > 2_000_000
    return path


def test_progress_bar_only_on_a_terminal(cli: Cli, tmp_path: Path) -> None:
    big = _big_jsonl(tmp_path / "big.jsonl")
    quiet = cli("fetch", str(big), "--dry-run")
    assert quiet.exit_code == 0
    assert "Загрузка" not in quiet.stderr
    # A terminal on stderr (colour forces Rich to draw there as on one).
    shown = Cli(cli.root, replace(cli.env, stderr_isatty=True, color=True))("fetch", str(big))
    assert shown.exit_code == 0
    assert "Загрузка" in shown.stderr
    assert cli("list", "--json").json()[0]["id"].startswith("2026-")


def test_csv_with_a_very_long_text(cli: Cli, ws_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_text = "Очень длинное обращение. " * 10_000
    path.write_text(f'№ заявки,Суть обращения\n2026-1,"{long_text}"\n', "utf-8")
    # Longer than [fetch] max_field_chars allows by default: rejected, naming the column.
    refused = cli("fetch", str(path), "--json")
    assert refused.exit_code == 1
    (rejection,) = refused.json()["rejected"]
    assert rejection["line"] == 2
    assert "поле «Суть обращения»: 250\u00a0000 символов" in rejection["reason"]
    assert "max_field_chars" in rejection["reason"]
    # Allowed once the bounds are raised (above the csv module's own 128 KiB limit).
    set_config(ws_root, "fetch", "max_field_chars", "300000")
    set_config(ws_root, "fetch", "max_record_chars", "300000")
    assert cli("fetch", str(path)).exit_code == 0
    assert cli("show", "2026-1", "--json").json()["complaint_text"] == long_text.strip()


def test_a_multi_line_cell_with_commas_is_not_an_open_quote(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "paragraphs.csv"
    text = "Пункт 1, отчёт задерживается,\n2026 год, второй абзац\n2026, третий абзац"
    path.write_text(
        f'№ заявки,ФИО клиента,Суть обращения\n2026-1,Иванов Иван,"{text}"\n'
        "2026-2,Петров Пётр,Жалоба\n",
        "utf-8",
    )
    result = cli("fetch", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["new"] == 2
    assert cli("show", "2026-1", "--json").json()["complaint_text"] == text


def test_csv_with_lines_ended_by_a_lone_cr(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(
        "№ заявки;ФИО клиента\r2026-1;Иванов Иван\r2026-2;Петров Пётр\r".encode("cp1251")
    )
    result = cli("fetch", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["new"] == 2
    assert cli("show", "2026-2", "--json").json()["client_name"] == "Петров Пётр"
