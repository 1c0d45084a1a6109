"""A running `srgcli serve` as seen from the other commands: its record in the workspace, the
quick health request that tells a live server from a stale record, and the gate check done
over HTTP (standard library only, so the commands stay light).

The server runs the very same `Gate.check` with the dictionary, disabled rules and context the
command sends, so its answer is the one the in-process engine would give; any failure sends
the command back to the in-process engine without a word.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from srgcli.gate.engine import Gate
    from srgcli.gate.issue import GateResult

RECORD_NAME = "srgcli-serve.json"
LOG_NAME = "srgcli-serve.log"
# Held (flock) by the one server of the workspace for as long as its process lives.
LOCK_NAME = "srgcli-serve.lock"
# SRGCLI_SERVE=off: never use a running server (benchmarks, comparisons, debugging).
SWITCH_ENV = "SRGCLI_SERVE"
HEALTH_PATH = "/srgcli/health"
GATE_PATH = "/srgcli/gate"
HEALTH_TIMEOUT = 0.5  # seconds: a live server on this machine answers in milliseconds
CHECK_TIMEOUT = 300.0  # seconds: a long document on a busy machine
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # never write through a symlink planted there


@dataclass(frozen=True)
class ServerRecord:
    """What `srgcli serve` writes into the workspace while it runs."""

    pid: int
    host: str
    port: int
    started_at: str

    @property
    def local_host(self) -> str:
        """The address to reach it from this machine (a wildcard bind means loopback)."""
        return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)

    @property
    def url(self) -> str:
        """The base URL clients here are given (LanguageTool's API is under /v2)."""
        host = self.local_host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"


def record_path(root: Path) -> Path:
    """Where the running server of the workspace in `root` is recorded."""
    return root / RECORD_NAME


def write_record(root: Path, record: ServerRecord) -> None:
    """Record the server (readable by the owner only; replaced atomically). Only the holder
    of the serve lock (`take_lock`) writes it, so it never replaces another live server's."""
    path = record_path(root)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(record), handle)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def read_record(root: Path) -> ServerRecord | None:
    """The recorded server, or None when there is no (readable) record."""
    try:
        data = json.loads(record_path(root).read_text("utf-8"))
        return ServerRecord(
            pid=int(data["pid"]),
            host=str(data["host"]),
            port=int(data["port"]),
            started_at=str(data.get("started_at", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_record(root: Path, pid: int) -> None:
    """Remove the record if it is still the server `pid`'s. Called by the holder of the serve
    lock only (the server itself; `serve --stop` once that server is gone), so no other
    server can write a record between the reading and the removal."""
    record = read_record(root)
    if record is not None and record.pid != pid:
        return
    with contextlib.suppress(FileNotFoundError):
        record_path(root).unlink()


def lock_path(root: Path) -> Path:
    """The serve lock of the workspace in `root` (the file stays; the lock is what counts)."""
    return root / LOCK_NAME


def take_lock(root: Path) -> int | None:
    """Take the workspace's serve lock without waiting: its open descriptor (close it to
    release; the system releases it when the process ends, however it ends), or None while
    another process holds it. The holder's process id is written into the file."""
    fd = os.open(lock_path(root), os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - no flock here: one server is not enforced
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise
    return fd


def lock_holder(root: Path) -> int | None:
    """The process id written by the serve lock's (last) holder, if readable."""
    try:
        return int(lock_path(root).read_text("utf-8").strip())
    except (OSError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    """True when a process `pid` exists (and is not a zombie we could see). A process whose
    main thread is a zombie while other threads still exit counts as alive: its files (the
    serve lock) are released only when the last thread has gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    fields = dict(line.partition(":")[::2] for line in status.splitlines())
    zombie = fields.get("State", "").split()[:1] == ["Z"]
    return not zombie or fields.get("Threads", "1").strip() not in ("1", "0")


@cache
def code_fingerprint() -> str:
    """Identity of the installed gate, so that a server started from other code is not used
    (its answers could differ): srgcli's version, the gate's logic version, the times of the
    gate's folders (installing, upgrading or checking out another version replaces their
    files, which changes the folder) and the size and time of each data file (edited in
    place). A handful of stat calls, as every command that checks text asks for it."""
    from srgcli import __version__
    from srgcli.gate.engine import GATE_LOGIC_VERSION

    package = Path(__file__).parent
    data = package / "data"
    digest = hashlib.sha256(f"{__version__}\0{GATE_LOGIC_VERSION}\n".encode())
    with contextlib.suppress(OSError):
        for folder in (package, package / "rules", data):
            digest.update(f"{folder.name}\0{folder.stat().st_mtime_ns}\n".encode())
        with os.scandir(data) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                stat = entry.stat()
                digest.update(f"{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _request(record: ServerRecord, path: str, body: dict[str, Any] | None, timeout: float) -> Any:
    """GET (no body) or POST JSON to the recorded server; the parsed JSON answer.

    http.client straight to the loopback address: no proxy from the environment sees the
    text, and urllib.request's imports would cost the command more than the request itself.
    Raises OSError, ValueError or http.client.HTTPException."""
    import http.client

    connection = http.client.HTTPConnection(record.local_host, record.port, timeout=timeout)
    try:
        if body is None:
            connection.request("GET", path)
        else:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json; charset=utf-8"}
            connection.request("POST", path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        if response.status != 200:
            raise ValueError(f"HTTP {response.status}")
        return json.loads(payload.decode("utf-8"))
    finally:
        connection.close()


def health(record: ServerRecord, timeout: float = HEALTH_TIMEOUT) -> dict[str, Any] | None:
    """The server's health answer, or None when it does not answer as the recorded one."""
    import http.client

    try:
        answer = _request(record, HEALTH_PATH, None, timeout)
    except (OSError, ValueError, http.client.HTTPException):
        return None
    if not isinstance(answer, dict) or answer.get("pid") != record.pid:
        return None
    return answer


def live_server(root: Path) -> tuple[ServerRecord, dict[str, Any]] | None:
    """The workspace's running server and its health answer; None for no record, a dead
    process or a server that does not answer (a stale record is ignored, not removed)."""
    record = read_record(root)
    if record is None or not pid_alive(record.pid):
        return None
    answer = health(record)
    if answer is None:
        return None
    return record, answer


@dataclass
class RemoteChecker:
    """Checks text with a running server's gate."""

    record: ServerRecord

    def check(self, gate: Gate, text: str, context: Iterable[str]) -> GateResult | None:
        """The server's result for `gate.check(text, context)`, or None if it failed."""
        import http.client

        from srgcli.gate.issue import GateResult, GateSummary, Issue

        body = {
            "text": text,
            "context": list(context),
            "engine": gate.engine.name,
            "disabled_rules": sorted(gate.disabled_rules),
            "dictionary": sorted(gate.dictionary),
        }
        try:
            answer = _request(self.record, GATE_PATH, body, CHECK_TIMEOUT)
            issues = [Issue.from_json(i) for i in answer["issues"]]
            summary = GateSummary(**answer["summary"])
        except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
            return None
        return GateResult(text, issues, summary)


def running_checker(root: Path, engine: str) -> RemoteChecker | None:
    """A checker on the workspace's running server when it is live, runs the same code and
    the same `engine`; None otherwise (and whenever SRGCLI_SERVE=off)."""
    if os.environ.get(SWITCH_ENV, "").lower() in ("off", "0", "no"):
        return None
    if not record_path(root).exists():
        return None
    found = live_server(root)
    if found is None:
        return None
    record, answer = found
    if answer.get("engine") != engine or answer.get("code") != code_fingerprint():
        return None
    if answer.get("workspace") != str(root.resolve()):
        return None
    return RemoteChecker(record)
