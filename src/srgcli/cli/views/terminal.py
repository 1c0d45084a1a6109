"""Terminal safety: text from tickets, files or the ИС never drives the terminal.

Every console srgcli prints through is a `SafeConsole`: whatever reaches it, control
characters (C0 except line feed and tab, DEL, C1), escape sequences and bidirectional
overrides are removed from the text before it is written; Rich's own styling is added
afterwards and is not touched. Values are stored as received; only their display is cleaned.
Values put inside markup strings must still pass through `rich.markup.escape` (or `safe`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from rich.segment import Segment
    from rich.text import Text

# Escape sequences first (so their parameters go too), then single control characters:
# CSI (ESC [ … final byte), OSC/DCS/APC/PM/SOS strings (ended by BEL or ESC \), any other ESC x,
# then C0 except \t and \n, DEL, C1, and the bidi embeddings, overrides and isolates.
_UNSAFE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b.?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]",
    re.DOTALL,
)


def clean(text: str) -> str:
    """`text` without control characters and escape sequences (line feeds and tabs kept)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub("", text)


def safe(value: object) -> str:
    """A received value ready to go inside a markup string: cleaned and markup escaped."""
    from rich.markup import escape

    return escape(clean(str(value)))


class SafeConsole(Console):
    """A Rich console that cleans every string it is given (before measuring, so tables keep
    their layout) and, as a last guard, the text of every segment it writes (see `clean`)."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(clean(text), **kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        from rich.segment import Segment

        return super()._render_buffer(
            segment if segment.control else Segment(clean(segment.text), segment.style)
            for segment in buffer
        )


# JSON escapes C0 itself; these are the characters it leaves raw with ensure_ascii=False.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """Encoded JSON with C1 controls and bidi overrides written as \\uXXXX (the same data)."""
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clean_with_spans(
    text: str, spans: Iterable[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """`clean(text)` with (start, length) spans moved to where their text now is."""
    removed = [(m.start(), m.end()) for m in _UNSAFE.finditer(text)]
    if not removed:
        return text, list(spans)

    def moved(offset: int) -> int:
        return offset - sum(min(end, offset) - start for start, end in removed if start < offset)

    shifted = []
    for start, length in spans:
        new_start = moved(start)
        shifted.append((new_start, moved(start + length) - new_start))
    return _UNSAFE.sub("", text), shifted
