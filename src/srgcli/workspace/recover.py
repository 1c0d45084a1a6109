"""Putting files and rows back in step after a `report` or `submit` was killed.

Run on every open of the workspace; it costs one listing of `.inflight/` when nothing was
interrupted. For each intent record whose command is no longer running (`files.abandoned`):

- `report` and `act`: the previous file is put back if the new one replaced it but its row
  was never committed; a final file without a row is moved aside into `orphaned/` beside it
  (`reports/<ticket>/orphaned/`, `acts/<year>/orphaned/`) and said so; the temporaries (they
  hold the client's data) are removed.
- `submit`: a staging folder whose manifest is complete, or a final outbox folder without a
  submission row, is completed (renamed, recorded) when its report is still the one recorded
  and that version has not been handed over; otherwise it is removed (staging) or moved aside
  into `outbox/orphaned/` (final). Either way a re-run of `submit` never makes a second folder
  for the same version.
- anything else a record lists under `remove` (a PDF's temporary) is removed.

A workspace opened for the first time by a srgcli that keeps these records (no `.inflight/`
yet) is swept once for what earlier versions could leave: `.report-*.docx`, `*.docx.old`,
`outbox/.*.tmp/`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srgcli.exit import SrgError
from srgcli.workspace import writes
from srgcli.workspace.db import transaction
from srgcli.workspace.files import (
    INFLIGHT,
    abandoned,
    fsync_dir,
    private_dir,
    running,
    sha256_of,
)
from srgcli.workspace.folder import Workspace

ORPHANED = "orphaned"


def recover(ws: Workspace) -> list[str]:
    """Finish or undo what interrupted commands left; returns notes for stderr (Russian, no
    personal data). Errors leave the record for the next open. An unusable `.inflight` (a
    symbolic link, a file) is a note, not an error: commands that only read still run, those
    that write refuse it (`files.private_dir`)."""
    notes: list[str] = []
    folder = ws.root / INFLIGHT
    try:
        if unusable_inflight(ws.root):
            return [_UNUSABLE_NOTE]
        entries = os.listdir(folder)
    except FileNotFoundError:
        notes.extend(_sweep_legacy(ws))
        with suppress(OSError, SrgError):
            private_dir(ws.root, folder)
        return notes
    except OSError:
        return [_UNUSABLE_NOTE]
    if not entries:
        return notes
    # Folders a running command is writing into are left alone this time. (Taken before any
    # record is locked here: a lock this process holds would look like a running command.)
    busy = {str(r.get("folder") or r.get("staging")) for r in running(ws.root)}
    for record, path in abandoned(ws.root):
        try:
            kind = record.get("kind")
            if str(record.get("folder") or record.get("staging")) in busy:
                continue
            if kind in ("report", "act"):
                notes.extend(_document(ws, record))
            elif kind == "submit":
                notes.extend(_submit(ws, record))
            for relative in record.get("remove") or ():
                _inside(ws, str(relative)).unlink(missing_ok=True)
        except (OSError, SrgError, sqlite3.Error, ValueError, KeyError, TypeError):
            continue  # left for the next open (or `srgcli doctor`)
        path.unlink(missing_ok=True)
    return notes


_UNUSABLE_NOTE = (
    f"Папка {INFLIGHT} в рабочей папке — символическая ссылка или не папка: srgcli не может "
    "проверить, не остались ли файлы от прерванных команд, и не будет записывать отчёты, акты и "
    f"сдачи. Удалите {INFLIGHT}; srgcli создаст на её месте обычную папку."
)


def unusable_inflight(root: Path) -> bool:
    """True when `.inflight` exists but is a symbolic link or not a folder."""
    try:
        mode = os.lstat(root / INFLIGHT).st_mode
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return not stat.S_ISDIR(mode)


def _inside(ws: Workspace, relative: str) -> Path:
    """A path a record names, which must lie inside the workspace."""
    path = Path(os.path.normpath(ws.root / relative))
    if not path.is_relative_to(ws.root) or path == ws.root:
        raise ValueError(relative)
    return path


def _name(value: Any) -> str:
    text = str(value)
    if not text or "/" in text or "\\" in text or text in (".", ".."):
        raise ValueError(text)
    return text


def _recorded_report(ws: Workspace, ticket_id: str, version: int) -> str | None:
    row = ws.conn.execute(
        "select sha256 from reports where ticket_id = ? and version = ?", (ticket_id, version)
    ).fetchone()
    return None if row is None else str(row[0])


def _relative(ws: Workspace, path: Path) -> str:
    return path.relative_to(ws.root).as_posix()


def move_aside(ws: Workspace, path: Path, folder: Path) -> Path:
    """Move `path` into `folder` (created 0700) under a name not yet taken there."""
    private_dir(ws.root, folder)
    target, n = folder / path.name, 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}-{n}{path.suffix}"
    os.replace(path, target)
    fsync_dir(path.parent)
    return target


def _recorded_document(ws: Workspace, record: dict[str, Any], target: Path) -> str | None:
    """The sha256 recorded for the report or act an intent record was writing."""
    if record["kind"] == "report":
        return _recorded_report(ws, str(record["ticket"]), int(record["version"]))
    row = ws.conn.execute(
        "select sha256 from acts where path = ?", (_relative(ws, target),)
    ).fetchone()
    return None if row is None else str(row[0])


def _document(ws: Workspace, record: dict[str, Any]) -> list[str]:
    """A report or an act (report.store): the previous file back, or an unrecorded new one
    moved aside; the temporaries removed."""
    kind = str(record["kind"])
    folder = _inside(ws, str(record["folder"]))
    target = folder / _name(record["target"])
    token = _name(record["token"])
    tmp, prev = folder / f".{kind}-{token}.docx", folder / f".prev-{token}.docx"
    notes = []
    recorded = _recorded_document(ws, record, target)
    current = sha256_of(target, missing_ok=True)
    if (
        recorded is not None
        and current != recorded
        and sha256_of(prev, missing_ok=True) == recorded
    ):
        os.replace(prev, target)
        fsync_dir(folder)
        what = "отчёта" if kind == "report" else "акта"
        notes.append(
            f"Прерванное обновление {what} {_relative(ws, target)} отменено: файл снова тот, "
            "что записан в базе."
        )
    elif recorded is None and current is not None:
        moved = move_aside(ws, target, folder / ORPHANED)
        if kind == "report":
            notes.append(_orphan_report_note(ws, target, moved, str(record["ticket"])))
        else:
            notes.append(
                f"Акт {_relative(ws, target)} остался от прерванной команды и не записан "
                f"в базу; файл перенесён в {_relative(ws, moved)}. Составьте акт заново: "
                f"srgcli act --month {record.get('month')}"
            )
    tmp.unlink(missing_ok=True)
    prev.unlink(missing_ok=True)
    return notes


def _orphan_report_note(ws: Workspace, target: Path, moved: Path, ticket_id: str) -> str:
    return (
        f"Отчёт {_relative(ws, target)} остался от прерванной команды и не записан в базу; "
        f"файл перенесён в {_relative(ws, moved)}. Сформируйте отчёт заново: "
        f"srgcli report {ticket_id}"
    )


def complete_manifest(ws: Workspace, folder: Path) -> dict[str, Any] | None:
    """The manifest of an outbox folder if the folder is complete: the manifest reads, its
    report file is there with the sha256 the manifest and the recorded report both give."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        ticket_id = str(manifest["ticket"]["id"])
        report = manifest["report"]
        version, name, digest = int(report["version"]), _name(report["file"]), report["sha256"]
        pdf = manifest.get("pdf")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (
        sha256_of(folder / name, missing_ok=True) != digest
        or _recorded_report(ws, ticket_id, version) != digest
    ):
        return None
    if pdf and sha256_of(folder / _name(pdf.get("file")), missing_ok=True) != pdf.get("sha256"):
        return None
    return dict(manifest)


def _register(ws: Workspace, folder: Path, manifest: dict[str, Any]) -> bool:
    """Record the submission a complete outbox folder stands for, unless its version was
    handed over already; False then."""
    ticket_id = str(manifest["ticket"]["id"])
    version = int(manifest["report"]["version"])
    with transaction(ws.conn):
        if writes.submission_of_version(ws.conn, ticket_id, version) is not None:
            return False
        writes.insert_submission(
            ws.conn,
            ticket_id,
            variant=str(manifest["variant"]),
            channel=str(manifest["channel"]),
            report_version=version,
            path=_relative(ws, folder),
            mark_ref=manifest.get("mark_ref") or None,
            submitted_at=str(manifest["submitted_at"]),
            command="recover",
        )
    return True


def _submit(ws: Workspace, record: dict[str, Any]) -> list[str]:
    outbox = ws.outbox_dir
    staging = outbox / _name(record["staging"])
    final = outbox / _name(record["final"])
    relative = _relative(ws, final)
    done = ws.conn.execute("select 1 from submissions where path = ?", (relative,)).fetchone()
    if (
        done is None
        and staging.is_dir()
        and not final.exists()
        and complete_manifest(ws, staging) is not None
    ):
        os.replace(staging, final)  # the attempt got as far as its manifest: finish it
        fsync_dir(outbox)
    if staging.exists():
        shutil.rmtree(staging)
    if done is not None or not final.is_dir():
        return []
    return [_settle_outbox_folder(ws, final)]


def _settle_outbox_folder(ws: Workspace, folder: Path) -> str:
    """An outbox folder without a submission row: recorded, or moved aside."""
    relative = _relative(ws, folder)
    manifest = complete_manifest(ws, folder)
    if manifest is not None and _register(ws, folder, manifest):
        version = manifest["report"]["version"]
        return (
            f"Сдача отчёта v{version} по заявке {manifest['ticket']['id']} была прервана; "
            f"папка {relative} готова и сдача записана."
        )
    moved = move_aside(ws, folder, ws.outbox_dir / ORPHANED)
    return (
        f"Папка {relative} осталась от прерванной сдачи и не записана в базу; "
        f"перенесена в {_relative(ws, moved)}."
    )


def _sweep_legacy(ws: Workspace) -> list[str]:
    """What srgcli before the intent records could leave after a kill (see the module's
    docstring): temporaries removed, a `.docx.old` put back or moved aside."""
    notes: list[str] = []
    try:
        folders = [p for p in ws.reports_dir.iterdir() if p.is_dir() and not p.is_symlink()]
        for folder in folders:
            for path in folder.iterdir():
                if path.name.startswith((".report-", ".prev-")) and path.suffix == ".docx":
                    path.unlink(missing_ok=True)
                elif path.name.endswith(".docx.old"):
                    notes.extend(_legacy_old(ws, path))
        for path in ws.outbox_dir.iterdir():
            if path.name.startswith(".") and path.name.endswith(".tmp") and path.is_dir():
                shutil.rmtree(path)
    except (OSError, sqlite3.Error):
        return notes
    return notes


def _legacy_old(ws: Workspace, old: Path) -> list[str]:
    """`X.docx.old`: the previous file of a version an interrupted `report` was replacing."""
    target = old.with_suffix("")
    row = ws.conn.execute(
        "select sha256 from reports where path = ?", (_relative(ws, target),)
    ).fetchone()
    if (
        row is not None
        and sha256_of(target, missing_ok=True) != row[0]
        and sha256_of(old, missing_ok=True) == row[0]
    ):
        os.replace(old, target)
        return [f"Прерванное обновление отчёта {_relative(ws, target)} отменено."]
    if row is not None and sha256_of(target, missing_ok=True) == row[0]:
        old.unlink()
        return []
    moved = move_aside(ws, old, old.parent / ORPHANED)
    return [f"Файл {_relative(ws, old)} не записан в базу; перенесён в {_relative(ws, moved)}."]


@dataclass(frozen=True)
class OutOfStep:
    """One thing in the workspace's files out of step with its rows. `kind`: "temporary" (what
    an interrupted command left: a temporary, an intent record), "unusable" (`.inflight` is a
    symbolic link or a file, so nothing can be recovered),
    "unrecorded" (a report or act file, an outbox folder without its row) or "missing" (a row
    whose file is gone or changed); `path` is relative to the workspace."""

    kind: str
    path: str
    text: str


def out_of_step(ws: Workspace) -> list[str]:
    """Everything in the workspace's files that is out of step with its rows, read only, as
    sentences (see `out_of_step_items`). Empty when all is in step."""
    return [item.text for item in out_of_step_items(ws.root, ws.conn)]


def out_of_step_items(root: Path, conn: sqlite3.Connection | None) -> list[OutOfStep]:
    """What `out_of_step` names, for `srgcli doctor` and `srgcli backup`: leftovers of
    interrupted commands, rows without their file, report and act files and outbox folders
    without their row. Without a readable database (`conn` None) only the leftovers."""
    found: list[OutOfStep] = []

    def add(kind: str, path: Path, text: str) -> None:
        found.append(OutOfStep(kind, path.relative_to(root).as_posix(), text))

    live = {str(r.get("folder") or "") for r in running(root)}
    inflight = root / INFLIGHT
    if unusable_inflight(root):
        add("unusable", inflight, f"папка {INFLIGHT} — символическая ссылка или не папка")
    elif inflight.is_dir() and not live:
        for path in sorted(inflight.iterdir()):
            add("temporary", path, f"запись прерванной команды {path.relative_to(root).as_posix()}")
    try:
        rows = _recorded_files(conn)
    except sqlite3.Error:  # a damaged database: only the leftovers
        conn, rows = None, {}
    for table in ("reports", "acts"):
        for named, digest in rows.get(table, {}).items():
            if sha256_of(root / named, missing_ok=True) != digest:
                what = "отчёт" if table == "reports" else "акт"
                add(
                    "missing",
                    root / named,
                    f"{what} {named} записан в базе, но файла нет или он изменён",
                )
        for folder in _subfolders(root / table):
            if folder.relative_to(root).as_posix() in live:
                continue
            for item in sorted(folder.iterdir()):
                relative = item.relative_to(root).as_posix()
                if item.name.startswith(".") or item.name.endswith(".docx.old"):
                    add("temporary", item, f"временный файл {relative}")
                elif item.suffix == ".docx" and conn is not None and relative not in rows[table]:
                    add("unrecorded", item, f"файл {relative} не записан в базе")
    paths = list(rows.get("submissions", {}))
    for named in paths:
        if not (root / named).is_dir():
            add("missing", root / named, f"папка сдачи {named} записана в базе, но её нет")
    outbox = root / "outbox"
    if outbox.is_dir() and not live:
        for item in sorted(outbox.iterdir()):
            relative = item.relative_to(root).as_posix()
            if item.name.startswith("."):
                add("temporary", item, f"временная папка {relative}")
            elif (
                conn is not None
                and item.is_dir()
                and item.name not in ("letters", ORPHANED)
                and relative not in paths
            ):
                add("unrecorded", item, f"папка {relative} не записана в базе")
    return found


def _recorded_files(conn: sqlite3.Connection | None) -> dict[str, dict[str, str]]:
    """The paths (and hashes) the rows of reports, acts and submissions name."""
    if conn is None:
        return {}
    return {
        "reports": {str(p): str(s) for p, s in conn.execute("select path, sha256 from reports")},
        "acts": {str(p): str(s) for p, s in conn.execute("select path, sha256 from acts")},
        "submissions": {str(p): "" for (p,) in conn.execute("select path from submissions") if p},
    }


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
