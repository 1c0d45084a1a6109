"""`list` and `show` on a workspace with tickets at several stages (the demo data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from srgcli.demo import load_samples, run_demo
from srgcli.model import Finding
from srgcli.workspace import create_workspace, repo
from tests.conftest import Cli


@pytest.fixture
def demo(tmp_path: Path) -> Cli:
    """The sample tickets as fetched, before any step: one is new, the others filled."""
    ws = create_workspace(tmp_path / "demo")
    load_samples(ws)
    repo.save_finding(ws, Finding(ticket_id="2026-000121", verdict="confirmed"))
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


def test_list_overdue(demo: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo("list", "--overdue", "--json").json() == []
    monkeypatch.setenv("SRGCLI_NOW", "2027-02-01T10:00:00+03:00")
    overdue = demo("list", "--overdue", "--json").json()
    assert len(overdue) == 5
    assert all(r["overdue"] for r in overdue)


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
    before = repo.require_ticket(ws, "2026-000118").revision
    repo.set_executor_fields(ws, "2026-000118", {"bank": "АО «Альфа-Банк»"})
    after = repo.require_ticket(ws, "2026-000118")
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
    # Received on Saturday 21.11: one business day for the first contact is Monday 18:00.
    assert by_key["first_contact"]["due_at"] == "2026-11-23T18:00:00+03:00"
    assert by_key["first_contact"]["state"] == "overdue"  # the clock says 25.11, no contact
    assert by_key["ticket"]["state"] == "pending"
    assert "Сроки" in demo("show", "2026-000118").stdout
