"""`list` and `show` on a workspace with tickets at several stages (the demo data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from srgcli.demo import load_samples, run_demo
from srgcli.model import Finding
from srgcli.tickets import require_ticket, set_executor_fields
from srgcli.workspace import Workspace, create_workspace, open_workspace, writes
from srgcli.workspace.db import transaction
from tests.builders import add_ticket
from tests.conftest import Cli, terminal


@pytest.fixture
def demo(tmp_path: Path) -> Cli:
    """The sample tickets as fetched, before any step: one is new, the others filled."""
    ws = create_workspace(tmp_path / "demo")
    load_samples(ws)
    writes.save_finding(ws, Finding(ticket_id="2026-000121", verdict="confirmed"))
    ws.close()
    return Cli(tmp_path / "demo")


def test_list_json_has_the_documented_keys(demo: Cli) -> None:
    result = demo("list", "--json")
    assert result.exit_code == 0
    rows = result.json()
    assert len(rows) == 5
    for row in rows:
        assert {"id", "status", "due_at", "client_name", "category", "next"} <= set(row)
    by_id = {r["id"]: r for r in rows}
    assert by_id["2026-000127"]["status"] == "new"  # bad phone, no address
    assert by_id["2026-000127"]["next"] == "srgcli fill 2026-000127"
    assert by_id["2026-000121"]["status"] == "reviewed"
    assert by_id["2026-000118"]["status"] == "filled"
    # Ordered by deadline.
    assert [r["due_at"] for r in rows] == sorted(r["due_at"] for r in rows)


def test_list_filters_by_status_in_either_language(demo: Cli) -> None:
    english = demo("list", "--status", "filled", "--json").json()
    russian = demo("list", "--status", "заполнена", "--json").json()
    assert english == russian
    assert {r["status"] for r in english} == {"filled"}
    bad = demo("list", "--status", "done")
    assert bad.exit_code == 2
    assert "неизвестный статус" in bad.stderr


@pytest.mark.parametrize(
    ("required", "expected"),
    [
        # One required field: an empty complaint keeps the ticket new, an empty phone does not.
        ('["complaint_text"]', {"a": "new", "b": "filled", "c": "filled"}),
        # Only a contact: a phone or an e-mail is enough; neither keeps it new.
        ('["client_contact"]', {"a": "filled", "b": "filled", "c": "new"}),
        # Several fields, as by default: any of them empty keeps it new.
        ('["complaint_text", "client_contact"]', {"a": "new", "b": "filled", "c": "new"}),
        ("[]", {"a": "filled", "b": "filled", "c": "filled"}),
    ],
)
def test_list_status_follows_the_required_fields_of_config(
    ws_root: Path, required: str, expected: dict[str, str]
) -> None:
    config = ws_root / "srgcli.toml"
    text = config.read_text(encoding="utf-8")
    start = text.index("required = [")
    end = text.index("\n", start)
    config.write_text(text[:start] + f"required = {required}" + text[end:], encoding="utf-8")
    ws = open_workspace(ws_root)
    add_ticket(ws, id="a", complaint_text="", client_phone="")
    add_ticket(ws, id="b", client_email="")
    add_ticket(ws, id="c", client_phone="", client_email="")
    ws.close()
    rows = Cli(ws_root)("list", "--json").json()
    assert {r["id"]: r["status"] for r in rows} == expected


def test_list_overdue(demo: Cli) -> None:
    # On 25.11 (the samples moved by working days: the newest arrived on Tuesday 24.11) no
    # ticket's own deadline has passed, but four first contacts and one report are late.
    early = demo("list", "--overdue", "--json").json()
    assert {r["id"]: r["overdue_deadlines"] for r in early} == {
        "2026-000118": {
            "first_contact": "2026-11-19T18:00:00+03:00",
            "report": "2026-11-24T18:00:00+03:00",
        },
        "2026-000121": {"first_contact": "2026-11-20T18:00:00+03:00"},
        "2026-000124": {"first_contact": "2026-11-23T18:00:00+03:00"},
        "2026-000127": {"first_contact": "2026-11-24T18:00:00+03:00"},
    }
    demo.env = terminal(now="2027-02-01T10:00:00+03:00")
    overdue = demo("list", "--overdue", "--json").json()
    assert len(overdue) == 5
    assert all(r["overdue"] for r in overdue)
    assert all(r["overdue_deadlines"]["ticket"] == r["due_at"] for r in overdue)


# Received Monday 16.11 09:40: first contact due 17.11 18:00, report due 20.11 18:00.
STAGED = {"id": "2026-000300", "due_at": "10.12.2026 18:00"}


def _call(ws: Workspace, at: str, outcome: str, party: str = "client") -> None:
    writes.add_contact(
        ws,
        "2026-000300",
        at=at,
        channel="phone",
        direction="out",
        party=party,
        outcome=outcome,
        summary="Звонок",
        command="test",
    )


@pytest.mark.parametrize(
    ("calls", "late"),
    [
        ([], ["first_contact", "report"]),
        ([("2026-11-17T12:00:00+03:00", "no_answer", "client")], ["first_contact", "report"]),
        ([("2026-11-17T12:00:00+03:00", "reached", "bank")], ["first_contact", "report"]),
        ([("2026-11-17T12:00:00+03:00", "reached", "client")], ["report"]),
        # Reached late: the stage is done (missed, as `show` says), no longer overdue.
        ([("2026-11-24T12:00:00+03:00", "callback_scheduled", "client")], ["report"]),
    ],
)
def test_a_passed_stage_target_makes_the_ticket_overdue(
    ws: Workspace, cli: Cli, calls: list[tuple[str, str, str]], late: list[str]
) -> None:
    add_ticket(ws, **STAGED)
    add_ticket(ws, id="2026-000301", received_at="2026-11-24T10:00:00+03:00")  # all in time
    for at, outcome, party in calls:
        _call(ws, at, outcome, party)
    rows = cli("list", "--overdue", "--json").json()
    assert [r["id"] for r in rows] == ["2026-000300"]
    (row,) = rows
    assert row["overdue"] is True
    assert list(row["overdue_deadlines"]) == late
    assert row["overdue_deadlines"]["report"] == "2026-11-20T18:00:00+03:00"
    if "first_contact" in late:
        assert row["overdue_deadlines"]["first_contact"] == "2026-11-17T18:00:00+03:00"
    # The documented keys are all still there, unchanged in meaning.
    assert {"id", "status", "due_at", "client_name", "category", "next"} <= set(row)
    assert row["due_at"] == "2026-12-10T18:00:00+03:00"
    # `show` agrees on the flag and lists the same stages as overdue.
    detail = cli("show", "2026-000300", "--json").json()
    assert detail["overdue"] is True
    assert [d["key"] for d in detail["deadlines"] if d["state"] == "overdue"] == late


@pytest.mark.parametrize(
    ("now", "late"),
    [
        # Received Tuesday 03.11; Wednesday 04.11 is a public holiday (Day of Unity), so the
        # first contact is due Thursday 05.11 18:00, the report (4 days) Tuesday 10.11 18:00.
        ("2026-11-04T19:00:00+03:00", []),
        ("2026-11-05T17:59:00+03:00", []),
        ("2026-11-05T18:01:00+03:00", ["first_contact"]),
        ("2026-11-07T12:00:00+03:00", ["first_contact"]),
        ("2026-11-10T17:00:00+03:00", ["first_contact"]),
        ("2026-11-10T18:01:00+03:00", ["first_contact", "report"]),
    ],
)
def test_list_and_show_agree_on_overdue_stages_around_a_holiday(
    ws: Workspace, cli: Cli, now: str, late: list[str]
) -> None:
    add_ticket(ws, id="2026-000302", received_at="03.11.2026 11:00", due_at="30.11.2026")
    cli.env = terminal(now=now)
    (row,) = cli("list", "--json").json()
    assert list(row["overdue_deadlines"]) == late
    shown = cli("show", "2026-000302", "--json").json()["deadlines"]
    overdue = {d["key"]: d["due_at"] for d in shown if d["state"] == "overdue"}
    assert row["overdue_deadlines"] == overdue
    due = {d["key"]: d["due_at"] for d in shown}
    assert due["first_contact"] == "2026-11-05T18:00:00+03:00"
    assert due["report"] == "2026-11-10T18:00:00+03:00"


def test_list_table_names_the_overdue_stage(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, **STAGED)
    _call(ws, "2026-11-17T12:00:00+03:00", "no_answer")
    result = cli("list")
    assert result.exit_code == 0
    assert "⚠ контакт 17.11" in result.stdout
    assert "⚠ отчёт 20.11" in result.stdout
    assert "этап не выполнен в срок" in result.stdout
    in_time = cli("list", "--overdue")
    assert "2026-000300" in in_time.stdout


@pytest.mark.parametrize(("decision", "late"), [(None, []), ("returned", ["first_contact"])])
def test_nothing_is_overdue_while_the_work_is_handed_over(
    ws: Workspace, cli: Cli, decision: str | None, late: list[str]
) -> None:
    # Never reached the client, reported late on 24.11, handed over; then perhaps returned.
    add_ticket(ws, **STAGED)
    with transaction(ws.conn):
        ws.conn.execute(
            "insert into reports (ticket_id, version, template, path, sha256, input_hash, "
            "ticket_revision, created_at) values ('2026-000300', 1, 'default', 'r.docx', '', "
            "'', 1, '2026-11-24T12:00:00+03:00')"
        )
    submission = writes.add_submission(
        ws, "2026-000300", variant="A", channel="outbox", report_version=1, path=None
    )
    if decision:
        writes.set_submission_decision(ws, submission, "2026-000300", decision, "Доработать.")
    (row,) = cli("list", "--json").json()
    assert row["status"] == (decision or "submitted")
    assert list(row["overdue_deadlines"]) == late
    assert row["overdue"] is bool(late)


def test_list_table_shows_status_deadline_and_next_step(demo: Cli) -> None:
    result = demo("list")
    assert result.exit_code == 0
    assert "Смирнова О. В." in result.stdout
    assert "заполнена" in result.stdout
    assert "review --auto" in result.stdout
    assert "27.11 (+2)" in result.stdout


def test_empty_workspace_list_explains_what_to_do(cli: Cli) -> None:
    result = cli("list")
    assert result.exit_code == 0
    assert "srgcli fetch" in result.stderr


def test_show_json(demo: Cli) -> None:
    data = demo("show", "2026-000127", "--json").json()
    for key in (
        "status",
        "missing",
        "events",
        "finding",
        "contacts",
        "resolution",
        "reports",
        "submissions",
    ):
        assert key in data
    assert data["status"] == "new"
    assert set(data["missing"]) == {"client_contact", "object_address"}
    assert data["client_phone"] == "+7 999 12"  # kept as received
    assert "client_phone" in data["invalid"]
    full = demo("show", "2026-000118", "--json").json()
    assert full["client_phone"] == "+79162043177"  # normalised to E.164
    assert len(full["events"]) == 8
    assert full["events"][0]["kind"] == "order_created"
    reviewed = demo("show", "2026-000121", "--json").json()
    assert reviewed["finding"]["verdict"] == "confirmed"
    assert reviewed["audit"][-1]["entity"] == "finding"


def test_show_panels(demo: Cli) -> None:
    result = demo("show", "2026-000127")
    assert result.exit_code == 0
    for text in (
        "Заявка 2026-000127",
        "не заполнено",
        "История заказа пуста",
        "srgcli fill 2026-000127",
        "Журнал изменений",
    ):
        assert text in result.stdout


def test_show_unknown_id_suggests_close_matches(demo: Cli) -> None:
    result = demo("show", "2026-00118")
    assert result.exit_code == 2
    assert "не найдена" in result.stderr
    assert "2026-000118" in result.stderr


def test_revision_changes_when_report_inputs_change(tmp_path: Path) -> None:
    ws = run_demo(tmp_path / "demo")
    before = require_ticket(ws, "2026-000118").revision
    set_executor_fields(ws, "2026-000118", {"bank": "АО «Альфа-Банк»"})
    after = require_ticket(ws, "2026-000118")
    assert after.revision > before
    assert "bank" in after.executor_fields
    ws.close()


def test_demo_command_creates_a_fresh_folder_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = Cli(None)("demo", workspace=False)
    second = Cli(None)("demo", workspace=False)
    assert first.exit_code == 0 and second.exit_code == 0
    assert (tmp_path / "srgcli-demo" / "srgcli.db").exists()
    assert (tmp_path / "srgcli-demo-2" / "srgcli.db").exists()
    assert "2026-000118" in first.stdout


def test_show_reports_each_deadline_and_whether_it_was_met(demo: Cli) -> None:
    data = demo("show", "2026-000118", "--json").json()
    by_key = {d["key"]: d for d in data["deadlines"]}
    assert set(by_key) == {"first_contact", "report", "ticket"}
    # Received on Wednesday 18.11: one business day for the first contact is Thursday 18:00.
    assert by_key["first_contact"]["due_at"] == "2026-11-19T18:00:00+03:00"
    assert by_key["first_contact"]["state"] == "overdue"  # the clock says 25.11, no contact
    assert by_key["ticket"]["state"] == "pending"
    assert "Сроки" in demo("show", "2026-000118").stdout


LONG_IDS = [
    "SRG-2026-11-000128-CLIENT-COMPLAINT-ABCDE",
    "SRG-2026-11-000129-CLIENT-COMPLAINT-FGHIJ",
    "2026-000130",
]


def list_on_terminal(cli: Cli, columns: int) -> list[str]:
    """`srgcli list` as on a terminal `columns` wide."""
    return cli.on_terminal(columns, "list")


def first_column(lines: list[str]) -> list[str]:
    """The id column's text, line by line, under the table's header."""
    at = next(n for n, line in enumerate(lines) if "Заявка" in line and "Клиент" in line)
    width = lines[at].index("Клиент")
    body = []
    for line in lines[at + 2 :]:
        if not line.strip():
            break
        body.append(line[:width].strip())
    return body


@pytest.mark.parametrize("columns", [80, 100])
def test_long_ids_fold_and_the_table_fits_the_terminal(
    ws: Workspace, cli: Cli, columns: int
) -> None:
    for n, ticket_id in enumerate(LONG_IDS):
        add_ticket(
            ws,
            id=ticket_id,
            received_at=f"2026-11-{16 + n}T10:00:00+03:00",
            client_name="Константинопольский Константин Константинович",
        )
    lines = list_on_terminal(cli, columns)
    assert max(len(line.rstrip()) for line in lines) <= columns
    # Every id is whole, folded over lines; the short one stays on one line.
    ids = first_column(lines)
    assert "".join(ids) == "".join(LONG_IDS)
    assert "2026-000130" in ids
    text = "\n".join(lines)
    # Status, deadline and the next step are not cut short.
    assert text.count("заполнена") == 3
    assert "просрочено" in text and "⚠ контакт 17.11" in text
    assert "…" not in "".join(line.split()[-1] for line in lines if "review" in line)


def test_usual_ids_stay_on_one_line_at_80_columns(demo: Cli) -> None:
    lines = list_on_terminal(demo, 80)
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert first_column(lines)[:2] == ["2026-000118", ""]
    assert "Смирнова О. В." in "\n".join(lines)


def test_a_report_returned_for_rework_does_not_meet_the_deadline(ws: Workspace, cli: Cli) -> None:
    # Due 20.11; handed over on 19.11 (in time), returned on the 24th; now it is the 25th.
    add_ticket(ws, id="2026-000310", due_at="20.11.2026 18:00")
    first = writes.add_submission(
        ws,
        "2026-000310",
        variant="A",
        channel="outbox",
        report_version=1,
        path=None,
        submitted_at="2026-11-19T12:00:00+03:00",
    )

    def own() -> dict[str, str]:
        shown = cli("show", "2026-000310", "--json").json()
        return next(d for d in shown["deadlines"] if d["key"] == "ticket")

    assert own()["state"] == "met"
    writes.set_submission_decision(ws, first, "2026-000310", "returned", "Исправить площадь")
    assert own()["state"] == "overdue"
    assert cli("show", "2026-000310", "--json").json()["overdue"] is True
    # The reworked report handed over now, after the deadline: done, but late.
    writes.add_submission(
        ws, "2026-000310", variant="A", channel="outbox", report_version=2, path=None
    )
    assert own()["state"] == "missed"


@pytest.mark.parametrize("columns", [80, 160])
def test_values_that_look_like_markup_are_shown_as_text(
    ws: Workspace, cli: Cli, columns: int
) -> None:
    # The ИС may send anything: «[/b]» in a name or a category is text, not a Rich tag.
    ticket_id = add_ticket(ws, client_name="Петров[/b] Пётр", category="[/] иное")
    lines = "\n".join(cli.on_terminal(columns, "list"))
    assert "Петров[/b]" in lines
    if columns >= 100:
        assert "[/] иное" in lines
    shown = cli("show", ticket_id)
    assert shown.exit_code == 0, shown.stderr


def test_an_unknown_status_is_explained_in_russian(cli: Cli) -> None:
    result = cli("list", "--status", "done")
    assert result.exit_code == 2
    assert "Неверное значение: неизвестный статус «done»" in result.stderr
    assert "Invalid value" not in result.stderr
