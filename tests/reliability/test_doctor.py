"""`srgcli doctor`: a checklist of the workspace; exit 1 when a check fails, --json for scripts."""

from __future__ import annotations

import socket
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.builders import configure_is, damage_database, make_report
from tests.conftest import Cli

CHECKS = [
    "config",
    "database",
    "schema",
    "permissions",
    "leftovers",
    "files",
    "gate",
    "templates",
    "is",
    "disk",
]


def _statuses(result: object) -> dict[str, str]:
    data = result.json()  # type: ignore[attr-defined]
    return {item["check"]: item["status"] for item in data}


def test_a_sound_workspace_passes_every_check(cli: Cli, ws_root: Path) -> None:
    make_report(ws_root)
    result = cli("doctor", "--json")
    assert result.exit_code == 0, result.stdout
    data = result.json()
    assert [item["check"] for item in data] == CHECKS
    assert {item["status"] for item in data} == {"ok"}
    assert all(set(item) == {"check", "status", "message"} for item in data)
    text = cli("doctor")
    assert text.exit_code == 0
    assert "✓ База данных" in text.stdout
    assert "✗" not in text.stdout


def test_missing_files_and_open_permissions_fail_leftovers_warn(cli: Cli, ws_root: Path) -> None:
    report = make_report(ws_root)
    report.unlink()
    (report.parent / ".report-1a2b.docx").write_bytes(b"half")
    (ws_root / "outbox" / ".2026-000200-v1-A-x.tmp").mkdir()
    (ws_root / "srgcli.db").chmod(0o644)
    result = cli("doctor", "--json", "--offline")
    assert result.exit_code == 1
    statuses = _statuses(result)
    assert statuses["files"] == "fail"
    assert statuses["permissions"] == "fail"
    assert statuses["leftovers"] == "warning"
    messages = {item["check"]: item["message"] for item in result.json()}
    assert "reports/2026-000200/2026-000200-v1.docx" in messages["files"]
    assert ".report-1a2b.docx" in messages["leftovers"]
    assert "chmod 600 srgcli.db" in messages["permissions"]
    shown = cli("doctor", "--offline")
    assert shown.exit_code == 1
    assert "✗ Файлы отчётов и сдач" in shown.stdout
    assert "! Временные файлы" in shown.stdout


def test_leftovers_name_whatever_an_interrupted_command_left(cli: Cli, ws_root: Path) -> None:
    # An intent record nobody holds, a kept previous file, a report file without its row and
    # an act's temporary: each is a leftover of a killed command.
    folder = ws_root / "reports" / "2026-000200"
    folder.mkdir(mode=0o700)
    (folder / ".prev-1a2b.docx").write_bytes(b"PK")
    (folder / "2026-000200-v1.docx").write_bytes(b"PK")
    (ws_root / "acts" / "2026").mkdir(parents=True, mode=0o700)
    (ws_root / "acts" / "2026" / ".act-1a2b.docx").write_bytes(b"PK")
    (ws_root / ".inflight" / "report-1a2b.json").write_text("{}", "utf-8")
    result = cli("doctor", "--json", "--offline")
    (leftovers,) = [c for c in result.json() if c["check"] == "leftovers"]
    assert leftovers["status"] == "warning"
    for name in (
        ".inflight/report-1a2b.json",
        "reports/2026-000200/.prev-1a2b.docx",
        "reports/2026-000200/2026-000200-v1.docx",
        "acts/2026/.act-1a2b.docx",
    ):
        assert name in leftovers["message"]


def test_a_damaged_database_and_a_broken_config_are_failures_not_crashes(ws_root: Path) -> None:
    damage_database(ws_root, where="header")
    (ws_root / "srgcli.toml").write_text("[is\n", "utf-8")
    result = Cli(ws_root)("doctor", "--json")
    assert result.exit_code == 1
    statuses = _statuses(result)
    assert statuses["config"] == "fail"
    assert statuses["database"] == "fail"
    assert "disk" in statuses
    database = next(item for item in result.json() if item["check"] == "database")
    assert "srgcli restore" in database["message"] or "повреждён" in database["message"]


def test_the_is_is_tried_when_configured(cli: Cli, ws_root: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data("ok")
    url = httpserver.url_for("").rstrip("/").replace("http://", "http://exec:pa55word@")
    configure_is(ws_root, url)
    result = cli("doctor", "--json")
    item = next(i for i in result.json() if i["check"] == "is")
    assert item["status"] == "ok"
    assert "HTTP 200" in item["message"]
    assert "pa55word" not in result.stdout
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (ws_root / "srgcli.toml").write_text(
        (ws_root / "srgcli.toml").read_text("utf-8").replace(url, f"http://127.0.0.1:{port}"),
        "utf-8",
    )
    result = cli("doctor", "--json")
    assert result.exit_code == 1
    assert _statuses(result)["is"] == "fail"


def test_doctor_outside_a_workspace_is_a_usage_error(tmp_path: Path) -> None:
    result = Cli(tmp_path / "nowhere")("doctor", "--json")
    assert result.exit_code == 2
