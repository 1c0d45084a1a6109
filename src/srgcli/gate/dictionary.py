"""The workspace dictionary: words the gate accepts (names, terms), kept in `dictionary`
(its SQL is in `srgcli.workspace.gatestore`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    import sqlite3

_VALID = re.compile(r"^[A-Za-zА-Яа-яЁё0-9]+(?:[-'.][A-Za-zА-Яа-яЁё0-9]+)*$")


@dataclass
class DictionaryChange:
    """What `dict add` / `dict remove` did."""

    changed: list[str]
    unchanged: list[str]


def list_words(conn: sqlite3.Connection) -> list[str]:
    """Every word of the dictionary, sorted."""
    from srgcli.workspace.gatestore import dictionary_words

    return dictionary_words(conn)


def _validated(words: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in words:
        word = raw.strip()
        if not _VALID.match(word):
            raise SrgError(
                f"«{raw}» не похоже на слово: допустимы буквы, цифры, дефис и апостроф, "
                "без пробелов.",
                ExitCode.USAGE,
            )
        if word not in cleaned:
            cleaned.append(word)
    if not cleaned:
        raise SrgError("Укажите хотя бы одно слово.", ExitCode.USAGE)
    return cleaned


def add_words(conn: sqlite3.Connection, words: Iterable[str]) -> DictionaryChange:
    """Add words (all or nothing); words already there are reported as unchanged."""
    from srgcli.workspace.gatestore import add_dictionary_words

    wanted = _validated(words)
    existing = set(list_words(conn))
    new = [w for w in wanted if w not in existing]
    add_dictionary_words(conn, new)
    return DictionaryChange(new, [w for w in wanted if w in existing])


def remove_words(conn: sqlite3.Connection, words: Iterable[str]) -> DictionaryChange:
    """Remove words (all or nothing); words not in the dictionary are reported as unchanged."""
    from srgcli.workspace.gatestore import remove_dictionary_words

    wanted = _validated(words)
    existing = set(list_words(conn))
    gone = [w for w in wanted if w in existing]
    remove_dictionary_words(conn, gone)
    return DictionaryChange(gone, [w for w in wanted if w not in existing])
