"""`srgcli contact-log`: contacts, gated letters from templates, the settlement, preconditions."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from srgcli.contact import letters
from srgcli.contact import log as contacts
from srgcli.demo import run_demo
from srgcli.gate.engine import open_gate
from srgcli.model import Finding
from srgcli.tickets import require_ticket
from srgcli.workspace import Workspace, reads, writes
from srgcli.workspace.audit import trail
from tests.builders import add_ticket, table_dump
from tests.conftest import Cli, Result

TID = "2026-000200"
CALL = ("--channel", "phone", "--direction", "out", "--outcome", "reached")
CLEAN_LETTER = (
    "Уважаемая Ольга Викторовна!\n\nОтчёт об оценке по заказу № ОЦ-48213 подготовлен и "
    "направлен Вам.\n\nС уважением,\nПетрова Анна Сергеевна\n"
)
DIRTY_LETTER = "Уважаемая Ольга Викторовна!\n\nОценщик опаздал на осмотр, короче.\n"


# Every test here runs the real pylat-ru, loaded once per session.
pytestmark = pytest.mark.usefixtures("pylat")


@pytest.fixture(autouse=True)
def _signed(ws_root: Path) -> None:
    """Letters are signed: the workspace has the executor's name (tests of its absence are in
    test_workflow_guards.py)."""
    config = ws_root / "srgcli.toml"
    text = config.read_text("utf-8").replace('name = ""', 'name = "Петрова Анна Сергеевна"', 1)
    config.write_text(text, "utf-8")


@pytest.fixture
def reviewed(ws: Workspace) -> str:
    """A filled ticket with a recorded finding (status `reviewed`)."""
    add_ticket(ws)
    writes.save_finding(
        ws,
        Finding(
            ticket_id=TID,
            verdict="confirmed",
            category="deadlines",
            corrective_action="Отчёт передан Вам, оценщику указано на сроки.",
        ),
        command="test",
    )
    return TID


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The demo workspace, made once for the template tests (read only)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SRGCLI_NOW", "2026-11-25T10:00:00+03:00")
    ws = run_demo(tmp_path_factory.mktemp("demo") / "demo")
    yield ws
    ws.close()
    mp.undo()


def letter_files(ws: Workspace) -> list[Path]:
    return sorted((ws.root / "outbox").rglob("*.txt"))


def test_add_phone_call_with_russian_labels(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    result = cli(
        "contact-log",
        "add",
        TID,
        "--channel",
        "телефон",
        "--direction",
        "Исходящий",
        "--party",
        "клиент",
        "--outcome",
        "связь установлена",
        "--summary",
        "Обсудили сроки",
        "--at",
        "24.11.2026 15:30",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert {k: data[k] for k in ("channel", "direction", "party", "outcome")} == {
        "channel": "phone",
        "direction": "out",
        "party": "client",
        "outcome": "reached",
    }
    assert data["at"] == "2026-11-24T15:30:00+03:00"
    assert data["text"] is None and data["gate"] is None and data["path"] is None
    assert [a.entity for a in trail(ws.conn, TID) if a.command == "contact-log"] == ["contact"]


def test_add_defaults_to_now_and_the_client(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    result = cli("contact-log", "add", TID, *CALL, "--summary", "Звонок", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["at"] == "2026-11-25T10:00:00+03:00"
    assert result.json()["party"] == "client"


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--channel", "голубиная почта", "--channel"),
        ("--outcome", "satisfied", "reached «связь установлена»"),
        ("--at", "вчера", "03.11.2026 10:15"),
    ],
)
def test_bad_values_exit_2_with_the_choices(
    ws: Workspace, cli: Cli, option: str, value: str, expected: str
) -> None:
    add_ticket(ws)
    args = dict(zip(CALL[::2], CALL[1::2], strict=True))
    args[option] = value
    flat = [x for pair in args.items() for x in pair]
    result = cli("contact-log", "add", TID, *flat, "--summary", "Звонок")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert reads.contacts(ws, TID) == []


def test_a_summary_with_an_error_is_refused_and_nothing_stored(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    before = table_dump(ws, "contacts", "audit")
    result = cli("contact-log", "add", TID, *CALL, "--summary", "Оценщик опаздал на осмотр.")
    assert result.exit_code == 1
    assert "--summary:1:9 ошибка" in result.stderr and "опоздал" in result.stderr
    assert "Текст --summary не прошёл проверку: ошибок — 1. Контакт не записан." in (
        " ".join(result.stderr.split())
    )
    assert table_dump(ws, "contacts", "audit") == before
    fixed = cli("contact-log", "add", TID, *CALL, "--summary", "Оценщик опоздал на осмотр.")
    assert fixed.exit_code == 0, fixed.stderr


def test_log_contact_from_python_checks_the_summary_too(ws: Workspace) -> None:
    """The library refuses what `report` would refuse later, without the CLI in between."""
    from srgcli.exit import SrgError
    from srgcli.model import Channel, ContactOutcome, Direction, Party

    add_ticket(ws)
    ticket = require_ticket(ws, TID)
    before = table_dump(ws, "contacts", "audit")
    call = {"channel": Channel.PHONE, "direction": Direction.OUT, "party": Party.CLIENT}
    at = "2026-11-17T11:00:00+03:00"
    summary = "Оценщик опаздал на осмотр."
    item = contacts.ContactInput(**call, outcome=ContactOutcome.REACHED, summary=summary, at=at)
    with pytest.raises(SrgError) as refused:
        contacts.log_contact(ws, ticket, item, None)
    assert refused.value.code == 1
    assert "Текст --summary не прошёл проверку: ошибок — 1." in refused.value.message
    assert table_dump(ws, "contacts", "audit") == before
    # A passing result of another text does not let the summary through.
    from srgcli.gate.engine import open_gate

    clean = contacts.check_text(open_gate(ws), ws, ticket, "Оценщик опоздал на осмотр.")
    assert clean.passed
    with pytest.raises(SrgError):
        contacts.log_contact(ws, ticket, item, None, summary_result=clean)
    assert table_dump(ws, "contacts", "audit") == before


@pytest.mark.parametrize("channel", ["phone", "visit"])
@pytest.mark.parametrize("given", [("--template", "acknowledgement"), ("--text-file", "-")])
def test_a_letter_is_refused_on_a_spoken_channel(
    ws: Workspace, cli: Cli, channel: str, given: tuple[str, str]
) -> None:
    add_ticket(ws)
    args = ("--channel", channel, "--direction", "out", "--outcome", "reached", *given)
    result = cli("contact-log", "add", TID, *args, "--summary", "Звонок", input=CLEAN_LETTER)
    assert result.exit_code == 2
    label = "телефон" if channel == "phone" else "личный визит"
    assert f"{given[0]}: письмо или сообщение записывается только с письменным каналом" in (
        " ".join(result.stderr.split())
    )
    assert f"указан «{label}»" in " ".join(result.stderr.split())
    assert reads.contacts(ws, TID) == [] and letter_files(ws) == []


@pytest.mark.parametrize(
    ("channel", "direction", "stored"),
    [
        ("e-mail", "исх.", ("email", "out")),
        ("E-Mail", "исх", ("email", "out")),
        ("визит", "вх.", ("visit", "in")),
        ("чат ИС", "вх", ("is_chat", "in")),
    ],
)
def test_the_short_forms_list_shows_are_accepted(
    ws: Workspace, cli: Cli, channel: str, direction: str, stored: tuple[str, str]
) -> None:
    add_ticket(ws)
    args = ("--channel", channel, "--direction", direction, "--outcome", "reached")
    result = cli("contact-log", "add", TID, *args, "--summary", "Звонок")
    assert result.exit_code == 0, result.stderr
    assert [(c.channel, c.direction) for c in reads.contacts(ws, TID)] == [stored]
    listed = cli("contact-log", "list", TID).stdout
    assert channel.lower() in listed.lower() and direction.rstrip(".") + "." in listed


def log_at(ws: Workspace, cli: Cli, at: str, accepted: bool) -> Result | None:
    """A call logged `--at` a moment: accepted, or refused (exit 2) with nothing changed; the
    refusal is returned for its message."""
    before = table_dump(ws, "contacts", "audit")
    result = cli("contact-log", "add", TID, *CALL, "--summary", "Звонок", "--at", at)
    if accepted:
        assert result.exit_code == 0, result.stderr
        return None
    assert result.exit_code == 2
    assert table_dump(ws, "contacts", "audit") == before
    return result


@pytest.mark.parametrize(
    ("at", "accepted"),
    [
        ("25.11.2026 10:04", True),  # within the tolerance for clock skew
        ("2026-11-25T07:04:00+00:00", True),  # the same moment in UTC
        ("25.11.2026 10:06", False),
        ("26.11.2026 09:00", False),
        ("2027-01-10T10:00", False),
    ],
)
def test_a_contact_in_the_future_is_refused_and_nothing_changes(
    ws: Workspace, cli: Cli, at: str, accepted: bool
) -> None:
    add_ticket(ws)
    result = log_at(ws, cli, at, accepted)
    if result is not None:
        assert "ещё не наступило" in result.stderr
        assert "сейчас 25.11.2026 10:00" in result.stderr


@pytest.mark.parametrize(
    ("at", "accepted"),
    [
        ("16.11.2026 09:39", False),  # a minute before the receipt (16.11.2026 09:40)
        ("2026-11-16T06:39:59+00:00", False),  # the same, in UTC
        ("01.11.2026", False),
        ("16.11.2026 09:40", True),  # the receipt's own minute
        ("20.11.2026 12:00", True),
    ],
)
def test_a_contact_before_the_receipt_is_refused_and_nothing_changes(
    ws: Workspace, cli: Cli, at: str, accepted: bool
) -> None:
    add_ticket(ws, received_at="2026-11-16T09:40:30+03:00")
    result = log_at(ws, cli, at, accepted)
    if result is not None:
        assert "не может быть раньше поступления заявки" in result.stderr
        assert "Заявка поступила 16.11.2026 09:40 по Москве" in result.stderr
        assert "Смирнова" not in result.stderr


def test_without_at_a_contact_is_logged_even_before_a_receipt_time_in_the_future(
    ws: Workspace, cli: Cli
) -> None:
    # A wrong receipt time from the ИС must not keep a real call from being logged now.
    add_ticket(ws, received_at="2026-11-26T09:00:00+03:00")
    result = cli("contact-log", "add", TID, *CALL, "--summary", "Звонок")
    assert result.exit_code == 0, result.stderr
    assert [c.at for c in reads.contacts(ws, TID)] == ["2026-11-25T10:00:00+03:00"]


@pytest.mark.parametrize(("received_at", "code"), [(None, 0), ("вчера", 3)])
def test_without_a_valid_receipt_time_the_moment_is_not_judged_by_it(
    ws: Workspace, cli: Cli, received_at: str | None, code: int
) -> None:
    # Contacts are logged on filled tickets: here the receipt time is not a required field,
    # though an invalid one still keeps the ticket unfilled (exit 3, as before).
    config = ws.root / "srgcli.toml"
    config.write_text(config.read_text("utf-8").replace('"received_at", ', "", 1), "utf-8")
    add_ticket(ws, received_at=received_at, due_at="30.11.2026")
    result = cli(
        "contact-log", "add", TID, *CALL, "--summary", "Звонок", "--at", "01.11.2026 10:00"
    )
    assert result.exit_code == code, result.stderr
    assert "раньше поступления" not in result.stderr
    stored = [c.at for c in reads.contacts(ws, TID)]
    assert stored == (["2026-11-01T10:00:00+03:00"] if code == 0 else [])


def test_letter_with_an_error_is_refused_and_nothing_stored(
    ws: Workspace, cli: Cli, tmp_path: Path
) -> None:
    add_ticket(ws)
    letter = tmp_path / "letter.txt"
    letter.write_text(DIRTY_LETTER, "utf-8")
    before = table_dump(ws, "contacts", "audit")
    result = cli(
        "contact-log", "add", TID, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Письмо", "--text-file", str(letter),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "опаздал" in result.stderr and "не записан" in result.stderr
    assert table_dump(ws, "contacts", "audit") == before
    assert letter_files(ws) == []


def test_clean_letter_stored_with_its_gate_result_owner_only(
    ws: Workspace, cli: Cli, tmp_path: Path
) -> None:
    add_ticket(ws)
    letter = tmp_path / "letter.txt"
    letter.write_text(CLEAN_LETTER, "utf-8")
    result = cli(
        "contact-log", "add", TID, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Письмо", "--text-file", str(letter), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["text"] == CLEAN_LETTER
    gate = data["gate"]
    assert gate["passed"] is True and gate["errors"] == 0
    assert gate["summary"]["engine"] == "pylat"
    assert isinstance(gate["issues"], list)
    saved = Path(data["path"])
    assert saved.parent == ws.root / "outbox" / "letters" / TID
    assert saved.name == "20261125T100000-text.txt"
    assert saved.read_text("utf-8").rstrip("\n") == CLEAN_LETTER.rstrip("\n")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    for folder in (saved.parent, saved.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # client data: owner only
    stored = reads.contacts(ws, TID)[0]
    assert stored.gate == gate


def test_template_letter_without_a_terminal_is_used_as_rendered(
    ws: Workspace, cli: Cli, reviewed: str
) -> None:
    result = cli(
        "--no-input", "contact-log", "add", reviewed, "--channel", "email", "--direction", "out",
        "--outcome", "resolved", "--summary", "Ответ по существу", "--template", "answer", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["template"] == "answer"
    assert data["text"].startswith("Уважаемая Ольга Викторовна!\n")
    assert "заказу № ОЦ-48213" in data["text"]
    assert data["gate"]["passed"] is True
    path = Path(data["path"])
    assert path.name.endswith("-answer.txt")
    assert path.read_text("utf-8") == data["text"]
    # A second letter in the same second gets its own file.
    again = cli(
        "--no-input", "contact-log", "add", reviewed, "--channel", "email", "--direction", "out",
        "--outcome", "resolved", "--summary", "Повтор", "--template", "answer", "--json",
    )  # fmt: skip
    assert Path(again.json()["path"]).name.endswith("-answer-2.txt")


def test_editor_changes_the_letter_before_the_gate(
    ws: Workspace, cli: Cli, reviewed: str, tty: None, tmp_path: Path, monkeypatch: Any
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text(
        '#!/bin/sh\nsed -i "s/Благодарю Вас за терпение./Благодарю Вас за терпение и '
        'понимание./" "$1"\n',
        "utf-8",
    )
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    result = cli(
        "contact-log", "add", reviewed, "--channel", "email", "--direction", "out",
        "--outcome", "resolved", "--summary", "Ответ", "--template", "answer", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = result.json()["text"]
    assert "Благодарю Вас за терпение и понимание." in text
    assert Path(result.json()["path"]).read_text("utf-8") == text


def test_an_error_typed_in_the_editor_is_refused(
    ws: Workspace, cli: Cli, reviewed: str, tty: None, tmp_path: Path, monkeypatch: Any
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "Оценщик опаздал, короче." >> "$1"\n', "utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    result = cli(
        "contact-log", "add", reviewed, "--channel", "email", "--direction", "out",
        "--outcome", "resolved", "--summary", "Ответ", "--template", "answer",
    )  # fmt: skip
    assert result.exit_code == 1
    assert reads.contacts(ws, reviewed) == []
    assert letter_files(ws) == []


def test_failing_editor_stores_nothing(
    ws: Workspace, cli: Cli, reviewed: str, tty: None, monkeypatch: Any
) -> None:
    monkeypatch.setenv("VISUAL", "false")
    result = cli(
        "contact-log", "add", reviewed, "--channel", "email", "--direction", "out",
        "--outcome", "resolved", "--summary", "Ответ", "--template", "answer",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Редактор" in result.stderr
    assert reads.contacts(ws, reviewed) == []


def test_templates_render_for_the_demo_tickets_and_pass_the_gate(demo_ws: Workspace) -> None:
    gate = open_gate(demo_ws)
    names = letters.available(demo_ws)
    assert set(names) == {"acknowledgement", "answer", "not_reached"}
    rendered = 0
    for ticket in reads.list_tickets(demo_ws):
        finding = reads.finding(demo_ws, ticket.id)
        for name, template in names.items():
            if "finding" in template.requires and finding is None:
                continue
            text = letters.render(demo_ws, name, ticket, finding)
            # the phone as the report writes it (the `phone` filter), whatever the profile holds
            assert "Петрова Анна Сергеевна" in text and "+7 (916) 100-20-30" in text
            first = text.splitlines()[0]
            assert first.startswith(("Уважаемая ", "Уважаемый ")) and first.endswith("!")
            result = contacts.check_text(gate, demo_ws, ticket, text)
            assert result.issues == [], (ticket.id, name, result.issues)
            rendered += 1
    assert rendered >= 5 * 2 + 2


def test_polite_address_uses_name_and_patronymic(demo_ws: Workspace) -> None:
    texts = {
        t.id: letters.render(demo_ws, "acknowledgement", t, None)
        for t in reads.list_tickets(demo_ws)
    }
    assert texts["2026-000118"].startswith("Уважаемая Ольга Викторовна!")
    assert texts["2026-000121"].startswith("Уважаемый Игорь Петрович!")
    assert texts["2026-000127"].startswith("Уважаемый Андрей!")  # no patronymic known


def test_answer_template_needs_a_finding(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    result = cli(
        "--no-input", "contact-log", "add", TID, "--channel", "email", "--direction", "out",
        "--outcome", "resolved", "--summary", "Ответ", "--template", "answer",
    )  # fmt: skip
    assert result.exit_code == 3
    assert f"srgcli review {TID} --verdict" in result.stderr


def test_workspace_template_overrides_and_missing_variable_is_exit_2(
    ws: Workspace, cli: Cli
) -> None:
    add_ticket(ws)
    folder = ws.root / "templates" / "letters"
    folder.mkdir(parents=True)
    (folder / "acknowledgement.j2").write_text(
        "{#- title: Своё подтверждение -#}\n{{ client.salutation }}\n\nОбращение получено.\n",
        "utf-8",
    )
    (folder / "broken.j2").write_text("{{ client.salutation }} {{ ticket.nosuch }}\n", "utf-8")
    listed = cli("contact-log", "templates", "--json").json()
    by_name = {t["name"]: t for t in listed}
    assert by_name["acknowledgement"]["source"] == "workspace"
    assert by_name["acknowledgement"]["title"] == "Своё подтверждение"
    assert by_name["answer"] == {
        "name": "answer",
        "title": "Ответ по существу обращения",
        "source": "builtin",
        "path": by_name["answer"]["path"],
        "requires": ["finding"],
    }
    ok = cli(
        "--no-input", "contact-log", "add", TID, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Подтверждение", "--template", "acknowledgement",
        "--json",
    )  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    assert ok.json()["text"] == "Уважаемая Ольга Викторовна!\n\nОбращение получено.\n"
    before = table_dump(ws, "contacts")
    broken = cli(
        "--no-input", "contact-log", "add", TID, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Письмо", "--template", "broken",
    )  # fmt: skip
    assert broken.exit_code == 2
    assert "«broken»" in broken.stderr and "«nosuch»" in broken.stderr
    assert table_dump(ws, "contacts") == before
    unknown = cli(
        "--no-input", "contact-log", "add", TID, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Письмо", "--template", "nosuch",
    )  # fmt: skip
    assert unknown.exit_code == 2 and "acknowledgement, answer" in unknown.stderr


def test_templates_table(cli: Cli) -> None:
    result = cli("contact-log", "templates")
    assert result.exit_code == 0
    for name in ("acknowledgement", "answer", "not_reached"):
        assert name in result.stdout
    assert "templates/letters" in result.stderr


def test_contacts_need_a_filled_ticket(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, object_address="")
    result = cli("contact-log", "add", TID, *CALL, "--summary", "Звонок")
    assert result.exit_code == 3
    assert f"srgcli fill {TID}" in result.stderr
    assert reads.contacts(ws, TID) == []


def test_unknown_ticket_exit_code(cli: Cli) -> None:
    result = cli("contact-log", "add", "2026-999999", *CALL, "--summary", "Звонок")
    assert result.exit_code == 2


def test_list_json_and_table(ws: Workspace, cli: Cli) -> None:
    empty = cli("contact-log", "list", "--json")
    assert empty.exit_code == 0 and empty.json() == []
    assert "пока нет" in cli("contact-log", "list").stderr
    add_ticket(ws)
    add_ticket(ws, id="2026-000201")
    cli("contact-log", "add", TID, *CALL, "--summary", "Первый", "--at", "2026-11-24T10:00")
    cli("contact-log", "add", "2026-000201", *CALL, "--summary", "Второй")
    one = cli("contact-log", "list", TID, "--json")
    assert one.exit_code == 0
    rows = one.json()
    assert len(rows) == 1
    assert set(rows[0]) == {
        "id", "ticket_id", "at", "channel", "direction", "party", "outcome", "summary",
        "text", "template", "gate",
    }  # fmt: skip
    every = cli("contact-log", "list", "--json").json()
    assert [r["summary"] for r in every] == ["Первый", "Второй"]
    table = cli("contact-log", "list", TID)
    assert "Первый" in table.stdout and "телефон" in table.stdout and "исх." in table.stdout
    both = cli("contact-log", "list")
    assert "Когда, заявка" in both.stdout and "2026-000201" in both.stdout
    assert "Второй" in both.stdout
    assert cli("contact-log", "list", "2026-999999").exit_code == 2
    assert cli("contact-log", "list", "2026-000201", "--json").json()[0]["summary"] == "Второй"


LONG_ID = "SRG-2026-11-000128-CLIENT-COMPLAINT-ABCDE"
SUMMARY = "Клиенту сообщено о результатах проверки; отчёт передан, извинения принесены."


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize("one_ticket", [True, False])
def test_list_table_fits_the_terminal_and_cuts_nothing(
    ws: Workspace, cli: Cli, columns: int, one_ticket: bool
) -> None:
    add_ticket(ws)
    add_ticket(ws, id=LONG_ID)
    warned = {"passed": True, "errors": 0, "warnings": 2}
    for ticket, channel, direction, party, outcome, gate in (
        (TID, "phone", "out", "client", "reached", None),
        (TID, "messenger", "in", "customer", "callback_scheduled", warned),
        (LONG_ID, "is_chat", "out", "appraiser", "no_answer", None),
    ):
        writes.add_contact(
            ws, ticket, at="2026-11-24T10:00:00+03:00", channel=channel, direction=direction,
            party=party, outcome=outcome, gate=gate, summary=SUMMARY,
        )  # fmt: skip
    lines = cli.on_terminal(columns, "contact-log", "list", *([TID] if one_ticket else []))
    assert max(len(line) for line in lines) <= columns
    assert "…" not in "\n".join(lines)
    at = next(n for n, line in enumerate(lines) if "Итог" in line)
    headers = [
        "Когда" if one_ticket else "Когда, заявка",
        "Канал, с кем",
        "Итог",
        "Кратко",
        "Текст",
    ]
    starts = [lines[at].index(h) for h in headers]
    assert starts == sorted(starts)
    rows = [line for line in lines[at + 2 :] if line.strip()]

    def column(n: int) -> list[str]:
        end = starts[n + 1] if n + 1 < len(starts) else None
        return [row[starts[n] : end].strip() for row in rows]

    def words(n: int) -> str:
        return " ".join(" ".join(column(n)).split())

    # Every label and text is whole, read down its column: wrapped between words, never cut.
    third = [] if one_ticket else [("чат ИС исх., оценщик", "нет ответа", "—")]
    channels, outcomes, gates = zip(
        ("телефон исх., клиент", "связь установлена", "—"),
        ("мессенджер вх., заказчик", "назначен повторный звонок", "✓ предупр.: 2"),
        *third,
        strict=True,
    )
    assert words(1) == " ".join(channels)
    assert words(2) == " ".join(outcomes)
    assert words(3) == " ".join([SUMMARY] * len(channels))
    assert words(4) == " ".join(gates)
    if not one_ticket:
        assert LONG_ID in "".join(column(0))  # folded under the time, whole
        assert "2026-000200" in column(0)


def test_show_names_the_party_and_audits_contacts_in_russian(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    to_bank = ("--channel", "phone", "--direction", "out", "--party", "bank", "--outcome")
    assert cli("contact-log", "add", TID, *to_bank, "no_answer", "--summary", "Банк").exit_code == 0
    assert cli("contact-log", "add", TID, *CALL, "--summary", "Клиент").exit_code == 0
    shown = " ".join(cli("show", TID).stdout.split())
    assert "телефон (исх., банк) нет ответа Банк" in shown
    assert "телефон (исх.) связь установлена Клиент" in shown  # the client goes without saying
    assert "контакт телефон: нет ответа" in shown and "контакт телефон: связь установлена" in shown
    assert "phone" not in shown and "no_answer" not in shown
    # The audit trail keeps the canonical values.
    assert [a.new for a in trail(ws.conn, TID) if a.entity == "contact"] == [
        "phone: no_answer",
        "phone: reached",
    ]


def test_resolve_preconditions(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    resolve = ("contact-log", "resolve", TID, "--outcome", "explained", "--summary", "Разъяснено.")
    no_finding = cli(*resolve)
    assert no_finding.exit_code == 3
    assert f"srgcli review {TID} --verdict" in no_finding.stderr
    writes.save_finding(ws, Finding(ticket_id=TID, verdict="not_confirmed"), command="test")
    cli("contact-log", "add", TID, *CALL, "--party", "bank", "--summary", "Звонок в банк")
    no_client = cli(*resolve)
    assert no_client.exit_code == 3
    assert f"srgcli contact-log add {TID}" in no_client.stderr
    assert reads.resolution(ws, TID) is None


def test_resolve_settles_the_ticket(ws: Workspace, cli: Cli, reviewed: str) -> None:
    cli("contact-log", "add", reviewed, *CALL, "--summary", "Звонок")
    result = cli(
        "contact-log", "resolve", reviewed, "--outcome", "требование удовлетворено",
        "--summary", "Отчёт передан клиенту.", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["outcome"], data["summary"]) == ("satisfied", "Отчёт передан клиенту.")
    shown = cli("show", reviewed, "--json").json()
    assert shown["status"] == "settled"
    assert shown["next"] == f"srgcli report {reviewed}"
    assert [a.entity for a in trail(ws.conn, reviewed) if a.command == "contact-log"] == [
        "contact",
        "resolution",
    ]


def test_resolve_summary_is_gated(ws: Workspace, cli: Cli, reviewed: str) -> None:
    cli("contact-log", "add", reviewed, *CALL, "--summary", "Звонок")
    result = cli(
        "contact-log", "resolve", reviewed, "--outcome", "explained",
        "--summary", "Оценщик опаздал, короче.",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "опаздал" in result.stderr
    assert reads.resolution(ws, reviewed) is None


def test_text_from_stdin(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    result = cli(
        "contact-log", "add", TID, "--channel", "messenger", "--direction", "out",
        "--outcome", "reached", "--summary", "Сообщение", "--text-file", "-", "--json",
        input=CLEAN_LETTER,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.json()["text"] == CLEAN_LETTER
    assert result.json()["gate"]["passed"] is True


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "служебным атрибутам запрещено"),
        ("{% if %}", "строка 1: не хватает выражения перед «%}»"),
        (
            "{{ client.salutation }}\n\n{% if ticket.id %}\nОбращение получено.\n",
            "hostile.j2), строка 3: незакрытый блок {% if %} — нет {% endif %}.",
        ),
        ("Письмо.\n{% endfor %}\n", "строка 2: {% endfor %} без открывающего {% for %}"),
        ("Письмо.\n\n{{ ticket.nosuch }}\n", "строка 3: нет такого значения в данных письма"),
        (b"\xff\xfe\xfa", "UTF-8"),
    ],
)
def test_hostile_or_broken_template_is_exit_2(
    ws: Workspace, cli: Cli, source: str | bytes, expected: str
) -> None:
    add_ticket(ws)
    folder = ws.root / "templates" / "letters"
    folder.mkdir(parents=True)
    path = folder / "hostile.j2"
    if isinstance(source, bytes):
        path.write_bytes(source)
    else:
        path.write_text(source, "utf-8")
    result = cli(
        "--no-input", "contact-log", "add", TID, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Письмо", "--template", "hostile",
    )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert expected in message
    assert "Jinja" not in message and "Traceback" not in message
    assert reads.contacts(ws, TID) == []


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        ("confirmed", "Приношу Вам извинения"),
        ("partially_confirmed", "подтвердились частично"),
        ("not_confirmed", "не подтвердились"),
    ],
)
def test_answer_for_each_verdict_passes_the_gate(
    demo_ws: Workspace, verdict: str, expected: str
) -> None:
    ticket = require_ticket(demo_ws, "2026-000124")
    finding = Finding(
        ticket_id=ticket.id,
        verdict=verdict,
        corrective_action="Оценщику указано на соблюдение времени осмотра.",
    )
    text = letters.render(demo_ws, "answer", ticket, finding)
    assert text.startswith("Уважаемая Алсу Ринатовна!") and expected in text
    # The action as done, introduced so that it never reads as an order to the client.
    assert "приняты следующие меры: оценщику указано на соблюдение времени осмотра." in text
    assert contacts.check_text(open_gate(demo_ws), demo_ws, ticket, text).issues == []


def test_letters_use_the_reports_filters(tmp_path: Path) -> None:
    # a workspace's own letter template may use `phone`, `ru_date`, `initials`, …
    (tmp_path / "mine.j2").write_text(
        "{{ '+74951234567'|phone }}; {{ 'Иванова Мария Петровна'|initials }}\n", encoding="utf-8"
    )
    env = letters.environment([tmp_path])
    text = letters.render_file(env, tmp_path / "mine.j2", {})
    assert text == "+7 (495) 123-45-67; Иванова М. П.\n"
