"""Applying chosen corrections to a text (what `srgcli check --fix` writes)."""

from __future__ import annotations

from dataclasses import dataclass

from srgcli.gate.issue import Issue


@dataclass(frozen=True)
class Edit:
    """Replace text[offset:offset+length] with `replacement`."""

    offset: int
    length: int
    replacement: str

    @classmethod
    def from_issue(cls, issue: Issue, replacement: str) -> Edit:
        """The edit that applies one of an issue's suggestions."""
        return cls(issue.offset, issue.length, replacement)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """`text` with the edits applied; overlapping edits after the first are ignored."""
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda e: e.offset):
        if chosen and edit.offset < chosen[-1].offset + chosen[-1].length:
            continue
        chosen.append(edit)
    for edit in reversed(chosen):
        text = text[: edit.offset] + edit.replacement + text[edit.offset + edit.length :]
    return text
