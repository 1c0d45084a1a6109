"""`srgcli serve --detach`, `--status` and `--stop`: the server as a background process of a
workspace, found through its record (see `srgcli.gate.remote`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srgcli.exit import ExitCode, SrgError
from srgcli.gate.remote import (
    LOG_NAME,
    ServerRecord,
    code_fingerprint,
    health,
    live_server,
    pid_alive,
    read_record,
    remove_record,
)

START_TIMEOUT = 180.0  # seconds: loading the engine takes ~5-10 s, more on a busy machine
STOP_TIMEOUT = 15.0


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


def start_detached(root: Path, host: str, port: int) -> ServerRecord:
    """Start `srgcli serve` for the workspace in the background and wait until it answers.

    Its log (method, path and status of each request; never a text) is `srgcli-serve.log`
    in the workspace. A server already running there is an error (exit 3)."""
    current = status(root)
    if current.running and current.record is not None:
        raise SrgError(
            f"Сервер проверки этой рабочей папки уже запущен: {current.record.url} "
            f"(процесс {current.record.pid}).",
            ExitCode.PRECONDITION,
            hint="Остановите его командой srgcli serve --stop.",
        )
    remove_record(root)  # a stale record
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
    raise SrgError(
        "Сервер проверки не ответил за отведённое время и остановлен.",
        ExitCode.EXTERNAL,
        hint=f"Подробности — в журнале {log_path}.",
    )


def stop(root: Path) -> ServerRecord | None:
    """Stop the workspace's server (SIGTERM: it finishes the request at hand and removes its
    record); the record of a process that is gone is removed. None: nothing was recorded."""
    record = read_record(root)
    if record is None:
        return None
    if pid_alive(record.pid) and health(record) is not None:
        os.kill(record.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while pid_alive(record.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if pid_alive(record.pid):
            raise SrgError(
                f"Сервер проверки (процесс {record.pid}) не остановился за {STOP_TIMEOUT:.0f} с.",
                ExitCode.EXTERNAL,
                hint=f"Остановите процесс вручную: kill {record.pid}",
            )
    remove_record(root, record.pid)
    return record
