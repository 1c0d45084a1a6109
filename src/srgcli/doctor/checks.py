"""The checklist of `srgcli doctor`: each check says ok, warning or fail with a Russian message.

A check that cannot run because an earlier one failed (no database, no config) is not run;
the failure already says why. Messages name files and counts, never client data.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from srgcli.exit import SrgError

if TYPE_CHECKING:
    import sqlite3

    from srgcli.workspace import Workspace
    from srgcli.workspace.recover import OutOfStep

OK, WARNING, FAIL = "ok", "warning", "fail"
# Free space below these is a warning, a failure (a fetch or a report may not fit).
LOW_DISK_BYTES = 200 * 1024 * 1024
NO_DISK_BYTES = 10 * 1024 * 1024
# How long the ИС may take to answer doctor's one request.
IS_TIMEOUT = 5.0
# A sentence every gate must pass: the engine loads, checks, and raises no false alarm.
SAMPLE_SENTENCE = "Уважаемая Ольга Викторовна, отчёт по Вашему обращению подготовлен."


@dataclass(frozen=True)
class Check:
    """One line of the checklist: `check` is a stable key for scripts."""

    check: str
    status: str  # ok | warning | fail
    message: str

    def as_json(self) -> dict[str, str]:
        """The JSON shape of `doctor --json`."""
        return {"check": self.check, "status": self.status, "message": self.message}


def run_checks(root: Path, *, full: bool = False, network: bool = True) -> list[Check]:
    """Every check of the workspace in `root`, in the checklist's order. `full`: SQLite's
    complete integrity_check instead of quick_check; `network`: try the ИС if configured."""
    from srgcli.workspace import CONFIG_NAME, load_config
    from srgcli.workspace.db import DB_NAME, connect
    from srgcli.workspace.folder import Workspace

    results: list[Check] = []
    try:
        config = load_config(root / CONFIG_NAME)
    except SrgError as exc:
        results.append(Check("config", FAIL, exc.message))
        config = None
    else:
        results.append(Check("config", OK, f"{CONFIG_NAME} прочитан, значения допустимы"))
    try:
        conn = connect(root / DB_NAME)
    except SrgError as exc:
        results.append(Check("database", FAIL, exc.message))
        results.extend(_files_checks(root, None))
        results.append(_disk(root))
        return results
    try:
        results.extend(_database_checks(conn, root / DB_NAME, full=full))
        if config is None:
            results.extend(_files_checks(root, conn))
            results.append(_disk(root))
            return results
        ws = Workspace(root=root, config=config, conn=conn)
        results.extend(_files_checks(root, conn))
        results.append(_guarded("gate", lambda: _gate(ws)))
        results.append(_guarded("templates", lambda: _templates(ws)))
        results.append(_guarded("is", lambda: _is(ws, network)))
        results.append(_disk(root))
    finally:
        conn.close()
    return results


def _guarded(name: str, check: Callable[[], Check]) -> Check:
    """A check that raised is a failed check, its cause named (never the exception's text,
    which may quote data)."""
    try:
        return check()
    except SrgError as exc:
        return Check(name, FAIL, exc.message)
    except Exception as exc:
        return Check(name, FAIL, f"проверка не выполнена: {type(exc).__name__}")


def _database_checks(conn: sqlite3.Connection, path: Path, *, full: bool) -> Iterator[Check]:
    from srgcli.workspace import health

    kind = "integrity_check" if full else "quick_check"
    try:
        problems = health.integrity_problems(conn, full=full)
    except SrgError as exc:
        yield Check("database", FAIL, exc.message)
        return
    if problems:
        yield Check(
            "database",
            FAIL,
            f"{path.name}: SQLite нашла повреждения ({'; '.join(problems[:3])}); "
            "восстановите рабочую папку из копии: srgcli restore АРХИВ НОВАЯ_ПАПКА",
        )
    else:
        tickets = health.ticket_count(conn)
        yield Check("database", OK, f"{path.name} цела ({kind}), заявок: {tickets}")
    applied, latest = health.schema_state(conn)
    if applied == latest:
        yield Check("schema", OK, f"версия схемы {applied} — последняя")
    else:
        yield Check("schema", FAIL, f"версия схемы {applied}, ожидается {latest}")


def _files_checks(root: Path, conn: sqlite3.Connection | None) -> Iterator[Check]:
    yield _permissions(root)
    yield _leftovers(root, conn)
    if conn is not None:
        yield _missing_files(root, conn)


def _permissions(root: Path) -> Check:
    """Client data is personal data: the database and config are the owner's alone (a
    failure otherwise), the folders too (a warning)."""
    from srgcli.workspace import CONFIG_NAME
    from srgcli.workspace.db import DB_NAME

    open_files, open_folders = [], []
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", CONFIG_NAME):
        mode = _mode(root / name)
        if mode is not None and mode & 0o077:
            open_files.append(f"{name} ({mode:04o})")
    for folder in (root, root / "reports", root / "outbox"):
        mode = _mode(folder)
        if mode is not None and mode & 0o077:
            shown = "рабочая папка" if folder == root else f"{folder.name}/"
            open_folders.append(f"{shown} ({mode:04o})")
    if open_files:
        return Check(
            "permissions",
            FAIL,
            f"доступны не только владельцу: {', '.join(open_files + open_folders)}; "
            f"исправьте: chmod 600 {' '.join(f.split()[0] for f in open_files)}",
        )
    if open_folders:
        return Check(
            "permissions",
            WARNING,
            f"папки доступны не только владельцу: {', '.join(open_folders)}; "
            "исправьте: chmod 700 для каждой",
        )
    return Check("permissions", OK, "база, настройки и папки доступны только владельцу")


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def leftovers(root: Path, conn: sqlite3.Connection | None) -> list[OutOfStep]:
    """What interrupted commands left in the workspace (`workspace.recover.out_of_step`):
    temporaries, intent records, report and act files or outbox folders without their row.
    Only the temporaries when the database cannot be read."""
    from srgcli.workspace.recover import out_of_step_items

    return [item for item in out_of_step_items(root, conn) if item.kind != "missing"]


def _leftovers(root: Path, conn: sqlite3.Connection | None) -> Check:
    found = leftovers(root, conn)
    unusable = [item for item in found if item.kind == "unusable"]
    if unusable:
        return Check(
            "leftovers",
            WARNING,
            f"{unusable[0].text}: srgcli не может проверить, не прервались ли команды, и не "
            f"записывает отчёты, акты и сдачи; удалите {unusable[0].path}",
        )
    if not found:
        return Check("leftovers", OK, "временных файлов прерванных команд нет")
    names = ", ".join(item.path for item in found[:5])
    more = f" и ещё {len(found) - 5}" if len(found) > 5 else ""
    return Check(
        "leftovers",
        WARNING,
        f"остались файлы прерванных команд: {names}{more}",
    )


def _missing_files(root: Path, conn: sqlite3.Connection) -> Check:
    from srgcli.workspace import health

    try:
        rows = health.referenced_files(conn)
    except SrgError:
        return Check("files", FAIL, "не удалось прочитать записи об отчётах и сдачах")
    missing = [(kind, ticket, path) for kind, ticket, path in rows if not (root / path).exists()]
    if not missing:
        return Check("files", OK, f"все файлы, на которые ссылается база, на месте ({len(rows)})")
    what = {"report": "отчёт", "submission": "сдача"}
    shown = ", ".join(f"{what[k]} {path} (заявка {t})" for k, t, path in missing[:5])
    more = f" и ещё {len(missing) - 5}" if len(missing) > 5 else ""
    return Check("files", FAIL, f"нет файлов, записанных в базе: {shown}{more}")


def _gate(ws: Workspace) -> Check:
    from srgcli.gate.engine import open_gate

    gate = open_gate(ws)
    result = gate.check(SAMPLE_SENTENCE)
    errors = [i for i in result.issues if i.severity.value == "error"]
    summary = gate.summary()
    engine = f"{summary.engine} {summary.engine_version}".strip()
    if errors:
        return Check(
            "gate",
            FAIL,
            f"{engine}: образцовая фраза отклонена ({errors[0].rule}); проверьте "
            "[checker] в srgcli.toml",
        )
    return Check("gate", OK, f"{engine}: загружен, образцовая фраза проверена")


def _templates(ws: Workspace) -> Check:
    from srgcli.contact import letters
    from srgcli.gate.engine import open_gate
    from srgcli.render.check import check_template
    from srgcli.report.make import builtin_templates, workspace_templates

    targets = [r.path for r in [*builtin_templates(), *workspace_templates(ws)]]
    targets += letters.template_files(ws)
    gate = open_gate(ws)
    problems = [p for path in targets for p in check_template(path, gate)]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        names = sorted({p.path.name for p in errors})
        return Check(
            "templates",
            FAIL,
            f"ошибки в шаблонах: {', '.join(names)}; подробности: srgcli templates check",
        )
    if problems:
        return Check(
            "templates",
            WARNING,
            f"шаблонов: {len(targets)}, замечаний: {len(problems)}; "
            "подробности: srgcli templates check",
        )
    return Check("templates", OK, f"шаблонов: {len(targets)}, все подставляются без ошибок")


def _is(ws: Workspace, network: bool) -> Check:
    from srgcli.isapi import mask_url

    url = str(ws.config.section("is").get("base_url") or "")
    if not url:
        return Check("is", OK, "ИС не настроена ([is] base_url пуст): проверка пропущена")
    shown = mask_url(url)
    if not network:
        return Check("is", OK, f"{shown}: проверка связи пропущена (--offline)")
    import httpx

    try:
        response = httpx.get(url, timeout=IS_TIMEOUT, follow_redirects=False)
    except httpx.TimeoutException:
        return Check("is", FAIL, f"{shown}: нет ответа за {IS_TIMEOUT:g} с")
    except httpx.HTTPError as exc:
        return Check("is", FAIL, f"{shown}: недоступна ({type(exc).__name__})")
    return Check("is", OK, f"{shown}: отвечает (HTTP {response.status_code})")


def _disk(root: Path) -> Check:
    try:
        free = shutil.disk_usage(root).free
    except OSError as exc:
        return Check("disk", WARNING, f"свободное место не определено ({type(exc).__name__})")
    shown = f"{free / 1024 / 1024:.0f} МБ" if free < 10 * 1024**3 else f"{free / 1024**3:.0f} ГБ"
    if free < NO_DISK_BYTES:
        return Check("disk", FAIL, f"свободно {shown}: освободите место на диске")
    if free < LOW_DISK_BYTES:
        return Check("disk", WARNING, f"свободно {shown}: меньше 200 МБ, освободите место")
    return Check("disk", OK, f"свободно {shown}")
