"""The hostile-input corpus (tests/data/bad/cases.toml): every file refused or warned about as
documented, in Russian, naming the file and line, with the workspace left as it was."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from srgcli.workspace import create_workspace
from tests.builders import add_ticket, file_hashes, hostile_file, table_dump
from tests.conftest import Cli

CORPUS = Path(__file__).parents[1] / "data" / "bad"
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))["case"]
HISTORY = [
    {"at": "2026-10-27T11:02:00+03:00", "kind": "order_created", "actor": "сайт"},
    {"at": "2026-11-05T12:30:00+03:00", "kind": "inspection_done", "actor": "оценщик"},
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding one ticket with its order history, copied for each case."""
    root = tmp_path_factory.mktemp("seeded") / "ws"
    ws = create_workspace(root)
    try:
        add_ticket(ws, HISTORY)
    finally:
        ws.close()
    return root


def _state(root: Path) -> tuple[Any, dict[str, str]]:
    files = {
        name: digest
        for name, digest in file_hashes(root).items()
        if not name.startswith("srgcli.db")  # compared row by row: pages may move
    }
    rows = table_dump(root / "srgcli.db")
    rows.pop("gate_cache", None)  # the gate's sentence cache: no user data, refilled at will
    return rows, files


def _said(stdout: str, stderr: str) -> str:
    """What the user was told: the messages, and --json's rejections and warnings written out
    as "file, строка N: reason"."""
    told = [stderr]
    if stdout.startswith("{"):
        import json

        data = json.loads(stdout)
        for entry in [*data.get("rejected", []), *data.get("warnings", [])]:
            where = entry["source"]
            if entry.get("line") is not None:
                where += f", строка {entry['line']}"
            told.append(f"{where}: {entry.get('reason') or entry.get('message')}")
    else:
        told.append(stdout)
    return " ".join(" ".join(told).split())


def test_the_corpus_is_large_and_every_file_has_a_case() -> None:
    assert len(CASES) >= 40
    listed = {case["file"] for case in CASES}
    kept = {p.name for p in CORPUS.iterdir()} - {"cases.toml", "README.md"}
    assert kept <= listed, kept - listed


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_hostile_input(case: dict[str, Any], seeded: Path, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(seeded, root)
    path = hostile_file(CORPUS, case["file"], tmp_path)
    if path.suffix == ".toml":
        shutil.copyfile(path, root / "srgcli.toml")
        path = root / "srgcli.toml"
    before = _state(root)
    args = [str(path) if arg == "{file}" else arg for arg in case["command"]]
    result = Cli(root)(*args)
    said = _said(result.stdout, result.stderr)
    assert result.exit_code == case["exit"], said
    assert case["message"] in said
    assert str(path) in said
    if "line" in case:
        where = f"{path}:{case['line']}" if path.suffix == ".j2" else f"{path}, строка "
        where += "" if path.suffix == ".j2" else str(case["line"])
        assert where in said
    assert re.search("[а-яё]{3}", said)
    assert "Traceback" not in said and "\x1b" not in result.stdout + result.stderr
    assert _state(root) == before
