"""The executor's paperwork around the act: the Customer's ИНН and КПП, amounts in words,
payments and receipts with their deadlines (across a month end, a holiday), and `income`
at the edge of the НПД limit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from srgcli.billing.law import receipt_deadline
from srgcli.billing.money import in_words
from srgcli.normalize.values import kpp_problem, party_inn_problem
from srgcli.workspace.config import default_config
from tests.builders import configure_billing, record_act
from tests.conftest import Cli


@pytest.mark.parametrize(
    ("inn", "problem"),
    [
        ("7707083893", None),  # an organisation: 10 digits
        ("500100732259", None),  # an individual or ИП: 12 digits
        ("7707083894", "не сходится контрольная цифра"),
        ("500100732258", "не сходятся контрольные цифры"),
        ("77070838", "ИНН организации состоит из 10 цифр, физического лица и ИП — из 12"),
        ("77070838a3", "только из цифр"),
    ],
)
def test_the_customers_inn_is_checked_by_its_control_digits(inn: str, problem: str | None) -> None:
    found = party_inn_problem(inn)
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(
    ("kpp", "ok"),
    [("773601001", True), ("7736AB001", True), ("77360100", False), ("7736ab001", False)],
)
def test_the_kpp_has_its_format(kpp: str, ok: bool) -> None:
    assert (kpp_problem(kpp) is None) is ok


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("inn", "7707083894", "«customer.inn» — ИНН Заказчика не принят: не сходится"),
        ("kpp", "77360100", "«customer.kpp» — КПП Заказчика не принят: КПП состоит из 9 знаков"),
        ("inn", "500100732259", "«customer.kpp» — КПП Заказчика не принят: у ИП"),
    ],
)
def test_a_bad_inn_or_kpp_in_the_config_is_refused_with_the_reason(
    cli: Cli, ws_root: Path, field: str, value: str, message: str
) -> None:
    import tomlkit

    path = ws_root / "srgcli.toml"
    doc: Any = tomlkit.parse(path.read_text("utf-8"))
    doc["customer"]["kpp"] = "773601001"
    doc["customer"][field] = value
    path.write_text(tomlkit.dumps(doc), "utf-8")
    result = cli("list")
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert "строка" in result.stderr


def test_init_refuses_a_bad_customer_inn(tmp_path: Path) -> None:
    result = Cli(None)("init", str(tmp_path / "w"), "--customer-inn", "7707083894")
    assert result.exit_code == 2 and "--customer-inn" in result.stderr
    assert not (tmp_path / "w").exists()
    made = Cli(None)(
        "init",
        str(tmp_path / "w"),
        "--customer-inn",
        "7707083893",
        "--customer-kpp",
        "773601001",
        "--price",
        "1 500,00",
    )
    assert made.exit_code == 0, made.stderr
    text = (tmp_path / "w" / "srgcli.toml").read_text("utf-8")
    assert 'inn = "7707083893"' in text and "price = 1500.0" in text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1500", "одна тысяча пятьсот рублей 00 копеек"),
        ("21.01", "двадцать один рубль 01 копейка"),
        ("2.22", "два рубля 22 копейки"),
        ("1000000", "один миллион рублей 00 копеек"),
        ("2400000.05", "два миллиона четыреста тысяч рублей 05 копеек"),
    ],
)
def test_amounts_in_words_are_declined(amount: str, words: str) -> None:
    assert in_words(Decimal(amount)) == words


@pytest.mark.parametrize(
    ("paid", "due", "moved"),
    [
        # Across the month end: paid on the last day of November, due on the 9th of December.
        ("2026-11-30", "2026-12-09", False),
        ("2026-12-01", "2027-01-11", True),  # 9 January 2027 is in the New Year holidays
        ("2026-04-15", "2026-05-12", True),  # 9 May 2026 (a Saturday) and 11 May are days off
        ("2026-10-05", "2026-11-09", False),
    ],
)
def test_the_receipt_deadline_moves_past_days_off(paid: str, due: str, moved: bool) -> None:
    deadline = receipt_deadline(
        date.fromisoformat(paid), "organisation", default_config().calendar()
    )
    assert deadline.due == date.fromisoformat(due) and deadline.moved is moved
    individual = receipt_deadline(date.fromisoformat(paid), "individual", None)
    assert individual.due == date.fromisoformat(paid)


@pytest.fixture
def billed(ws_root: Path) -> Path:
    configure_billing(ws_root)
    record_act(ws_root, "2026-10", "3000.00")
    return ws_root


def test_payments_and_receipts_with_their_deadlines(billed: Path) -> None:
    cli = Cli(billed)
    paid = cli("payment", "add", "1/2026", "--amount", "1 500,00", "--date", "05.10.2026", "--json")
    assert paid.exit_code == 0, paid.stderr
    assert paid.json()["receipt_deadline"] == "2026-11-09"
    income = cli("income", "--json").json()
    (missing,) = income["missing_receipts"]
    assert missing["overdue"] is True  # the clock stands at 25 November
    assert income["hints"][0] == (
        "чек по акту № 1/2026 (оплата 1\u00a0500,00\u00a0₽ от 05.10.2026) просрочен, "
        "срок — 9 ноября 2026 г."
    )
    assert "оплачен не полностью" in income["hints"][1]
    assert (
        cli("payment", "add", "2026-10", "--amount", "1500", "--date", "2026-11-24").exit_code == 0
    )
    made = cli("receipt", "add", "1", "--number", "20ab01", "--date", "2026-11-24", "--json")
    assert made.json() == {
        "act": "1/2026",
        "number": "20ab01",
        "date": "2026-11-24",
        "deadline": "2026-11-09",
        "late": True,
    }
    # The second receipt goes to the second payment, due on the 9th of December.
    second = cli("receipt", "add", "1/2026", "--number", "20ab02", "--date", "2026-11-25", "--json")
    assert second.json()["deadline"] == "2026-12-09" and second.json()["late"] is False
    again = cli("receipt", "add", "1/2026", "--number", "20ab03", "--date", "2026-11-25")
    assert again.exit_code == 3 and "нет оплаты без чека" in again.stderr
    income = cli("income", "--json").json()
    assert income["missing_receipts"] == [] and income["hints"] == []
    assert income["months"][9]["paid"] == "1500.00" and income["months"][10]["receipts"] == 2
    listed = cli("payment", "list", "--json").json()
    assert [p["receipt"]["number"] for p in listed] == ["20ab01", "20ab02"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("payment", "add", "1/2026", "--amount", "0", "--date", "2026-11-20"), 2, "больше нуля"),
        (("payment", "add", "1/2026", "--amount", "-5", "--date", "2026-11-20"), 2, "больше нуля"),
        (("payment", "add", "1/2026", "--amount", "сто", "--date", "2026-11-20"), 2, "не сумма"),
        (("payment", "add", "1/2026", "--amount", "1.005", "--date", "2026-11-20"), 2, "знаков"),
        (("payment", "add", "1/2026", "--amount", "10", "--date", "2026-02-30"), 2, "не дата"),
        (("payment", "add", "1/2026", "--amount", "10", "--date", "2026-12-01"), 2, "не наступило"),
        (("payment", "add", "7/2026", "--amount", "10", "--date", "2026-11-20"), 3, "не найден"),
        (("payment", "add", "акт", "--amount", "10", "--date", "2026-11-20"), 2, "не номер акта"),
        (("receipt", "add", "1/2026", "--number", "1", "--date", "2026-11-20"), 3, "без чека"),
        (
            ("receipt", "add", "1/2026", "--number", "1", "--date", "2026-11-20", "--url", "x"),
            2,
            "https://",
        ),
    ],
)
def test_bad_payments_and_receipts_are_refused(
    billed: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = Cli(billed)(*args)
    assert result.exit_code == code, result.stderr
    assert message in " ".join(result.stderr.split())
    assert Cli(billed)("payment", "list", "--json").json() == []


@pytest.mark.parametrize(
    ("amount", "state"),
    [
        ("1919999.99", "ok"),
        ("1920000.00", "warning"),  # 80 % of 2.4 million
        ("2400000.00", "warning"),  # at the limit, not over it
        ("2400000.01", "exceeded"),
    ],
)
def test_income_at_the_edge_of_the_npd_limit(billed: Path, amount: str, state: str) -> None:
    cli = Cli(billed)
    assert (
        cli("payment", "add", "1/2026", "--amount", amount, "--date", "2026-10-20").exit_code == 0
    )
    data = cli("income", "--year", "2026", "--json").json()
    assert data["income"] == amount and data["limit_state"] == state
    shown = " ".join(cli("income").stdout.split())
    expected = {"ok": "Лимит НПД", "warning": "приближается к лимиту", "exceeded": "превышен"}
    assert expected[state] in shown


def test_the_npd_tax_uses_up_the_deduction(billed: Path) -> None:
    cli = Cli(billed)
    # 100 000 ₽ from an organisation: 6 % = 6 000, the deduction covers 2 % = 2 000.
    assert cli("payment", "add", "1", "--amount", "100000", "--date", "2026-10-20").exit_code == 0
    data = cli("income", "--json").json()
    assert (data["tax"], data["deduction_used"], data["deduction_left"]) == (
        "4000.00",
        "2000.00",
        "8000.00",
    )
    # 500 000 more: 30 000 at 6 %, the deduction's last 8 000 (not 2 % = 10 000).
    assert cli("payment", "add", "1", "--amount", "500000", "--date", "2026-11-20").exit_code == 0
    data = cli("income", "--json").json()
    assert data["months"][10]["tax"] == "22000.00"
    assert (data["tax"], data["deduction_left"]) == ("26000.00", "0.00")


def test_usn_is_six_percent_without_a_limit(ws_root: Path, cli: Cli) -> None:
    configure_billing(ws_root, regime="usn6")
    text = (ws_root / "srgcli.toml").read_text("utf-8")
    (ws_root / "srgcli.toml").write_text(
        text.replace('status = "self-employed"', 'status = "sole-proprietor"'), "utf-8"
    )
    record_act(ws_root, "2026-10", "3000000.00")
    assert cli("payment", "add", "1", "--amount", "3000000", "--date", "2026-10-20").exit_code == 0
    data: dict[str, Any] = cli("income", "--json").json()
    assert (data["tax"], data["limit"], data["limit_state"]) == ("180000.00", None, "none")
    assert "Страховые взносы ИП в оценке не учитываются" in cli("income").stdout


def test_a_workspace_missing_the_billing_tables_is_refused(ws_root: Path) -> None:
    import sqlite3

    from srgcli.workspace.schema import schema_problems

    conn = sqlite3.connect(ws_root / "srgcli.db")
    try:
        assert schema_problems(conn) == []
        conn.execute("drop table receipts")
        assert schema_problems(conn) == ["нет таблицы receipts"]
    finally:
        conn.close()


def test_init_asks_for_the_customer_on_a_terminal(tmp_path: Path) -> None:
    from dataclasses import replace

    cli = Cli(None)
    cli.env = replace(cli.env, stdin_isatty=True)
    answers = [
        "Петрова Анна Сергеевна",  # the executor's name
        "500100732259",  # the executor's ИНН
        "ООО «Оценка-Сервис»",
        "7707083894",  # a wrong control digit: asked again
        "7707083893",
        "773601001",
        "1 500",
    ]
    result = cli("init", str(tmp_path / "w"), input="\n".join(answers) + "\n", workspace=False)
    assert result.exit_code == 0, result.stderr
    assert "не сходится контрольная цифра" in result.stdout + result.stderr
    text = (tmp_path / "w" / "srgcli.toml").read_text("utf-8")
    for line in ('name = "ООО «Оценка-Сервис»"', 'inn = "7707083893"', 'kpp = "773601001"'):
        assert line in text
    assert "price = 1500.0" in text
