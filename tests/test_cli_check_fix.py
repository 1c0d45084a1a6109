"""`srgcli check --fix` on a real pseudo-terminal: pick corrections, add words, write the file."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")


def run_on_terminal(args: list[str], answers: list[str], cwd: Path) -> tuple[int, str]:
    """Run srgcli with a pty as stdin/stdout, answering each prompt in turn."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "dumb", "NO_COLOR": "1"}
    # The child runs in `cwd`: a relative PYTHONPATH (`PYTHONPATH=src pytest`) made absolute,
    # or it would run whichever srgcli is installed instead of the one under test.
    if env.get("PYTHONPATH"):
        paths = env["PYTHONPATH"].split(os.pathsep)
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in paths if p)
    process = subprocess.Popen(
        [sys.executable, "-m", "srgcli", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    pending = list(answers)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if pending and output.decode(errors="replace").count("Ваш выбор") > len(answers) - len(
                pending
            ):
                os.write(master, (pending.pop(0) + "\n").encode())
        elif process.poll() is not None:
            break
    process.wait(timeout=30)
    os.close(master)
    return process.returncode, output.decode(errors="replace")


def test_fix_walks_through_issues(ws_root: Path) -> None:
    letter = ws_root / "letter.txt"
    letter.write_text("Шнайдерманн ждёт ответа. Оценщик опаздал  на осмотр.\n", encoding="utf-8")
    # 1st issue: the surname -> add to the dictionary; 2nd: "опаздал" -> first suggestion;
    # 3rd: the double space -> its replacement.
    code, output = run_on_terminal(["check", "letter.txt", "--fix"], ["д", "1", "1"], ws_root)
    assert "добавить в словарь" in output
    assert (
        letter.read_text(encoding="utf-8")
        == "Шнайдерманн ждёт ответа. Оценщик опоздал на осмотр.\n"
    )
    assert "Ошибок нет" in output
    assert code == 0
    import sqlite3

    words = sqlite3.connect(ws_root / "srgcli.db").execute("select word from dictionary").fetchall()
    assert words == [("Шнайдерманн",)]
