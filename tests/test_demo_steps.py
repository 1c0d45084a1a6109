"""`srgcli demo` takes the sample tickets through fill, review and contact-log (steps 1-3)
and ends with the report (step 4)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli


def test_demo_fills_reviews_and_keeps_the_earlier_finding(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    result = Cli(None)("demo", str(root), workspace=False)
    assert result.exit_code == 0, result.stderr
    cli = Cli(root)

    filled = cli("fill", "2026-000127", "--check", "--json").json()
    assert filled["ok"] is True and filled["status"] == "filled"
    assert cli("fill", "--all", "--check").exit_code == 0

    shown = cli("show", "2026-000118", "--json").json()
    # The demo settles 2026-000118, makes its report (a DOCX that passed the gate), hands
    # it to the Customer through the outbox and (the month's paperwork) records it accepted.
    assert shown["status"] == "accepted"
    assert "2026-000118-v1.docx" in result.stderr
    (sent,) = shown["submissions"]
    assert sent["variant"] == "A" and sent["channel"] == "outbox"
    assert (root / sent["path"] / "manifest.json").is_file()
    (report,) = shown["reports"]
    assert (root / report["path"]).is_file()
    finding = shown["finding"]
    assert finding["verdict"] == "confirmed" and finding["category"] == "deadlines"
    assert finding["evidence"], "the accepted proposals' events are the evidence"
    assert set(finding["evidence"]) <= {e["id"] for e in shown["events"]}

    timeline = cli("review", "2026-000118", "--timeline", "--json").json()
    assert any(e["rules"] for e in timeline["timeline"]["events"])

    other = cli("show", "2026-000121", "--json").json()
    assert other["finding"]["category"] == "report_quality"
    audit = [a for a in shown["audit"] if a["command"] == "demo" and a["entity"] == "finding"]
    assert len(audit) == 1


def test_demo_settles_2026_000118_with_a_call_and_a_gated_letter(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert Cli(None)("demo", str(root), workspace=False).exit_code == 0
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


def test_demo_ends_with_the_months_act_its_payment_and_receipt(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    result = Cli(None)("demo", str(root), workspace=False)
    assert result.exit_code == 0, result.stderr
    assert "akt-1-2026-v1.docx" in result.stderr
    cli = Cli(root)
    (paid,) = cli("payment", "list", "--json").json()
    assert paid["act"] == "1/2026" and paid["amount"] == "1500.00"
    assert paid["receipt"]["number"] == "20demo0001"
    income = cli("income", "--json").json()
    assert income["income"] == "1500.00" and income["missing_receipts"] == []
    assert income["months"][10]["acts"] == ["1/2026"]
