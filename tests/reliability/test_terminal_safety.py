"""Escape sequences in ticket data never reach the terminal; the data is stored as received."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from srgcli.cli.views.terminal import clean, clean_with_spans, json_safe
from srgcli.workspace import open_workspace, reads
from tests.builders import add_ticket
from tests.conftest import Cli

TITLE = "\x1b]0;взломано\x07"  # sets the terminal's title
WIPE = "\x1b[2J"  # clears the screen
MARKUP = "[bold red]x[/]"
HOSTILE_NAME = f"Смирнова {TITLE}Ольга Викторовна"
HOSTILE_TEXT = f"Отчёт задерживается {WIPE}{MARKUP} \x9b31m\x07\x08 конец"
HOSTILE_EVENT = {
    "at": "2026-11-05T12:30:00+03:00",
    "kind": "inspection_done",
    "actor": f"оценщик{WIPE}",
    "comment": f"осмотр {TITLE}{MARKUP}",
}


@pytest.fixture
def hostile(cli: Cli, ws_root: Path) -> Cli:
    ws = open_workspace(ws_root)
    try:
        add_ticket(
            ws,
            [HOSTILE_EVENT],
            id="EV-1",
            client_name=HOSTILE_NAME,
            complaint_text=HOSTILE_TEXT,
            object_address=f"[red]г. Москва[/], {WIPE}ул. Тверская",
        )
    finally:
        ws.close()
    return cli


def _assert_safe(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "\x08" not in text


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["show", "EV-1"], [MARKUP, "[red]г. Москва[/]", "Ольга Викторовна"]),
        (["list"], ["EV-1"]),
        (["review", "EV-1", "--timeline"], [MARKUP]),
        (["search", "задерживается"], [MARKUP]),
    ],
)
def test_views_strip_escapes_and_show_markup_literally(
    hostile: Cli, args: list[str], shown: list[str]
) -> None:
    result = hostile(*args)
    assert result.exit_code == 0, result.stderr
    _assert_safe(result.stdout + result.stderr)
    for text in shown:
        assert text in result.stdout


def test_error_messages_and_fill_echoes_are_cleaned(hostile: Cli) -> None:
    missing = hostile("show", f"EV-1{WIPE}{MARKUP}")
    assert missing.exit_code == 2
    _assert_safe(missing.stderr)
    assert f"EV-1{MARKUP}" in missing.stderr
    filled = hostile("fill", "EV-1", "--set", f"bank=Банк {TITLE}[b]Х[/b]")
    _assert_safe(filled.stdout + filled.stderr)
    assert "Банк [b]Х[/b]" in filled.stderr


def test_the_database_keeps_the_values_as_received(hostile: Cli, ws_root: Path) -> None:
    hostile("fill", "EV-1", "--set", f"bank=Банк {TITLE}")
    ws = open_workspace(ws_root)
    try:
        ticket = reads.get_ticket(ws, "EV-1")
        assert ticket is not None
        assert ticket.value("client_name") == HOSTILE_NAME
        assert ticket.value("complaint_text") == HOSTILE_TEXT
        assert ticket.value("bank") == f"Банк {TITLE}"
    finally:
        ws.close()


def test_json_keeps_the_data_and_escapes_c1_controls(hostile: Cli) -> None:
    result = hostile("show", "EV-1", "--json")
    _assert_safe(result.stdout)  # ESC and BEL escaped by JSON itself, C1 by srgcli
    assert result.json()["complaint_text"] == HOSTILE_TEXT


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[31;1mb\x1b[0m", "ab"),
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),
        ("строка\nвторая\tтаб\r", "строка\nвторая\tтаб"),
        ("a\u202eb\u2066c", "abc"),
        ("a\x00b\x7fc\x85d", "abcd"),
        ("обычный текст", "обычный текст"),
    ],
)
def test_clean(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_clean_moves_highlights_with_the_text() -> None:
    text, spans = clean_with_spans("\x1b[2Jпоиск \x07слово", [(4, 5), (11, 5)])
    assert text == "поиск слово"
    assert [text[s : s + n] for s, n in spans] == ["поиск", "слово"]


def test_json_safe_is_the_same_data() -> None:
    encoded = json.dumps({"v": "a\x85b\u202ec"}, ensure_ascii=False)
    assert json.loads(json_safe(encoded)) == {"v": "a\x85b\u202ec"}
    assert "\x85" not in json_safe(encoded)
