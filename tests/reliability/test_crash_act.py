"""`act` killed at every rename and commit (a subprocess that dies there, like a SIGKILL): the
next open of the workspace leaves no temporary `.act-*.docx`, no act row without its file and
no act file without its row, and a re-run issues the act normally (its number kept)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from srgcli.workspace import create_workspace, open_workspace
from srgcli.workspace.billing import acts
from tests.builders import (
    TICKET,
    assert_files_match_rows,
    configure_billing,
    crash_points,
    crash_run,
    forget_acts,
    make_report,
)
from tests.conftest import Cli, terminal

ACT = ["act", "--month", "2026-11"]
NAME = "akt-1-2026-v1.docx"
TARGET = f"acts/2026/{NAME}"
RENAMED = f"rename:after:2026/{NAME}"


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory, pylat: Any) -> Path:
    """TICKET accepted by the Customer in November, no act yet; the gate's cache already
    knows the act's text (so each killed subprocess gets to the file quickly)."""
    root = tmp_path_factory.mktemp("crash-act") / "ws"
    create_workspace(root).close()
    configure_billing(root)
    make_report(root)
    november = Cli(root, terminal(now="2026-11-20T12:00:00+03:00"))
    assert november("submit", TICKET).exit_code == 0
    assert november("submit", TICKET, "--decision", "accepted").exit_code == 0
    mp = pytest.MonkeyPatch()
    mp.setenv("SRGCLI_NOW", "2026-12-02T10:00:00+03:00")
    assert Cli(root)(*ACT).exit_code == 0
    forget_acts(root)
    mp.undo()
    return root


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRGCLI_NOW", "2026-12-02T10:00:00+03:00")


def test_an_act_killed_anywhere_leaves_its_file_and_row_in_step(
    accepted: Path, tmp_path: Path, now: None
) -> None:
    labels = crash_points(accepted, ACT, tmp_path)
    assert f"rename:before:2026/{NAME}" in labels and "commit:after" in labels
    for nth, label in enumerate(labels, 1):
        root = tmp_path / f"kill-{nth}"
        shutil.copytree(accepted, root)
        died = crash_run(root, ACT, nth)
        assert died.returncode == 137, died.stderr
        with open_workspace(root) as ws:
            notes = list(ws.notes)
            stored = acts(ws.conn)
        assert_files_match_rows(root)
        if label == RENAMED:  # the file was in place, its row not: moved aside, said so
            assert (root / "acts" / "2026" / "orphaned" / NAME).is_file()
            assert len(notes) == 1 and "srgcli act --month 2026-11" in notes[0]
        if stored:  # killed after the commit: the act is issued and stays
            assert [a.version for a in stored] == [1]
            assert (root / TARGET).is_file()
        else:
            assert not (root / TARGET).exists()
        again = Cli(root)(*ACT, "--json")  # issuing a month again makes version n + 1
        assert again.exit_code == 0, again.stderr
        with open_workspace(root) as ws:
            assert [a.version for a in acts(ws.conn)] == [
                *(a.version for a in stored),
                1 + len(stored),
            ]
        assert_files_match_rows(root)


def test_an_exception_between_rename_and_commit_leaves_no_act(
    accepted: Path, tmp_path: Path, now: None
) -> None:
    labels = crash_points(accepted, ACT, tmp_path)
    root = tmp_path / "raised"
    shutil.copytree(accepted, root)
    died = crash_run(root, ACT, labels.index(RENAMED) + 1, how="raise")
    assert died.returncode == 137
    # The command cleaned up after itself: nothing for the next open to do.
    assert list((root / ".inflight").iterdir()) == []
    assert sorted(p.name for p in (root / "acts" / "2026").iterdir()) == []
    assert_files_match_rows(root)
