"""`report` killed at every rename and commit (a subprocess that dies there, like a SIGKILL):
the next open of the workspace leaves no temporary, no row without its file and no file
without its row, and a re-run makes the report exactly once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from srgcli.demo import demo_config
from srgcli.workspace import create_workspace, open_workspace, reads
from tests.builders import (
    TICKET,
    add_ticket,
    assert_files_match_rows,
    crash_points,
    crash_run,
    forget_reports,
    settle,
)
from tests.conftest import Cli

REPORT = ["report", TICKET]
TARGET = f"reports/{TICKET}/{TICKET}-v1.docx"


@pytest.fixture(scope="module")
def settled(tmp_path_factory: pytest.TempPathFactory, pylat: Any) -> Path:
    """A settled ticket without a report; the gate's cache already knows the report's text
    (so each killed subprocess gets to the file quickly)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SRGCLI_NOW", "2026-11-25T10:00:00+03:00")
    root = tmp_path_factory.mktemp("crash") / "ws"
    create_workspace(root, demo_config()).close()
    with open_workspace(root) as ws:
        add_ticket(ws)
        settle(ws, TICKET)
    assert Cli(root)(*REPORT).exit_code == 0
    forget_reports(root)
    mp.undo()
    return root


@pytest.fixture(scope="module")
def stale(tmp_path_factory: pytest.TempPathFactory, settled: Path) -> Path:
    """v1 recorded, then the client's phone corrected: the next `report` replaces v1 with
    another text (both texts already in the gate's cache)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SRGCLI_NOW", "2026-11-25T10:00:00+03:00")
    root = tmp_path_factory.mktemp("stale") / "ws"
    shutil.copytree(settled, root)
    cli = Cli(root)
    for phone in ("+7 (916) 204-31-78", "+7 (916) 204-31-77", "+7 (916) 204-31-78"):
        assert cli("report", TICKET).exit_code == 0
        assert cli("fill", TICKET, "--set", f"client_phone={phone}").exit_code == 0
    mp.undo()
    return root


def _trial(source: Path, target: Path, nth: int) -> tuple[Path, list[str]]:
    """A copy of `source` on which `report` died at crash point `nth`, then opened again:
    the copy and what the open said it put right."""
    shutil.copytree(source, target)
    died = crash_run(target, REPORT, nth)
    assert died.returncode == 137, died.stderr
    with open_workspace(target) as ws:
        notes = list(ws.notes)
    assert_files_match_rows(target)
    return target, notes


def _points(source: Path, scratch: Path) -> list[tuple[int, str]]:
    """Every crash point of `report` on `source`: its number and what it is."""
    labels = crash_points(source, REPORT, scratch)
    assert f"rename:before:{TICKET}/{TICKET}-v1.docx" in labels
    assert labels.count("commit:after") >= 1
    return list(enumerate(labels, 1))


# The rename of the report is done, its row not yet committed.
RENAMED = f"rename:after:{TICKET}/{TICKET}-v1.docx"


def test_a_new_report_killed_anywhere_is_made_exactly_once(settled: Path, tmp_path: Path) -> None:
    for nth, label in _points(settled, tmp_path):
        root, notes = _trial(settled, tmp_path / f"kill-{nth}", nth)
        if label == RENAMED:
            assert (
                notes and (root / "reports" / TICKET / "orphaned" / f"{TICKET}-v1.docx").is_file()
            )
        with open_workspace(root) as ws:
            rows = reads.reports(ws, TICKET)
        if rows:  # killed after the commit: the report is made and stays
            assert [r.version for r in rows] == [1]
            assert (root / TARGET).is_file()
        else:  # killed before: nothing of it stays but what was moved aside, said so
            assert not (root / TARGET).exists()
            orphans = list((root / "reports" / TICKET / "orphaned").glob("*.docx"))
            assert len(orphans) == len(notes)
            assert all("перенесён" in n and f"srgcli report {TICKET}" in n for n in notes)
        again = Cli(root)(*REPORT, "--json")
        assert again.exit_code == 0, again.stderr
        assert again.json()["version"] == 1
        with open_workspace(root) as ws:
            assert len(reads.reports(ws, TICKET)) == 1
        assert_files_match_rows(root)


def test_replacing_a_stale_report_killed_anywhere_keeps_a_recorded_file(
    stale: Path, tmp_path: Path
) -> None:
    with open_workspace(stale) as ws:
        old = reads.reports(ws, TICKET)[-1].sha256
    for nth, label in _points(stale, tmp_path):
        root, notes = _trial(stale, tmp_path / f"kill-{nth}", nth)
        with open_workspace(root) as ws:
            (row,) = reads.reports(ws, TICKET)
        # Either the old v1 or the new one, whole, with the file its row names.
        assert row.version == 1
        assert not list((root / "reports" / TICKET).glob("*.old"))
        if label == RENAMED:  # the new file was in place, its row not: the old one is back
            assert row.sha256 == old
            assert len(notes) == 1 and "отменено" in notes[0]
        again = Cli(root)(*REPORT, "--json")
        assert again.exit_code == 0, again.stderr
        assert again.json()["version"] == 1
        assert_files_match_rows(root)
        assert Cli(root)("submit", TICKET).exit_code == 0  # the file is the one the gate passed


def test_an_exception_between_rename_and_commit_puts_the_previous_file_back(
    stale: Path, tmp_path: Path
) -> None:
    labels = crash_points(stale, REPORT, tmp_path)
    nth = labels.index(f"rename:after:{TICKET}/{TICKET}-v1.docx") + 1
    root = tmp_path / "raised"
    shutil.copytree(stale, root)
    before = (root / TARGET).read_bytes()
    died = crash_run(root, REPORT, nth, how="raise")
    assert died.returncode == 137
    # The command cleaned up after itself: nothing for the next open to do.
    assert list((root / ".inflight").iterdir()) == []
    assert (root / TARGET).read_bytes() == before
    assert_files_match_rows(root)


def test_the_open_leaves_a_running_report_alone(ws_root: Path) -> None:
    import json

    from srgcli.workspace.files import intent

    folder = ws_root / "reports" / TICKET
    folder.mkdir(mode=0o700)
    record = {"folder": f"reports/{TICKET}", "target": f"{TICKET}-v1.docx", "ticket": TICKET}
    # A report killed earlier in the same folder: its record, its temporary, an unrecorded file.
    dead = {"kind": "report", "token": "0" * 16, "version": 1, **record}
    (ws_root / ".inflight" / "report-dead.json").write_text(json.dumps(dead), "utf-8")
    (folder / f".report-{'0' * 16}.docx").write_bytes(b"PK")
    with intent(ws_root, "report", version=1, **record) as running:
        live_tmp = folder / f".report-{running.token}.docx"
        live_tmp.write_bytes(b"PK")
        (folder / f"{TICKET}-v1.docx").write_bytes(b"PK")  # renamed, not yet committed
        with open_workspace(ws_root) as ws:
            assert ws.notes == []
        assert live_tmp.exists() and (folder / f"{TICKET}-v1.docx").exists()
        assert (ws_root / ".inflight" / "report-dead.json").exists()
        live_tmp.unlink()  # as the command does when it fails
    # The running command is gone without committing: now both are put right.
    with open_workspace(ws_root) as ws:
        assert len(ws.notes) == 1 and "orphaned" in ws.notes[0]
    assert_files_match_rows(ws_root)
    assert sorted(p.name for p in folder.iterdir()) == ["orphaned"]


def test_out_of_step_names_what_a_crash_of_an_older_srgcli_left(ws_root: Path) -> None:
    from srgcli.workspace.recover import out_of_step

    with open_workspace(ws_root) as ws:
        assert out_of_step(ws) == []
    folder = ws_root / "reports" / TICKET
    folder.mkdir(mode=0o700)
    (folder / f"{TICKET}-v1.docx").write_bytes(b"PK")
    (ws_root / "outbox" / ".2026-000200-v1-A-2026-11-25T100000.tmp").mkdir()
    with open_workspace(ws_root) as ws:
        found = out_of_step(ws)
    assert found == [
        f"файл reports/{TICKET}/{TICKET}-v1.docx не записан в базе",
        "временная папка outbox/.2026-000200-v1-A-2026-11-25T100000.tmp",
    ]


def test_the_first_open_sweeps_what_an_older_srgcli_left(ws_root: Path) -> None:
    from tests.builders import make_report

    report = make_report(ws_root)
    kept = report.read_bytes()
    # What a kill of an older `report` regenerating v1 left: the file renamed aside, a
    # temporary with the client's data; and of an older `submit`: its staging folder.
    report.rename(report.with_name(report.name + ".old"))
    (report.parent / ".report-k2j3h4.docx").write_bytes(b"PK")
    (ws_root / "outbox" / ".2026-000200-v1-A-2026-11-25T100000.tmp").mkdir()
    shutil.rmtree(ws_root / ".inflight")  # never opened by this version
    with open_workspace(ws_root) as ws:
        assert ws.notes == [
            f"Прерванное обновление отчёта reports/{TICKET}/{TICKET}-v1.docx отменено."
        ]
    assert report.read_bytes() == kept
    assert_files_match_rows(ws_root)
