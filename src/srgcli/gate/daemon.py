"""`srgcli serve --detach`, `--status` and `--stop`: the server as a background process of a
workspace, found through its record (see `srgcli.gate.remote`)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.exit import ExitCode, SrgError
from srgcli.gate.remote import (
    LOG_NAME,
    ServerRecord,
    code_fingerprint,
    health,
    live_server,
    lock_holder,
    pid_alive,
    read_record,
    remove_record,
    take_lock,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

START_TIMEOUT = 180.0  # seconds: loading the engine takes ~5-10 s, more on a busy machine
STOP_TIMEOUT = 15.0  # seconds a server has to finish the request at hand after SIGTERM
KILL_TIMEOUT = 5.0  # seconds for the process to go after SIGKILL


@dataclass(frozen=True)
class Status:
    """What `serve --status` reports."""

    running: bool
    record: ServerRecord | None
    checks: int = 0
    # The server runs this srgcli's code, so the commands use it.
    current: bool = False

    def to_json(self) -> dict[str, Any]:
        """The documented `serve --status --json` shape."""
        record = self.record if self.running else None
        return {
            "running": self.running,
            "url": record.url if record else None,
            "pid": record.pid if record else None,
            "host": record.host if record else None,
            "port": record.port if record else None,
            "started_at": record.started_at if record else None,
            "checks": self.checks if self.running else 0,
            "current": self.current,
        }


def status(root: Path) -> Status:
    """Whether the workspace's recorded server is running and answering."""
    found = live_server(root)
    if found is None:
        return Status(False, read_record(root))
    record, answer = found
    current = answer.get("code") == code_fingerprint()
    return Status(True, record, int(answer.get("checks") or 0), current)


def already_running(root: Path) -> SrgError:
    """The error for a second server in the workspace (exit 3), naming the running one."""
    record, holder = read_record(root), lock_holder(root)
    if record is not None and record.pid == holder:
        where = f": {record.url} (процесс {record.pid})"
    else:  # still loading its engine: not recorded yet
        where = f" (процесс {holder})" if holder is not None else ""
    return SrgError(
        f"Сервер проверки этой рабочей папки уже запущен{where}.",
        ExitCode.PRECONDITION,
        hint="Остановите его командой srgcli serve --stop.",
    )


@contextmanager
def claimed(root: Path) -> Iterator[None]:
    """Hold the workspace's serve lock for the block (the server's lifetime): the one check
    that no other server runs there, atomic, so two servers started at once cannot both
    pass it. Another holder is `already_running` (exit 3)."""
    fd = take_lock(root)
    if fd is None:
        raise already_running(root)
    try:
        yield
    finally:
        os.close(fd)


def forget(root: Path, pid: int) -> None:
    """Remove the record of the server `pid`, which is gone, unless a newer server already
    holds the lock (its record stays)."""
    fd = take_lock(root)
    if fd is None:
        return
    try:
        remove_record(root, pid)
    finally:
        os.close(fd)


def start_detached(root: Path, host: str, port: int) -> ServerRecord:
    """Start `srgcli serve` for the workspace in the background and wait until it answers.

    Its log (method, path and status of each request; never a text) is `srgcli-serve.log`
    in the workspace. A server already running there is an error (exit 3): the started
    process finds the serve lock taken and exits with 3."""
    log_path = root / LOG_NAME
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    args = [sys.executable, "-m", "srgcli", "--workspace", str(root), "--no-input", "serve"]
    args += ["--host", host, "--port", str(port)]
    with os.fdopen(fd, "ab") as log:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # Ctrl-C in this terminal does not reach it
            close_fds=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if process.returncode == ExitCode.PRECONDITION and _lock_taken(root):
                raise _running_error(root, deadline)
            raise SrgError(
                f"Сервер проверки не запустился (код выхода {process.returncode}).",
                ExitCode.EXTERNAL,
                hint=f"Подробности — в журнале {log_path}.",
            )
        record = read_record(root)
        if record is not None and record.pid == process.pid and health(record) is not None:
            return record
        time.sleep(0.1)
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    forget(root, process.pid)
    raise SrgError(
        "Сервер проверки не ответил за отведённое время и остановлен.",
        ExitCode.EXTERNAL,
        hint=f"Подробности — в журнале {log_path}.",
    )


def _lock_taken(root: Path) -> bool:
    fd = take_lock(root)
    if fd is None:
        return True
    os.close(fd)
    return False


def _running_error(root: Path, deadline: float) -> SrgError:
    """`already_running`, once the other server (started at the same moment, say) has
    recorded its address, or its process is gone, or the deadline has passed."""
    while time.monotonic() < deadline:
        holder, record = lock_holder(root), read_record(root)
        if holder is None or not pid_alive(holder) or (record and record.pid == holder):
            break
        time.sleep(0.1)
    return already_running(root)


def is_server_process(record: ServerRecord) -> bool:
    """True when the recorded process is `srgcli serve` (not another program that got its
    id after the server was gone). Without /proc, a server answering its health request."""
    try:
        arguments = Path(f"/proc/{record.pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        if Path("/proc/self/cmdline").exists():
            return False  # the process is gone
        return health(record, timeout=STOP_TIMEOUT) is not None
    except OSError:
        return False  # another user's process
    names = {Path(os.fsdecode(a)).name for a in arguments}
    return b"serve" in arguments and ("srgcli" in names or "srgcli.exe" in names)


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while pid_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def stop(root: Path) -> ServerRecord | None:
    """Stop the workspace's server: SIGTERM (it finishes the request at hand and removes its
    record), SIGKILL if it is still there after STOP_TIMEOUT; a server that is busy, and so
    slow to answer, is still stopped. The record goes once the process has gone; the record
    of a process that is gone (or is no server) is removed. None: nothing was recorded."""
    record = read_record(root)
    if record is None:
        return None
    if pid_alive(record.pid) and is_server_process(record):
        with contextlib.suppress(ProcessLookupError):
            os.kill(record.pid, signal.SIGTERM)
        if not _wait_gone(record.pid, STOP_TIMEOUT):
            with contextlib.suppress(ProcessLookupError):
                os.kill(record.pid, signal.SIGKILL)
            if not _wait_gone(record.pid, KILL_TIMEOUT):
                raise SrgError(
                    f"Сервер проверки (процесс {record.pid}) не остановился за "
                    f"{STOP_TIMEOUT + KILL_TIMEOUT:.0f} с.",
                    ExitCode.EXTERNAL,
                    hint=f"Остановите процесс вручную: kill -9 {record.pid}",
                )
    forget(root, record.pid)
    return record
