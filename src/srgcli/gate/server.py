"""`srgcli serve`: the gate as a local server speaking LanguageTool's HTTP API (for
LibreOffice, editors, language_tool_python) and a private JSON call for srgcli's own commands.

Standard library only (`http.server`): a handful of routes on the loopback interface do not
need a framework, and nothing here is imported unless `serve` runs.

Threads: each request gets a thread, but the checks themselves take turns under one lock. The
engines are pure Python and CPU-bound, so under the GIL parallel checks would not be faster;
pylat-ru does not document thread safety; and an engine per worker would cost ~240 MB each.
Requests therefore queue for the warm engine (parsing and answering run in parallel).

Privacy: the log names method, path and status only, never a query string or a body.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from srgcli.gate.ltapi import ApiError, check_response, languages_response, parse_check
from srgcli.gate.remote import GATE_PATH, HEALTH_PATH

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable

    from srgcli.gate.issue import Engine, GateResult

# Bytes of request body read at most; a larger body is answered 413 unread.
MAX_BODY_BYTES = 2_000_000
DRAIN_BYTES = 32_000_000  # a larger one is not even read away: the connection is closed
WARM_UP_TEXT = "Добрый день! Оценщик приедет на осмотр квартиры в среду."
# Milliseconds a check waits for the database's write lock to cache its result; then it skips.
CACHE_WRITE_WAIT_MS = 200

T = TypeVar("T")

log = logging.getLogger("srgcli.serve")


@dataclass
class GateService:
    """The gate the server answers with: one warm engine for every request, used in turn, and
    one connection to the workspace's database, both used on the service's own thread only
    (an sqlite3 connection belongs to the thread that opened it)."""

    root: Path | None
    engine: Engine
    configured_disabled: frozenset[str]
    config: Any = None
    code: str = ""
    checks: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _worker: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    _conn: sqlite3.Connection | None = field(default=None, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)

    @classmethod
    def open(cls, root: Path | None) -> GateService:
        """The service for the workspace in `root` (its engine and disabled rules as
        configured), or with the defaults when `root` is None."""
        from srgcli.gate.engine import CheckerSettings, make_engine
        from srgcli.gate.remote import code_fingerprint
        from srgcli.workspace.config import CONFIG_NAME, load_config

        config = load_config(root / CONFIG_NAME) if root is not None else None
        settings = CheckerSettings.of(config)
        engine = make_engine(settings.engine, settings.languagetool_url)
        return cls(root, engine, settings.disabled_rules, config, code_fingerprint())

    def _call(self, function: Callable[[], T]) -> T:
        """`function()` on the service's thread, one call at a time (the callers queue)."""
        with self.lock:
            if self._closed:
                raise ApiError(503, "Error: the server is stopping.")
            if self._worker is None:
                self._worker = ThreadPoolExecutor(1, thread_name_prefix="srgcli-gate")
            return self._worker.submit(function).result()

    def close(self) -> None:
        """Close the database connection once the check at hand is done; later calls get 503."""
        self._closed = True
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.submit(self._close_connection)
            worker.shutdown(wait=False)

    def _close_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self) -> sqlite3.Connection | None:
        """The workspace's database, opened on first use (on the service's thread)."""
        if self.root is None:
            return None
        if self._conn is None:
            from srgcli.workspace.db import DB_NAME, connect

            self._conn = connect(self.root / DB_NAME, migrate=False)
        return self._conn

    def warm_up(self) -> None:
        """Load the engine and the rules now, so the first request is answered warm (without
        the cache: a cached warm-up sentence would load nothing)."""
        from srgcli.gate.engine import Gate

        gate = Gate(self.engine, disabled_rules=self.configured_disabled)
        self._call(lambda: gate.check(WARM_UP_TEXT))

    def check(
        self,
        text: str,
        context: Iterable[str],
        disabled: frozenset[str],
        dictionary: frozenset[str] | None,
        *,
        ticket: str | None = None,
        count: bool = True,
    ) -> GateResult:
        """`Gate.check` with these settings; `dictionary` None: the workspace's own, read now
        (so `srgcli dict add` takes effect without a restart); `ticket`: its names accepted.
        A result is cached only if the database is free within CACHE_WRITE_WAIT_MS (another
        command, `fetch` say, may hold its write lock for minutes): the answer never waits."""
        words = list(context)
        return self._call(lambda: self._check(text, words, disabled, dictionary, ticket, count))

    def _check(
        self,
        text: str,
        words: list[str],
        disabled: frozenset[str],
        dictionary: frozenset[str] | None,
        ticket: str | None,
        count: bool,
    ) -> GateResult:
        from srgcli.gate.cache import GateCache
        from srgcli.gate.dictionary import list_words
        from srgcli.gate.engine import Gate

        conn = self._connection()
        if dictionary is None:
            dictionary = frozenset(list_words(conn)) if conn is not None else frozenset()
        if ticket is not None:
            words += self._ticket_words(conn, ticket)
        cache = GateCache(conn, write_wait_ms=CACHE_WRITE_WAIT_MS) if conn is not None else None
        gate = Gate(self.engine, disabled_rules=disabled, dictionary=dictionary, cache=cache)
        result = gate.check(text, words)
        if count:
            self.checks += 1
        return result

    def _ticket_words(self, conn: sqlite3.Connection | None, ticket_id: str) -> list[str]:
        from srgcli.exit import SrgError
        from srgcli.gate.documents import ticket_context
        from srgcli.tickets import require_ticket
        from srgcli.workspace import Workspace

        if conn is None or self.root is None:
            raise ApiError(400, "Error: 'ticket' needs a server started in a workspace.")
        ws: Workspace = Workspace(root=self.root, config=self.config, conn=conn)
        try:
            return ticket_context(ws, require_ticket(ws, ticket_id))
        except SrgError:
            raise ApiError(400, "Error: no such ticket in this workspace.") from None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    service: GateService

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver would print a traceback (a client gone mid-answer): its type is enough.
        log.warning("request failed: %s", type(sys.exc_info()[1]).__name__)


class _Server6(_Server):
    address_family = socket.AF_INET6


class Handler(BaseHTTPRequestHandler):
    """The routes: LanguageTool's `/v2/check` and `/v2/languages` (also without `/v2`, as
    some clients append `/check` to a base URL that lacks it), and srgcli's own two."""

    server: _Server
    server_version = "srgcli"
    timeout = 60  # seconds a client may take to send its request

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        # «http://host:8081/v2/» + «/check» from a client that joins URLs naively still counts.
        path = re.sub("/{2,}", "/", path)
        route = path.rstrip("/").removeprefix("/v2") or "/"
        try:
            if route == "/languages" and method == "GET":
                self._json(200, languages_response())
            elif route == "/check":
                body = self._body() if method == "POST" else b""
                self._check(_form(query) | _form(_text(body)))
            elif path == HEALTH_PATH and method == "GET":
                self._health()
            elif path == GATE_PATH and method == "POST":
                self._gate(self._body())
            else:
                raise ApiError(404, "Error: no such endpoint.")
        except ApiError as exc:
            self._plain(exc.status, exc.message)
        except Exception as exc:  # a bug: answer and keep serving; never log the text
            log.error("internal error: %s", type(exc).__name__)
            self._plain(500, f"Error: internal error ({type(exc).__name__}).")

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            raise ApiError(411, "Error: a Content-Length header is required.")
        try:
            size = int(length)
        except ValueError:
            raise ApiError(400, "Error: bad Content-Length header.") from None
        if size < 0:
            raise ApiError(400, "Error: bad Content-Length header.")
        if size > MAX_BODY_BYTES:
            self.close_connection = True
            if size <= DRAIN_BYTES:  # read it away, so that the client sees the answer
                while size > 0:
                    size -= len(self.rfile.read(min(size, 65536)) or b"\0" * size)
            raise ApiError(413, f"Error: request body over {MAX_BODY_BYTES} bytes.")
        body = self.rfile.read(size)
        if len(body) < size:  # the client hung up: nothing half-received is checked
            self.close_connection = True
            raise ApiError(400, "Error: the request body is incomplete.")
        return body

    def _check(self, params: dict[str, str]) -> None:
        from srgcli import __version__

        request = parse_check(params)
        service = self.server.service
        disabled = (service.configured_disabled - request.enabled_rules) | request.disabled_rules
        result = service.check(request.text.plain, (), disabled, None, ticket=request.ticket)
        self._json(200, check_response(result, request, __version__))

    def _health(self) -> None:
        import os

        service = self.server.service
        self._json(
            200,
            {
                "pid": os.getpid(),
                "engine": service.engine.name,
                "code": service.code,
                "workspace": str(service.root) if service.root is not None else None,
                "checks": service.checks,
            },
        )

    def _gate(self, body: bytes) -> None:
        try:
            data = json.loads(_text(body))
            text = data["text"]
            context = [str(w) for w in data.get("context", ())]
            disabled = frozenset(str(r) for r in data.get("disabled_rules", ()))
            dictionary = frozenset(str(w) for w in data.get("dictionary", ()))
            engine = data.get("engine")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ApiError(400, "Error: malformed gate request.") from None
        if not isinstance(text, str):
            raise ApiError(400, "Error: malformed gate request.")
        service = self.server.service
        if engine != service.engine.name:
            raise ApiError(409, "Error: this server runs another engine.")
        result = service.check(text, context, disabled, dictionary)
        self._json(
            200,
            {
                "issues": [issue.to_json() for issue in result.issues],
                "summary": result.summary.to_json(),
            },
        )

    def _json(self, status: int, payload: Any) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send(status, "application/json; charset=utf-8", body)

    def _plain(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", message.encode("utf-8"))

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The query string of a GET /v2/check holds the text: only the path is logged.
        path = self.path.partition("?")[0] if isinstance(self.path, str) else "-"
        log.info("%s %s %s", self.command, path, code)

    def log_message(self, format: str, *args: Any) -> None:
        # http.server's own messages (bad request lines) may quote the request: not logged.
        log.debug("http.server message suppressed")


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "Error: the request is not UTF-8.") from None


def _form(encoded: str) -> dict[str, str]:
    """Form fields (the last value of a repeated one)."""
    try:
        pairs = urllib.parse.parse_qsl(encoded, keep_blank_values=True, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Error: malformed form data.") from None
    return dict(pairs)


def make_server(service: GateService, host: str, port: int) -> _Server:
    """A server bound to `host:port` (port 0: a free one), not yet serving."""
    server_class = _Server6 if ":" in host else _Server
    server = server_class((host, port), Handler)
    server.service = service
    return server


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(server: _Server, root: Path | None, ready: Any = None) -> None:
    """Serve until Ctrl-C or SIGTERM; while serving, the server is recorded in the workspace
    in `root` (so its commands use it). `ready(url)` is called once it listens."""
    import os
    import signal

    from srgcli.calendar import now
    from srgcli.gate.remote import ServerRecord, remove_record, write_record

    host, port = server.server_address[0], server.server_address[1]
    entry = ServerRecord(os.getpid(), str(host), int(port), now().isoformat())

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if root is not None:
            write_record(root, entry)
        if ready is not None:
            ready(entry.url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.service.close()
        if root is not None:
            remove_record(root, os.getpid())
        log.info("stopped")


def configure_logging() -> None:
    """Server log lines on stderr (a detached server's stderr is its log file)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
