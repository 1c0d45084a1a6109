"""The generated CLI reference matches the application, and every command has an example."""

from __future__ import annotations

from pathlib import Path

from srgcli.cli import docgen

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_in_sync() -> None:
    current = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert current == docgen.render(), (
        "docs/cli.md is out of date: run python -m srgcli.cli.docgen > docs/cli.md"
    )


def test_every_command_has_russian_help_and_an_example() -> None:
    text = docgen.render()
    sections = text.split("\n## ")[1:]
    assert sections
    for section in sections:
        title = section.splitlines()[0]
        assert "Использование:" in section, title
        if "Команды" not in section:  # a leaf command, not a group
            assert "Пример:" in section, title


def test_gate_rules_reference_is_in_sync() -> None:
    from srgcli.gate.rules import reference

    current = (ROOT / "docs" / "gate-rules.md").read_text("utf-8")
    assert current == reference.render(), (
        "docs/gate-rules.md is out of date: "
        "run python -m srgcli.gate.rules.reference > docs/gate-rules.md"
    )
