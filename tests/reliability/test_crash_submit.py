"""`submit` killed at every rename and commit: the next open completes or undoes the
attempt, and the ticket ends with exactly one outbox folder and one submission row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from srgcli.workspace import create_workspace, open_workspace, reads
from tests.builders import (
    TICKET,
    assert_files_match_rows,
    crash_points,
    crash_run,
    make_report,
)
from tests.conftest import Cli

SUBMIT = ["submit", TICKET]


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("submit") / "ws"
    create_workspace(root).close()
    make_report(root)
    return root


def _folders(root: Path) -> list[Path]:
    return sorted(p for p in (root / "outbox").iterdir() if p.name not in ("letters", "orphaned"))


def test_submit_killed_anywhere_hands_the_version_over_once(reported: Path, tmp_path: Path) -> None:
    labels = crash_points(reported, SUBMIT, tmp_path)
    assert any(label.startswith("rename:after:outbox/") for label in labels)
    assert any(label.endswith("/manifest.json") for label in labels)
    for nth, label in enumerate(labels, 1):
        root = tmp_path / f"kill-{nth}"
        shutil.copytree(reported, root)
        died = crash_run(root, SUBMIT, nth)
        assert died.returncode == 137, died.stderr
        with open_workspace(root) as ws:
            notes = list(ws.notes)
            recorded = reads.submissions(ws, TICKET)
        assert_files_match_rows(root)
        if label.startswith("rename:after:outbox/") or label == "commit:before":
            # The folder was in place, its row not committed: the open records it.
            assert len(recorded) == 1 and recorded[0].path
            assert "сдача записана" in notes[0]
        again = Cli(root)(*SUBMIT)
        if recorded:
            assert again.exit_code == 3 and "ждёт решения" in again.stderr
        else:
            assert again.exit_code == 0, again.stderr
        with open_workspace(root) as ws:
            (row,) = reads.submissions(ws, TICKET)
        (folder,) = _folders(root)
        assert row.path == folder.relative_to(root).as_posix()
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        assert manifest["report"]["version"] == 1
        assert_files_match_rows(root)


def test_a_staging_folder_with_its_manifest_is_completed_on_open(
    reported: Path, tmp_path: Path
) -> None:
    labels = crash_points(reported, SUBMIT, tmp_path)
    nth = next(i for i, label in enumerate(labels, 1) if label.endswith("/manifest.json"))
    root = tmp_path / "after-manifest"
    shutil.copytree(reported, root)
    assert crash_run(root, SUBMIT, nth + 1).returncode == 137  # just after the manifest
    assert [p.name for p in (root / "outbox").iterdir() if p.name.startswith(".")]
    with open_workspace(root) as ws:
        assert len(reads.submissions(ws, TICKET)) == 1
        assert ws.notes and "сдача записана" in ws.notes[0]
    assert len(_folders(root)) == 1
    assert_files_match_rows(root)
    assert Cli(root)("show", TICKET, "--json").json()["status"] == "submitted"


def test_an_exception_after_the_folder_rename_undoes_it(reported: Path, tmp_path: Path) -> None:
    labels = crash_points(reported, SUBMIT, tmp_path)
    nth = max(i for i, label in enumerate(labels, 1) if label.startswith("rename:after:outbox/"))
    root = tmp_path / "raised"
    shutil.copytree(reported, root)
    assert crash_run(root, SUBMIT, nth, how="raise").returncode == 137
    assert _folders(root) == [] and list((root / ".inflight").iterdir()) == []
    assert Cli(root)(*SUBMIT).exit_code == 0
    assert len(_folders(root)) == 1
    assert_files_match_rows(root)
