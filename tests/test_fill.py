"""`srgcli fill`: checking fields, --set, the interactive flow, and nothing half-saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from srgcli.workspace import Workspace, open_workspace, writes
from srgcli.workspace.audit import trail
from tests.builders import add_ticket, table_dump, ticket_record
from tests.conftest import Cli, Result

INCOMPLETE = {
    "id": "2026-000127",
    "client_phone": "+7 999 12",
    "client_email": "",
    "object_address": "",
}


def test_check_lists_problems_and_changes_nothing(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, **INCOMPLETE)
    before = table_dump(ws, "tickets", "audit")
    result = cli("fill", "2026-000127", "--check", "--json")
    assert result.exit_code == 1
    data = result.json()
    assert data["id"] == "2026-000127"
    assert data["status"] == "new"
    assert data["ok"] is False
    assert [p["field"] for p in data["problems"]] == ["client_contact", "object_address"]
    contact = data["problems"][0]
    assert contact["value"] == "+7 999 12"
    assert "e-mail" in contact["expected"]
    assert table_dump(ws, "tickets", "audit") == before


def test_check_of_a_complete_ticket_exits_0(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    result = cli("fill", "2026-000200", "--check")
    assert result.exit_code == 0
    assert "все обязательные поля заполнены" in result.stderr


def test_check_all_gives_a_table_and_json(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    add_ticket(ws, **INCOMPLETE)
    table = cli("fill", "--all", "--check")
    assert table.exit_code == 1
    assert "2026-000200" in table.stdout and "всё заполнено" in table.stdout
    assert "Адрес объекта" in table.stdout
    data = cli("fill", "--all", "--check", "--json").json()
    assert data["checked"] == 2 and data["with_problems"] == 1
    assert {t["id"]: t["ok"] for t in data["tickets"]} == {
        "2026-000200": True,
        "2026-000127": False,
    }


def test_all_without_check_is_a_usage_error(cli: Cli) -> None:
    result = cli("fill", "--all")
    assert result.exit_code == 2
    assert "--check" in result.stderr


def test_set_stores_normalised_values_audited_and_owned(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, **INCOMPLETE)
    result = cli(
        "fill",
        "2026-000127",
        "--set",
        "Телефон клиента=8 916 123 45 67",
        "--set",
        "object_address=г. Москва, ул. Тверская, д. 1",
        "--set",
        "category=осмотр",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["saved"] is True and data["ok"] is True and data["status"] == "filled"
    assert {c["field"]: c["new"] for c in data["changed"]} == {
        "client_phone": "+79161234567",
        "object_address": "г. Москва, ул. Тверская, д. 1",
        "category": "inspection",
    }
    row = ws.conn.execute("select client_phone, executor_fields, invalid from tickets").fetchone()
    assert row["client_phone"] == "+79161234567"
    assert set(__import__("json").loads(row["executor_fields"])) >= {"client_phone", "category"}
    assert row["invalid"] == "{}"
    changes = {
        (a.field, a.old, a.new) for a in trail(ws.conn, "2026-000127") if a.command == "fill"
    }
    assert ("client_phone", "+7 999 12", "+79161234567") in changes
    assert ("category", "deadlines", "inspection") in changes


def test_set_contact_chooses_phone_or_email(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, **INCOMPLETE)
    result = cli("fill", "2026-000127", "--set", "client_contact=a.orlov@example.ru", "--json")
    # Saved, but the address is still missing: exit 1 and the problem is listed.
    assert result.exit_code == 1
    assert result.json()["saved"] is True
    # The phone as received is still invalid: a problem of its own now that a contact exists.
    assert [p["field"] for p in result.json()["problems"]] == ["object_address", "client_phone"]
    assert result.json()["changed"] == [
        {"field": "client_email", "old": None, "new": "a.orlov@example.ru"}
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 202 555 0143", "+12025550143"),
        ("+375 29 123-45-67", "+375291234567"),
        ("8 (916) 123-45-67", "+79161234567"),
    ],
)
def test_foreign_phone_numbers_are_valid_and_the_hint_says_so(
    ws: Workspace, cli: Cli, typed: str, stored: str
) -> None:
    add_ticket(ws, **INCOMPLETE)
    expected = cli("fill", "2026-000127", "--check", "--json").json()["problems"][0]["expected"]
    assert "российский" not in expected and "кодом страны" in expected
    result = cli("fill", "2026-000127", "--set", f"client_phone={typed}", "--json")
    assert result.json()["saved"] is True, result.stderr
    phone = ws.conn.execute("select client_phone from tickets").fetchone()[0]
    assert phone == stored


@pytest.mark.parametrize(
    "assignment",
    [
        "client_phone=12",
        "client_email=not-an-email",
        "received_at=31.02.2026",
        "category=цена",
        "object_type=гараж",
        "client_name=Ivanov Ivan",
    ],
)
def test_set_refuses_a_bad_value_and_saves_nothing(
    ws: Workspace, cli: Cli, assignment: str
) -> None:
    add_ticket(ws, **INCOMPLETE)
    before = table_dump(ws, "tickets", "audit")
    result = cli(
        "fill",
        "2026-000127",
        "--set",
        "object_address=г. Москва, ул. Тверская, д. 1",
        "--set",
        assignment,
    )
    assert result.exit_code == 1
    assert "заявка не изменена" in result.stderr
    assert table_dump(ws, "tickets", "audit") == before


def test_refusal_message_does_not_echo_the_value(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, **INCOMPLETE)
    result = cli("fill", "2026-000127", "--set", "client_email=secret-person.example.ru", "--json")
    assert result.exit_code == 1
    assert "secret-person" not in result.stderr
    assert result.json()["rejected"][0]["field"] == "client_email"
    assert result.json()["saved"] is False


@pytest.mark.parametrize(
    ("assignment", "message"),
    [("colour=red", "Неизвестное поле"), ("id=2026-1", "изменить нельзя"), ("nothing", "ПОЛЕ=")],
)
def test_set_with_a_bad_field_is_a_usage_error(
    ws: Workspace, cli: Cli, assignment: str, message: str
) -> None:
    add_ticket(ws)
    result = cli("fill", "2026-000200", "--set", assignment)
    assert result.exit_code == 2
    assert message in result.stderr


def test_order_id_pattern_comes_from_config(ws_root: Path, cli: Cli) -> None:
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            'order_id_pattern = ""', r'order_id_pattern = "ОЦ-\\d{5}"'
        ),
        "utf-8",
    )
    with open_workspace(ws_root) as ws:
        add_ticket(ws)
    assert cli("fill", "2026-000200", "--set", "order_id=48213").exit_code == 1
    assert cli("fill", "2026-000200", "--set", "order_id=ОЦ-48214").exit_code == 0


@pytest.mark.parametrize("no_input", [True, False])
def test_without_a_terminal_it_prints_problems_and_never_prompts(
    ws: Workspace, cli: Cli, no_input: bool
) -> None:
    add_ticket(ws, **INCOMPLETE)
    args = ["--no-input"] if no_input else []
    result = cli(*args, "fill", "2026-000127", input="+7 916 123-45-67\n")
    assert result.exit_code == 1
    assert "Адрес объекта" in result.stdout
    assert "ожидается" not in result.stderr  # no question was asked
    assert ws.conn.execute("select client_phone from tickets").fetchone()[0] == "+7 999 12"


def test_interactive_asks_each_field_reasks_on_bad_answer_and_saves_at_the_end(
    ws: Workspace, cli: Cli, tty: None
) -> None:
    add_ticket(ws, **INCOMPLETE)
    answers = "12\n+7 916 123-45-67\nг. Москва, ул. Тверская, д. 1\ny\n"
    result = cli("fill", "2026-000127", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "сейчас +7 999 12" in result.stderr
    assert "Не принято" in result.stderr
    row = ws.conn.execute("select client_phone, object_address from tickets").fetchone()
    assert tuple(row) == ("+79161234567", "г. Москва, ул. Тверская, д. 1")


def test_interactive_ctrl_c_leaves_the_ticket_as_it_was(ws: Workspace, cli: Cli, tty: None) -> None:
    add_ticket(ws, **INCOMPLETE)
    before = table_dump(ws, "tickets", "audit")
    # The input ends after the first answer: the prompt aborts as on Ctrl-C.
    result = cli("fill", "2026-000127", input="+7 916 123-45-67\n")
    assert result.exit_code == 1
    assert "заявка не изменена" in result.stderr
    assert table_dump(ws, "tickets", "audit") == before


def test_interactive_declining_to_save_changes_nothing(ws: Workspace, cli: Cli, tty: None) -> None:
    add_ticket(ws, **INCOMPLETE)
    before = table_dump(ws, "tickets", "audit")
    result = cli("fill", "2026-000127", input="+7 916 123-45-67\nг. Москва\nn\n")
    assert result.exit_code == 1
    assert table_dump(ws, "tickets", "audit") == before


@pytest.mark.parametrize(
    ("answer", "saved"),
    [
        ("да", True),
        ("Д", True),
        ("y", True),
        ("", True),
        ("нет", False),
        ("н", False),
        ("N", False),
    ],
)
def test_interactive_save_question_takes_russian_and_english_answers(
    ws: Workspace, cli: Cli, tty: None, answer: str, saved: bool
) -> None:
    add_ticket(ws, **INCOMPLETE)
    result = cli("fill", "2026-000127", input=f"+7 916 123-45-67\nг. Москва\n{answer}\n")
    assert "Сохранить изменения? [Д/н]" in result.stderr
    assert "[Y/n]" not in result.stderr
    assert result.exit_code == (0 if saved else 1), result.stderr
    phone = ws.conn.execute("select client_phone from tickets").fetchone()[0]
    assert phone == ("+79161234567" if saved else "+7 999 12")


def test_interactive_save_question_is_repeated_on_another_answer(
    ws: Workspace, cli: Cli, tty: None
) -> None:
    add_ticket(ws, **INCOMPLETE)
    result = cli("fill", "2026-000127", input="+7 916 123-45-67\nг. Москва\nладно\nда\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("Сохранить изменения? [Д/н]") == 2
    assert "Ответьте «да» или «нет»" in result.stderr
    assert ws.conn.execute("select client_phone from tickets").fetchone()[0] == "+79161234567"


def test_interactive_skipping_a_field_keeps_it_a_problem(
    ws: Workspace, cli: Cli, tty: None
) -> None:
    add_ticket(ws, **INCOMPLETE)
    result = cli("fill", "2026-000127", input="+7 916 123-45-67\n\ny\n")
    assert result.exit_code == 1
    assert "пропущено" in result.stderr
    assert ws.conn.execute("select client_phone from tickets").fetchone()[0] == "+79161234567"


def test_interactive_offers_the_sla_deadline(ws: Workspace, cli: Cli, tty: None) -> None:
    add_ticket(ws, id="2026-000201", received_at="вчера")
    # received_at is invalid, so due_at could not be computed: both are asked, in order.
    result = cli("fill", "2026-000201", input="16.11.2026 09:40\n\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "23.11.2026 18:00" in result.stderr  # 5 business days after Monday 16 November
    due = ws.conn.execute("select due_at from tickets").fetchone()[0]
    assert due == "2026-11-23T18:00:00+03:00"


def test_unknown_ticket_is_a_usage_error(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    result = cli("fill", "2026-000999", "--check")
    assert result.exit_code == 2


def test_executor_inn_in_the_profile_is_checked_by_control_digits(ws_root: Path, cli: Cli) -> None:
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text("utf-8").replace('inn = ""', 'inn = "500100732258"'), "utf-8"
    )
    result = cli("fill", "--all", "--check")
    assert result.exit_code == 2
    assert "executor.inn" in result.stderr and "контрольные цифры" in result.stderr


# --- the receipt time and the deadline -----------------------------------------------------

FETCHED = "2026-000300"  # received 16.11.2026 09:40 (tests.builders.ticket_record)


def fetch_ticket(cli: Cli, tmp_path: Path, **fields: str) -> None:
    """A ticket that came from the ИС, its deadline (if given) from the ИС too."""
    import json

    path = tmp_path / "выгрузка.json"
    path.write_text(json.dumps([ticket_record(FETCHED, **fields)], ensure_ascii=False), "utf-8")
    assert cli("fetch", str(path)).exit_code == 0


def dates(ws: Workspace) -> tuple[str, str, str]:
    row = ws.conn.execute("select received_at, due_at, invalid from tickets").fetchone()
    return tuple(row)  # type: ignore[return-value]


def set_receipt(ws: Workspace, cli: Cli, moment: str, saved: bool) -> Result | None:
    """`fill --set received_at=MOMENT --json`: saved, or refused (exit 1) with nothing changed;
    the refusal is returned for its reasons."""
    before = table_dump(ws, "tickets", "audit")
    result = cli("fill", "2026-000200", "--set", f"received_at={moment}", "--json")
    assert result.json()["saved"] is saved, result.stderr
    if saved:
        assert result.exit_code == 0, result.stderr
        return None
    assert result.exit_code == 1
    assert table_dump(ws, "tickets", "audit") == before
    return result


@pytest.mark.parametrize(
    ("moment", "saved"),
    [
        ("26.11.2026 09:00", False),
        ("25.11.2026 10:06", False),
        ("2027-01-10T10:00", False),
        ("25.11.2026 10:04", True),  # within the tolerance for clock differences
        ("2026-11-25T07:00:00+00:00", True),  # now, in UTC
    ],
)
def test_a_receipt_time_in_the_future_is_refused_and_nothing_saved(
    ws: Workspace, cli: Cli, moment: str, saved: bool
) -> None:
    add_ticket(ws)
    result = set_receipt(ws, cli, moment, saved)
    if result is not None:
        assert result.json()["rejected"] == [
            {
                "field": "received_at",
                "label": "Дата поступления",
                "reason": "позже текущего момента (сейчас 25.11.2026 10:00 по Москве)",
            }
        ]
        assert "заявка не изменена" in result.stderr


AFTER_CONTACT = (
    "позже первого записанного контакта по заявке (17.11.2026 10:00): контакт не может быть "
    "раньше поступления заявки"
)


def log_calls(cli: Cli, *moments: str) -> None:
    for moment in moments:
        call = ("--channel", "phone", "--direction", "out", "--outcome", "reached")
        logged = cli(
            "contact-log", "add", "2026-000200", *call, "--summary", "Звонок", "--at", moment
        )
        assert logged.exit_code == 0, logged.stderr


@pytest.mark.parametrize(
    ("moment", "saved"),
    [
        ("17.11.2026 10:01", False),
        ("17.11.2026 12:00", False),  # before the later call, after the earliest one
        ("18.11.2026 09:00", False),
        ("17.11.2026 10:00", True),
        ("2026-11-17T10:00:45+03:00", True),  # the receipt counts from its minute
        ("2026-11-17T07:00:00+00:00", True),  # the same moment in UTC
        ("16.11.2026 08:00", True),
    ],
)
def test_a_receipt_time_after_a_logged_contact_is_refused_and_nothing_saved(
    ws: Workspace, cli: Cli, moment: str, saved: bool
) -> None:
    add_ticket(ws)  # received 16.11.2026 09:40
    log_calls(cli, "18.11.2026 11:00", "17.11.2026 10:00")
    result = set_receipt(ws, cli, moment, saved)
    if result is None:
        return
    assert result.json()["rejected"] == [
        {"field": "received_at", "label": "Дата поступления", "reason": AFTER_CONTACT}
    ]
    before = table_dump(ws, "tickets", "audit")
    human = cli("fill", "2026-000200", "--set", f"received_at={moment}")
    assert human.exit_code == 1
    assert f"заявка не изменена: Дата поступления — {AFTER_CONTACT}." in " ".join(
        human.stderr.split()
    )
    assert table_dump(ws, "tickets", "audit") == before


def test_interactive_reasks_a_receipt_time_after_a_logged_contact(
    ws: Workspace, cli: Cli, tty: None
) -> None:
    add_ticket(ws, received_at="вчера")
    writes.add_contact(
        ws, "2026-000200", at="2026-11-17T10:00:00+03:00", channel="phone", direction="out",
        party="client", outcome="reached", summary="Звонок",
    )  # fmt: skip
    result = cli("fill", "2026-000200", input="18.11.2026 09:00\n16.11.2026 09:00\n\ny\n")
    assert result.exit_code == 0, result.stderr
    assert f"Не принято: {AFTER_CONTACT}." in " ".join(result.stderr.split())
    assert dates(ws)[:2] == ("2026-11-16T09:00:00+03:00", "2026-11-23T18:00:00+03:00")


def test_interactive_reasks_a_receipt_time_in_the_future(
    ws: Workspace, cli: Cli, tty: None
) -> None:
    add_ticket(ws, received_at="вчера")
    answers = "26.11.2026 09:00\n24.11.2026 09:00\n\ny\n"
    result = cli("fill", "2026-000200", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "Не принято: позже текущего момента (сейчас 25.11.2026 10:00 по Москве)" in (
        result.stderr
    )
    assert dates(ws)[:2] == ("2026-11-24T09:00:00+03:00", "2026-12-01T18:00:00+03:00")


@pytest.mark.parametrize(
    ("assignments", "field", "reason"),
    [
        # Both in one call.
        (
            ["received_at=20.11.2026 10:00", "due_at=19.11.2026"],
            "due_at",
            "раньше даты поступления заявки (20.11.2026 10:00)",
        ),
        (
            ["due_at=19.11.2026", "received_at=20.11.2026 10:00"],
            "due_at",
            "раньше даты поступления заявки (20.11.2026 10:00)",
        ),
        # One of them, the other as stored (received 16.11.2026 09:40, due 20.11.2026 18:00).
        (["due_at=13.11.2026"], "due_at", "раньше даты поступления заявки (16.11.2026 09:40)"),
        (
            ["received_at=23.11.2026 09:00"],
            "received_at",
            "позже срока исполнения заявки (20.11.2026 18:00); если неверен и срок, задайте "
            "его в той же команде (--set due_at=…)",
        ),
    ],
)
def test_a_deadline_before_the_receipt_time_is_refused_and_nothing_saved(
    ws: Workspace, cli: Cli, tmp_path: Path, assignments: list[str], field: str, reason: str
) -> None:
    fetch_ticket(cli, tmp_path, due_at="20.11.2026 18:00")
    before = table_dump(ws, "tickets", "audit")
    result = cli("fill", FETCHED, *(f"--set={a}" for a in assignments), "--json")
    assert result.exit_code == 1
    assert result.json()["saved"] is False
    assert [(r["field"], r["reason"]) for r in result.json()["rejected"]] == [(field, reason)]
    assert table_dump(ws, "tickets", "audit") == before


def test_a_deadline_set_earlier_by_the_executor_holds_against_a_later_receipt_time(
    ws: Workspace, cli: Cli, tmp_path: Path
) -> None:
    fetch_ticket(cli, tmp_path)  # no deadline from the ИС: computed by the SLA
    assert cli("fill", FETCHED, "--set", "due_at=19.11.2026").exit_code == 0
    refused = cli("fill", FETCHED, "--set", "received_at=20.11.2026 10:00")
    assert refused.exit_code == 1
    assert "позже срока исполнения заявки (19.11.2026 18:00)" in refused.stderr
    both = cli(
        "fill", FETCHED, "--set", "received_at=20.11.2026 10:00", "--set", "due_at=27.11.2026"
    )
    assert both.exit_code == 0, both.stderr
    assert dates(ws) == ("2026-11-20T10:00:00+03:00", "2026-11-27T18:00:00+03:00", "{}")


def test_a_computed_deadline_follows_a_later_receipt_time(
    ws: Workspace, cli: Cli, tmp_path: Path
) -> None:
    fetch_ticket(cli, tmp_path)
    assert dates(ws)[1] == "2026-11-23T18:00:00+03:00"  # 5 business days after 16.11
    result = cli("fill", FETCHED, "--set", "received_at=24.11.2026 09:00")
    assert result.exit_code == 0, result.stderr
    assert dates(ws) == ("2026-11-24T09:00:00+03:00", "2026-12-01T18:00:00+03:00", "{}")


@pytest.mark.parametrize(
    ("moment", "fixed"), [("01.11.2026 09:00", True), ("10.11.2026 09:00", False)]
)
def test_correcting_the_receipt_time_clears_the_early_deadline_mark_only_when_it_fits(
    ws: Workspace, cli: Cli, tmp_path: Path, moment: str, fixed: bool
) -> None:
    fetch_ticket(cli, tmp_path, due_at="05.11.2026 18:00")  # before the receipt on 16.11
    assert "срок исполнения раньше" in dates(ws)[2]
    result = cli("fill", FETCHED, "--set", f"received_at={moment}", "--json")
    assert result.json()["saved"] is True
    assert result.exit_code == (0 if fixed else 1)
    problems = [(p["field"], p["reason"]) for p in result.json()["problems"]]
    assert problems == (
        [] if fixed else [("due_at", "срок исполнения раньше даты поступления заявки")]
    )


def test_check_shows_a_stored_deadline_in_russian_form(
    ws: Workspace, cli: Cli, tmp_path: Path
) -> None:
    fetch_ticket(cli, tmp_path, due_at="05.11.2026 18:00")  # marked: before the receipt
    result = cli("fill", FETCHED, "--check")
    assert result.exit_code == 1
    assert "05.11.2026 18:00" in result.stdout and "2026-11-05T" not in result.stdout
    # JSON keeps the stored form.
    data = cli("fill", FETCHED, "--check", "--json").json()
    assert data["problems"][0]["value"] == "2026-11-05T18:00:00+03:00"


def test_saved_changes_show_dates_in_russian_form(ws: Workspace, cli: Cli, tmp_path: Path) -> None:
    fetch_ticket(cli, tmp_path, due_at="20.11.2026 18:00", order_date="2026-10-27")
    args = ("--set", "received_at=17.11.2026 10:15", "--set", "order_date=28.10.2026")
    result = cli("fill", FETCHED, *args, "--set", "due_at=24.11.2026 12:00")
    assert result.exit_code == 0, result.stderr
    assert "Дата поступления: 16.11.2026 09:40 → 17.11.2026 10:15" in result.stderr
    assert "Срок исполнения: 20.11.2026 18:00 → 24.11.2026 12:00" in result.stderr
    assert "Дата заказа: 27.10.2026 → 28.10.2026" in result.stderr
    assert "2026-1" not in result.stderr
    # Values of a list by their Russian labels; one invalid as received stays as it came.
    kind = cli("fill", FETCHED, "--set", "object_type=house", "--set", "category=оплата")
    assert kind.exit_code == 0, kind.stderr
    assert "Тип объекта: квартира → жилой дом" in kind.stderr
    assert "Категория: сроки → оплата" in kind.stderr
    add_ticket(ws, object_type="дом")  # 2026-000200, invalid as received
    fixed = cli("fill", "2026-000200", "--set", "object_type=жилой дом")
    assert "Тип объекта: дом → жилой дом" in fixed.stderr
    # JSON keeps the stored forms.
    data = cli("fill", FETCHED, "--set", "received_at=17.11.2026 10:20", "--json").json()
    assert data["changed"] == [
        {
            "field": "received_at",
            "old": "2026-11-17T10:15:00+03:00",
            "new": "2026-11-17T10:20:00+03:00",
        }
    ]


def test_interactive_reasks_a_deadline_before_the_receipt_time(
    ws: Workspace, cli: Cli, tty: None
) -> None:
    add_ticket(ws, received_at="вчера")
    # The receipt time, then a deadline before it (refused), then the SLA's one (Enter).
    result = cli("fill", "2026-000200", input="20.11.2026 10:00\n19.11.2026\n\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "Не принято: раньше даты поступления заявки (20.11.2026 10:00)" in result.stderr
    assert dates(ws)[:2] == ("2026-11-20T10:00:00+03:00", "2026-11-27T18:00:00+03:00")


def test_interactive_asks_the_deadline_again_when_the_receipt_time_passes_it(
    ws: Workspace, cli: Cli, tmp_path: Path, tty: None
) -> None:
    fetch_ticket(cli, tmp_path, received_at="вчера", due_at="20.11.2026 18:00")
    # Only the receipt time is a problem; entered after the ИС's deadline, the deadline is
    # asked next, with the SLA's one as the default.
    result = cli("fill", FETCHED, input="23.11.2026 09:00\n\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "сейчас 20.11.2026 18:00 (раньше новой даты поступления)" in result.stderr
    assert dates(ws) == ("2026-11-23T09:00:00+03:00", "2026-11-30T18:00:00+03:00", "{}")


LONG_IDS = [
    "2026-0000001-ОЧЕНЬ-ДЛИННЫЙ-НОМЕР-ЗАЯВКИ-12345",
    "2026-0000002-ОЧЕНЬ-ДЛИННЫЙ-НОМЕР-ЗАЯВКИ-12345-ФИЛИАЛ-ЮГО-ЗАПАД-777",
    "2026-000130",
]


@pytest.mark.parametrize("columns", [80, 100])
def test_check_all_folds_long_ids_whole_and_fits_the_terminal(
    ws: Workspace, cli: Cli, columns: int
) -> None:
    add_ticket(ws, **{**INCOMPLETE, "id": LONG_IDS[0]})
    add_ticket(ws, id=LONG_IDS[1])
    add_ticket(ws, **{**INCOMPLETE, "id": LONG_IDS[2]})
    lines = cli.on_terminal(columns, "fill", "--all", "--check", exit_code=1)
    assert max(len(line) for line in lines) <= columns
    rows = [line.split("│") for line in lines if line.startswith("│")]
    # Every id is whole, folded over lines in its column; the short one stays on one line.
    assert "".join(row[1].strip() for row in rows) == "".join(LONG_IDS)
    assert "2026-000130" in [row[1].strip() for row in rows]
    # The status is not cut, and the problems keep a readable width.
    assert [row[2].strip() for row in rows if row[2].strip()] == ["новая", "заполнена", "новая"]
    assert min(len(row[3]) for row in rows) >= 30
    problems = " ".join(row[3].strip() for row in rows)
    assert "Адрес объекта: не заполнено" in problems and "всё заполнено" in problems


# --- every invalid value is a problem, the same in fill --check, show, list and review -------


def test_an_invalid_email_beside_a_valid_phone_is_a_problem(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, client_email="smirnova@@example")
    check = cli("fill", "2026-000200", "--check", "--json")
    assert check.exit_code == 1
    data = check.json()
    assert (data["ok"], data["count"], data["status"]) == (False, 1, "new")
    assert data["problems"] == [
        {
            "field": "client_email",
            "label": "E-mail клиента",
            "reason": "неверный адрес электронной почты",
            "value": "smirnova@@example",
            "expected": "адрес вида name@example.ru",
            "kind": "invalid",
        }
    ]
    human = cli("fill", "2026-000200", "--check")
    assert human.exit_code == 1
    assert "проблем с полями — 1" in human.stdout
    assert "E-mail клиента" in human.stdout and "неверный адрес электронной почты" in human.stdout
    # show marks the same problem, list derives the same status, review waits for step 1.
    shown = cli("show", "2026-000200", "--json").json()
    assert shown["missing"] == ["client_email"] and shown["status"] == "new"
    assert "⚠ неверный адрес электронной почты" in cli("show", "2026-000200").stdout
    assert [t["status"] for t in cli("list", "--json").json()] == ["new"]
    refused = cli("review", "2026-000200", "--verdict", "not_confirmed", "--description", "Нет.")
    assert refused.exit_code == 3 and "E-mail клиента" in refused.stderr
    fixed = cli("fill", "2026-000200", "--set", "client_email=o.smirnova@example.ru", "--json")
    assert fixed.exit_code == 0 and fixed.json()["count"] == 0


def test_every_invalid_value_is_counted_with_its_label(ws: Workspace, cli: Cli) -> None:
    add_ticket(
        ws,
        client_phone="+7 999 12",
        client_email="нет почты",
        order_date="31.02.2026",
        bank="Сбербанк",
        object_address="",
    )
    data = cli("fill", "2026-000200", "--check", "--json").json()
    assert data["count"] == len(data["problems"]) == 3
    by_field = {p["field"]: p for p in data["problems"]}
    assert list(by_field) == ["client_contact", "object_address", "order_date"]
    contact = by_field["client_contact"]
    # Both bad values are named in the contact's problem, each with what is wrong with it.
    assert contact["reason"] == (
        "нет действующего телефона или e-mail: номер телефона недействителен "
        "(проверьте число цифр и код); неверный адрес электронной почты"
    )
    assert (contact["label"], contact["kind"]) == ("Телефон или e-mail клиента", "invalid")
    assert (by_field["object_address"]["kind"], by_field["order_date"]["kind"]) == (
        "missing",
        "invalid",
    )
    assert by_field["order_date"]["label"] == "Дата заказа"
    assert by_field["order_date"]["value"] == "31.02.2026"
    table = cli("fill", "--all", "--check")
    assert "Дата заказа: неверная дата" in " ".join(table.stdout.split())
    assert cli("show", "2026-000200", "--json").json()["missing"] == list(by_field)


def test_an_invalid_optional_value_keeps_the_ticket_new_everywhere(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, order_date="31.02.2026")
    assert cli("fill", "2026-000200", "--check", "--json").json()["count"] == 1
    (item,) = cli("list", "--json").json()
    assert item["status"] == "new" and "srgcli fill 2026-000200" in item["next"]
