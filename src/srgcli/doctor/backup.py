"""`srgcli backup` and `srgcli restore`: the whole workspace in one .tar.gz with a manifest of
SHA-256 hashes, and back into a new folder only after every hash matched.

The archive holds `srgcli.db` (a consistent copy made with SQLite's backup API while other
commands may write), `srgcli.toml`, `reports/`, `acts/`, `outbox/`, the workspace's own
`templates/`, and `manifest.json` (last). Restore writes into a hidden folder beside the
target and renames it into place at the end, so a refused or interrupted restore leaves no
half-restored folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.exit import ExitCode, SrgError, os_error_text
from srgcli.workspace.files import sha256_of

if TYPE_CHECKING:
    from srgcli.workspace import Workspace

FORMAT = "srgcli-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# The folders of a workspace that go into a backup, besides the database and the config.
FOLDERS = ("reports", "acts", "outbox", "templates")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupResult:
    """What `backup` wrote, or what `restore` brought back."""

    archive: Path
    folder: Path
    files: int
    tickets: int
    schema_version: int


def default_name(moment: datetime) -> str:
    """srgcli-backup-YYYYMMDD-HHMMSS.tar.gz for the given local time."""
    return f"srgcli-backup-{moment:%Y%m%d-%H%M%S}.tar.gz"


def default_target(root: Path, cwd: Path, moment: datetime) -> Path:
    """The current folder, or the workspace's parent when the current folder is inside the
    workspace (a backup kept inside what it backs up would go into the next one)."""
    folder = cwd.resolve()
    if folder == root or folder.is_relative_to(root):
        folder = root.parent
    return folder / default_name(moment)


def make_backup(ws: Workspace, target: Path, moment: datetime) -> BackupResult:
    """Write the archive `target` (a new file, 0600) from the open workspace `ws`."""
    from srgcli import __version__
    from srgcli.workspace import CONFIG_NAME, health
    from srgcli.workspace.db import DB_NAME
    from srgcli.workspace.recover import out_of_step_items

    target = Path(os.path.abspath(target.expanduser()))
    if target.exists():
        raise SrgError(f"Файл {target} уже существует; копия не записана.", ExitCode.USAGE)
    if not target.parent.is_dir():
        raise SrgError(f"Папка {target.parent} не найдена; копия не записана.", ExitCode.USAGE)
    # What interrupted commands left (temporaries, intent records) is not backed up.
    skip = {ws.root / i.path for i in out_of_step_items(ws.root, ws.conn) if i.kind == "temporary"}
    skip.add(target)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".srgcli-backup-", dir=target.parent))
    except OSError as exc:
        raise _unwritable(target, exc) from exc
    partial = target.with_name(f".{target.name}.tmp")
    try:
        # The database first: every file its rows point at exists by then, and is copied
        # after it.
        health.copy_database(ws.conn, staging / DB_NAME)
        files = [DB_NAME]
        names = [CONFIG_NAME] + [
            p.relative_to(ws.root).as_posix()
            for folder in FOLDERS
            if not (ws.root / folder).is_symlink()
            for p in sorted((ws.root / folder).rglob("*"))
            if p.is_file() and not p.is_symlink() and skip.isdisjoint([p, *p.parents])
        ]
        for name in names:
            copy = staging / name
            copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                shutil.copyfile(ws.root / name, copy)
            except FileNotFoundError:
                continue  # removed while the backup ran (a temporary file)
            files.append(name)
        applied, _ = health.schema_state(ws.conn)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": moment.isoformat(timespec="seconds"),
            "srgcli": __version__,
            "schema_version": applied,
            "tickets": health.ticket_count(ws.conn),
            "files": [
                {"path": n, "size": (staging / n).stat().st_size, "sha256": sha256_of(staging / n)}
                for n in files
            ],
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                for name in [*files, MANIFEST]:
                    tar.add(staging / name, arcname=name, recursive=False, filter=_plain)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _unwritable(target, exc) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(target, ws.root, len(files), health.ticket_count(ws.conn), applied)


def _plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """No owner names or ids of this machine in the archive; owner-only modes."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _unwritable(target: Path, exc: OSError) -> SrgError:
    """The archive cannot be written: why, as for every file srgcli writes (a full disk says
    so), and where else to put it."""
    import errno

    from srgcli.exit import unwritable_reason

    full = exc.errno == errno.ENOSPC
    return SrgError(
        f"Не удалось записать копию {target}: {unwritable_reason(exc)}; копия не записана.",
        hint=(
            "Освободите место или укажите файл на другом диске" if full else "Укажите другой файл"
        )
        + ": srgcli backup ФАЙЛ.",
    )


def restore_backup(archive: Path, target: Path) -> BackupResult:
    """Restore `archive` into `target` (missing or empty): every file checked against the
    manifest and the database opened before the folder appears under its name."""
    target = Path(os.path.abspath(target.expanduser()))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SrgError(
            f"Папка {target} не пуста; восстанавливать можно только в новую или пустую папку.",
            hint="Укажите другую папку: srgcli restore АРХИВ НОВАЯ_ПАПКА.",
        )
    if not target.parent.is_dir():
        raise SrgError(f"Папка {target.parent} не найдена; ничего не восстановлено.")
    try:
        tar = tarfile.open(archive, mode="r:gz")  # noqa: SIM115 (closed below, on every path)
    except FileNotFoundError:
        raise SrgError(f"Файл {archive} не найден.") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise SrgError(
            f"{archive} — не архив srgcli backup или он повреждён ({type(exc).__name__})."
        ) from None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore-", dir=target.parent))
    except OSError as exc:
        tar.close()
        raise SrgError(
            f"Не удалось создать папку в {target.parent}: {os_error_text(exc)}."
        ) from exc
    try:
        with tar:
            manifest = _read_manifest(tar, archive)
            _extract_verified(tar, manifest, staging, archive)
        result = _check_restored(staging, archive, manifest)
        os.chmod(staging, 0o700)
        if target.exists():
            target.rmdir()
        os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        from srgcli.exit import unwritable_reason

        raise SrgError(
            f"Не удалось восстановить рабочую папку в {target}: {unwritable_reason(exc)}. "
            "Ничего не восстановлено."
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BackupResult(archive, target, result[0], result[1], result[2])


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        if handle is None:
            raise KeyError(MANIFEST)
        manifest: dict[str, Any] = json.loads(handle.read().decode("utf-8"))
    except (KeyError, ValueError, tarfile.TarError, OSError, EOFError):
        raise SrgError(
            f"{archive}: нет описи {MANIFEST} или она нечитаема — это не архив srgcli backup; "
            "ничего не восстановлено."
        ) from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if manifest.get("format") != FORMAT or not isinstance(files, list):
        raise SrgError(f"{archive}: это не архив srgcli backup; ничего не восстановлено.")
    if int(manifest.get("version", 0)) > FORMAT_VERSION:
        raise SrgError(
            f"{archive} сделан более новой версией srgcli; ничего не восстановлено.",
            hint="Обновите srgcli: pip install -U srgcli.",
        )
    return manifest


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _extract_verified(
    tar: tarfile.TarFile, manifest: dict[str, Any], staging: Path, archive: Path
) -> None:
    """Write every listed file into `staging` (0600, folders 0700), hashing as it goes; any
    file missing, extra, not a plain file or with another hash is an SrgError (exit 2)."""
    expected = {str(f.get("path")): str(f.get("sha256")) for f in manifest["files"]}
    seen: set[str] = set()
    for member in tar:
        name = member.name
        if name == MANIFEST:
            continue
        if name not in expected or not member.isfile() or not _safe_name(name) or name in seen:
            raise _mismatch(archive, f"лишний или недопустимый элемент «{name}»")
        source = tar.extractfile(member)
        if source is None:
            raise _mismatch(archive, f"«{name}» не читается")
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected[name]:
            path.unlink()  # not even in the hidden staging folder
            raise _mismatch(archive, f"сумма SHA-256 файла {name} не совпадает с описью")
        seen.add(name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise _mismatch(archive, f"в архиве нет файла {missing[0]}, указанного в описи")
    for folder in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
        os.chmod(folder, 0o700)


def _mismatch(archive: Path, what: str) -> SrgError:
    return SrgError(
        f"Архив {archive} не прошёл проверку: {what}. Ничего не восстановлено.",
        hint="Возьмите другую копию; этот архив повреждён или изменён.",
    )


def _check_restored(staging: Path, archive: Path, manifest: dict[str, Any]) -> tuple[int, int, int]:
    """Open the restored database (it becomes a WAL-mode srgcli database) and check it."""
    from srgcli.workspace import CONFIG_NAME, health
    from srgcli.workspace.db import DB_NAME, connect

    for name in (DB_NAME, CONFIG_NAME):
        if not (staging / name).is_file():
            raise _mismatch(archive, f"в архиве нет {name}")
    conn = connect(staging / DB_NAME)
    try:
        problems = health.integrity_problems(conn)
        tickets = health.ticket_count(conn)
        version, _ = health.schema_state(conn)
    finally:
        conn.close()
    if problems:
        raise _mismatch(archive, "база данных в архиве повреждена")
    for name in ("reports", "outbox"):
        (staging / name).mkdir(mode=0o700, exist_ok=True)
    for side in staging.glob(f"{DB_NAME}-*"):
        os.chmod(side, 0o600)
    return len(manifest["files"]), tickets, version
