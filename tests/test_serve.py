"""`srgcli serve`: LanguageTool's HTTP API over the gate, for LibreOffice, editors and
language_tool_python, and the workspace's own commands checking through a warm server."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from srgcli.gate.ltapi import MAX_TEXT_CHARS, AnnotatedText, utf16_length
from srgcli.gate.remote import read_record, record_path
from srgcli.gate.server import GateService, is_loopback, make_server
from srgcli.workspace import create_workspace, open_workspace
from tests.builders import add_ticket
from tests.conftest import Cli

# An emoji (two UTF-16 units, one Python character) before a misspelling.
TEXT = "Оценщик 😀 опаздал на осмотр."
TYPO = "опаздал"
UNKNOWN = "Отчёт загружен в систему оценкомплекс вчера."


@dataclass
class Served:
    """A server on a free loopback port, serving a workspace, run by the test in a thread."""

    root: Path
    url: str
    service: GateService


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("serve") / "ws"
    create_workspace(root).close()
    service = GateService.open(root)
    server = make_server(service, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(root, f"http://127.0.0.1:{server.server_address[1]}", service)
    server.shutdown()
    server.server_close()


def post(url: str, body: bytes, content_type: str) -> tuple[int, str, str]:
    """POST `body`; the status, content type and text of the answer."""
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


def check(url: str, **fields: str) -> tuple[int, Any]:
    """A form-encoded /v2/check; the status and the parsed JSON (or the error text)."""
    body = urllib.parse.urlencode(fields).encode()
    status, _type, text = post(url + "/v2/check", body, "application/x-www-form-urlencoded")
    return status, json.loads(text) if status == 200 else text


def test_language_tool_python_gets_the_gates_matches(served: Served) -> None:
    import language_tool_python

    tool = language_tool_python.LanguageTool("ru-RU", remote_server=served.url)
    found = [(m.rule_id, m.offset, m.error_length, m.replacements[:1]) for m in tool.check(TEXT)]
    expected = served.service.check(TEXT, (), frozenset(), None, count=False).issues
    # The client turns offsets back into Python characters, not lengths: an emoji's length
    # stays 2 (UTF-16 units), as with a LanguageTool server.
    assert found == [
        (i.rule, i.offset, utf16_length(TEXT[i.offset : i.end]), list(i.replacements[:1]))
        for i in expected
    ]
    assert ("SRG_EMOJI", 8, 2, []) in found
    assert any(TEXT[o : o + n] == TYPO and r == ["опоздал"] for _, o, n, r in found)


def test_a_form_request_as_libreoffice_sends_it_gets_utf16_offsets(served: Served) -> None:
    body = ("text=" + urllib.parse.quote(TEXT) + "&language=ru-RU").encode()
    status, content_type, text = post(
        served.url + "/v2/check", body, "application/x-www-form-urlencoded"
    )
    assert status == 200 and content_type.startswith("application/json")
    answer = json.loads(text)
    assert answer["language"]["code"] == "ru-RU"
    typo = next(m for m in answer["matches"] if m["rule"]["category"]["id"] == "TYPOS")
    # LanguageTool counts UTF-16 units: the emoji before the word counts twice.
    assert typo["offset"] == TEXT.index(TYPO) + 1 and typo["length"] == len(TYPO)
    assert typo["replacements"][0] == {"value": "опоздал"}
    assert typo["rule"]["issueType"] == "misspelling" and typo["message"]
    context = typo["context"]
    assert (
        context["text"]
        .encode("utf-16-le")[2 * context["offset"] : 2 * (context["offset"] + context["length"])]
        .decode("utf-16-le")
        == TYPO
    )
    assert typo["sentence"] == TEXT


def test_data_markup_offsets_point_into_the_original_document(served: Served) -> None:
    annotation = [
        {"markup": "<p>"},
        {"text": "Здравствуйте!"},
        {"markup": "<br/>", "interpretAs": "\n"},
        {"text": "Оценщик "},
        {"markup": '<span class="x">'},
        {"text": TYPO},
        {"markup": "</span>"},
        {"text": " на осмотр."},
        {"markup": "</p>", "interpretAs": "\n\n"},
    ]
    original = "".join(part.get("text", part.get("markup", "")) for part in annotation)
    status, answer = check(served.url, data=json.dumps({"annotation": annotation}), language="ru")
    assert status == 200
    typo = next(m for m in answer["matches"] if m["rule"]["category"]["id"] == "TYPOS")
    assert original[typo["offset"] : typo["offset"] + typo["length"]] == TYPO
    assert '<span class="x">' + TYPO in typo["context"]["text"]


@pytest.mark.parametrize(
    ("parts", "plain", "span", "expected"),
    [
        ([{"text": "аб"}, {"markup": "<b>"}, {"text": "вг"}], "абвг", (2, 4), (5, 7)),
        (
            [{"text": "а"}, {"markup": "<br>", "interpretAs": "\n"}, {"text": "б"}],
            "а\nб",
            (1, 2),
            (1, 5),
        ),
        ([{"markup": "<i>"}, {"text": "аб"}, {"markup": "</i>"}], "аб", (0, 2), (3, 5)),
    ],
)
def test_annotated_text_maps_plain_spans_to_the_original(
    parts: list[dict[str, str]], plain: str, span: tuple[int, int], expected: tuple[int, int]
) -> None:
    text = AnnotatedText.from_data(json.dumps({"annotation": parts}))
    assert text.plain == plain
    assert text.original_span(*span) == expected


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_length("а😀б") == 4 and utf16_length("абв") == 3


def test_a_workspace_dictionary_word_is_accepted_without_a_restart(served: Served) -> None:
    def flagged() -> list[str]:
        status, answer = check(served.url, text=UNKNOWN, language="ru-RU")
        assert status == 200
        return [
            m["context"]["text"][m["context"]["offset"] :][: m["length"]] for m in answer["matches"]
        ]

    assert flagged() == ["оценкомплекс"]
    with open_workspace(served.root) as ws:
        from srgcli.gate.dictionary import add_words, remove_words

        add_words(ws.conn, ["оценкомплекс"])
        try:
            assert flagged() == []
        finally:
            remove_words(ws.conn, ["оценкомплекс"])


def test_a_ticket_named_in_the_request_has_its_names_accepted(served: Served) -> None:
    with open_workspace(served.root) as ws:
        ticket = add_ticket(ws, id="2026-000777", client_name="Шнайдерманн Ирина Павловна")
    text = "Шнайдерманн И. П. получила ответ."
    assert check(served.url, text=text, language="ru-RU")[1]["matches"]
    status, answer = check(served.url, text=text, language="ru-RU", ticket=ticket)
    assert status == 200 and answer["matches"] == []
    status, message = check(served.url, text=text, language="ru-RU", ticket="2026-999999")
    assert status == 400 and "no such ticket" in message


def test_rule_options_as_languagetool_reads_them(served: Served) -> None:
    status, answer = check(served.url, text=TEXT, language="auto")
    rules = {m["rule"]["id"] for m in answer["matches"]}
    assert status == 200 and {"SRG_EMOJI"} < rules
    _, only = check(
        served.url, text=TEXT, language="ru-RU", enabledRules="SRG_EMOJI", enabledOnly="true"
    )
    assert [m["rule"]["id"] for m in only["matches"]] == ["SRG_EMOJI"]
    _, without = check(served.url, text=TEXT, language="ru-RU", disabledRules="SRG_EMOJI")
    assert {m["rule"]["id"] for m in without["matches"]} == rules - {"SRG_EMOJI"}
    _, no_typos = check(served.url, text=TEXT, language="ru-RU", disabledCategories="TYPOS")
    assert all(m["rule"]["category"]["id"] != "TYPOS" for m in no_typos["matches"])


def test_languages_lists_russian(served: Served) -> None:
    with urllib.request.urlopen(served.url + "/v2/languages", timeout=30) as response:
        assert json.loads(response.read()) == [
            {"name": "Russian", "code": "ru", "longCode": "ru-RU"}
        ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"text=%D0%90", "Missing 'language'"),
        (b"language=en-US&text=Hello", "Russian only"),
        (b"language=ru-RU", "Missing 'text' or 'data'"),
        (b"language=ru-RU&text=a&data=%7B%7D", "not both"),
        (b"language=ru-RU&data=%7Bnot+json", "not valid JSON"),
        (b"language=ru-RU&data=%5B%5D", "'annotation' list"),
        (b"language=ru-RU&data=%7B%22annotation%22%3A%5B%7B%22x%22%3A1%7D%5D%7D", "'markup'"),
        (b"language=ru-RU&text=a&enabledOnly=true", "enabledOnly"),
        (b"language=ru-RU&text=a&level=extreme", "'level'"),
        (b"language=ru-RU&text=%FF%FE", "malformed"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_malformed_request_gets_400_and_the_server_keeps_serving(
    served: Served, body: bytes, message: str
) -> None:
    status, content_type, text = post(
        served.url + "/v2/check", body, "application/x-www-form-urlencoded"
    )
    assert status == 400 and content_type.startswith("text/plain")
    assert text.startswith("Error:") and message in text
    assert check(served.url, text="Добрый день.", language="ru-RU")[0] == 200


def test_a_client_that_hangs_up_early_does_not_stop_the_server(served: Served) -> None:
    import socket

    body = urllib.parse.urlencode({"text": TEXT * 20, "language": "ru-RU"}).encode()
    port = int(served.url.rsplit(":", 1)[1])
    for cut in (len(body), len(body) // 2):  # gone before the answer; gone mid-request
        with socket.create_connection(("127.0.0.1", port)) as sock:
            head = f"POST /v2/check HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
            sock.sendall(head.encode() + b"\r\n" + body[:cut])
    assert check(served.url, text="Добрый день.", language="ru-RU")[0] == 200


def test_too_much_text_gets_413(served: Served) -> None:
    status, text = check(served.url, text="а" * (MAX_TEXT_CHARS + 1), language="ru-RU")
    assert status == 413 and "exceeds the limit" in text
    status, _type, text = post(served.url + "/v2/check", b"x" * 2_100_000, "text/plain")
    assert status == 413
    assert post(served.url + "/nowhere", b"", "text/plain")[0] == 404
    assert check(served.url, text="Добрый день.", language="ru-RU")[0] == 200


def test_four_clients_at_once_all_get_their_answers(served: Served) -> None:
    texts = [TEXT, UNKNOWN, "Добрый день! Отчёт готов.", "Короче, оценщик опаздал!!!"]
    alone = [check(served.url, text=t, language="ru-RU")[1]["matches"] for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: check(served.url, text=t, language="ru-RU"), texts))
    assert [status for status, _ in together] == [200] * 4
    assert [answer["matches"] for _, answer in together] == alone


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8081"),
        ("0.0.0.0", "http://127.0.0.1:8081"),
        ("::", "http://[::1]:8081"),
        ("192.168.1.5", "http://192.168.1.5:8081"),
    ],
)
def test_the_recorded_address_is_reachable_from_this_machine(host: str, url: str) -> None:
    from srgcli.gate.remote import ServerRecord

    assert ServerRecord(1, host, 8081, "").url == url


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
    ],
)
def test_only_loopback_addresses_count_as_private(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_light_commands_do_not_import_the_server(ws_root: Path) -> None:
    probe = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from srgcli.cli.app import build_app\n"
        "for args in (['--version'], ['--workspace', sys.argv[1], 'list']):\n"
        "    assert CliRunner().invoke(build_app(args[-1]), args).exit_code == 0\n"
        "print(json.dumps(sorted(m for m in sys.modules if m in "
        "('http.server', 'srgcli.gate.server', 'srgcli.gate.remote', 'urllib.request'))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(ws_root)], capture_output=True, text=True, check=True
    )
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_a_get_request_works_as_with_languagetool(served: Served) -> None:
    query = urllib.parse.urlencode({"text": TEXT, "language": "ru-RU"})
    for path in ("/v2/check", "/check", "/v2//check"):  # base URLs with or without /v2
        with urllib.request.urlopen(f"{served.url}{path}?{query}", timeout=120) as response:
            answer = json.loads(response.read())
        assert any(m["rule"]["id"] == "SRG_EMOJI" for m in answer["matches"])


def test_a_busy_port_is_a_usage_error(cli: Cli) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = cli("serve", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 2 and "занят" in result.stderr
    assert not record_path(cli.root or Path()).exists()


def test_serve_options_exclude_each_other(cli: Cli) -> None:
    result = cli("serve", "--status", "--stop")
    assert result.exit_code == 2 and "только одно" in result.stderr
    status = cli("serve", "--status", "--json")
    assert status.exit_code == 1 and status.json()["running"] is False
    assert cli("serve", "--stop").exit_code == 0


@pytest.fixture
def detached(ws_root: Path) -> Iterator[Cli]:
    """The workspace with `srgcli serve --detach` running (on a free port); killed after."""
    cli = Cli(ws_root)
    result = cli("serve", "--detach", "--port", "0")
    assert result.exit_code == 0, result.stderr
    record = read_record(ws_root)
    assert record is not None
    yield cli
    with contextlib.suppress(ProcessLookupError):
        os.kill(record.pid, signal.SIGKILL)


def _checks(cli: Cli) -> int:
    status = cli("serve", "--status", "--json")
    return int(status.json()["checks"]) if status.exit_code == 0 else -1


def test_commands_use_the_detached_server_and_fall_back_when_it_is_killed(
    detached: Cli, ws_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = detached
    status = cli("serve", "--status", "--json").json()
    assert status["running"] is True and status["url"].startswith("http://127.0.0.1:")
    assert status["current"] is True
    assert cli("serve", "--detach", "--port", "0").exit_code == 3  # one server per workspace

    letter = "Уважаемый клиент!\n\nОценщик 😀 опаздал на осмотр, Иванов недоволен.\n"
    before = _checks(cli)
    through_server = cli("check", "-", "--format", "json", input=letter)
    assert through_server.exit_code == 1 and _checks(cli) == before + 1
    monkeypatch.setenv("SRGCLI_SERVE", "off")
    in_process = cli("check", "-", "--format", "json", input=letter)
    assert _checks(cli) == before + 1
    assert in_process.stdout == through_server.stdout and in_process.exit_code == 1
    monkeypatch.delenv("SRGCLI_SERVE")

    with open_workspace(ws_root) as ws:
        ticket = add_ticket(ws)
    call = ("--channel", "phone", "--direction", "out", "--outcome", "reached")
    logged = cli("contact-log", "add", ticket, *call, "--summary", "Обсудили сроки осмотра.")
    assert logged.exit_code == 0, logged.stderr
    assert _checks(cli) == before + 2

    record = read_record(ws_root)
    assert record is not None
    os.kill(record.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while cli("serve", "--status").exit_code == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record_path(ws_root).exists()  # the stale record is simply ignored
    fallback = cli("check", "-", "--format", "json", input=letter)
    assert fallback.stdout == through_server.stdout and fallback.exit_code == 1
    assert cli("serve", "--status").exit_code == 1
    assert cli("serve", "--stop").exit_code == 0 and not record_path(ws_root).exists()


def test_stop_shuts_the_detached_server_down(detached: Cli, ws_root: Path) -> None:
    record = read_record(ws_root)
    assert record is not None
    result = detached("serve", "--stop")
    assert result.exit_code == 0 and str(record.pid) in result.stderr
    assert not record_path(ws_root).exists()
    assert detached("serve", "--status").exit_code == 1
    log = (ws_root / "srgcli-serve.log").read_text("utf-8")
    assert "GET /srgcli/health 200" in log and "опаздал" not in log


def test_ctrl_c_stops_a_foreground_server_cleanly(ws_root: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "srgcli", "--workspace", str(ws_root), "serve", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while read_record(ws_root) is None and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        record = read_record(ws_root)
        assert record is not None and record.pid == process.pid
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "слушает" in err and "Traceback" not in err
    assert not record_path(ws_root).exists()


def _servers(root: Path) -> list[int]:
    """Ids of the `srgcli serve` processes (not `--detach` starters) of the workspace."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ours = str(root).encode() in arguments and b"serve" in arguments
        if ours and b"--detach" not in arguments and entry.name.isdigit():
            found.append(int(entry.name))
    return found


def _kill_all(root: Path) -> None:
    for pid in _servers(root):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_two_detaches_at_once_start_one_server(ws_root: Path) -> None:
    argv = [sys.executable, "-m", "srgcli", "--workspace", str(ws_root), "--no-input"]
    argv += ["serve", "--detach", "--port", "0"]
    try:
        starters = [
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        results = sorted((p.wait(timeout=300), p.communicate()[1]) for p in starters)
        assert [code for code, _ in results] == [0, 3], results
        record = read_record(ws_root)
        assert record is not None and _servers(ws_root) == [record.pid]
        assert "уже запущен" in results[1][1] and str(record.pid) in results[1][1]
        assert Cli(ws_root)("serve", "--stop").exit_code == 0
        assert _servers(ws_root) == [] and not record_path(ws_root).exists()
    finally:
        _kill_all(ws_root)


def test_stop_stops_a_server_too_busy_to_answer(
    detached: Cli, ws_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from srgcli.gate import daemon
    from srgcli.gate.remote import pid_alive

    record = read_record(ws_root)
    assert record is not None
    os.kill(record.pid, signal.SIGSTOP)  # it answers nothing, not even its health request
    monkeypatch.setattr(daemon, "STOP_TIMEOUT", 1.0)
    result = detached("serve", "--stop")
    assert result.exit_code == 0 and str(record.pid) in result.stderr
    assert not pid_alive(record.pid) and not record_path(ws_root).exists()


def test_stop_leaves_a_process_that_is_not_the_server_alone(ws_root: Path) -> None:
    from srgcli.gate.remote import ServerRecord, pid_alive, write_record

    other = subprocess.Popen(["sleep", "60"])  # got the id of a server long gone
    try:
        write_record(ws_root, ServerRecord(other.pid, "127.0.0.1", 1, ""))
        assert Cli(ws_root)("serve", "--stop").exit_code == 0
        assert pid_alive(other.pid) and not record_path(ws_root).exists()
    finally:
        other.kill()
        other.wait()


def test_a_detached_server_too_slow_to_start_is_stopped_and_unrecorded(
    cli: Cli, ws_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from srgcli.gate import daemon

    monkeypatch.setattr(daemon, "START_TIMEOUT", 0.3)
    try:
        result = cli("serve", "--detach", "--port", "0")
        assert result.exit_code == 4 and "остановлен" in result.stderr
        assert _servers(ws_root) == [] and not record_path(ws_root).exists()
    finally:
        _kill_all(ws_root)


def test_a_check_answers_at_once_while_another_command_writes(served: Served) -> None:
    from srgcli.workspace.db import transaction

    text = "Оценщик опаздал на осмотр квартиры в четверг, клиент ждал у подъезда."
    with open_workspace(served.root) as ws, transaction(ws.conn):  # as `fetch` holds it
        started = time.monotonic()
        status, answer = check(served.url, text=text, language="ru-RU")
        waited = time.monotonic() - started
    assert status == 200 and waited < 10  # not the writer's 60 s busy timeout
    assert check(served.url, text=text, language="ru-RU") == (status, answer)


def test_a_failed_record_write_leaves_no_temporary_file(ws_root: Path) -> None:
    from srgcli.gate.remote import ServerRecord, write_record

    record_path(ws_root).mkdir()  # the record cannot replace a folder
    with pytest.raises(OSError):
        write_record(ws_root, ServerRecord(os.getpid(), "127.0.0.1", 1, ""))
    assert not [p for p in ws_root.iterdir() if p.name.startswith(".srgcli-serve.json")]
