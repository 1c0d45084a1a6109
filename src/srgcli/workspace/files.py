"""Writing files into the workspace so that a crash never leaves them out of step with the
database, and never through a symbolic link.

- `private_dir` creates a folder below the workspace root (and its missing parents) owner-only
  (0700), tolerating a concurrent creator, and refuses a symbolic link anywhere below the root.
- `create_private` opens a new file 0600 with O_EXCL | O_NOFOLLOW.
- `publish` renames a finished temporary file over its final name after fsync-ing it, then
  fsyncs the folder, so that the rename survives a power cut once it is done.
- `intent` records, in `.inflight/` of the workspace, which files a running `report` or
  `submit` may leave behind if it is killed. The record is locked (flock) for as long as the
  command runs: `workspace.recover` only ever looks at records nobody holds, so a command that
  is still running is never disturbed by another that opens the workspace.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from srgcli.exit import ExitCode, SrgError

# The folder of intent records, in the workspace root.
INFLIGHT = ".inflight"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def symlink_error(root: Path, path: Path) -> SrgError:
    """Exit 2: srgcli does not write through a symbolic link inside the workspace."""
    where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return SrgError(
        f"{where} в рабочей папке — символическая ссылка; srgcli не записывает файлы через "
        "ссылки, чтобы данные клиентов не оказались вне рабочей папки. Ничего не записано.",
        ExitCode.USAGE,
        hint=f"Удалите ссылку {where} (srgcli создаст на её месте обычную папку) "
        "или перенесите рабочую папку целиком.",
    )


def refuse_symlinks(root: Path, path: Path) -> None:
    """Refuse (exit 2) when any existing part of `path` below `root` is a symbolic link.

    The root itself may be a link (the user's choice of where the workspace lives); a path
    outside the root is not checked.
    """
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return
    current = root
    for part in parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return
        if stat.S_ISLNK(mode):
            raise symlink_error(root, current)


def private_dir(root: Path, folder: Path) -> Path:
    """`folder` (below `root`) and its missing parents created 0700; an existing one is kept
    as it is. Safe when another process creates the same folder at the same moment; a
    symbolic link on the way is refused (exit 2). Other OSErrors propagate."""
    refuse_symlinks(root, folder)
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        try:
            os.mkdir(current, 0o700)
        except FileExistsError:
            mode = os.lstat(current).st_mode
            if stat.S_ISLNK(mode):
                raise symlink_error(root, current) from None
            if not stat.S_ISDIR(mode):  # a file in the folder's place: as mkdir() says it
                raise FileExistsError(errno.EEXIST, "File exists", str(current)) from None
            continue
        os.chmod(current, 0o700)  # whatever the umask took away
    return folder


def create_private(path: Path) -> int:
    """A new file opened for writing, owner-only; never an existing file or a link."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def fsync_file(path: Path) -> None:
    """Flush a file's contents to the disk."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to the disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


def publish(tmp: Path, target: Path) -> None:
    """Rename the finished `tmp` over `target` (same folder) and make the rename durable."""
    os.replace(tmp, target)
    fsync_dir(target.parent)


def write_private(path: Path, data: bytes) -> None:
    """`data` into the new file `path` (0600), flushed to the disk."""
    fd = create_private(path)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def save_private(target: Path, data: bytes, what: str) -> None:
    """`data` as the file `target`, made or replaced whole (a temporary file in the same folder,
    flushed, then renamed): owner-only (0600, missing folders 0700). Exit 2 naming `what` («лист
    звонка», «письмо») when the place cannot be written. For files the user asks for, inside
    or outside the workspace (`--output`)."""
    import tempfile

    from srgcli.exit import os_error_text

    tmp: Path | None = None
    try:
        for folder in reversed([target.parent, *target.parent.parents]):
            if not folder.exists():
                folder.mkdir(mode=0o700)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        publish(tmp, target)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise SrgError(
            f"Не удалось записать {what} в {target}: {os_error_text(exc)}.",
            ExitCode.USAGE,
            hint="Укажите другой путь: --output ПУТЬ",
        ) from None


@overload
def sha256_of(path: Path) -> str: ...
@overload
def sha256_of(path: Path, *, missing_ok: Literal[True]) -> str | None: ...


def sha256_of(path: Path, *, missing_ok: bool = False) -> str | None:
    """The hex sha256 of a file, read in blocks. With `missing_ok`, None when there is no
    such regular file (instead of the OSError)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        if missing_ok:
            return None
        raise
    return digest.hexdigest()


def copy_private(source: Path, target: Path) -> None:
    """A copy of `source` as the new file `target` (0600), flushed to the disk."""
    import shutil

    fd = create_private(target)
    with os.fdopen(fd, "wb") as sink, source.open("rb") as data:
        shutil.copyfileobj(data, sink)
        sink.flush()
        os.fsync(sink.fileno())


@dataclass(frozen=True)
class Intent:
    """A running command's record of what it may leave behind; `token` names its temporaries."""

    token: str
    path: Path
    data: dict[str, Any]


def _lock(fd: int, *, wait: bool) -> bool:
    """An exclusive lock on the open record; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock: records are taken as held
        return wait
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextmanager
def intent(root: Path, kind: str, **data: Any) -> Iterator[Intent]:
    """Record (locked, for the duration of the block) what this command is about to write.

    The record is written under a dot name, locked, flushed and only then renamed into
    place, so a reader never sees it half-written. It is removed when the block ends,
    however it ends; a killed process leaves it for `workspace.recover`.
    """
    folder = private_dir(root, root / INFLIGHT)
    token = secrets.token_hex(8)
    record = {"kind": kind, "token": token, "pid": os.getpid(), **data}
    final = folder / f"{kind}-{token}.json"
    staged = folder / f".{final.name}"
    fd = create_private(staged)
    try:
        _lock(fd, wait=True)
        os.write(fd, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
        os.replace(staged, final)
        try:
            yield Intent(token, final, record)
        finally:
            final.unlink(missing_ok=True)
    finally:
        staged.unlink(missing_ok=True)
        os.close(fd)


def abandoned(root: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """The intent records left by commands that are no longer running, each locked by this
    process while the caller handles it; the caller removes a record it has dealt with.

    Cheap when there are none: one listing of `.inflight/`.
    """
    folder = root / INFLIGHT
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
        except OSError:
            continue
        try:
            if not _lock(fd, wait=False):
                continue  # its command is still running
            try:
                same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                continue  # handled by another process meanwhile
            if not same:
                continue
            if entry.name.startswith("."):
                # A record never put in place: its command wrote nothing yet. An empty one
                # may be a command between creating and locking it: left for a minute.
                info = os.fstat(fd)
                if info.st_size or time.time() - info.st_mtime > 60:
                    path.unlink(missing_ok=True)
                continue
            try:
                record = json.loads(os.read(fd, 1 << 20).decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                record = {}
            yield (record if isinstance(record, dict) else {}), path
        finally:
            os.close(fd)


def running(root: Path) -> list[dict[str, Any]]:
    """The intent records of commands still running (held locked by them)."""
    found: list[dict[str, Any]] = []
    try:
        entries = list(os.scandir(root / INFLIGHT))
    except OSError:
        return found
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
        except OSError:
            continue
        try:
            if _lock(fd, wait=False):
                continue  # nobody holds it (this process's own lock is released on close)
            record = json.loads(os.read(fd, 1 << 20).decode("utf-8"))
            if isinstance(record, dict):
                found.append(record)
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        finally:
            os.close(fd)
    return found
