"""`srgcli submit`: variants A and B, the outbox folder and manifest, decisions, the ИС API."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from srgcli.tickets import set_executor_fields
from srgcli.workspace import open_workspace
from tests.builders import TICKET, add_ticket, make_report, settle, table_dump
from tests.conftest import Cli, terminal


def status(cli: Cli) -> str:
    return str(cli("show", TICKET, "--json").json()["status"])


def test_variant_a_to_the_outbox_then_accepted(cli: Cli, ws_root: Path) -> None:
    report = make_report(ws_root)
    assert status(cli) == "reported"
    result = cli("submit", TICKET, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["status"] == "submitted" and data["variant"] == "A" and data["report_version"] == 1
    folder = Path(data["folder"])
    assert folder.parent == ws_root / "outbox"
    # The DOCX and its manifest, and nothing else.
    assert sorted(p.name for p in folder.iterdir()) == [report.name, "manifest.json"]
    assert (folder / report.name).read_bytes() == report.read_bytes()
    assert stat.S_IMODE((folder / "manifest.json").stat().st_mode) == 0o600
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == "srgcli.submission/1"
    assert manifest["ticket"]["id"] == TICKET
    assert manifest["report"]["version"] == 1
    assert manifest["report"]["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert manifest["gate"]["engine"] == "pylat"
    assert "Смирнова" not in json.dumps(manifest, ensure_ascii=False)  # no client data
    assert (
        cli("show", TICKET, "--json").json()["next"]
        == f"srgcli submit {TICKET} --decision accepted"
    )

    again = cli("submit", TICKET)
    assert again.exit_code == 3
    assert "ждёт решения" in again.stderr

    accepted = cli("submit", TICKET, "--decision", "принят", "--json")
    assert accepted.exit_code == 0, accepted.stderr
    assert accepted.json()["status"] == "accepted"
    twice = cli("submit", TICKET, "--decision", "returned", "--remarks", "Поздно")
    assert twice.exit_code == 3
    assert "уже записано" in twice.stderr


def test_returned_for_rework_needs_remarks_and_a_new_version(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    assert cli("submit", TICKET).exit_code == 0
    missing = cli("submit", TICKET, "--decision", "returned")
    assert missing.exit_code == 2
    assert "замечания" in missing.stderr
    result = cli("submit", TICKET, "--decision", "returned", "--remarks", "Уточнить сроки.")
    assert result.exit_code == 0
    assert status(cli) == "returned"
    blocked = cli("submit", TICKET)
    assert blocked.exit_code == 3
    assert "srgcli report" in blocked.stderr
    make_report(ws_root, version=2, text="Отчёт по заявке, версия 2.")
    assert status(cli) == "reported"
    second = cli("submit", TICKET, "--json").json()
    assert second["report_version"] == 2
    shown = cli("show", TICKET, "--json").json()
    assert [s["report_version"] for s in shown["submissions"]] == [1, 2]
    assert shown["submissions"][0]["remarks"] == "Уточнить сроки."


def test_variant_b_counts_as_accepted_only_with_the_is_mark(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    result = cli("submit", TICKET, "--variant", "B", "--json")
    assert result.exit_code == 0
    assert result.json()["status"] == "submitted"
    assert cli("show", TICKET, "--json").json()["next"] == (
        f"srgcli submit {TICKET} --variant B --mark-ref"
    )
    no_ref = cli("submit", TICKET, "--variant", "B")
    assert no_ref.exit_code == 2
    marked = cli("submit", TICKET, "--variant", "B", "--mark-ref", "ИС-5521", "--json")
    assert marked.exit_code == 0, marked.stderr
    assert marked.json()["action"] == "marked"
    assert marked.json()["status"] == "accepted"
    manifest = json.loads((Path(result.json()["folder"]) / "manifest.json").read_text("utf-8"))
    assert manifest["mark_ref"] == "ИС-5521"
    decision = cli("submit", TICKET, "--decision", "accepted")
    assert decision.exit_code == 3
    assert "вариант" in decision.stderr.lower()


def test_variant_b_with_the_mark_at_once(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    result = cli("submit", TICKET, "--variant", "Б", "--mark-ref", "ИС-1", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["status"] == "accepted"


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        ("none", "нет отчёта"),
        ("tampered", "изменён после проверки"),
        ("missing", "не найден"),
        ("stale", "устарел"),
    ],
)
def test_no_fresh_verified_report_refuses_with_nothing_recorded(
    cli: Cli, ws_root: Path, prepare: str, message: str
) -> None:
    if prepare == "none":
        ws = open_workspace(ws_root)
        add_ticket(ws)
        ws.close()
    else:
        report = make_report(ws_root)
        if prepare == "tampered":
            report.write_bytes(report.read_bytes() + b"\0")
        elif prepare == "missing":
            report.unlink()
        else:
            ws = open_workspace(ws_root)
            set_executor_fields(ws, TICKET, {"bank": "АО «Альфа-Банк»"})
            ws.close()
    before = table_dump(ws_root, "submissions", "audit", "reports")
    result = cli("submit", TICKET)
    assert result.exit_code == 3
    assert message in result.stderr
    assert table_dump(ws_root, "submissions", "audit", "reports") == before
    assert list((ws_root / "outbox").iterdir()) == []


def test_usage_errors(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    assert cli("submit", TICKET, "--decision", "accepted", "--variant", "B").exit_code == 2
    assert cli("submit", TICKET, "--variant", "C").exit_code == 2
    assert cli("submit", TICKET, "--mark-ref", "X").exit_code == 2  # a mark is for variant B
    assert cli("submit", "2026-999999").exit_code == 2


# --- the ИС API -------------------------------------------------------------------------


@pytest.fixture
def api_cli(
    cli: Cli, ws_root: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> Cli:
    monkeypatch.setenv("SRGCLI_IS_TOKEN", "secret-token")
    config = ws_root / "srgcli.toml"
    text = config.read_text("utf-8")
    text = text.replace('base_url = ""', f'base_url = "{httpserver.url_for("").rstrip("/")}"')
    text = text.replace("retries = 3", "retries = 2").replace("timeout = 30", "timeout = 5")
    config.write_text(text, "utf-8")
    return cli


def test_variant_a_through_the_api(api_cli: Cli, ws_root: Path, httpserver: HTTPServer) -> None:
    report = make_report(ws_root)
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        if len(seen) == 1:
            return Response("busy", status=503, headers={"Retry-After": "0"})  # retry at once
        return Response(json.dumps({"id": "S-1"}), content_type="application/json")

    httpserver.expect_request(f"/api/tickets/{TICKET}/report", method="POST").respond_with_handler(
        handler
    )
    result = api_cli("submit", TICKET, "--channel", "api", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["channel"] == "api"
    assert len(seen) == 2  # retried after 503
    last = seen[-1]
    assert last.headers["Authorization"] == "Bearer secret-token"
    assert seen[0].headers["Idempotency-Key"] == last.headers["Idempotency-Key"]
    assert last.files["report"].read() == report.read_bytes()
    manifest = json.loads(last.form["manifest"])
    assert manifest["report"]["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert status(api_cli) == "submitted"


def test_api_refusal_records_nothing(api_cli: Cli, ws_root: Path, httpserver: HTTPServer) -> None:
    make_report(ws_root)
    httpserver.expect_request(f"/api/tickets/{TICKET}/report", method="POST").respond_with_data(
        "no", status=401
    )
    before = table_dump(ws_root, "submissions", "audit", "reports")
    result = api_cli("submit", TICKET, "--channel", "api")
    assert result.exit_code == 4
    assert "отказала в доступе" in result.stderr
    assert "secret-token" not in result.stderr
    assert table_dump(ws_root, "submissions", "audit", "reports") == before
    assert list((ws_root / "outbox").iterdir()) == []


def test_variant_b_mark_through_the_api(
    api_cli: Cli, ws_root: Path, httpserver: HTTPServer
) -> None:
    make_report(ws_root)
    httpserver.expect_request(f"/api/tickets/{TICKET}/delivery", method="POST").respond_with_json(
        {"mark_ref": "ИС-77"}
    )
    result = api_cli("submit", TICKET, "--variant", "B", "--channel", "api", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["mark_ref"] == "ИС-77"
    assert result.json()["status"] == "accepted"


def test_submit_into_an_unwritable_outbox_is_refused_plainly(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    outbox = ws_root / "outbox"
    outbox.rmdir()
    outbox.write_text("не папка")  # root writes anywhere: the folder is blocked by a file
    before = table_dump(ws_root, "submissions", "audit", "reports")
    result = cli("submit", TICKET)
    assert result.exit_code == 2, result.stderr
    assert "Не удалось записать сдачу outbox/" in result.stderr
    assert "Ничего не сдано" in result.stderr
    assert "Внутренняя ошибка" not in result.stderr and "Traceback" not in result.stderr
    assert table_dump(ws_root, "submissions", "audit", "reports") == before
    assert cli("show", TICKET, "--json").json()["status"] == "reported"


def _ticket_deadline(cli: Cli) -> dict[str, Any]:
    (deadline,) = [
        d for d in cli("show", TICKET, "--json").json()["deadlines"] if d["key"] == "ticket"
    ]
    return deadline


def test_variant_b_meets_the_deadline_only_with_the_is_mark(cli: Cli, ws_root: Path) -> None:
    # The service description, acceptance 3.2: delivered to the client WITH the mark in the ИС.
    make_report(ws_root)  # due 23.11 18:00; the clock is at 25.11 10:00
    assert cli("submit", TICKET, "--variant", "B").exit_code == 0
    deadline = _ticket_deadline(cli)
    assert (deadline["done_at"], deadline["state"]) == (None, "overdue")
    (row,) = cli("list", "--overdue", "--json").json()
    assert row["status"] == "submitted" and "ticket" in row["overdue_deadlines"]
    assert "просрочено" in cli("list").stdout

    cli.env = terminal(now="2026-11-26T12:00:00+03:00")
    assert cli("submit", TICKET, "--variant", "B", "--mark-ref", "ИС-5521").exit_code == 0
    deadline = _ticket_deadline(cli)
    assert (deadline["done_at"], deadline["state"]) == ("2026-11-26T12:00:00+03:00", "missed")
    assert cli("list", "--overdue", "--json").json() == []
    assert cli("show", TICKET, "--json").json()["submissions"][0]["marked_at"] == (
        "2026-11-26T12:00:00+03:00"
    )


def test_variant_b_marked_at_once_is_done_when_submitted(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    cli.env = terminal(now="2026-11-23T12:00:00+03:00")
    assert cli("submit", TICKET, "--variant", "B", "--mark-ref", "ИС-5521").exit_code == 0
    deadline = _ticket_deadline(cli)
    assert (deadline["done_at"], deadline["state"]) == ("2026-11-23T12:00:00+03:00", "met")


@pytest.mark.parametrize(
    ("steps", "hint"),
    [
        ((), "Следующий шаг — рассмотреть историю заказа: srgcli review 2026-000200 --auto"),
        (("finding",), "Следующий шаг — связаться с клиентом: srgcli contact-log add 2026-000200"),
        (("finding", "contact", "resolution"), "сформировать отчёт: srgcli report 2026-000200"),
    ],
    ids=["filled", "reviewed", "settled"],
)
def test_submit_before_the_report_names_the_step_that_is_really_next(
    cli: Cli, ws_root: Path, steps: tuple[str, ...], hint: str
) -> None:
    ws = open_workspace(ws_root)
    try:
        add_ticket(ws)
        settle(ws, steps=steps)
    finally:
        ws.close()
    result = cli("submit", TICKET)
    assert result.exit_code == 3
    assert "нет отчёта" in result.stderr
    assert hint in " ".join(result.stderr.split())
    decided = cli("submit", TICKET, "--decision", "accepted")
    assert decided.exit_code == 3
    assert "ещё не сдавалась" in decided.stderr
    assert hint in " ".join(decided.stderr.split())


def test_show_at_80_columns_names_report_files_whole_and_their_state(
    cli: Cli, ws_root: Path
) -> None:
    make_report(ws_root)
    assert cli("submit", TICKET).exit_code == 0
    assert (
        cli("submit", TICKET, "--decision", "returned", "--remarks", "Доработать.").exit_code == 0
    )
    make_report(ws_root, version=2)
    lines = cli.on_terminal(80, "show", TICKET)
    text = "\n".join(lines)
    assert all(len(line) <= 80 for line in lines)
    assert f"Отчёты (папка reports/{TICKET}/)" in text
    (v1,) = [line for line in lines if f"{TICKET}-v1.docx" in line]
    assert "нет, есть версия 2" in v1  # superseded, not "the ticket changed"
    (v2,) = [line for line in lines if f"{TICKET}-v2.docx" in line]
    assert v2.rstrip(" │").endswith("да")


def test_show_says_a_variant_b_delivery_waits_for_its_mark(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    assert cli("submit", TICKET, "--variant", "B").exit_code == 0
    waiting = " ".join(cli("show", TICKET).stdout.split())
    assert "передан клиенту, ждёт отметки в ИС" in waiting
    assert " Б 1 передан клиенту" in waiting  # the contract's Cyrillic letter, not Latin B
    assert cli("submit", TICKET, "--variant", "B", "--mark-ref", "ИС-5521").exit_code == 0
    assert "передан клиенту, отметка ИС-5521" in cli("show", TICKET).stdout


def test_suggested_commands_quote_free_text_as_a_shell_does(cli: Cli, ws_root: Path) -> None:
    # «…» around a two-word remark would split it in a shell: the suggestions use "…".
    make_report(ws_root)
    submitted = cli("submit", TICKET)
    said = " ".join(submitted.stderr.split())
    assert '--decision returned --remarks "…"' in said and "«" not in said
    shown = " ".join(cli("show", TICKET).stdout.split())
    assert '--decision returned --remarks "замечания"' in shown
    refused = cli("submit", TICKET, "--decision", "returned")
    assert refused.exit_code == 2 and '--remarks "…"' in refused.stderr
