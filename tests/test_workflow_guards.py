"""Guards a user relies on across the steps: signed texts, a settled verdict, date cells."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from srgcli.model import Finding
from srgcli.tickets import set_executor_fields
from srgcli.workspace import open_workspace, writes
from tests.builders import TICKET, add_ticket, make_report
from tests.conftest import Cli


def test_letters_and_reports_need_the_executors_name(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)  # a fresh workspace: [executor] name is empty
    letter = cli(
        "contact-log",
        "add",
        TICKET,
        "--channel",
        "email",
        "--direction",
        "out",
        "--outcome",
        "resolved",
        "--summary",
        "Ответ",
        "--template",
        "answer",
    )
    assert letter.exit_code == 3
    assert "[executor] name" in letter.stderr
    ws = open_workspace(ws_root)
    set_executor_fields(ws, TICKET, {"bank": "АО «Альфа-Банк»"})  # the report goes stale
    ws.close()
    report = cli("report", TICKET)
    assert report.exit_code == 3
    assert "[executor] name" in report.stderr


def test_the_verdict_is_fixed_once_the_report_is_handed_over(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    assert cli("submit", TICKET).exit_code == 0
    changed = cli("review", TICKET, "--verdict", "not_confirmed")
    assert changed.exit_code == 3
    assert "уже сдан" in changed.stderr
    # After a return for rework the verdict may change again.
    assert cli("submit", TICKET, "--decision", "returned", "--remarks", "Уточнить.").exit_code == 0
    assert cli("review", TICKET, "--verdict", "not_confirmed").exit_code == 0


def test_the_settlement_is_fixed_once_the_report_is_handed_over(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    assert cli("submit", TICKET).exit_code == 0
    before = cli("show", TICKET, "--json").json()["resolution"]
    args = ("contact-log", "resolve", TICKET, "--outcome", "explained", "--summary", "Разъяснено.")
    changed = cli(*args)
    assert changed.exit_code == 3
    assert "уже сдан (статус «сдана»)" in changed.stderr
    assert cli("show", TICKET, "--json").json()["resolution"] == before
    # After a return for rework the settlement may change again.
    assert cli("submit", TICKET, "--decision", "returned", "--remarks", "Уточнить.").exit_code == 0
    again = cli(*args)
    assert again.exit_code == 0, again.stderr
    assert cli("show", TICKET, "--json").json()["resolution"]["outcome"] == "explained"


def test_settling_needs_a_contact_that_took_place(cli: Cli, ws_root: Path) -> None:
    ws = open_workspace(ws_root)
    add_ticket(ws)
    writes.save_finding(ws, Finding(ticket_id=TICKET, verdict="confirmed"))
    writes.add_contact(
        ws,
        TICKET,
        at="2026-11-24T10:00:00+03:00",
        channel="phone",
        direction="out",
        party="client",
        outcome="no_answer",
        summary="Не ответил.",
    )
    ws.close()
    args = (
        "contact-log",
        "resolve",
        TICKET,
        "--outcome",
        "explained",
        "--summary",
        "Клиенту даны разъяснения.",
    )
    refused = cli(*args)
    assert refused.exit_code == 3
    assert "звонки без ответа" in refused.stderr
    assert cli("show", TICKET, "--json").json()["resolution"] is None


def test_a_date_cell_deadline_means_the_end_of_the_working_day(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["№ заявки", "Дата поступления", "Срок исполнения"])
    sheet.append(["2026-000777", datetime(2026, 11, 24, 9, 30), datetime(2026, 12, 1)])
    path = tmp_path / "выгрузка.xlsx"
    book.save(path)
    # Imported, though incomplete: missing fields are for `fill`; only a rejected record is 1.
    assert cli("fetch", str(path)).exit_code == 0
    shown = cli("show", "2026-000777", "--json").json()
    assert shown["due_at"] == "2026-12-01T18:00:00+03:00"
    assert shown["received_at"] == "2026-11-24T09:30:00+03:00"
