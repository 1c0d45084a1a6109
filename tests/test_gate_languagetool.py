"""The `languagetool` engine against a small LanguageTool-protocol server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import Cli

# What the little server "knows" is misspelt, with its suggestions.
TYPOS = {"опаздал": ["опоздал"], "превет": ["привет"]}


def _match(text: str, start: int, word: str) -> dict[str, object]:
    return {
        "message": "Возможно, найдена орфографическая ошибка.",
        "shortMessage": "Орфографическая ошибка",
        "replacements": [{"value": v} for v in TYPOS[word.lower()]],
        "offset": start,
        "length": len(word),
        "context": {"text": text, "offset": start, "length": len(word)},
        "sentence": text,
        "rule": {
            "id": "MORFOLOGIK_RULE_RU_RU",
            "description": "Проверка орфографии",
            "issueType": "misspelling",
            "category": {"id": "TYPOS", "name": "Проверка орфографии"},
        },
    }


def _check(request: Request) -> Response:
    text = request.form["text"]
    assert request.form["language"] == "ru-RU"
    matches = [
        _match(text, m.start(), m.group())
        for m in re.finditer(r"\w+", text)
        if m.group().lower() in TYPOS
    ]
    body = {
        "software": {"name": "LanguageTool", "version": "6.4-test", "apiVersion": 1},
        "language": {"name": "Russian", "code": "ru-RU"},
        "matches": matches,
    }
    return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def lt_server(httpserver: HTTPServer) -> HTTPServer:
    languages = [{"name": "Russian", "code": "ru", "longCode": "ru-RU"}]
    httpserver.expect_request("/v2/languages").respond_with_json(languages)
    httpserver.expect_request("/v2/check", method="POST").respond_with_handler(_check)
    return httpserver


def test_check_through_server(
    cli: Cli, lt_server: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SRGCLI_LT_URL", lt_server.url_for("/"))
    letter = tmp_path / "letter.txt"
    letter.write_text("Превет! Оценщик опаздал, короче.", encoding="utf-8")
    result = cli("check", str(letter), "--engine", "languagetool", "--format", "json")
    assert result.exit_code == 1
    data = result.json()
    assert [(i["rule"], i["column"], i["replacements"]) for i in data["issues"]] == [
        ("MORFOLOGIK_RULE_RU_RU", 1, ["привет"]),
        ("MORFOLOGIK_RULE_RU_RU", 17, ["опоздал"]),
        ("SRG_SLANG", 26, []),  # srgcli's own rules run with every engine
    ]
    assert lt_server.get_matching_requests_count(lt_server.create_matcher("/v2/check")) >= 2


def test_url_from_config_and_cache_keyed_by_server_version(
    cli: Cli, lt_server: HTTPServer, ws_root: Path
) -> None:
    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'languagetool_url = ""', f'languagetool_url = "{lt_server.url_for("/")}"'
        ),
        encoding="utf-8",
    )
    first = cli("check", "-", "--engine", "languagetool", "--format", "json", input="Отчёт готов.")
    assert first.exit_code == 0, first.stderr
    assert first.json() == {"errors": 0, "warnings": 0, "issues": []}
    import sqlite3

    conn = sqlite3.connect(ws_root / "srgcli.db")
    assert conn.execute("select count(*) from gate_cache").fetchone()[0] == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server_exit_4(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRGCLI_LT_URL", f"http://127.0.0.1:{_free_port()}")
    result = cli("check", "-", "--engine", "languagetool", input="Отчёт готов.")
    assert result.exit_code == 4
    assert "Сервер LanguageTool" in result.stderr
    assert "Traceback" not in result.stderr


def test_server_speaking_another_protocol_exit_4(
    cli: Cli, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/v2/languages").respond_with_data("<html>nope</html>", 404)
    monkeypatch.setenv("SRGCLI_LT_URL", httpserver.url_for("/"))
    result = cli("check", "-", "--engine", "languagetool", input="Отчёт готов.")
    assert result.exit_code == 4


def test_no_url_configured_is_a_usage_error(cli: Cli) -> None:
    result = cli("check", "-", "--engine", "languagetool", input="Отчёт готов.")
    assert result.exit_code == 2
    assert "languagetool_url" in result.stderr


def test_api_credentials_sent_from_environment(
    cli: Cli, lt_server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SRGCLI_LT_URL", lt_server.url_for("/"))
    monkeypatch.setenv("SRGCLI_LT_USERNAME", "executor@example.ru")
    monkeypatch.setenv("SRGCLI_LT_API_KEY", "secret-key")
    assert cli("check", "-", "--engine", "languagetool", input="Отчёт готов.").exit_code == 0
    checks = [r for r, _ in lt_server.log if r.path == "/v2/check"]
    assert checks
    assert all(r.form.get("username") == "executor@example.ru" for r in checks)
    assert all(r.form.get("apiKey") == "secret-key" for r in checks)
