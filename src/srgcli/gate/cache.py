"""Sentence-level cache of gate results, kept in the workspace's `gate_cache` table.

The key (made by the gate) covers the engine, its version, the rule set, the dictionary and the
sentence, so a change to any of them simply misses; stale rows are harmless. The SQL lives in
`srgcli.workspace.gatestore`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from srgcli.gate.issue import Issue

if TYPE_CHECKING:
    import sqlite3


class GateCache:
    """Issues per sentence key; offsets relative to the sentence."""

    def __init__(self, conn: sqlite3.Connection, *, write_wait_ms: int | None = None):
        """`write_wait_ms`: wait at most that long for the database's write lock and skip
        storing when another command holds it longer; None: wait like any write."""
        self.conn = conn
        self.write_wait_ms = write_wait_ms
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: Iterable[str]) -> dict[int, list[Issue]]:
        """Cached issues by the position of their key in `keys`."""
        from srgcli.workspace.gatestore import cached_issues

        wanted = list(keys)
        found = {
            key: [Issue.from_json(i) for i in json.loads(text)]
            for key, text in cached_issues(self.conn, wanted).items()
        }
        result = {index: found[key] for index, key in enumerate(wanted) if key in found}
        self.hits += len(result)
        self.misses += len(wanted) - len(result)
        return result

    def put_many(self, items: Mapping[str, list[Issue]]) -> None:
        """Store fresh results in one transaction (or, with `write_wait_ms`, maybe not)."""
        from srgcli.workspace.gatestore import cache_issues, cache_issues_unless_busy

        rows = {
            key: json.dumps([i.to_json() for i in issues], ensure_ascii=False)
            for key, issues in items.items()
        }
        if self.write_wait_ms is None:
            cache_issues(self.conn, rows)
        else:
            cache_issues_unless_busy(self.conn, rows, self.write_wait_ms)

    def clear(self) -> int:
        """Forget every cached result; returns how many there were."""
        from srgcli.workspace.gatestore import clear_cache

        return clear_cache(self.conn)
