"""`srgcli templates check` and `templates list`: good and broken templates in every format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.test_report import write_template

GOOD = ("Отчёт по обращению № {{ ticket.id }}", "Заявитель: {{ ticket.client_name|dash }}.")


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_template(tmp_path / "good.docx", *GOOD)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return write_template(
        tmp_path / "broken.docx",
        "Отчёт по обращению № {{ ticket.id }}",
        "Обращение расмотрено.",
        "Клиент: {{ ticket.nickname }}.",
        "Итог: {{ outcome }}.",
    )


def test_the_builtin_template_passes(cli: Cli, pylat: Any) -> None:
    result = cli("templates", "check")
    assert result.exit_code == 0, result.stdout
    assert "Шаблонов проверено: 1; ошибок: 0" in result.stdout


@pytest.mark.parametrize(
    ("paragraphs", "line", "message"),
    [
        (
            ("Отчёт.", "{%p if finding %}", "Вывод: {{ finding.verdict }}.", "Конец."),
            2,
            "незакрытый блок {% if %} — нет {% endif %}",
        ),
        (("Отчёт.", "Вывод.", "{%p endif %}"), 3, "{% endif %} без открывающего {% if %}"),
        (("Отчёт.", "Итог: {{ ticket.id }."), 2, "лишняя или непарная «}»"),
        (("Итог: {{ ticket.id|nosuch }}.",), 1, "неизвестный фильтр «nosuch»"),
    ],
)
def test_syntax_errors_of_a_report_template_in_russian(
    cli: Cli, tmp_path: Path, pylat: Any, paragraphs: tuple[str, ...], line: int, message: str
) -> None:
    bad = write_template(tmp_path / "syntax.docx", *paragraphs)
    data = cli("templates", "check", str(bad), "--format", "json")
    assert data.exit_code == 1
    # Only the syntax error: the broken tag is not also checked as wording.
    assert [(p["kind"], p["line"], p["message"]) for p in data.json()["problems"]] == [
        ("syntax", line, message)
    ]
    rich = cli("templates", "check", str(bad))
    assert f"{bad}:{line} ошибка [syntax] {message}" in " ".join(rich.stdout.split())


def test_a_good_template_in_every_format(cli: Cli, good: Path, pylat: Any) -> None:
    assert cli("templates", "check", str(good)).exit_code == 0
    data = cli("templates", "check", str(good), "--format", "json").json()
    assert data == {"templates": [str(good)], "errors": 0, "warnings": 0, "problems": []}
    github = cli("templates", "check", str(good), "--format", "github")
    assert github.exit_code == 0 and github.stdout == ""


def test_a_broken_template_in_every_format(cli: Cli, broken: Path, pylat: Any) -> None:
    rich = cli("templates", "check", str(broken))
    assert rich.exit_code == 1
    assert "«расмотрено»" in rich.stdout and "Варианты" in rich.stdout
    assert "nickname" in rich.stdout and "«outcome»" in rich.stdout

    data = cli("templates", "check", str(broken), "--format", "json")
    assert data.exit_code == 1
    problems = data.json()["problems"]
    kinds = {p["kind"] for p in problems}
    assert "undefined" in kinds
    assert any(k.startswith("gate:") for k in kinds)
    spelling = next(p for p in problems if p["kind"].startswith("gate:"))
    assert spelling["line"] == 2 and spelling["file"] == str(broken)
    undefined = {p["message"]: p["line"] for p in problems if p["kind"] == "undefined"}
    assert undefined["нет такого значения в данных отчёта: «outcome»"] == 4
    assert undefined["нет такого значения в данных отчёта: поле «nickname»"] == 3

    github = cli("templates", "check", str(broken), "--format", "github")
    assert github.exit_code == 1
    lines = github.stdout.splitlines()
    assert lines and all(line.startswith("::error file=") for line in lines)
    assert any(",line=2," in line for line in lines)


def test_syntax_error_and_not_a_docx(cli: Cli, tmp_path: Path, pylat: Any) -> None:
    bad = write_template(tmp_path / "syntax.docx", "Отчёт.", "Итог: {% if ticket.id %}.")
    data = cli("templates", "check", str(bad), "--format", "json").json()
    assert [(p["kind"], p["line"], p["message"]) for p in data["problems"]] == [
        ("syntax", 2, "незакрытый блок {% if %} — нет {% endif %}")
    ]
    junk = tmp_path / "junk.docx"
    junk.write_text("не документ", encoding="utf-8")
    data = cli("templates", "check", str(junk), "--format", "json").json()
    assert [p["kind"] for p in data["problems"]] == ["file"]
    assert cli("templates", "check", str(tmp_path / "нет.docx")).exit_code == 2
    assert cli("templates", "check", "--format", "xml").exit_code == 2


def test_workspace_templates_are_listed_checked_and_usable(
    cli: Cli, ws_root: Path, pylat: Any
) -> None:
    folder = ws_root / "templates" / "report"
    folder.mkdir(parents=True)
    write_template(folder / "short.docx", *GOOD)
    listed = cli("templates", "list", "--json").json()
    assert {(t["name"], t["builtin"]) for t in listed} == {("default", True), ("short", False)}
    checked = cli("templates", "check", "--format", "json").json()
    assert len(checked["templates"]) == 2 and checked["errors"] == 0
