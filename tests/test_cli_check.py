"""`srgcli check` and `srgcli dict` end to end: formats, files, exit codes, workspace or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from srgcli.gate.fix import Edit, apply_edits
from srgcli.workspace import open_workspace
from srgcli.workspace.db import transaction
from srgcli.workspace.writes import insert_ticket
from tests.conftest import Cli

CLEAN = "Уважаемая Ирина Павловна!\nОтчёт об оценке подготовлен и направлен Вам.\n"
DIRTY = "Добрый день.\nОценщик опаздал на осмотр, короче.\n"


# Every test here runs the real pylat-ru, loaded once per session.
pytestmark = pytest.mark.usefixtures("pylat")


def test_clean_text_exit_0(cli: Cli) -> None:
    result = cli("check", "-", "--format", "json", input=CLEAN)
    assert result.exit_code == 0, result.stderr
    assert result.json() == {"errors": 0, "warnings": 0, "issues": []}


def test_json_shape_and_positions(cli: Cli) -> None:
    result = cli("check", "-", "--format", "json", input=DIRTY)
    assert result.exit_code == 1
    data = result.json()
    assert (data["errors"], data["warnings"]) == (2, 0)
    first, second = data["issues"]
    assert first == {
        "rule": "MORFOLOGIK_RULE_RU_RU",
        "category": "spelling",
        "severity": "error",
        "message": first["message"],
        "line": 2,
        "column": 9,
        "offset": 21,
        "length": 7,
        "replacements": first["replacements"],
        "file": "-",
    }
    assert DIRTY[first["offset"] : first["offset"] + first["length"]] == "опаздал"
    assert "опоздал" in first["replacements"]
    assert (second["rule"], second["category"], second["line"]) == ("SRG_SLANG", "etiquette", 2)


def test_warnings_only_exit_0(cli: Cli) -> None:
    result = cli("check", "-", "--format", "json", input="Прошу вас перезвонить.")
    assert result.exit_code == 0
    assert result.json()["warnings"] == 1


def test_github_format(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "письмо.md"
    path.write_text(DIRTY, encoding="utf-8")
    result = cli("check", str(path), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"::error file={path},line=2,col=9,title=MORFOLOGIK_RULE_RU_RU::")
    assert "«опоздал»" in lines[0]
    assert lines[1].startswith(f"::error file={path},line=2,col=28,title=SRG_SLANG::")


def test_rich_format_underlines(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(DIRTY, encoding="utf-8")
    result = cli("check", str(path))
    assert result.exit_code == 1
    assert f"{path}:2:9 ошибка [MORFOLOGIK_RULE_RU_RU]" in result.stdout
    assert "    Оценщик опаздал на осмотр, короче." in result.stdout
    assert "            ^^^^^^^" in result.stdout
    assert "«опоздал»" in result.stdout
    assert "Ошибок: 2, предупреждений: 0. Движок pylat 0.1.0a0" in result.stdout


def test_docx_paragraphs_tables_headers_footers(cli: Cli, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Заголовок с ошибкой: превет."
    document.add_paragraph("Отчёт готов.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Оценщик"
    table.cell(0, 1).text = "опаздал"
    document.sections[0].footer.paragraphs[0].text = "Короче, всё."
    path = tmp_path / "report.docx"
    document.save(str(path))
    result = cli("check", str(path), "--format", "json")
    assert result.exit_code == 1
    flagged = [(i["line"], i["rule"]) for i in result.json()["issues"]]
    assert flagged == [
        (1, "MORFOLOGIK_RULE_RU_RU"),  # header
        (4, "MORFOLOGIK_RULE_RU_RU"),  # table cell
        (5, "SRG_SLANG"),  # footer
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "нет-такого.txt"), "не найден"),
        (("check", "-", "--format", "xml"), "xml"),
        (("check", "-", "--engine", "word"), "word"),
        (("check", "-", "--fix"), "терминале"),
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli(*args, input="Текст.")
    assert result.exit_code == 2
    assert message in result.stderr


def test_broken_docx_exit_2(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip")
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert "DOCX" in result.stderr


def test_outside_workspace_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = Cli(None)("check", "-", "--format", "json", input=DIRTY, workspace=False)
    assert result.exit_code == 1
    assert result.json()["errors"] == 2
    assert not (tmp_path / "srgcli.db").exists()


def test_inside_workspace_caches(cli: Cli, ws_root: Path) -> None:
    assert cli("check", "-", input=DIRTY).exit_code == 1
    conn = open_workspace(ws_root).conn
    assert conn.execute("select count(*) from gate_cache").fetchone()[0] == 2
    assert cli("check", "-", input=DIRTY).exit_code == 1
    assert conn.execute("select count(*) from gate_cache").fetchone()[0] == 2


def test_ticket_words_accepted_with_ticket_option(cli: Cli, ws_root: Path) -> None:
    ws = open_workspace(ws_root)
    with transaction(ws.conn):
        insert_ticket(
            ws.conn,
            {"id": "2026-000777", "client_name": "Шнайдерманн Ирина Павловна"},
            command="test",
        )
    ws.close()
    text = "Шнайдерманн И. П. получила ответ.\n"
    assert cli("check", "-", input=text).exit_code == 1
    result = cli("check", "-", "--ticket", "2026-000777", input=text)
    assert result.exit_code == 0, result.stdout
    assert cli("check", "-", "--ticket", "2026-999999", input=text).exit_code != 0


def test_dict_commands(cli: Cli) -> None:
    text = "Шнайдерманн получила ответ.\n"
    assert cli("check", "-", input=text).exit_code == 1
    added = cli("dict", "add", "Шнайдерманн", "Росреестр")
    assert added.exit_code == 0
    assert "Добавлено в словарь: Шнайдерманн, Росреестр" in added.stderr
    assert cli("dict", "add", "Росреестр").stderr.startswith("Уже были в словаре")
    assert cli("dict", "list", "--json").json() == ["Росреестр", "Шнайдерманн"]
    assert cli("dict", "list").stdout.split() == ["Росреестр", "Шнайдерманн"]
    assert cli("check", "-", input=text).exit_code == 0
    assert cli("dict", "remove", "Шнайдерманн").exit_code == 0
    assert cli("dict", "list", "--json").json() == ["Росреестр"]
    assert cli("check", "-", input=text).exit_code == 1


def test_dict_rejects_non_words_and_writes_nothing(cli: Cli) -> None:
    result = cli("dict", "add", "Хорошее", "два слова")
    assert result.exit_code == 2
    assert cli("dict", "list", "--json").json() == []


def test_dict_needs_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Cli(None)("dict", "list", workspace=False).exit_code == 2


def test_disabled_rules_from_config(cli: Cli, ws_root: Path) -> None:
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "disabled_rules = []", 'disabled_rules = ["SRG_SLANG"]'
        ),
        encoding="utf-8",
    )
    result = cli("check", "-", "--format", "json", input=DIRTY)
    assert [i["rule"] for i in result.json()["issues"]] == ["MORFOLOGIK_RULE_RU_RU"]


def test_apply_edits() -> None:
    text = "Оценщик опаздал  на осмотр."
    fixed = apply_edits(text, [Edit(8, 7, "опоздал"), Edit(15, 2, " "), Edit(9, 1, "x")])
    assert fixed == "Оценщик опоздал на осмотр."


def test_no_argument_reads_stdin(cli: Cli) -> None:
    result = cli("check", "--format", "json", input=DIRTY)
    assert result.exit_code == 1
    assert result.json()["errors"] == 2
