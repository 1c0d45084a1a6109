"""File and folder names made from what users and the IS supply (ticket ids, template names)."""

from __future__ import annotations


def safe_part(text: str, *, strip_dots: bool = True) -> str:
    """`text` as one part of a path: every character but letters, digits, "-", "_" and "."
    becomes "_", so no "/" or control character gets into a name. With `strip_dots`, leading
    and trailing dots go too (no hidden file, no "..") and an empty result is "_"."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in text)
    if strip_dots:
        return safe.strip(".") or "_"
    return safe
