"""The command-line interface: one module per command group, each only parses and renders."""

from srgcli.cli.entry import main

__all__ = ["main"]
