"""Generate docs/cli.md from the real `--help` of every command (kept in sync by a test).

Run: python -m srgcli.cli.docgen > docs/cli.md
"""

from __future__ import annotations

import sys
from typing import Any

HEADER = """# srgcli command reference

Generated from the real `--help` output by `python -m srgcli.cli.docgen > docs/cli.md`;
a test fails when this file and the application disagree.
"""


def _command_paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name in sorted(getattr(command, "commands", {}) or {}):
        sub = command.commands[name]
        if getattr(sub, "hidden", False):
            continue
        paths.extend(_command_paths(sub, (*prefix, name)))
    return paths


def render() -> str:
    """The whole reference as Markdown."""
    import typer
    from typer.testing import CliRunner

    from srgcli.cli.app import app

    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "SRGCLI_WORKSPACE": None}
    runner = CliRunner(env=env)
    parts = [HEADER]
    for path in _command_paths(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"], prog_name="srgcli")
        title = " ".join(("srgcli", *path))
        body = "\n".join(line.rstrip() for line in result.stdout.strip("\n").splitlines())
        parts.append(f"## `{title}`\n\n```text\n{body}\n```\n")
    return "\n".join(parts)


def main() -> None:
    """Print the reference to stdout."""
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
