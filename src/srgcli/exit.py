"""Exit codes that scripts rely on, and the one error type a user can cause."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, fixed by DESIGN.md."""

    OK = 0
    # Problems found: the gate refused, fields missing or invalid, records rejected.
    PROBLEMS = 1
    # Usage error or unreadable input (bad file, bad config, no workspace).
    USAGE = 2
    # A workflow precondition is not met (e.g. submit with no fresh report).
    PRECONDITION = 3
    # An external service failed (the ИС, a LanguageTool server).
    EXTERNAL = 4
    # A bug in srgcli itself (an unexpected exception); the message names only its type.
    INTERNAL = 70


class SrgError(Exception):
    """An error the user can cause: a Russian message and the exit code to leave with.

    The message is shown to the user as is; it must never contain personal data
    (client names, phones, e-mails), because it may end up in a terminal log.
    """

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint


class PreconditionError(SrgError):
    """The ticket is not at the stage the command needs."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, ExitCode.PRECONDITION, hint)


_ERRNO_TEXT = {
    "ENOENT": "нет такого файла или папки",
    "EACCES": "нет прав доступа",
    "EPERM": "операция не разрешена",
    "EROFS": "файловая система доступна только для чтения",
    "ENOSPC": "на диске нет места",
    "EEXIST": "уже существует",
    "ENOTDIR": "часть пути — файл, а не папка",
    "EISDIR": "это папка, а не файл",
}


def os_error_text(exc: OSError) -> str:
    """A Russian reason for a file-system error (Python's own text is English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _ERRNO_TEXT.get(name, exc.strerror or type(exc).__name__)


def unwritable_reason(exc: OSError, root: Path | None = None) -> str:
    """Why a file could not be written, naming the path at fault (relative to `root`).

    A file where a folder is expected makes mkdir() say "exists": that is put plainly.
    """
    import errno
    import os

    reason = os_error_text(exc)
    if exc.filename is None:
        return reason
    path = Path(os.fsdecode(exc.filename))
    if exc.errno == errno.EEXIST and path.exists() and not path.is_dir():
        reason = "на месте папки лежит файл"
    if root is not None and path.is_relative_to(root):
        path = path.relative_to(root)
    return f"{path.as_posix()} — {reason}"


def unwritable_error(
    root: Path, target: Path, exc: OSError, *, what: str, outcome: str, folder: str
) -> SrgError:
    """A file srgcli writes into the workspace cannot be written: the user's folder, not a bug
    (exit 2). `what` names the file («отчёт»), `outcome` says what was not done, `folder` is
    the workspace folder to check («reports/»)."""
    return SrgError(
        f"Не удалось записать {what} {target.relative_to(root).as_posix()}: "
        f"{unwritable_reason(exc, root)}. {outcome}",
        ExitCode.USAGE,
        hint=f"Проверьте, что папка {folder} рабочей папки — папка и доступна вам для записи.",
    )
