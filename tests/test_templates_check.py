"""`srgcli templates check` and `templates list`: good and broken templates in every format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import write_template
from tests.conftest import Cli

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


def test_the_builtin_templates_pass(cli: Cli, pylat: Any) -> None:
    result = cli("templates", "check")
    assert result.exit_code == 0, result.stdout
    # The default report and the three letters of contact-log.
    assert "Шаблонов проверено: 4; ошибок: 0" in result.stdout
    data = cli("templates", "check", "--format", "json").json()
    names = sorted(Path(p).name for p in data["templates"])
    assert names == ["acknowledgement.j2", "answer.j2", "default.docx", "not_reached.j2"]


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
    assert len(checked["templates"]) == 5 and checked["errors"] == 0  # and the three letters


SIGNED = "\n\nС уважением,\n{{ executor.name }}\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{{ client.salutation }}\n\n{% if ticket.id %}\nОбращение получено.\n",
            [("syntax", 3, "незакрытый блок {% if %} — нет {% endif %}")],
        ),
        (
            "Обращение получено.\n{% endif %}\n",
            [("syntax", 2, "{% endif %} без открывающего {% if %}")],
        ),
        (
            "{{ client.salutation }}\n\nОбращение по заказу № {{ order }} получено." + SIGNED,
            [("undefined", 3, "нет такого значения в данных письма: «order»")],
        ),
        (
            "{{ client.salutation }}\n\nКлиент {{ ticket.nickname }}." + SIGNED,
            [("undefined", 3, "нет такого значения в данных письма: поле «nickname»")],
        ),
        (
            "{{ client.salutation }}\n\nВывод: {{ finding.verdict_label }}." + SIGNED,
            [
                (
                    "undefined",
                    3,
                    "нет такого значения в данных письма: поле «verdict_label» — пока вывода по "
                    "заявке нет (finding пуст): оберните в {% if finding %} … {% endif %} или "
                    "добавьте в начало {#- requires: finding -#}",
                )
            ],
        ),
        (
            "{#- requires: finding -#}\n{{ client.salutation }}\n\n"
            "Вывод: {{ finding.verdict_label }}." + SIGNED,
            [],
        ),
        (
            "{{ client.salutation }}\n\n{% if finding %}Вывод: {{ finding.verdict_label }}."
            "{% endif %}" + SIGNED,
            [],
        ),
        (
            "{{ client.salutation }}\n\nВаше обращение расмотрено." + SIGNED,
            [("gate:MORFOLOGIK_RULE_RU_RU", 3, "«расмотрено»")],
        ),
    ],
)
def test_letter_templates_are_checked_against_what_contact_log_provides(
    cli: Cli, tmp_path: Path, pylat: Any, source: str, expected: list[tuple[str, int, str]]
) -> None:
    letter = tmp_path / "письмо.j2"
    letter.write_text(source, "utf-8")
    result = cli("templates", "check", str(letter), "--format", "json")
    assert result.exit_code == (1 if expected else 0), result.stdout
    problems = result.json()["problems"]
    assert len(problems) == len(expected), problems
    for problem, (kind, line, message) in zip(problems, expected, strict=True):
        assert (problem["file"], problem["kind"], problem["line"]) == (str(letter), kind, line)
        assert message in problem["message"]


def test_a_broken_letter_in_every_format(cli: Cli, tmp_path: Path, pylat: Any) -> None:
    letter = tmp_path / "ответ.j2"
    letter.write_text("{{ client.salutation }}\n\nОбращение расмотрено.\n{% if x %}\n", "utf-8")
    rich = cli("templates", "check", str(letter))
    assert rich.exit_code == 1
    text = " ".join(rich.stdout.split())
    assert f"{letter}:4 ошибка [syntax] незакрытый блок {{% if %}} — нет {{% endif %}}" in text
    assert "«расмотрено»" in text and "Шаблонов проверено: 1; ошибок: 2" in text
    github = cli("templates", "check", str(letter), "--format", "github")
    assert github.exit_code == 1
    syntax, spelling = github.stdout.splitlines()
    assert syntax == (
        f"::error file={letter},line=4,title=syntax::"
        "незакрытый блок {%25 if %25} — нет {%25 endif %25}"
    )
    assert spelling.startswith(
        f"::error file={letter},line=3,col=11,title=gate%3AMORFOLOGIK_RULE_RU_RU::«расмотрено»: "
    )
    latin1 = tmp_path / "latin1.j2"
    latin1.write_bytes(b"\xff\xfe\xfa")
    data = cli("templates", "check", str(latin1), "--format", "json").json()
    assert [(p["kind"], p["message"]) for p in data["problems"]] == [
        ("file", "файл не в кодировке UTF-8")
    ]


def test_workspace_letters_are_checked_without_a_path(cli: Cli, ws_root: Path, pylat: Any) -> None:
    folder = ws_root / "templates" / "letters"
    folder.mkdir(parents=True)
    (folder / "своё.j2").write_text("{{ client.salutation }}\n\nОбращение получено.\n", "utf-8")
    (folder / "answer.j2").write_text("{{ client.salutation }}\n\nВывод: {{ finding.verdict }}.\n")
    data = cli("templates", "check", "--format", "json")
    assert data.exit_code == 1
    checked = data.json()
    assert str(folder / "своё.j2") in checked["templates"]
    assert str(folder / "answer.j2") in checked["templates"]  # overrides the built-in one
    assert [(Path(p["file"]).name, p["line"]) for p in checked["problems"]] == [("answer.j2", 3)]
