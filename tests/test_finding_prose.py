"""What the Customer and the client read about a finding: a complete finding before a report
of a confirmed nonconformity, the corrective action as done or planned, dates of the work as
it happened (`review --at`, `contact-log resolve --at`), and letters that never promise a past
date. The real CLI, the real gate (pylat-ru), DOCX read back with python-docx.

"now" is pinned to Wednesday 25 November 2026, 10:00 Moscow time; the ticket was received on
Monday 16 November at 09:40.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from srgcli.demo import demo_config
from srgcli.render.measures import measures
from srgcli.workspace import create_workspace, open_workspace, reads
from tests.builders import TICKET, add_ticket, table_dump
from tests.conftest import Cli

pytestmark = pytest.mark.usefixtures("pylat")

HISTORY = [
    {"at": "2026-10-27T11:02:00+03:00", "kind": "order_created", "actor": "сайт"},
    {"at": "2026-10-28T10:00:00+03:00", "kind": "payment_received", "actor": "клиент"},
    {"at": "2026-11-13T12:30:00+03:00", "kind": "inspection_done", "actor": "оценщик"},
]
CALL = (
    *("--channel", "phone", "--direction", "out", "--outcome", "reached"),
    *("--summary", "Клиенту сообщены результаты проверки."),
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A workspace with the executor's profile and one filled ticket with its order history."""
    folder = tmp_path / "ws"
    create_workspace(folder, demo_config()).close()
    ws = open_workspace(folder)
    try:
        add_ticket(ws, HISTORY, due_at="2026-11-20T18:00:00+03:00")
    finally:
        ws.close()
    return folder


@pytest.fixture
def cli(root: Path) -> Cli:
    return Cli(root)


def docx_paragraphs(path: str | Path) -> list[str]:
    """Every paragraph and table cell of a DOCX, read back with python-docx."""
    import docx

    document = docx.Document(str(path))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found.extend(cell.text for cell in row.cells)
    return found


def table_value(path: str | Path, header: str) -> str:
    """The cell to the right of `header` in the report's two-column tables."""
    import docx

    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if cells[0] == header and len(cells) > 1:
                return cells[1]
    raise AssertionError(f"no row «{header}»")


def settle(cli: Cli, *verdict: str) -> None:
    """The verdict (`review` options; made on 20 November unless they say when), a call that
    reached the client on the 23rd, the settlement on the 24th."""
    when = () if "--at" in verdict else ("--at", "20.11.2026 10:00")
    result = cli("review", TICKET, *verdict, *when)
    assert result.exit_code == 0, result.stderr
    result = cli("contact-log", "add", TICKET, *CALL, "--at", "23.11.2026 12:00")
    assert result.exit_code == 0, result.stderr
    result = cli(
        "contact-log", "resolve", TICKET, "--outcome", "satisfied",
        "--summary", "Клиенту даны разъяснения, отчёт передан.", "--at", "24.11.2026 16:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


# --- a confirmed finding is complete before its report ---------------------------------------


@pytest.mark.parametrize("verdict", ["confirmed", "partially_confirmed"])
def test_report_of_a_confirmed_finding_names_what_is_missing_and_the_command(
    cli: Cli, root: Path, verdict: str
) -> None:
    settle(cli, "--verdict", verdict, "--description", "Отчёт подготовлен позже срока.")
    before = table_dump(root, "reports")
    result = cli("report", TICKET)
    assert result.exit_code == 3, result.stderr
    said = " ".join(result.stderr.split())
    # The rules' proposals gave the responsible party; the description was typed.
    assert "в нём не указано: причина, корректирующее действие." in said
    assert f'Дополните вывод: srgcli review {TICKET} --root-cause "…" --action "…"' in said
    assert "Остальные поля вывода сохранятся." in said
    assert table_dump(root, "reports") == before
    assert not list((root / "reports").rglob("*.docx"))

    # Scripts get the missing fields on stdout.
    result = cli("report", TICKET, "--json")
    assert result.exit_code == 3
    data = result.json()
    assert data["missing"] == ["root_cause", "corrective_action"]
    assert data["code"] == 3 and data["id"] == TICKET
    batch = cli("report", "--all", "--json")
    assert batch.exit_code == 1
    assert batch.json()[0]["missing"] == ["root_cause", "corrective_action"]

    # The command from the message fills them in; the description recorded before stays.
    result = cli(
        "review", TICKET, "--root-cause", "Оценщик затянул подготовку отчёта.",
        "--action", "Оценщику указано на сроки по регламенту.",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    result = cli("report", TICKET, "--json")
    assert result.exit_code == 0, result.stderr
    path = result.json()["path"]
    assert table_value(path, "Описание") == "Отчёт подготовлен позже срока."
    assert table_value(path, "Причина") == "Оценщик затянул подготовку отчёта."
    assert table_value(path, "Ответственная сторона") == "оценщик"
    assert "Приняты меры: оценщику указано на сроки по регламенту." in docx_paragraphs(path)


def test_review_warns_at_once_what_a_confirmed_finding_still_needs(cli: Cli) -> None:
    result = cli(
        "review", TICKET, "--verdict", "partially_confirmed", "--accept", "inspection_late",
        "--root-cause", "Затянут осмотр.", "--responsible", "office",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert "В выводе не указано: корректирующее действие." in said
    assert f'srgcli review {TICKET} --action "…"' in said
    result = cli("review", TICKET, "--description", "")
    said = " ".join(result.stderr.split())
    assert "В выводе не указано: описание нарушения, корректирующее действие." in said


def test_a_missing_responsible_party_names_the_choices() -> None:
    from srgcli.model import Finding
    from srgcli.tickets import IncompleteFinding, require_complete_finding

    with pytest.raises(IncompleteFinding) as caught:
        require_complete_finding(TICKET, Finding(TICKET, "confirmed", description="Поздно."))
    error = caught.value
    assert error.code == 3
    assert error.missing == ["root_cause", "responsible", "corrective_action"]
    assert "не указано: причина, ответственная сторона, корректирующее действие" in error.message
    assert error.hint is not None
    assert f'srgcli review {TICKET} --root-cause "…" --responsible КТО --action "…"' in error.hint
    assert "appraiser «оценщик»" in error.hint
    require_complete_finding(TICKET, Finding(TICKET, "not_confirmed"))  # nothing needed


def test_a_finding_that_is_not_confirmed_needs_no_cause_or_action(cli: Cli) -> None:
    settle(cli, "--verdict", "not_confirmed")
    result = cli("report", TICKET, "--json")
    assert result.exit_code == 0, result.stderr
    assert "Корректирующие действия не требуются." in docx_paragraphs(result.json()["path"])


def test_amending_without_a_finding_is_a_usage_error(cli: Cli, root: Path) -> None:
    before = table_dump(root, "findings", "audit")
    result = cli("review", TICKET, "--root-cause", "Причина.")
    assert result.exit_code == 2
    assert "только вместе с --verdict" in result.stderr
    assert table_dump(root, "findings", "audit") == before


# --- proposals become the description as prose ------------------------------------------------


def test_accepted_proposals_make_a_description_in_plain_russian(cli: Cli) -> None:
    result = cli("review", TICKET, "--auto", "--verdict", "confirmed", "--json")
    assert result.exit_code == 0, result.stderr
    description = result.json()["finding"]["description"]
    assert description.startswith(
        "Осмотр проведён через 11 рабочих дней после оплаты, тогда как по договору на это "
        "отводится 3 рабочих дня."
    )
    assert "порог" not in description and "(" not in description
    assert cli("check", "-", input=description + "\n").exit_code == 0


# --- the corrective action as done or planned -------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clause", "planned"),
    [
        ("Назначить другого оценщика", "назначить другого оценщика.", True),
        ("Провести проверку отчёта.", "провести проверку отчёта.", True),
        (
            "Отчёт исправлен; оценщику указано на сроки.",
            "отчёт исправлен; оценщику указано на сроки.",
            False,
        ),
        ("Назначен другой оценщик.", "назначен другой оценщик.", False),
        # Proper names and abbreviations keep their capitals after a colon.
        ("Иванову указано на сроки.", "Иванову указано на сроки.", False),
        ("ООО «Оценка» вернуло оплату.", "ООО «Оценка» вернуло оплату.", False),
    ],
)
def test_the_action_is_introduced_by_its_form_not_rewritten(
    typed: str, clause: str, planned: bool
) -> None:
    found = measures(typed)
    assert found is not None
    assert (found.clause, found.planned) == (clause, planned)


def test_an_infinitive_action_reads_as_planned_in_the_letter_and_the_report(
    cli: Cli, root: Path
) -> None:
    result = cli(
        "review", TICKET, "--verdict", "confirmed", "--description", "Осмотр проведён поздно.",
        "--root-cause", "Оценщик был перегружен заказами.", "--responsible", "appraiser",
        "--action", "Назначить другого оценщика и пересчитать стоимость услуги",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "запланированы следующие меры: назначить другого оценщика" in " ".join(
        result.stderr.split()
    )
    letter = cli(
        "--no-input", "contact-log", "add", TICKET, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Ответ по существу.", "--template", "answer",
        "--json",
    )  # fmt: skip
    assert letter.exit_code == 0, letter.stderr  # the letter passed the gate
    text = Path(letter.json()["path"]).read_text("utf-8")
    assert (
        "По итогам рассмотрения запланированы следующие меры: назначить другого оценщика и "
        "пересчитать стоимость услуги." in text
    )
    assert "\nНазначить" not in text
    resolved = cli(
        "contact-log", "resolve", TICKET, "--outcome", "satisfied", "--summary", "Ответ дан.",
    )  # fmt: skip
    assert resolved.exit_code == 0, resolved.stderr
    report = cli("report", TICKET, "--json")
    assert report.exit_code == 0, report.stderr
    paragraphs = docx_paragraphs(report.json()["path"])
    assert (
        "Запланированы меры: назначить другого оценщика и пересчитать стоимость услуги."
        in paragraphs
    )
    assert not any(p.startswith("Назначить") for p in paragraphs)


# --- dates of the work ------------------------------------------------------------------------


def test_review_and_resolve_at_date_the_work_and_the_report_says_so(cli: Cli, root: Path) -> None:
    settle(
        cli, "--verdict", "not_confirmed", "--at", "18.11.2026 15:30",
    )  # fmt: skip
    shown = cli("show", TICKET, "--json").json()
    assert shown["finding"]["decided_at"] == "2026-11-18T15:30:00+03:00"
    assert shown["resolution"]["resolved_at"] == "2026-11-24T16:00:00+03:00"
    report = cli("report", TICKET, "--json")
    assert report.exit_code == 0, report.stderr
    assert table_value(report.json()["path"], "Дата вывода") == "18 ноября 2026 г."
    # --at alone re-dates the recorded verdict and keeps the rest.
    assert cli("review", TICKET, "--at", "19.11.2026 09:00").exit_code == 0
    redated = cli("show", TICKET, "--json").json()["finding"]
    assert redated["decided_at"] == "2026-11-19T09:00:00+03:00"
    assert redated["verdict"] == "not_confirmed"


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("26.11.2026 10:00", "время вывода 26.11.2026 10:00 ещё не наступило"),
        ("13.11.2026 10:00", "вывод (13.11.2026 10:00) не может быть раньше поступления заявки"),
        ("завтра", "--at:"),
    ],
    ids=["future", "before-receipt", "unreadable"],
)
def test_review_at_is_checked_like_a_contacts(cli: Cli, root: Path, at: str, message: str) -> None:
    before = table_dump(root, "findings", "audit")
    result = cli("review", TICKET, "--verdict", "not_confirmed", "--at", at)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert table_dump(root, "findings", "audit") == before


def test_a_verdict_cannot_precede_the_events_it_rests_on(cli: Cli, root: Path) -> None:
    ws = open_workspace(root)
    try:
        add_ticket(
            ws,
            [{"at": "2026-11-23T10:00:00+03:00", "kind": "inspection_done", "actor": "оценщик"}],
            id="2026-000201",
            order_id="ОЦ-201",
        )
        event = reads.events(ws, "2026-000201")[0]
    finally:
        ws.close()
    result = cli(
        "review", "2026-000201", "--verdict", "confirmed", "--description", "Осмотр поздно.",
        "--at", "20.11.2026 10:00",
    )  # fmt: skip
    # No rule fired, so nothing is evidence yet: accepted.
    assert result.exit_code == 0, result.stderr
    ws = open_workspace(root)
    try:
        from dataclasses import replace

        from srgcli.workspace import writes

        found = reads.finding(ws, "2026-000201")
        assert found is not None
        writes.save_finding(ws, replace(found, evidence=(event.id,)))
    finally:
        ws.close()
    result = cli("review", "2026-000201", "--at", "20.11.2026 10:00")
    assert result.exit_code == 2
    assert "не может быть раньше событий, на которых он основан (23.11.2026 10:00)" in " ".join(
        result.stderr.split()
    )


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("26.11.2026 10:00", "время урегулирования 26.11.2026 10:00 ещё не наступило"),
        ("19.11.2026 10:00", "не может быть раньше вывода по заявке (20.11.2026 10:00)"),
        (
            "21.11.2026 10:00",
            "не может быть раньше первого состоявшегося контакта с клиентом (23.11.2026 12:00)",
        ),
    ],
    ids=["future", "before-verdict", "before-contact"],
)
def test_resolve_at_comes_after_the_verdict_and_the_contact(
    cli: Cli, root: Path, at: str, message: str
) -> None:
    assert (
        cli("review", TICKET, "--verdict", "not_confirmed", "--at", "20.11.2026 10:00").exit_code
        == 0
    )
    assert cli("contact-log", "add", TICKET, *CALL, "--at", "23.11.2026 12:00").exit_code == 0
    result = cli(
        "contact-log", "resolve", TICKET, "--outcome", "explained",
        "--summary", "Даны разъяснения.", "--at", at,
    )  # fmt: skip
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert cli("show", TICKET, "--json").json()["resolution"] is None


# --- letters never promise a past date --------------------------------------------------------


def acknowledgement(cli: Cli, *at: str) -> str:
    result = cli(
        "--no-input", "contact-log", "add", TICKET, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Подтверждено получение обращения.",
        "--template", "acknowledgement", "--json", *at,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr  # the letter passed the gate
    return Path(result.json()["path"]).read_text("utf-8")


def test_a_letter_sent_after_the_due_date_promises_the_next_sla_term(cli: Cli) -> None:
    # Due on Friday 20 November; sent on Wednesday 25th: two business days on, Friday 27th.
    text = acknowledgement(cli)
    assert "не позднее 27 ноября 2026 г. сообщу Вам о результатах" in text
    assert "20 ноября" not in text
    assert "Прошу извинить меня за задержку с ответом." in text


def test_a_letter_sent_before_the_due_date_promises_the_due_date(cli: Cli) -> None:
    # Sent (--at) on Thursday 19 November, before the due date: that date, no apology.
    text = acknowledgement(cli, "--at", "19.11.2026 11:00")
    assert "не позднее 20 ноября 2026 г. сообщу Вам о результатах" in text
    assert "задержк" not in text


def test_the_reply_term_comes_from_the_sla_config(cli: Cli, root: Path) -> None:
    config = root / "srgcli.toml"
    text = config.read_text("utf-8")
    assert "reply_days = 2" in text  # the default, documented in the config
    config.write_text(text.replace("reply_days = 2", "reply_days = 5", 1), "utf-8")
    # Five business days from Wednesday 25 November: Wednesday 2 December.
    assert "не позднее 2 декабря 2026 г." in acknowledgement(cli)


def test_every_builtin_letter_never_promises_a_date_before_sending(root: Path, cli: Any) -> None:
    from srgcli.contact import letters
    from srgcli.tickets import require_ticket

    ws = open_workspace(root)
    try:
        ticket = require_ticket(ws, TICKET)
        for name in letters.available(ws):
            if "finding" in letters.available(ws)[name].requires:
                continue
            text = letters.render(ws, name, ticket, None)
            assert "20 ноября" not in text, name
    finally:
        ws.close()
