"""The checks as CI hooks: the pre-commit manifest's hooks are real commands that take the
files pre-commit passes and fail on errors; `--format github` annotations are escaped."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from srgcli.cli.views.issues import github_escape
from tests.builders import read_hook_manifest, write_template
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[1]
CLEAN = "Уважаемая Ирина Павловна!\nОтчёт об оценке подготовлен и направлен Вам.\n"
DIRTY = "Добрый день.\nОценщик опаздал на осмотр, короче.\n"

pytestmark = pytest.mark.usefixtures("pylat")


@pytest.fixture(scope="module")
def hooks() -> dict[str, dict[str, Any]]:
    manifest = read_hook_manifest(ROOT / ".pre-commit-hooks.yaml")
    return {hook["id"]: hook for hook in manifest}


def entry_args(hook: dict[str, Any]) -> list[str]:
    """The hook's entry as arguments of the srgcli application."""
    program, *args = shlex.split(hook["entry"])
    assert program == "srgcli"
    return args


def test_the_manifest_declares_both_checks(hooks: dict[str, dict[str, Any]]) -> None:
    assert set(hooks) == {"srgcli-templates-check", "srgcli-check"}
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this package to run it
        assert hook["require_serial"] is True
        assert hook.get("pass_filenames", True) is True
    assert hooks["srgcli-templates-check"]["entry"] == "srgcli templates check"
    assert hooks["srgcli-check"]["entry"] == "srgcli check"


@pytest.mark.parametrize(
    ("hook_id", "path", "matched"),
    [
        ("srgcli-templates-check", "templates/отчёт.docx", True),
        ("srgcli-templates-check", "letters/answer.j2", True),
        ("srgcli-templates-check", "letters/answer.j2.bak", False),
        ("srgcli-templates-check", "README.md", False),
        ("srgcli-check", "texts/ответ.txt", True),
        ("srgcli-check", "docs/памятка.md", True),
        ("srgcli-check", "templates/отчёт.docx", False),  # tags are no words: templates check
        ("srgcli-check", "letters/answer.j2", False),
    ],
)
def test_each_hook_takes_its_own_files(
    hooks: dict[str, dict[str, Any]], hook_id: str, path: str, matched: bool
) -> None:
    # pre-commit matches `files` with re.search against the path from the repository root.
    assert bool(re.search(hooks[hook_id]["files"], path)) is matched


def test_the_templates_hook_on_good_and_broken_files(
    hooks: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    cli = Cli(None)
    args = entry_args(hooks["srgcli-templates-check"])
    good = write_template(tmp_path / "good.docx", "Отчёт по обращению № {{ ticket.id }}")
    letter = tmp_path / "ответ.j2"
    letter.write_text("{{ client.salutation }}\n\nОбращение рассмотрено.\n", "utf-8")
    broken = tmp_path / "broken.j2"
    broken.write_text("Обращение расмотрено.\n{% if x %}\n", "utf-8")
    passed = cli(*args, str(good), str(letter), workspace=False)
    assert passed.exit_code == 0, passed.stdout
    assert "Шаблонов проверено: 2; ошибок: 0" in passed.stdout
    failed = cli(*args, str(good), str(broken), str(letter), "--format", "github", workspace=False)
    assert failed.exit_code == 1
    lines = failed.stdout.splitlines()
    assert lines == [
        f"::error file={broken},line=2,title=syntax::"
        "незакрытый блок {%25 if %25} — нет {%25 endif %25}",
        lines[1],
    ]
    assert lines[1].startswith(
        f"::error file={broken},line=1,col=11,title=gate%3AMORFOLOGIK_RULE_RU_RU::«расмотрено»: "
    )


def test_the_check_hook_on_several_files(hooks: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    cli = Cli(None)
    args = entry_args(hooks["srgcli-check"])
    clean, dirty = tmp_path / "clean.txt", tmp_path / "dirty.md"
    clean.write_text(CLEAN, "utf-8")
    dirty.write_text(DIRTY, "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", "utf-8")
    assert cli(*args, str(clean), str(empty), workspace=False).exit_code == 0
    rich = cli(*args, str(clean), str(dirty), str(empty), workspace=False)
    assert rich.exit_code == 1
    assert f"{dirty}:2:9 ошибка" in rich.stdout and str(clean) + ":" not in rich.stdout
    assert "Файлов: 3. Ошибок: 2, предупреждений: 0." in rich.stdout
    assert f"Файл {empty} пуст" in rich.stderr
    data = cli(*args, str(dirty), str(clean), "--format", "json", workspace=False).json()
    assert (data["errors"], data["warnings"]) == (2, 0)
    assert {issue["file"] for issue in data["issues"]} == {str(dirty)}
    github = cli(*args, str(clean), str(dirty), "--format", "github", workspace=False)
    assert github.exit_code == 1
    assert [line.split("::")[1] for line in github.stdout.splitlines()] == [
        f"error file={dirty},line=2,col=9,title=MORFOLOGIK_RULE_RU_RU",
        f"error file={dirty},line=2,col=28,title=SRG_SLANG",
    ]


def test_a_missing_file_among_several_is_a_usage_error(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, "utf-8")
    result = Cli(None)("check", str(clean), str(tmp_path / "нет.txt"), workspace=False)
    assert result.exit_code == 2
    assert "нет.txt не найден" in result.stderr
    twice = Cli(None)("check", "-", "-", input=CLEAN, workspace=False)
    assert twice.exit_code == 2


def test_github_annotations_escape_file_names_and_messages(tmp_path: Path) -> None:
    odd = tmp_path / "письмо, 1: 100%.txt"
    odd.write_text("Прошу вас перезвонить.\n", "utf-8")
    result = Cli(None)("check", str(odd), "--format", "github", workspace=False)
    assert result.exit_code == 0  # a warning only
    (line,) = result.stdout.splitlines()
    name = str(odd).replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    assert line.startswith(f"::warning file={name},line=1,col=7,title=")
    assert ", 1: 100" not in line


@pytest.mark.parametrize(
    ("value", "prop", "escaped"),
    [
        ("100% готово", False, "100%25 готово"),
        ("строка 1\r\nстрока 2", False, "строка 1%0D%0Aстрока 2"),
        ("Варианты: «а», «б».", False, "Варианты: «а», «б»."),
        ("gate:RULE", True, "gate%3ARULE"),
        ("a,b:c%\n", True, "a%2Cb%3Ac%25%0A"),
    ],
)
def test_github_escape(value: str, prop: bool, escaped: str) -> None:
    assert github_escape(value, prop=prop) == escaped
