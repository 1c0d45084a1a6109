"""A document's file and its row, committed together: a report, or the monthly act.

The DOCX is rendered into `<folder>/.<kind>-<token>.docx` (`.report-…` in `reports/<ticket>/`,
`.act-…` in `acts/<year>/`), flushed to the disk, and renamed over its final name inside the
open transaction that records its row: the rename and the commit succeed together or the
previous state is put back. A previous file under the same name is never deleted or renamed
first: a hard link `.prev-<token>.docx` keeps its contents until the new row is committed. A
command killed anywhere in between leaves an intent record (`workspace.files.intent`) from
which the next open of the workspace puts things right (`workspace.recover`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.workspace.db import transaction
from srgcli.workspace.files import (
    create_private,
    fsync_dir,
    fsync_file,
    intent,
    private_dir,
    publish,
)

if TYPE_CHECKING:
    from srgcli.workspace import Workspace

PREV_PREFIX = ".prev-"


@contextmanager
def staged_file(ws: Workspace, kind: str, target: Path, **data: Any) -> Iterator[Path]:
    """A new, empty, owner-only temporary file beside `target` to render into, under an
    intent record of `kind` ("report", "act") carrying `data` (what recovery needs to find
    the row); removed when the block ends (on success it has become `target`). OSErrors
    propagate; a symbolic link in the way is refused (exit 2)."""
    folder = private_dir(ws.root, target.parent)
    relative = folder.relative_to(ws.root).as_posix()
    with intent(ws.root, kind, folder=relative, target=target.name, **data) as record:
        tmp = folder / temporary_name(kind, record.token)
        os.close(create_private(tmp))
        try:
            yield tmp
        finally:
            tmp.unlink(missing_ok=True)
            previous_link(tmp).unlink(missing_ok=True)


def temporary_name(kind: str, token: str) -> str:
    """The name a document of `kind` is rendered under before it is committed."""
    return f".{kind}-{token}.docx"


def previous_name(token: str) -> str:
    """The name the previous file under the target's name is kept under meanwhile."""
    return f"{PREV_PREFIX}{token}.docx"


def previous_link(tmp: Path) -> Path:
    """Where the previous file is kept while `tmp` replaces it."""
    return tmp.with_name(previous_name(tmp.name.split("-", 1)[1].removesuffix(".docx")))


def commit_file(ws: Workspace, tmp: Path, target: Path, record: Callable[[], None]) -> None:
    """Rename `tmp` over `target` inside the transaction in which `record()` writes the row.

    If the row, the rename or the commit fails, the previous file (or none) is back under
    `target` and the database is as it was.
    """
    fsync_file(tmp)
    prev = previous_link(tmp)
    kept = _keep_previous(target, prev)
    try:
        with transaction(ws.conn):
            record()
            publish(tmp, target)
    except BaseException:
        if not tmp.exists():  # renamed (an interrupt may come right after the rename)
            if kept:
                os.replace(prev, target)
            else:
                target.unlink(missing_ok=True)
            fsync_dir(target.parent)
        raise
    finally:
        prev.unlink(missing_ok=True)


def _keep_previous(target: Path, prev: Path) -> bool:
    """A second name for the file now at `target` (a hard link, or a copy where the file
    system has none); False when there is no previous file."""
    if not target.is_file():
        return False
    try:
        os.link(target, prev, follow_symlinks=False)
    except FileNotFoundError:
        return False
    except OSError:
        shutil.copyfile(target, prev)
        fsync_file(prev)
    fsync_dir(target.parent)
    return True
