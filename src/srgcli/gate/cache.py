"""Sentence-level cache of gate results in the workspace's `gate_cache` table.

The key (made by the gate) covers the engine, its version, the rule set, the dictionary and the
sentence, so a change to any of them simply misses; stale rows are harmless.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

from srgcli.gate.engine import Issue

# SQLite's default limit on host parameters is 999 on older builds.
_CHUNK = 500


class GateCache:
    """Issues per sentence key; offsets relative to the sentence."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: Iterable[str]) -> dict[int, list[Issue]]:
        """Cached issues by the position of their key in `keys`."""
        wanted = list(keys)
        found: dict[str, list[Issue]] = {}
        unique = list(dict.fromkeys(wanted))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"select key, issues from gate_cache where key in ({marks})", chunk
            ):
                found[row[0]] = [Issue.from_json(i) for i in json.loads(row[1])]
        result = {index: found[key] for index, key in enumerate(wanted) if key in found}
        self.hits += len(result)
        self.misses += len(wanted) - len(result)
        return result

    def put_many(self, items: Mapping[str, list[Issue]]) -> None:
        """Store fresh results in one transaction."""
        from srgcli.calendar import now
        from srgcli.workspace.db import transaction

        stamp = now().isoformat()
        rows = [
            (key, json.dumps([i.to_json() for i in issues], ensure_ascii=False), stamp)
            for key, issues in items.items()
        ]
        with transaction(self.conn):
            self.conn.executemany(
                "insert or replace into gate_cache (key, issues, created_at) values (?, ?, ?)",
                rows,
            )

    def clear(self) -> int:
        """Forget every cached result; returns how many there were."""
        from srgcli.workspace.db import transaction

        with transaction(self.conn):
            return self.conn.execute("delete from gate_cache").rowcount
