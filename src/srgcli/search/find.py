"""Searching a workspace: the query's words in each text field, hits ranked by bm25."""

from __future__ import annotations

from collections.abc import Callable, Collection
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from srgcli.exit import SrgError
from srgcli.search.query import match_expression, parse_query
from srgcli.workspace import search as index

if TYPE_CHECKING:
    from srgcli.workspace import Workspace

DEFAULT_LIMIT = 20
# What `search` runs around a rebuild of a stale index, given the rows to index (a status).
Refreshing = Callable[[int], AbstractContextManager[object]]
# Around a match in a snippet: private-use characters no text of the ИС carries.
_OPEN, _CLOSE = "\ue000", "\ue001"
SNIPPET_TOKENS = 16


@dataclass(frozen=True)
class SearchHit:
    """One text field that matches: where it is, a fragment of it, how well it matches."""

    kind: str
    ticket_id: str
    field: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # (start, length) of each match in `snippet`
    score: float  # bm25 relevance, higher is better
    contact_id: int | None = None


@dataclass(frozen=True)
class SearchResult:
    """The best hits (up to the limit), how many there are in all, and the words searched."""

    hits: list[SearchHit]
    total: int
    words: tuple[str, ...]


def search(
    ws: Workspace,
    query: str,
    *,
    kinds: Collection[str] | None = None,
    ticket_id: str | None = None,
    limit: int | None = DEFAULT_LIMIT,
    refreshing: Refreshing | None = None,
) -> SearchResult:
    """Find the query's words, in any form, in the workspace's texts; best matches first.

    `kinds` restricts to some of KINDS, `ticket_id` to one ticket, `limit` caps the hits
    (None: all). An empty query, an unknown kind or ticket is an SrgError (exit 2). An index
    that a first import left stale is rebuilt first, inside `refreshing(rows)` if given.
    """
    wanted = set(index.KINDS if kinds is None else kinds)
    unknown = wanted - set(index.KINDS)
    if unknown:
        raise SrgError(
            f"Неизвестный вид: {', '.join(sorted(unknown))}. Допустимо: {', '.join(index.KINDS)}."
        )
    if limit is not None and limit < 1:
        raise SrgError("Число результатов должно быть не меньше 1.")
    words = parse_query(query)
    if not words:
        raise SrgError(
            "Пустой запрос: в нём нет ни одного слова.",
            hint="Укажите слова для поиска, например: srgcli search оценщик осмотр",
        )
    conn = ws.conn
    if not index.index_exists(conn):
        raise SrgError(
            "Поиск недоступен: SQLite этой установки Python собран без модуля FTS5.",
            hint="Установите Python, чей модуль sqlite3 включает FTS5 (например, с python.org).",
        )
    if ticket_id is not None:
        from srgcli.tickets import require_ticket

        require_ticket(ws, ticket_id)
    refresh_index(ws, refreshing)
    by_kind: dict[str, list[SearchHit]] = {}
    total = 0
    for source in index.SOURCES:
        if source.kind not in wanted:
            continue
        rows, count = index.matches(
            conn,
            source,
            match_expression(words, source.column),
            ticket_id=ticket_id,
            limit=limit,
            marks=(_OPEN, _CLOSE),
            tokens=SNIPPET_TOKENS,
        )
        by_kind.setdefault(source.kind, []).extend(_hit(source, *row) for row in rows)
        total += count
    # bm25 counts a word's rarity per table, so scores of two kinds do not compare (a word in
    # most findings scores 1e-06 there however well it matches): the best of each kind come
    # first, then the second best of each, and so on.
    order = {kind: n for n, kind in enumerate(index.KINDS)}
    ranked = [
        (position, hit)
        for found in by_kind.values()
        for position, hit in enumerate(sorted(found, key=lambda h: -h.score))
    ]
    ranked.sort(key=lambda p: (p[0], order[p[1].kind], -p[1].score, p[1].ticket_id, p[1].field))
    hits = [hit for _position, hit in ranked]
    return SearchResult(
        hits=hits if limit is None else hits[:limit],
        total=total,
        words=tuple(w.text for w in words),
    )


def refresh_index(ws: Workspace, refreshing: Refreshing | None = None) -> bool:
    """Rebuild the index if a first import left it stale (see `srgcli.workspace.search`),
    inside `refreshing(rows to index)`; False when it was current."""
    rows = index.stale_rows(ws.conn)
    if rows is None:
        return False
    with nullcontext() if refreshing is None else refreshing(rows):
        index.refresh_index(ws.conn)
    return True


def _hit(
    source: index.Source, ticket: object, contact: object, marked: str, rank: float
) -> SearchHit:
    text, highlights = _unmark(marked)
    return SearchHit(
        kind=source.kind,
        ticket_id=str(ticket),
        field=source.column,
        snippet=text,
        highlights=highlights,
        score=round(-float(rank), 6),
        contact_id=None if contact is None else int(str(contact)),
    )


def _unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A snippet's plain text and its matches as (start, length), on one line: each run of
    spaces and line breaks becomes one space (a letter's paragraphs, too)."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for char in marked:
        if char == _OPEN:
            start = len(text)
        elif char == _CLOSE:
            if start is not None and len(text) > start:
                spans.append((start, len(text) - start))
            start = None
        elif char.isspace():
            if text and text[-1] != " ":
                text.append(" ")
        else:
            text.append(char)
    return "".join(text).rstrip(), tuple(spans)
