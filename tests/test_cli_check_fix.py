"""`srgcli check --fix` with a terminal on stdin: pick corrections, add words, write the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import Cli


def test_fix_walks_through_issues(ws_root: Path, cli: Cli, tty: None) -> None:
    letter = ws_root / "letter.txt"
    letter.write_text("Шнайдерманн ждёт ответа. Оценщик опаздал  на осмотр.\n", encoding="utf-8")
    # 1st issue: the surname -> add to the dictionary; 2nd: "опаздал" -> first suggestion;
    # 3rd: the double space -> its replacement.
    result = cli("check", str(letter), "--fix", input="д\n1\n1\n")
    output = result.stdout + result.stderr
    assert output.count("Ваш выбор") == 3
    assert "добавить в словарь" in output
    assert (
        letter.read_text(encoding="utf-8")
        == "Шнайдерманн ждёт ответа. Оценщик опоздал на осмотр.\n"
    )
    assert "Ошибок нет" in output
    assert result.exit_code == 0
    words = sqlite3.connect(ws_root / "srgcli.db").execute("select word from dictionary").fetchall()
    assert words == [("Шнайдерманн",)]
