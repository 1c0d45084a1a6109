"""The workspace: a folder with `srgcli.toml`, `srgcli.db`, `reports/` and `outbox/`.

Found like git finds a repository: upward from the current folder, unless `--workspace`
or `SRGCLI_WORKSPACE` names it.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from srgcli.exit import ExitCode, SrgError, os_error_text
from srgcli.workspace.config import CONFIG_NAME, Config, default_config_text, load_config
from srgcli.workspace.db import DB_NAME, connect, create_db_file, ensure_private

ENV_VAR = "SRGCLI_WORKSPACE"
SUBFOLDERS = ("reports", "outbox")


@dataclass
class Workspace:
    """An open workspace: its folder, config and database connection."""

    root: Path
    config: Config
    conn: sqlite3.Connection
    # What opening it put right after an interrupted command (Russian, for stderr).
    notes: list[str] = field(default_factory=list)

    @property
    def db_path(self) -> Path:
        """The SQLite file."""
        return self.root / DB_NAME

    @property
    def reports_dir(self) -> Path:
        """Where generated reports go."""
        return self.root / "reports"

    @property
    def outbox_dir(self) -> Path:
        """Where submissions to the outbox channel go."""
        return self.root / "outbox"

    @cached_property
    def calendar(self) -> Any:
        """The business calendar configured for this workspace."""
        return self.config.calendar()

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def find_root(start: Path | None = None, override: str | Path | None = None) -> Path:
    """The workspace folder: `override`, else $SRGCLI_WORKSPACE, else upward from `start`."""
    explicit = override or os.environ.get(ENV_VAR)
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise SrgError(
                f"Папка {root} — не рабочая папка srgcli: нет файла {CONFIG_NAME}.",
                ExitCode.USAGE,
                hint=f"Создайте её: srgcli init {root}",
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise SrgError(
        "Рабочая папка srgcli не найдена ни здесь, ни выше по дереву папок.",
        ExitCode.USAGE,
        hint="Создайте её командой srgcli init [ПАПКА] или укажите --workspace ПАПКА.",
    )


def open_workspace(root: Path, *, new: bool = False) -> Workspace:
    """Load the config and open the database of the workspace in `root` (`new`: the empty
    database `init` has just created, which gets its schema now); work a killed command left
    half done is recovered first (see workspace.recover)."""
    from srgcli.workspace.recover import recover

    config = load_config(root / CONFIG_NAME)
    conn = connect(root / DB_NAME, new=new)
    ws = Workspace(root=root, config=config, conn=conn)
    ws.notes.extend(recover(ws))
    return ws


def create_workspace(root: Path, config_text: str | None = None) -> Workspace:
    """Create a new workspace in `root` (created if needed); refuses an existing one.

    On failure nothing that this call created is left behind.
    """
    root = root.expanduser().resolve()
    if (root / CONFIG_NAME).exists() or (root / DB_NAME).exists():
        raise SrgError(
            f"Папка {root} уже является рабочей папкой srgcli; ничего не изменено.",
            ExitCode.USAGE,
            hint="Чтобы начать заново, выберите другую папку.",
        )
    from srgcli.workspace.files import INFLIGHT, private_dir

    created: list[Path] = []
    try:
        if not root.exists():
            try:
                root.mkdir(parents=True, mode=0o700)
                created.append(root)
            except FileExistsError:
                pass  # another `init` made it a moment ago
        if not os.access(root, os.W_OK):
            raise SrgError(f"Нет прав на запись в папку {root}.", ExitCode.USAGE)
        ensure_private(root)  # client data: owner only, even in an existing 0777 folder
        for name in (*SUBFOLDERS, INFLIGHT):
            sub = root / name
            try:
                os.mkdir(sub, 0o700)
                created.append(sub)
            except FileExistsError:
                private_dir(root, sub)  # refuses a link or a file in its place
            ensure_private(sub)
        config_path = root / CONFIG_NAME
        try:
            fd = os.open(config_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            # Another `init` of the same folder won the race: its folders stay.
            created.clear()
            raise SrgError(
                f"Папка {root} уже является рабочей папкой srgcli; ничего не изменено.",
                ExitCode.USAGE,
            ) from None
        created.append(config_path)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(config_text if config_text is not None else default_config_text())
        db_path = root / DB_NAME
        create_db_file(db_path)
        created.append(db_path)
        return open_workspace(root, new=True)
    except PermissionError as exc:
        _remove(created)
        raise SrgError(
            f"Нет прав на запись: {exc.filename or root}.",
            ExitCode.USAGE,
            hint="Выберите папку, в которую у вас есть право записи.",
        ) from exc
    except OSError as exc:
        _remove(created)
        raise SrgError(
            f"Не удалось создать рабочую папку {root}: {os_error_text(exc)}.", ExitCode.USAGE
        ) from exc
    except BaseException:
        _remove(created)
        raise


def _remove(paths: list[Path]) -> None:
    for path in reversed(paths):
        try:
            if path.is_dir():
                for extra in path.glob("srgcli.db-*"):
                    extra.unlink()
                path.rmdir()
            else:
                path.unlink()
                for suffix in ("-wal", "-shm"):
                    side = path.with_name(path.name + suffix)
                    if side.exists():
                        side.unlink()
        except OSError:
            pass
