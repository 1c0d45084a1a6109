"""Fast start: `--help`, `--version` and `list` never import the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "docx",
    "docxtpl",
    "pylat_ru",
    "pymorphy3",
    "language_tool_python",
    "httpx",
    "openpyxl",
    "phonenumbers",
    "email_validator",
    "sqlite_utils",
    "jinja2",
)

PROBE = """
import json, sys
from typer.testing import CliRunner
from srgcli.cli.app import app
result = CliRunner().invoke(app, sys.argv[1:])
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set(json.loads({heavy!r})))
print(json.dumps({{"exit": result.exit_code, "heavy": heavy}}))
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["list", "--json"], ["list"], ["show", "--help"]]
)
def test_light_commands_do_not_import_heavy_libraries(ws_root: Path, args: list[str]) -> None:
    code = PROBE.format(heavy=json.dumps(HEAVY))
    argv = ["--workspace", str(ws_root), *args] if args[0] == "list" else args
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["exit"] == 0
    assert report["heavy"] == []


def test_entry_point_answers_version_without_typer() -> None:
    code = (
        "import sys; sys.argv = ['srgcli', '--version']\n"
        "from srgcli.cli.entry import main; main()\n"
        "print('typer' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    version_line, typer_loaded = proc.stdout.split()[0:2], proc.stdout.split()[-1]
    assert version_line[0] == "srgcli"
    assert typer_loaded == "False"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["list", "--json"], "list"),
        (["-w", "/tmp/x", "show", "ID"], "show"),
        (["--workspace", "list", "fill"], "fill"),  # a folder named "list"
        (["--no-input", "contact-log", "add"], "contact-log"),
        (["--help"], None),
        (["lst"], None),
        ([], None),
    ],
)
def test_the_subcommand_is_found_after_the_global_options(
    argv: list[str], expected: str | None
) -> None:
    from srgcli.cli.app import command_name

    assert command_name(argv) == expected


def test_every_command_is_owned_by_exactly_one_module() -> None:
    import typer

    from srgcli.cli.app import COMMAND_MODULES, app, build_app

    full = typer.main.get_command(app)
    names = [name for _, owned in COMMAND_MODULES for name in owned]
    assert sorted(names) == sorted(full.commands)  # type: ignore[attr-defined]
    for name in names:
        partial = typer.main.get_command(build_app(name))
        assert name in partial.commands  # type: ignore[attr-defined]


def test_the_entry_point_runs_a_command_end_to_end(ws_root: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "srgcli", "--workspace", str(ws_root), "list", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
