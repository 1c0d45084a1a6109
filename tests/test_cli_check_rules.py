"""Disabled rules the gate does not know are named with the closest ids; empty text is said so."""

from __future__ import annotations

from pathlib import Path

import pytest

from srgcli.gate.rule_ids import closest_rule_ids, fold_look_alikes, known_rule_ids
from srgcli.workspace import Workspace
from tests.builders import add_ticket
from tests.conftest import Cli, Result

DIRTY = "Добрый день.\nОценщик опаздал на осмотр, короче.\n"
# pylat-ru's id ends in a Cyrillic «Е»: the all-Latin spelling matches no rule.
V_TECHENIE = "V_TECHENI\u0415"


# Every test here runs the real pylat-ru, loaded once per session.
pytestmark = pytest.mark.usefixtures("pylat")


def said(result: Result) -> str:
    """What stderr says, without the terminal's line wrapping."""
    return " ".join(result.stderr.split())


def _disable_in_config(root: Path, *rules: str) -> None:
    config = root / "srgcli.toml"
    listed = ", ".join(f'"{r}"' for r in rules)
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "disabled_rules = []", f"disabled_rules = [{listed}]"
        ),
        encoding="utf-8",
    )


def test_known_ids_are_the_engines_and_srgclis() -> None:
    known = known_rule_ids()
    assert {"MORFOLOGIK_RULE_RU_RU", "WHITESPACE_RULE", V_TECHENIE} <= known
    assert {"SRG_PROFANITY", "SRG_SLANG", "SRG_DOUBLE_SPACE", "SRG_UNKNOWN_WORD"} <= known
    assert "V_TECHENIE" not in known


@pytest.mark.parametrize(
    ("given", "first"),
    [
        ("V_TECHENIE", V_TECHENIE),  # Latin for the Cyrillic «Е»
        ("V_T\u0415CHENIE", V_TECHENIE),  # a Cyrillic «Е» in the wrong place
        ("SRG_SLNG", "SRG_SLANG"),
        ("srg_slang", "SRG_SLANG"),
        ("MORFOLOGIK_RULE_RU", "MORFOLOGIK_RULE_RU_RU"),
    ],
)
def test_closest_ids(given: str, first: str) -> None:
    assert closest_rule_ids(given, known_rule_ids())[0] == first


def test_look_alikes_fold_to_latin() -> None:
    assert fold_look_alikes(V_TECHENIE) == "V_TECHENIE"
    assert fold_look_alikes("срг_сленг") == "CPГ_CЛEHГ"


@pytest.mark.parametrize(
    ("args", "named", "suggested"),
    [
        (("--disable", "V_TECHENIE"), "«V_TECHENIE» в --disable", f"«{V_TECHENIE}»"),
        (("--disable", "SRG_SLNG"), "«SRG_SLNG» в --disable", "«SRG_SLANG»"),
        (("--disable", "XYZZY"), "«XYZZY» в --disable", "srgcli check"),
    ],
)
def test_unknown_disable_warns_and_changes_nothing_else(
    cli: Cli, args: tuple[str, ...], named: str, suggested: str
) -> None:
    plain = cli("check", "-", "--format", "json", input=DIRTY)
    result = cli("check", "-", "--format", "json", *args, input=DIRTY)
    assert result.exit_code == plain.exit_code == 1
    assert result.json() == plain.json()  # same JSON shape and issues
    assert "Внимание" in said(result) and named in said(result)
    assert suggested in said(result)
    assert "неизвестно" not in said(plain)


def test_unknown_id_in_config_warns(cli: Cli, ws_root: Path) -> None:
    _disable_in_config(ws_root, "SRG_SLANG", "V_TECHENIE")
    result = cli("check", "-", "--format", "json", input=DIRTY)
    assert [i["rule"] for i in result.json()["issues"]] == ["MORFOLOGIK_RULE_RU_RU"]
    assert "«V_TECHENIE» в [checker] disabled_rules" in said(result)
    assert f"«{V_TECHENIE}» (в нём кириллические буквы: «Е»)" in said(result)
    assert "SRG_SLANG" not in said(result)


def test_known_ids_give_no_warning(cli: Cli, ws_root: Path) -> None:
    _disable_in_config(ws_root, V_TECHENIE)
    result = cli("check", "-", "--disable", "SRG_SLANG", input=DIRTY)
    assert result.exit_code == 1
    assert "Внимание" not in result.stderr


def test_disable_adds_to_the_config(cli: Cli, ws_root: Path) -> None:
    _disable_in_config(ws_root, "SRG_SLANG")
    args = ("--disable", "MORFOLOGIK_RULE_RU_RU", "--disable", "SRG_UNKNOWN_WORD")
    result = cli("check", "-", "--format", "json", *args, input=DIRTY)
    assert result.exit_code == 0, result.stdout
    assert result.json() == {"errors": 0, "warnings": 0, "issues": []}
    rich = cli("check", "-", *args, input=DIRTY)
    assert "отключены правила: MORFOLOGIK_RULE_RU_RU, SRG_SLANG, SRG_UNKNOWN_WORD" in rich.stdout


@pytest.mark.parametrize(
    ("command", "prepare"),
    [
        (("templates", "check", "--format", "json"), None),
        (("report", "--all", "--json"), None),
        (("contact-log", "add", "2026-000200", "--channel", "phone", "--direction", "out",
          "--outcome", "reached", "--summary", "Оценщик опаздал на осмотр."), "ticket"),
    ],
)  # fmt: skip
def test_other_gated_commands_warn_once(
    cli: Cli, ws_root: Path, ws: Workspace, command: tuple[str, ...], prepare: str | None
) -> None:
    if prepare == "ticket":
        add_ticket(ws)
    _disable_in_config(ws_root, "SRG_SLNG")
    result = cli(*command)
    assert said(result).count("«SRG_SLNG» в [checker] disabled_rules") == 1, result.stderr


@pytest.mark.parametrize("text", ["", "   \n\n\t \n"])
def test_empty_stdin_is_said_and_exits_0(cli: Cli, text: str) -> None:
    result = cli("check", "-", "--format", "json", input=text)
    assert result.exit_code == 0
    assert result.json() == {"errors": 0, "warnings": 0, "issues": []}
    assert "Текст со стандартного ввода пуст: проверять нечего." in said(result)
    rich = cli("check", "-", input=text)
    assert (rich.exit_code, rich.stdout) == (0, "")
    assert "пуст" in rich.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [("пусто.txt", ""), ("пробелы.md", " \n \n"), ("пусто.docx", None)],
)
def test_empty_file_is_said_and_exits_0(
    cli: Cli, tmp_path: Path, name: str, content: str | None
) -> None:
    path = tmp_path / name
    if content is None:
        import docx

        document = docx.Document()
        document.add_paragraph("   ")
        document.save(str(path))
    else:
        path.write_text(content, encoding="utf-8")
    result = cli("check", str(path), "--format", "github")
    assert (result.exit_code, result.stdout) == (0, "")
    assert f"Файл {path} пуст: проверять нечего." in said(result)
