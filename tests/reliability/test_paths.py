"""Paths: never writing through a symbolic link inside the workspace, folders owner-only
however they come back, `init` making the root private and surviving a second `init` at once."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from srgcli.demo import demo_config
from srgcli.workspace import create_workspace, open_workspace, reads
from tests.builders import TICKET, add_ticket, make_report, settle, table_dump
from tests.conftest import Cli

CLEAN_LETTER = (
    "Уважаемая Ольга Викторовна!\n\nОтчёт об оценке по заказу № ОЦ-48213 подготовлен и "
    "направлен Вам.\n\nС уважением,\nПетрова Анна Сергеевна\n"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def settled(tmp_path: Path, pylat: Any) -> Path:
    root = tmp_path / "ws"
    create_workspace(root, demo_config()).close()
    with open_workspace(root) as ws:
        add_ticket(ws)
        settle(ws, TICKET)
    return root


def assert_refused(result: Any, where: str) -> None:
    assert result.exit_code == 2, result.stderr
    text = " ".join(result.stderr.split())
    assert f"{where} в рабочей папке — символическая ссылка" in text
    assert "Ничего не записано" in text


def test_report_refuses_a_symlinked_ticket_folder(settled: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (settled / "reports" / TICKET).symlink_to(elsewhere)
    before = table_dump(settled, "reports")
    assert_refused(Cli(settled)("report", TICKET), f"reports/{TICKET}")
    assert list(elsewhere.iterdir()) == []
    assert table_dump(settled, "reports") == before


def test_report_refuses_a_symlinked_reports_folder(settled: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (settled / "reports").rmdir()
    (settled / "reports").symlink_to(elsewhere)
    assert_refused(Cli(settled)("report", TICKET), "reports")
    assert list(elsewhere.iterdir()) == []


def test_submit_refuses_a_symlinked_outbox(ws_root: Path, cli: Cli, tmp_path: Path) -> None:
    make_report(ws_root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ws_root / "outbox").rmdir()
    (ws_root / "outbox").symlink_to(elsewhere)
    assert_refused(cli("submit", TICKET), "outbox")
    assert list(elsewhere.iterdir()) == []
    with open_workspace(ws_root) as ws:
        assert reads.submissions(ws, TICKET) == []


def test_a_letter_is_not_written_through_a_symlinked_letters_folder(
    settled: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (settled / "outbox" / "letters").mkdir(mode=0o700)
    (settled / "outbox" / "letters" / TICKET).symlink_to(elsewhere)
    letter = tmp_path / "letter.txt"
    letter.write_text(CLEAN_LETTER, "utf-8")
    result = Cli(settled)(
        "contact-log", "add", TICKET, "--channel", "email", "--direction", "out",
        "--outcome", "reached", "--summary", "Письмо", "--text-file", str(letter),
    )  # fmt: skip
    assert_refused(result, f"outbox/letters/{TICKET}")
    assert list(elsewhere.iterdir()) == []


def test_deleted_folders_come_back_owner_only(ws_root: Path, cli: Cli) -> None:
    os.umask(0o022)
    make_report(ws_root)
    (ws_root / "outbox").rmdir()
    assert cli("submit", TICKET).exit_code == 0
    assert mode(ws_root / "outbox") == 0o700
    (folder,) = (ws_root / "outbox").iterdir()
    assert mode(folder) == 0o700
    assert {mode(p) for p in folder.iterdir()} == {0o600}


def test_report_recreates_a_deleted_reports_folder_owner_only(settled: Path) -> None:
    os.umask(0o022)
    (settled / "reports").rmdir()
    assert Cli(settled)("report", TICKET).exit_code == 0
    assert mode(settled / "reports") == 0o700
    assert mode(settled / "reports" / TICKET) == 0o700


def test_init_into_an_existing_open_folder_makes_it_private(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    root.mkdir()
    os.chmod(root, 0o777)
    result = Cli(None)("init", str(root))
    assert result.exit_code == 0, result.stderr
    assert mode(root) == 0o700
    assert {mode(root / n) for n in ("reports", "outbox")} == {0o700}


INIT = (
    "import sys, pathlib; from srgcli.workspace import create_workspace; "
    "create_workspace(pathlib.Path(sys.argv[1]))"
)


def test_two_inits_at_once_both_leave_a_whole_workspace(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(source)}
    for trial in range(8):
        root = tmp_path / f"ws{trial}"
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", INIT, str(root)], env=env, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        codes = sorted(run.wait(timeout=120) for run in runs)
        for run in runs:
            assert run.stderr is not None
            run.stderr.close()
        assert codes[0] == 0  # one made it; the other was told the folder is taken
        assert (root / "reports").is_dir() and (root / "outbox").is_dir()
        assert mode(root) == 0o700
        with open_workspace(root) as ws:
            assert ws.notes == []


def test_a_dangling_inflight_link_is_a_note_for_reading_and_refused_for_writing(
    settled: Path, tmp_path: Path
) -> None:
    (settled / ".inflight").rmdir()
    (settled / ".inflight").symlink_to(tmp_path / "gone")
    cli = Cli(settled)
    listed = cli("list")  # reading still works: the open only says what is wrong
    assert listed.exit_code == 0, listed.stderr
    assert ".inflight в рабочей папке — символическая ссылка или не папка" in " ".join(
        listed.stderr.split()
    )
    assert_refused(cli("report", TICKET), ".inflight")
    assert not (tmp_path / "gone").exists()
    doctor = cli("doctor", "--json", "--offline")
    (leftovers,) = [c for c in doctor.json() if c["check"] == "leftovers"]
    assert leftovers["status"] == "warning"
    assert "удалите .inflight" in leftovers["message"]
