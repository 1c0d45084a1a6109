"""What a fetch did: counts, conflicts, rejected records and warnings, and its JSON shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rejection:
    """A record that did not go in: where it was and why (no personal data)."""

    source: str
    line: int | None
    reason: str
    # The record's number in a JSON array (records of a one-line array share a line).
    position: int | None = None

    def order(self) -> tuple[bool, int, int]:
        """Where the record was in its source, for listing rejections in file order."""
        return (self.line is None, self.line or 0, self.position or 0)


@dataclass(frozen=True)
class FetchWarning:
    """Something the user should know about a source that still went in (no personal data)."""

    source: str
    line: int | None
    message: str


@dataclass(frozen=True)
class Conflict:
    """The ИС sent a value for a field the executor set with `fill`; the executor's is kept."""

    ticket_id: str
    field: str
    executor_value: str | None
    is_value: str | None


@dataclass
class FetchSummary:
    """What a fetch did (or, with --dry-run or an aborted --strict batch, would have done)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events_added: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[FetchWarning] = field(default_factory=list)
    dry_run: bool = False
    aborted: bool = False

    @property
    def written(self) -> bool:
        """True when the changes were committed."""
        return not (self.dry_run or self.aborted)


def summary_json(summary: FetchSummary) -> dict[str, Any]:
    """`fetch --json` as DESIGN.md fixes it, plus "warnings" (records that went in with a
    caveat, sources that held nothing)."""
    return {
        "new": summary.new,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "conflicts": [
            {
                "ticket_id": c.ticket_id,
                "field": c.field,
                "executor_value": c.executor_value,
                "is_value": c.is_value,
            }
            for c in summary.conflicts
        ],
        "rejected": [
            {"source": r.source, "line": r.line, "reason": r.reason} for r in summary.rejected
        ],
        "warnings": [
            {"source": w.source, "line": w.line, "message": w.message} for w in summary.warnings
        ],
    }
