"""Running a fetch: sources opened, fed to an Importer, committed or rolled back as one batch."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import IO

from srgcli.fetch.files import Reader, open_source
from srgcli.fetch.importer import COMMAND, Importer
from srgcli.fetch.summary import FetchSummary
from srgcli.normalize.mapping import ColumnMapper
from srgcli.workspace import Workspace, bulk
from srgcli.workspace.db import bulk_writes

# Page cache for an import (KiB, as SQLite's negative cache_size): with the default 2 MB the
# index pages are spilled to the WAL again and again during a large import.
IMPORT_CACHE_KIB = 32_000
UNKNOWN_COLUMNS_SHOWN = 20

# Progress callback: (source name, bytes done, bytes in total or None).
ProgressHook = Callable[[str, int, int | None], None]


def run_batch(
    ws: Workspace,
    body: Callable[[Importer], None],
    *,
    strict: bool = False,
    dry_run: bool = False,
    command: str = COMMAND,
) -> FetchSummary:
    """Run `body` with an Importer in one transaction: committed, or rolled back for
    --dry-run, for --strict with rejections, and on any error."""
    # An import allocates millions of short-lived dicts, lists and tuples and builds no
    # reference cycles: the cyclic collector would only rescan them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with bulk_writes(ws.conn), bulk.page_cache(ws.conn, IMPORT_CACHE_KIB):
            return _in_transaction(ws, body, strict=strict, dry_run=dry_run, command=command)
    finally:
        if collecting:
            gc.enable()


def _in_transaction(
    ws: Workspace,
    body: Callable[[Importer], None],
    *,
    strict: bool,
    dry_run: bool,
    command: str,
) -> FetchSummary:
    with bulk.batch_transaction(ws.conn) as batch:
        importer = Importer(ws, command=command)
        body(importer)
        importer.close()
        summary = importer.summary
        summary.dry_run = dry_run
        summary.aborted = strict and bool(summary.rejected)
        batch.commit = summary.written
    return summary


def import_files(
    ws: Workspace,
    sources: Sequence[str],
    *,
    history: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    stdin: IO[bytes] | None = None,
    progress: ProgressHook | None = None,
) -> FetchSummary:
    """Import tickets from export files (and '-' for stdin), then an optional history file.

    A file that cannot be parsed raises BrokenSource and nothing is written.
    """
    readers: list[Reader] = []
    try:
        for name in sources:
            readers.append(open_source(name, stdin))
        history_reader = open_source(history, stdin) if history else None
    except BaseException:
        for reader in readers:
            reader.close()
        raise
    return import_readers(
        ws, readers, history_reader, strict=strict, dry_run=dry_run, progress=progress
    )


def import_readers(
    ws: Workspace,
    readers: Sequence[Reader],
    history_reader: Reader | None = None,
    *,
    strict: bool = False,
    dry_run: bool = False,
    progress: ProgressHook | None = None,
    source_label: str | None = None,
    command: str = COMMAND,
) -> FetchSummary:
    """Import from open readers in one transaction; the readers are closed afterwards."""

    def body(importer: Importer) -> None:
        for reader in readers:
            label = source_label or ("stdin" if reader.format == "stdin" else reader.name)

            def tick(reader: Reader = reader) -> None:
                if progress is not None:
                    progress(reader.name, reader.position, reader.size)

            importer.start_source()
            read = importer.feed(
                reader.records(), source_label=label, on_chunk=tick, empty=reader.empty
            )
            for line, message in reader.warnings:
                importer.warn(reader.name, line, message)
            if not read:
                importer.warn(reader.name, None, _nothing_in(reader, "ни одной заявки"))
            _warn_unknown(importer, reader.name, reader, importer.mapper, "заявки")
        if history_reader is not None:
            importer.event_mapper.start_source()
            rows = importer.feed_history(history_reader.records())
            if not rows:
                importer.warn(
                    history_reader.name, None, _nothing_in(history_reader, "ни одного события")
                )
            _warn_unknown(
                importer, history_reader.name, history_reader, importer.event_mapper, "события"
            )

    try:
        return run_batch(ws, body, strict=strict, dry_run=dry_run, command=command)
    finally:
        for reader in readers:
            reader.close()
        if history_reader is not None:
            history_reader.close()


def _warn_unknown(
    importer: Importer, label: str, reader: Reader, mapper: ColumnMapper, entity: str
) -> None:
    """One warning per source naming the columns that went into no field of the `entity`
    (headers are not personal data); their values stay in the record as received."""
    unknown = mapper.unknown_keys()
    if not unknown:
        return
    names = ", ".join(f"«{name}»" for name in unknown[:UNKNOWN_COLUMNS_SHOWN])
    if len(unknown) > UNKNOWN_COLUMNS_SHOWN:
        names += f" и ещё {len(unknown) - UNKNOWN_COLUMNS_SHOWN}"
    table = reader.format in ("csv", "xlsx")
    if len(unknown) == 1:
        noun = "неизвестный столбец" if table else "неизвестный ключ"
        message = (
            f"{noun} {names} не загружен в поля {entity} "
            "(его значения сохранены только в исходной записи)"
        )
    else:
        noun = "неизвестные столбцы" if table else "неизвестные ключи"
        message = (
            f"{noun} {names} не загружены в поля {entity} "
            "(их значения сохранены только в исходной записи)"
        )
    if entity == "заявки":  # [fetch.mapping] maps ticket columns only
        them = "это поле" if len(unknown) == 1 else "это поля"
        message += (
            f"; если {them} заявки, сопоставьте в srgcli.toml, раздел [fetch.mapping]: "
            f'"{unknown[0]}" = "поле"'
        )
    importer.warn(label, None, message)


def _nothing_in(reader: Reader, what: str) -> str:
    """The notice for a source that held no records (not an error: exit 0)."""
    place = "на стандартном вводе" if reader.format == "stdin" else "в файле"
    return f"{place} нет {what}"
