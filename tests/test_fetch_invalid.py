"""`fetch` warns about every value it keeps as received but marks invalid: where the record
was, the field's Russian label and what is wrong, never the personal data itself; and `fill
--check` then lists the same values."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import table_dump, ticket_record
from tests.conftest import Cli

# Personal data that must not reach a warning (stderr is a log in CI).
BAD_EMAIL = "smirnova@@example"
BAD_PHONE = "+7 999 12"
LATIN_NAME = "Smith John"
NOT_A_DATE = "после звонка Соколовой"  # a field meant for a date, holding a person's name


def write_json(path: Path, *records: dict[str, object]) -> Path:
    # One record a line, so that each has a line of its own as well as its number.
    path.write_text(
        "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n", "utf-8"
    )
    return path


def test_invalid_values_are_warned_with_place_label_and_reason(cli: Cli, tmp_path: Path) -> None:
    source = write_json(
        tmp_path / "выгрузка.json",
        ticket_record("2026-000301", client_email=BAD_EMAIL, order_date="31.02.2026"),
        ticket_record("2026-000302"),
        ticket_record(
            "2026-000303",
            client_phone=BAD_PHONE,
            client_email="",
            client_name=LATIN_NAME,
            due_at="01.11.2026",
        ),
    )
    result = cli("fetch", str(source), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["new"], data["rejected"], data["conflicts"]) == (3, [], [])
    found = [(w["line"], w["record"], w["ticket_id"], w["field"]) for w in data["warnings"]]
    assert found == [
        (2, 1, "2026-000301", "client_email"),
        (2, 1, "2026-000301", "order_date"),
        (4, 3, "2026-000303", "due_at"),
        (4, 3, "2026-000303", "client_name"),
        (4, 3, "2026-000303", "client_phone"),
    ]
    email, order_date, due, name, phone = data["warnings"]
    assert email == {
        "source": str(source),
        "line": 2,
        "message": "запись №1: заявка 2026-000301, поле «E-mail клиента»: неверный адрес "
        "электронной почты; сохранено как получено, исправьте: srgcli fill 2026-000301",
        "record": 1,
        "ticket_id": "2026-000301",
        "field": "client_email",
        "label": "E-mail клиента",
    }
    # A date is no personal data: it is repeated, so the user finds it in the file.
    assert "поле «Дата заказа» «31.02.2026»: неверная дата" in order_date["message"]
    assert due["label"] == "Срок исполнения"
    assert "«01.11.2026 18:00»: срок исполнения раньше даты поступления" in due["message"]
    assert "ожидаются фамилия, имя и (если есть) отчество русскими буквами" in name["message"]
    assert "номер телефона недействителен" in phone["message"]
    everything = result.stdout + result.stderr
    for secret in (BAD_EMAIL, BAD_PHONE, "Smith", "999"):
        assert secret not in everything
    # The same on the terminal, on stderr.
    again = cli("fetch", str(source), "--dry-run")  # unchanged records: nothing to warn
    assert "Предупреждения" not in again.stderr
    human = " ".join(data_run(cli, tmp_path, source).split())
    assert f"{source}, строка 2: запись №1: заявка 2026-000301, поле «E-mail клиента»" in human
    assert "Предупреждения (5)" in human


def data_run(cli: Cli, tmp_path: Path, source: Path) -> str:
    """stderr of a first fetch of `source` into a new workspace."""
    root = tmp_path / "второй"
    assert Cli(None)("init", str(root), workspace=False).exit_code == 0
    result = Cli(root)("fetch", str(source))
    assert result.exit_code == 0, result.stderr
    return result.stderr


def test_fill_check_lists_what_fetch_warned_about(cli: Cli, tmp_path: Path) -> None:
    source = write_json(
        tmp_path / "t.json",
        ticket_record("2026-000301", client_email=BAD_EMAIL, order_date="31.02.2026"),
    )
    warned = cli("fetch", str(source), "--json").json()["warnings"]
    check = cli("fill", "2026-000301", "--check", "--json").json()
    assert [w["field"] for w in warned] == [p["field"] for p in check["problems"]]
    assert [w["label"] for w in warned] == [p["label"] for p in check["problems"]]
    assert check["count"] == 2 and check["status"] == "new"


def test_a_csv_export_gives_lines_and_hides_text_in_a_date_field(cli: Cli, tmp_path: Path) -> None:
    csv = tmp_path / "заявки.csv"
    csv.write_text(
        "№ заявки;Дата поступления;ФИО клиента;Телефон;№ заказа;Адрес объекта;Категория;"
        "Суть обращения;Дата заказа\n"
        "2026-000401;16.11.2026 09:40;Смирнова Ольга Викторовна;+7 916 204-31-77;ОЦ-1;"
        "г. Москва;сроки;Отчёт задерживается.;27.10.2026\n"
        "2026-000402;16.11.2026 09:40;Смирнова Ольга Викторовна;+7 916 204-31-77;ОЦ-2;"
        f"г. Москва;сроки;Отчёт задерживается.;{NOT_A_DATE}\n",
        "utf-8",
    )
    before = table_dump(tmp_path / "ws", "tickets")
    result = cli("fetch", str(csv), "--dry-run", "--json")
    assert result.exit_code == 0
    (warning,) = result.json()["warnings"]
    assert (warning["line"], warning["record"], warning["field"]) == (3, None, "order_date")
    assert warning["message"].startswith("заявка 2026-000402, поле «Дата заказа»: неверная дата")
    assert NOT_A_DATE not in result.stdout + result.stderr
    assert "Соколов" not in result.stderr
    assert table_dump(tmp_path / "ws", "tickets") == before  # --dry-run: warned, not written
