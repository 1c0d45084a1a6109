"""`srgcli demo` takes the sample tickets through fill (step 1) and review (step 2)."""

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
    assert shown["status"] == "reviewed"
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
