"""`srgcli review`: timeline, automatic proposals, the verdict, and their preconditions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from srgcli.workspace import Workspace, open_workspace
from srgcli.workspace.audit import trail
from tests.builders import add_ticket, table_dump
from tests.conftest import Cli

# Payment on Monday 9 November, inspection on Friday 13 (4 business days: late),
# report on Monday 16, a client message on Tuesday 17 answered on Wednesday 18.
HISTORY = [
    {"at": "2026-11-09T10:00:00+03:00", "kind": "order_created", "actor": "сайт"},
    {"at": "2026-11-09T10:05:00+03:00", "kind": "payment_received", "actor": "эквайринг"},
    {"at": "2026-11-13T12:00:00+03:00", "kind": "inspection_done", "actor": "оценщик"},
    {"at": "2026-11-16T15:00:00+03:00", "kind": "report_sent", "actor": "оценщик"},
    {"at": "2026-11-17T09:00:00+03:00", "kind": "client_message", "actor": "клиент"},
    {"at": "2026-11-18T09:00:00+03:00", "kind": "report_corrected", "actor": "оценщик"},
]


def event_ids(ws: Workspace, *kinds: str) -> list[int]:
    rows = ws.conn.execute("select id, kind from order_events order by at").fetchall()
    return [r["id"] for r in rows if r["kind"] in kinds]


def test_timeline_json_has_labels_gaps_and_marks(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, history=HISTORY)
    result = cli("review", "2026-000200", "--timeline", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) == {"id", "timeline", "status"}
    events = data["timeline"]["events"]
    assert [e["kind_label"] for e in events][:3] == [
        "заказ создан",
        "оплата получена",
        "осмотр проведён",
    ]
    assert [e["gap_business_days"] for e in events] == [None, 0, 4, 1, 1, 1]
    assert events[1]["rules"] == ["inspection_late"]
    assert events[2]["rules"] == ["inspection_late"]
    assert events[5]["rules"] == ["report_corrected"]
    assert data["timeline"]["empty"] is False
    # The timeline alone stores nothing.
    assert ws.conn.execute("select count(*) from review_proposals").fetchone()[0] == 0


def test_timeline_in_the_terminal(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, history=HISTORY)
    result = cli("review", "2026-000200", "--timeline")
    assert result.exit_code == 0
    assert "осмотр проведён" in result.stdout
    assert "Перерыв," in result.stdout and "раб. дн." in result.stdout
    assert "  1 — Осмотр позже срока после оплаты (inspection_late)" in result.stdout


LONG_KINDS = [
    *HISTORY[:3],
    {"at": "2026-11-13T15:00:00+03:00", "kind": "document_requested", "actor": "оценщик"},
    {"at": "2026-11-16T10:00:00+03:00", "kind": "звонок в банк", "comment": "уточнили реквизиты"},
    *HISTORY[3:],
]


@pytest.mark.parametrize("args", [("--timeline",), ()], ids=["timeline", "plain"])
def test_timeline_fits_80_columns_without_cutting_words(
    ws: Workspace, cli: Cli, args: tuple[str, ...]
) -> None:
    add_ticket(ws, history=LONG_KINDS)
    lines = cli.on_terminal(80, "--no-input", "review", "2026-000200", *args)
    assert all(len(line) <= 80 for line in lines)
    text = "\n".join(lines)
    assert "…" not in text
    # Unknown kinds are kept as they came: folded, not cut.
    at = next(i for i, line in enumerate(lines) if "document_" in line)
    assert "document_requested" in lines[at].split()[3] + lines[at + 1].split()[0]
    rows = {line.split()[1]: line for line in lines if line.startswith(" 13.11.2026")}
    # The inspection proves proposal 1 (inspection_late), the numbers of the list below.
    assert rows["12:00"].rstrip().endswith(" 1")
    if args:
        assert "  1 — Осмотр позже срока после оплаты" in text
    else:
        assert "номера предложенных нарушений (ниже)" in text
        assert "1. Осмотр позже срока после оплаты (inspection_late)" in text


def test_empty_history_says_so_and_suggests_fetch(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    result = cli("review", "2026-000200", "--timeline")
    assert result.exit_code == 0
    assert "пуста" in result.stderr
    assert "srgcli fetch --history" in result.stderr
    # The rules have nothing to check: that is not reported as "no nonconformity found".
    plain = cli("review", "2026-000200")
    assert plain.exit_code == 0
    assert "нечего проверять" in plain.stderr and "не нашли нарушений" not in plain.stderr
    data = cli("review", "2026-000200", "--timeline", "--json").json()
    assert data["timeline"] == {
        "empty": True,
        "hint": "Загрузите её: srgcli fetch --history ФАЙЛ",
        "events": [],
    }


def test_auto_proposes_with_evidence_and_stores(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, history=HISTORY)
    result = cli("review", "2026-000200", "--auto", "--json")
    assert result.exit_code == 0, result.stderr
    proposals = result.json()["proposals"]
    assert [p["rule"] for p in proposals] == ["inspection_late", "report_corrected"]
    late = proposals[0]
    assert late["evidence"] == event_ids(ws, "payment_received", "inspection_done")
    assert late["title"] == "Осмотр позже срока после оплаты"
    assert late["category"] == "inspection" and late["responsible"] == "appraiser"
    stored = ws.conn.execute("select rule, evidence from review_proposals order by id").fetchall()
    assert [(r["rule"], json.loads(r["evidence"])) for r in stored] == [
        (p["rule"], p["evidence"]) for p in proposals
    ]
    # The status does not change: the rules do not decide.
    assert result.json()["status"] == "filled"


def test_auto_replaces_earlier_proposals(ws_root: Path, cli: Cli) -> None:
    with open_workspace(ws_root) as ws:
        add_ticket(ws, history=HISTORY)
    assert cli("review", "2026-000200", "--auto").exit_code == 0
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text("utf-8")
        .replace("inspection_after_payment_days = 3", "inspection_after_payment_days = 4")
        .replace("max_report_corrections = 0", "max_report_corrections = 1"),
        "utf-8",
    )
    result = cli("review", "2026-000200", "--auto")
    assert result.exit_code == 0
    assert "не нашли нарушений" in result.stderr
    with open_workspace(ws_root) as ws:
        assert ws.conn.execute("select count(*) from review_proposals").fetchone()[0] == 0


def test_negative_threshold_in_config_is_refused(ws_root: Path, cli: Cli) -> None:
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text("utf-8").replace("max_gap_days = 5", "max_gap_days = -1"), "utf-8"
    )
    result = cli("review", "2026-000200", "--auto")
    assert result.exit_code == 2
    assert "review.max_gap_days" in result.stderr


def test_verdict_uses_accepted_proposals_as_evidence(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, history=HISTORY)
    result = cli(
        "review",
        "2026-000200",
        "--auto",
        "--verdict",
        "подтверждено частично",
        "--accept",
        "inspection_late",
        "--root-cause",
        "Оценщик был в отпуске.",
        "--action",
        "Назначен дежурный оценщик.",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    finding = result.json()["finding"]
    assert finding["verdict"] == "partially_confirmed"
    assert finding["evidence"] == event_ids(ws, "payment_received", "inspection_done")
    assert finding["category"] == "inspection"
    assert finding["responsible"] == "appraiser"
    assert finding["description"].startswith("Осмотр проведён через 4 рабочих дня")
    assert finding["root_cause"] == "Оценщик был в отпуске."
    assert result.json()["status"] == "reviewed"


def test_new_verdict_replaces_the_old_and_is_audited(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, history=HISTORY)
    assert cli("review", "2026-000200", "--verdict", "confirmed").exit_code == 0
    result = cli(
        "review",
        "2026-000200",
        "--verdict",
        "not_confirmed",
        "--category",
        "сроки",
        "--responsible",
        "офис",
        "--description",
        "Сроки соблюдены.",
    )
    assert result.exit_code == 0, result.stderr
    rows = ws.conn.execute("select verdict, category, responsible, evidence from findings")
    assert [tuple(r) for r in rows] == [("not_confirmed", "deadlines", "office", "[]")]
    verdicts = [(a.old, a.new) for a in trail(ws.conn, "2026-000200") if a.entity == "finding"]
    assert verdicts == [(None, "confirmed"), ("confirmed", "not_confirmed")]


def test_verdict_without_history_is_allowed(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws)
    result = cli("review", "2026-000200", "--verdict", "not_confirmed", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["finding"]["evidence"] == []


def test_verdict_on_an_unfilled_ticket_is_refused_with_exit_3(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, history=HISTORY, object_address="")
    before = table_dump(ws, "findings", "review_proposals", "audit")
    result = cli("review", "2026-000200", "--auto", "--verdict", "confirmed")
    assert result.exit_code == 3
    assert "srgcli fill 2026-000200" in result.stderr
    assert "Адрес объекта" in result.stderr
    assert table_dump(ws, "findings", "review_proposals", "audit") == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--verdict", "maybe"], "Неизвестное значение вывода"),
        (["--verdict", "confirmed", "--category", "погода"], "категории"),
        (["--verdict", "confirmed", "--responsible", "сосед"], "ответственного"),
        (["--verdict", "confirmed", "--accept", "no_such_rule"], "нет правила"),
        (["--category", "сроки"], "только вместе с --verdict"),
        (["--auto", "--verdict", "confirmed", "--category", "погода"], "категории"),
        (["--auto", "--verdict", "confirmed", "--accept", "long_gap"], "нет правила"),
    ],
)
def test_bad_verdict_options_are_usage_errors(
    ws: Workspace, cli: Cli, args: list[str], message: str
) -> None:
    add_ticket(ws, history=HISTORY)
    before = table_dump(ws, "findings", "review_proposals", "audit")
    result = cli("review", "2026-000200", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert table_dump(ws, "findings", "review_proposals", "audit") == before


def test_interactive_verdict_offers_proposals_as_defaults(
    ws: Workspace, cli: Cli, tty: None
) -> None:
    add_ticket(ws, history=HISTORY)
    # Verdict: default (confirmed); accept proposal 1 only; category, description: defaults;
    # root cause typed; responsible: default; action typed; save.
    answers = "\n1\n\n\nОценщик в отпуске\n\nНазначен дежурный\ny\n"
    result = cli("review", "2026-000200", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "Вывод записан" in result.stderr
    row = ws.conn.execute("select * from findings").fetchone()
    assert row["verdict"] == "confirmed"
    assert row["category"] == "inspection"
    assert row["responsible"] == "appraiser"
    assert row["root_cause"] == "Оценщик в отпуске"
    assert row["corrective_action"] == "Назначен дежурный"
    assert json.loads(row["evidence"]) == event_ids(ws, "payment_received", "inspection_done")


@pytest.mark.parametrize(("answer", "saved"), [("да", True), ("Нет", False)])
def test_interactive_verdict_save_question_is_russian(
    ws: Workspace, cli: Cli, tty: None, answer: str, saved: bool
) -> None:
    add_ticket(ws, history=HISTORY)
    # All defaults, then an answer the question does not take, then the real one.
    result = cli("review", "2026-000200", input=f"\n\n\n\n\n\n\nможет быть\n{answer}\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("Сохранить вывод? [Д/н]") == 2
    assert ws.conn.execute("select count(*) from findings").fetchone()[0] == int(saved)


def test_interactive_verdict_ctrl_c_saves_nothing(ws: Workspace, cli: Cli, tty: None) -> None:
    add_ticket(ws, history=HISTORY)
    result = cli("review", "2026-000200", input="\n1\n")
    assert result.exit_code == 1
    assert "вывод не сохранён" in result.stderr
    assert ws.conn.execute("select count(*) from findings").fetchone()[0] == 0


def test_without_a_terminal_review_shows_and_never_asks(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, history=HISTORY)
    result = cli("review", "2026-000200", input="\n\n\n")
    assert result.exit_code == 0
    assert "Предложенные нарушения (2)" in result.stdout
    assert "--verdict" in result.stderr
    assert ws.conn.execute("select count(*) from findings").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("fields", "hint"),
    [
        ({}, "srgcli review 2026-000200 --verdict"),
        ({"client_phone": "", "client_email": ""}, "srgcli fill 2026-000200"),
    ],
    ids=["filled", "not-filled"],
)
def test_review_without_a_verdict_names_the_step_the_ticket_is_ready_for(
    ws: Workspace, cli: Cli, fields: dict[str, str], hint: str
) -> None:
    # A verdict on a ticket that is not filled is refused (exit 3): the hint says fill first.
    add_ticket(ws, history=HISTORY, **fields)
    result = cli("review", "2026-000200", "--auto")
    assert result.exit_code == 0, result.stderr
    assert hint in " ".join(result.stderr.split())
    if fields:
        assert "--verdict" not in result.stderr


@pytest.mark.parametrize(
    ("args", "warned"),
    [
        (("--verdict", "confirmed"), "причина, корректирующее действие"),
        (
            ("--verdict", "confirmed", "--action", "Оценщику указано на сроки."),
            "причина.",
        ),
        (
            (
                *("--verdict", "confirmed", "--root-cause", "Оценщик был в отпуске."),
                *("--action", "Оценщику указано на сроки."),
            ),
            None,
        ),
        (("--verdict", "not_confirmed"), None),
    ],
    ids=["confirmed", "with-action", "complete", "not-confirmed"],
)
def test_a_confirmed_verdict_without_a_cause_or_action_is_pointed_out(
    ws: Workspace, cli: Cli, args: tuple[str, ...], warned: str | None
) -> None:
    add_ticket(ws, history=HISTORY)
    result = cli("review", "2026-000200", *args)
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    if warned is None:
        assert "В выводе не указано" not in said
    else:
        assert f"В выводе не указано: {warned}" in said


def test_show_names_the_stored_proposals_in_russian(ws: Workspace, cli: Cli) -> None:
    add_ticket(ws, history=HISTORY)
    assert cli("review", "2026-000200", "--auto").exit_code == 0
    shown = cli("show", "2026-000200")
    assert shown.exit_code == 0
    assert "предложения проверки" in shown.stdout
    assert "review_proposals" not in shown.stdout


def test_review_help_names_the_verdicts_by_their_labels(cli: Cli) -> None:
    from srgcli.model import Verdict

    shown = cli("review", "--help").stdout
    words = " ".join(shown.replace("│", " ").split())
    for verdict in Verdict:
        assert f"{verdict.value} ({verdict.label})" in words


def test_timeline_and_show_name_the_actors_in_russian(ws: Workspace, cli: Cli) -> None:
    # ИС exports may name the actors in English codes; the executor reads Russian.
    coded = [
        {"at": "2026-11-09T10:00:00+03:00", "kind": "order_created", "actor": "system"},
        {"at": "2026-11-13T12:00:00+03:00", "kind": "inspection_done", "actor": "appraiser"},
        {"at": "2026-11-17T09:00:00+03:00", "kind": "client_message", "actor": "client"},
        {"at": "2026-11-18T09:00:00+03:00", "kind": "report_corrected", "actor": "ООО Оценка"},
    ]
    add_ticket(ws, history=coded)
    for args in (("review", "2026-000200", "--timeline"), ("show", "2026-000200")):
        lines = "\n".join(cli.on_terminal(160, *args))
        for label in ("система", "оценщик", "клиент", "ООО Оценка"):
            assert label in lines
        for code in ("system", "appraiser", "client"):
            assert f" {code} " not in lines
    # scripts keep the codes as they came
    events = cli("review", "2026-000200", "--timeline", "--json").json()["timeline"]["events"]
    assert [e["actor"] for e in events] == ["system", "appraiser", "client", "ООО Оценка"]
