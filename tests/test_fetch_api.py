"""`srgcli fetch` with no files: the ИС API, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from srgcli.fetch.remote import STATE_LAST_FETCH, fetch_from_is
from srgcli.isapi import retry_after
from srgcli.workspace import open_workspace, reads
from tests.builders import configure_is, table_dump, ticket_record
from tests.conftest import Cli


@pytest.fixture
def is_cli(cli: Cli, ws_root: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The CLI with the ИС pointed at the local test server and a token in the environment."""
    monkeypatch.setenv("SRGCLI_IS_TOKEN", "secret-token")
    configure_is(ws_root, httpserver.url_for("").rstrip("/"), page_size=2, retries=2, timeout=5)
    return cli


def _tickets(n: int, start: int = 1) -> list[dict[str, Any]]:
    return [ticket_record(f"2026-{i:06d}") for i in range(start, start + n)]


def test_paged_listing_history_and_token(is_cli: Cli, httpserver: HTTPServer) -> None:
    pages = {1: _tickets(2), 2: _tickets(2, 3), 3: _tickets(1, 5)}
    auth = {"Authorization": "Bearer secret-token"}
    for page, items in pages.items():
        httpserver.expect_oneshot_request(
            "/api/tickets",
            query_string={"page": str(page), "page_size": "2"},
            headers=auth,
        ).respond_with_json({"tickets": items})
    httpserver.expect_request("/api/orders/ОЦ-003/history").respond_with_json(
        [{"at": "2026-10-27T11:02:00+03:00", "kind": "заказ создан"}]
    )
    httpserver.expect_request("/api/orders/ОЦ-001/history").respond_with_json(
        {"history": [{"at": "2026-10-28T11:02:00+03:00", "kind": "оплачено"}]}
    )
    httpserver.expect_request("/api/orders/ОЦ-002/history").respond_with_data(
        "not found", status=404
    )
    httpserver.expect_request("/api/orders/ОЦ-004/history").respond_with_json([])
    httpserver.expect_request("/api/orders/ОЦ-005/history").respond_with_json([])
    result = is_cli("fetch", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["new"] == 5
    httpserver.check_assertions()
    shown = is_cli("show", "2026-000003", "--json").json()
    assert shown["source"] == "is"
    assert [e["kind"] for e in shown["events"]] == ["order_created"]
    assert [e["kind"] for e in is_cli("show", "2026-000001", "--json").json()["events"]] == [
        "payment_received"
    ]


def test_since_is_the_last_successful_fetch(
    is_cli: Cli, ws_root: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_ordered_request(
        "/api/tickets", query_string={"page": "1", "page_size": "2"}
    ).respond_with_json([])
    assert is_cli("fetch").exit_code == 0
    with open_workspace(ws_root) as ws:
        stamp = reads.get_state(ws, STATE_LAST_FETCH)
    assert stamp == "2026-11-25T10:00:00+03:00"
    httpserver.expect_ordered_request(
        "/api/tickets", query_string={"page": "1", "page_size": "2", "since": stamp}
    ).respond_with_json({"tickets": [], "next": None})
    assert is_cli("fetch").exit_code == 0
    httpserver.check_assertions()


def test_401_is_a_clear_error_and_writes_nothing(
    is_cli: Cli, ws_root: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/api/tickets").respond_with_data("no", status=401)
    before = table_dump(ws_root / "srgcli.db")
    result = is_cli("fetch")
    assert result.exit_code == 4
    assert "отказала в доступе" in result.stderr
    assert "SRGCLI_IS_TOKEN" in result.stderr
    assert "secret-token" not in result.stderr
    assert table_dump(ws_root / "srgcli.db") == before


def test_500_then_success_is_retried(is_cli: Cli, httpserver: HTTPServer) -> None:
    # Retry-After: 0, so that the retry does not wait out the backoff.
    httpserver.expect_oneshot_request("/api/tickets").respond_with_data(
        "oops", status=500, headers={"Retry-After": "0"}
    )
    httpserver.expect_request("/api/tickets").respond_with_json(_tickets(1))
    httpserver.expect_request("/api/orders/ОЦ-001/history").respond_with_json([])
    result = is_cli("fetch", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["new"] == 1


def test_failure_on_a_later_page_writes_nothing(
    is_cli: Cli, ws_root: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request(
        "/api/tickets", query_string={"page": "1", "page_size": "2"}
    ).respond_with_json(_tickets(2))
    httpserver.expect_request("/api/tickets").respond_with_data("<html>oops</html>")
    for order in ("ОЦ-001", "ОЦ-002"):
        httpserver.expect_request(f"/api/orders/{order}/history").respond_with_json([])
    before = table_dump(ws_root / "srgcli.db")
    result = is_cli("fetch")
    assert result.exit_code == 4
    assert "не в формате JSON" in result.stderr
    assert table_dump(ws_root / "srgcli.db") == before


def test_timeout_is_an_external_failure(is_cli: Cli, ws_root: Path, httpserver: HTTPServer) -> None:
    # 1 s, the shortest timeout the config takes (a whole number of seconds).
    configure_is(ws_root, httpserver.url_for("").rstrip("/"), timeout=1, retries=0)
    answered = threading.Event()

    def silent(request: Request) -> Response:
        # No answer until the client has given up (or 10 s, should it never): no sleep.
        answered.wait(10)
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/api/tickets").respond_with_handler(silent)
    try:
        result = is_cli("fetch")
    finally:
        answered.set()
    assert result.exit_code == 4
    assert "не ответила за 1 с" in result.stderr


def test_unreachable_is_an_external_failure(cli: Cli, ws_root: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Credentials and a query in the address are never printed.
    configure_is(ws_root, f"http://user:pa55word@127.0.0.1:{port}/api?key=s3cret", retries=0)
    result = cli("fetch")
    assert result.exit_code == 4
    assert f"ИС недоступна: http://***@127.0.0.1:{port}/api" in result.stderr
    assert "pa55word" not in result.stderr and "s3cret" not in result.stderr


def test_retry_after_is_honoured(ws_root: Path, httpserver: HTTPServer) -> None:
    configure_is(ws_root, httpserver.url_for("").rstrip("/"), retries=3, history_path='""')
    httpserver.expect_ordered_request("/api/tickets").respond_with_data(
        "busy", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/api/tickets").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/api/tickets").respond_with_json(_tickets(1))
    waits: list[float] = []
    with open_workspace(ws_root) as ws:
        summary = fetch_from_is(ws, sleep=waits.append)
    assert summary.new == 1
    assert waits == [7.0, 1.0]  # Retry-After, then the backoff of the second attempt


def test_retry_after_header_forms() -> None:
    assert retry_after("3") == 3.0
    assert retry_after(None) is None
    assert retry_after("soon") is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    # An HTTP date counts from the project's clock (pinned at 25.11.2026 10:00 Moscow time).
    assert retry_after("Wed, 25 Nov 2026 07:00:30 GMT") == 30.0
