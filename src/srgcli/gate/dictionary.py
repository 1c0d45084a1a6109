"""The workspace dictionary: words the gate accepts (names, terms), kept in `dictionary`."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from srgcli.exit import ExitCode, SrgError

_VALID = re.compile(r"^[A-Za-zА-Яа-яЁё0-9]+(?:[-'.][A-Za-zА-Яа-яЁё0-9]+)*$")


@dataclass
class DictionaryChange:
    """What `dict add` / `dict remove` did."""

    changed: list[str]
    unchanged: list[str]


def list_words(conn: sqlite3.Connection) -> list[str]:
    """Every word of the dictionary, sorted."""
    return [r[0] for r in conn.execute("select word from dictionary order by word")]


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
    from srgcli.calendar import now
    from srgcli.workspace import audit
    from srgcli.workspace.db import transaction

    wanted = _validated(words)
    existing = set(list_words(conn))
    new = [w for w in wanted if w not in existing]
    with transaction(conn):
        for word in new:
            conn.execute(
                "insert into dictionary (word, added_at) values (?, ?)",
                (word, now().isoformat()),
            )
            audit.record(conn, command="dict add", ticket_id=None, entity="dictionary", new=word)
    return DictionaryChange(new, [w for w in wanted if w in existing])


def remove_words(conn: sqlite3.Connection, words: Iterable[str]) -> DictionaryChange:
    """Remove words (all or nothing); words not in the dictionary are reported as unchanged."""
    from srgcli.workspace import audit
    from srgcli.workspace.db import transaction

    wanted = _validated(words)
    existing = set(list_words(conn))
    gone = [w for w in wanted if w in existing]
    with transaction(conn):
        for word in gone:
            conn.execute("delete from dictionary where word = ?", (word,))
            audit.record(conn, command="dict remove", ticket_id=None, entity="dictionary", old=word)
    return DictionaryChange(gone, [w for w in wanted if w not in existing])
