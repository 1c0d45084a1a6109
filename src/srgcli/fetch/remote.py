"""`fetch` from the configured ИС: everything is downloaded first and imported in one
transaction afterwards, so an unreachable ИС, a refused token or an answer that is not JSON
writes nothing (exit 4)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srgcli.fetch.importer import Importer
    from srgcli.fetch.summary import FetchSummary
    from srgcli.isapi import IsClient
    from srgcli.workspace import Workspace

STATE_LAST_FETCH = "is.last_fetch"
SOURCE_NAME = "ИС"


def download(ws: Workspace, client: IsClient, since: str | None) -> list[Any]:
    """The listed tickets with their histories attached (fetched when not inline)."""
    from srgcli.normalize.mapping import ColumnMapper

    mapper = ColumnMapper(ws.config.section("fetch.mapping"))
    records: list[Any] = []
    for item in client.tickets(since):
        if isinstance(item, dict):
            mapped = mapper.map(item)
            if mapped.get("history") is None and mapped.get("id") not in (None, ""):
                events = client.history(mapped)
                if events:
                    item = {**item, "history": events}
        records.append(item)
    return records


def fetch_from_is(
    ws: Workspace,
    *,
    strict: bool = False,
    dry_run: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchSummary:
    """Fetch from the configured ИС and import in one transaction; remembers the time."""
    from srgcli.calendar import now_iso
    from srgcli.fetch.batch import run_batch
    from srgcli.fetch.files import SourceRecord
    from srgcli.isapi import IsClient, find_token, settings_of
    from srgcli.workspace import reads, writes

    settings = settings_of(ws)
    started = now_iso()
    since = reads.get_state(ws, STATE_LAST_FETCH)
    client = IsClient(settings, find_token(settings), sleep=sleep)
    try:
        records = download(ws, client, since)
    finally:
        client.close()

    def body(importer: Importer) -> None:
        importer.feed(
            (SourceRecord(SOURCE_NAME, n, item) for n, item in enumerate(records, start=1)),
            source_label="is",
        )
        writes.set_state(ws.conn, STATE_LAST_FETCH, started)

    return run_batch(ws, body, strict=strict, dry_run=dry_run)
