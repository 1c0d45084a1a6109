"""A report's file and its row, committed together.

The DOCX is rendered into `reports/<ticket>/.report-<token>.docx`, flushed to the disk, and
renamed over its final name inside the open transaction that records its row: the rename and
the commit succeed together or the previous state is put back. The previous file of the same
version is never deleted or renamed first: a hard link `.prev-<token>.docx` keeps its
contents until the new row is committed. A command killed anywhere in between leaves an
intent record (`workspace.files.intent`) from which the next open of the workspace puts things
right (`workspace.recover`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

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

TMP_PREFIX = ".report-"
PREV_PREFIX = ".prev-"


@contextmanager
def staged_report(ws: Workspace, ticket_id: str, version: int, target: Path) -> Iterator[Path]:
    """A new, empty, owner-only temporary file beside `target` to render into; removed when
    the block ends (on success it has become `target`). OSErrors propagate."""
    folder = private_dir(ws.root, target.parent)
    with intent(
        ws.root,
        "report",
        folder=folder.relative_to(ws.root).as_posix(),
        target=target.name,
        ticket=ticket_id,
        version=version,
    ) as record:
        tmp = folder / f"{TMP_PREFIX}{record.token}.docx"
        os.close(create_private(tmp))
        try:
            yield tmp
        finally:
            tmp.unlink(missing_ok=True)
            previous_link(tmp).unlink(missing_ok=True)


def previous_link(tmp: Path) -> Path:
    """Where the previous file of the version is kept while `tmp` replaces it."""
    return tmp.with_name(PREV_PREFIX + tmp.name.removeprefix(TMP_PREFIX))


def commit_report(ws: Workspace, tmp: Path, target: Path, record: Callable[[], None]) -> None:
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
