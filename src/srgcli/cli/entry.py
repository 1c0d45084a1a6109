"""The console-script entry point.

`srgcli --version` is answered before Typer and the command modules are imported, so that
scripts probing the version pay only for the interpreter's start-up.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run srgcli with the process arguments."""
    if sys.argv[1:] == ["--version"]:
        from srgcli import __version__

        sys.stdout.write(f"srgcli {__version__}\n")
        return
    from srgcli.cli.app import build_app, command_name

    build_app(command_name(sys.argv[1:]))(prog_name="srgcli")
