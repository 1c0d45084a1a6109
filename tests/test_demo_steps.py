"""`srgcli demo` takes the sample tickets through fill, review and contact-log (steps 1-3)
and ends with the report (step 4)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PINNED_NOW, Cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    """`srgcli demo` run once for this module (the tests below only read what it made)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SRGCLI_NOW", PINNED_NOW)
    mp.setenv("SRGCLI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    root = tmp_path_factory.mktemp("demo") / "demo"
    result = Cli(None)("demo", str(root), workspace=False)
    yield root, result
    mp.undo()


def test_demo_fills_reviews_and_keeps_the_earlier_finding(demo: tuple[Path, Any]) -> None:
    root, result = demo
    assert result.exit_code == 0, result.stderr
    cli = Cli(root)

    filled = cli("fill", "2026-000127", "--check", "--json").json()
    assert filled["ok"] is True and filled["status"] == "filled"
    assert cli("fill", "--all", "--check").exit_code == 0

    shown = cli("show", "2026-000118", "--json").json()
    # The demo settles 2026-000118, makes its report (a DOCX that passed the gate) and hands
    # it to the Customer through the outbox; the Customer returns it with remarks, and the
    # reworked report (version 2) is handed over again and (the month's paperwork) accepted.
    assert shown["status"] == "accepted"
    assert "2026-000118-v2.docx" in result.stderr
    first, second = shown["submissions"]
    assert first["decision"] == "returned" and first["remarks"]
    assert second["variant"] == "A" and second["channel"] == "outbox"
    assert second["report_version"] == 2 and second["decision"] == "accepted"
    assert (root / second["path"] / "manifest.json").is_file()
    assert [r["version"] for r in shown["reports"]] == [1, 2]
    for report in shown["reports"]:
        assert (root / report["path"]).is_file()
    finding = shown["finding"]
    assert finding["verdict"] == "confirmed" and finding["category"] == "deadlines"
    assert finding["evidence"], "the accepted proposals' events are the evidence"
    assert set(finding["evidence"]) <= {e["id"] for e in shown["events"]}

    timeline = cli("review", "2026-000118", "--timeline", "--json").json()
    assert any(e["rules"] for e in timeline["timeline"]["events"])

    other = cli("show", "2026-000121", "--json").json()
    assert other["finding"]["category"] == "report_quality"
    # The verdict, then the same verdict with the corrective action the Customer asked for.
    audit = [a for a in shown["audit"] if a["command"] == "demo" and a["entity"] == "finding"]
    assert len(audit) == 2
    assert "замечание" in finding["corrective_action"]
    refund = cli("show", "2026-000130", "--json").json()["finding"]
    assert refund["verdict"] == "not_confirmed" and refund["responsible"] == "bank"


def test_demo_settles_2026_000118_with_a_call_and_a_gated_letter(demo: tuple[Path, Any]) -> None:
    root, result = demo
    assert result.exit_code == 0
    cli = Cli(root)
    contacts = cli("contact-log", "list", "2026-000118", "--json").json()
    assert [(c["channel"], c["direction"], c["outcome"]) for c in contacts] == [
        ("phone", "out", "reached"),
        ("email", "out", "resolved"),
    ]
    letter = contacts[1]
    assert letter["template"] == "answer" and letter["gate"]["passed"] is True
    assert letter["text"].startswith("Уважаемая Ольга Викторовна!")
    saved = list((root / "outbox" / "letters" / "2026-000118").glob("*-answer.txt"))
    assert len(saved) == 1 and saved[0].read_text("utf-8") == letter["text"]
    shown = cli("show", "2026-000118", "--json").json()
    assert shown["resolution"]["outcome"] == "satisfied"
    listed = {t["id"]: t for t in cli("list", "--json").json()}
    # Settled, reported, handed to the Customer and accepted (for the month's act).
    assert listed["2026-000118"]["status"] == "accepted"


def test_the_demo_story_keeps_its_dates_in_order(demo: tuple[Path, Any]) -> None:
    """What a Customer reads in the demo agrees with itself: the work on 2026-000118 follows
    its arrival step by step, on working days, before now; the dates in the order's comments
    are the dates of the events they announce."""
    from datetime import datetime

    root, result = demo
    assert result.exit_code == 0
    shown = Cli(root)("show", "2026-000118", "--json").json()
    call, letter = shown["contacts"]
    first, second = shown["submissions"]
    v1, v2 = shown["reports"]
    steps = [
        shown["received_at"],
        call["at"],
        letter["at"],
        shown["resolution"]["resolved_at"],
        v1["created_at"],
        first["submitted_at"],
        first["decided_at"],
        # The finding as revised in the rework (its corrective action).
        shown["finding"]["decided_at"],
        v2["created_at"],
        second["submitted_at"],
        PINNED_NOW,
    ]
    moments = [datetime.fromisoformat(m) for m in steps]
    assert moments == sorted(moments), steps
    assert all(m.weekday() < 5 and 9 <= m.hour < 18 for m in moments[:-1]), steps
    # «осмотр назначен: осмотр DD.MM», «осмотр перенесён: перенос на DD.MM», then the
    # inspection on that day.
    events = {e["kind"]: e for e in shown["events"]}
    moved_to = events["inspection_rescheduled"]["comment"].removeprefix("перенос на ")
    done = datetime.fromisoformat(events["inspection_done"]["at"])
    assert moved_to == done.strftime("%d.%m")
    scheduled = datetime.fromisoformat(events["inspection_scheduled"]["at"])
    day, month = events["inspection_scheduled"]["comment"].removeprefix("осмотр ").split(".")
    planned = scheduled.replace(month=int(month), day=int(day))
    rescheduled = datetime.fromisoformat(events["inspection_rescheduled"]["at"])
    assert scheduled < rescheduled < planned < done


def test_demo_ends_with_the_months_act_its_payment_and_receipt(demo: tuple[Path, Any]) -> None:
    root, result = demo
    assert result.exit_code == 0, result.stderr
    assert "akt-1-2026-v1.docx" in result.stderr
    cli = Cli(root)
    (paid,) = cli("payment", "list", "--json").json()
    assert paid["act"] == "1/2026" and paid["amount"] == "1500.00"
    assert paid["receipt"]["number"] == "20demo0001"
    income = cli("income", "--json").json()
    assert income["income"] == "1500.00" and income["missing_receipts"] == []
    assert income["months"][10]["acts"] == ["1/2026"]
