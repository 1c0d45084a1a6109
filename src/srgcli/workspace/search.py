"""Full-text search over the workspace's texts: complaints, findings, contacts, letters and
settlements (`srgcli search`).

Design. The texts are indexed as written, in FTS5 tables that sqlite-utils' `enable_fts`
creates beside each table (`tickets_fts`, `findings_fts`, `contacts_fts`, `resolutions_fts`:
external content, rowid-keyed) with its insert, update and delete triggers, so every write
path — fetch's bulk inserts, fill, review, contact-log, even plain SQL — keeps the index
current without knowing it exists (the update triggers watch only the indexed columns, and
fetch's first import into an empty workspace indexes its tickets at once at the end instead:
`defer_ticket_index`). Russian is handled when a query is read, not in the index:
each query word becomes an OR-group of every form of its lexeme from pymorphy3's dictionary
(«оценщика» → оценщик, оценщика, оценщику, …, so it finds «оценщик»; «осмотра» finds
«осмотр»), each form with «ё» also spelt with «е»; words the dictionary does not know (names,
abbreviations, a word cut short) are searched as a prefix («ЕГРН» finds «ЕГРНу», «оцен» finds
«оценщик»), and a trailing `*` asks for a prefix explicitly.

Why this and not a stemmer in the index: SQLite has no Russian stemmer, and Python's sqlite3
cannot register an FTS5 tokenizer, so lemmas in the index would have to be computed in Python
on every write — which SQL triggers cannot do, and every other write path would have to
remember. Query-time expansion keeps the index plain `unicode61` text, maintained by SQL
alone, and the morphology in one function that a test can read. The tokenizer is `unicode61`
with `remove_diacritics 0`: SQLite's diacritic folding covers Latin letters only (checked on
3.40: «й» stays «й» and «ё» stays «ё» with any setting), so it cannot merge «ё» and «е» — the
query does that — and with 0 no future folding can merge «й» with «и» («мой» ≠ «мои»).

A hit is one text field that contains every word of the query (service words — prepositions,
conjunctions, particles — are left out when the query has others), ranked by FTS5's bm25.
Query text is never passed to FTS5 as syntax: only words (letters and digits) are taken from
it, each quoted, so quotes, `-`, `NEAR`, `AND`, brackets or a lone `*` cannot break a query.

Caveats: the index is keyed by rowid, and `tickets`, `findings` and `resolutions` have text
keys, so a `VACUUM` that renumbered rowids would need `rebuild_index()` afterwards (srgcli
never vacuums); writes to these tables must not use `INSERT OR REPLACE`, whose implicit delete
fires no trigger while `recursive_triggers` is off (srgcli uses `ON CONFLICT … DO UPDATE`).
Where SQLite lacks FTS5 the migration creates nothing and `search` says so.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from srgcli.exit import SrgError

if TYPE_CHECKING:
    from srgcli.workspace import Workspace

# What a hit can be, in the order results of equal rank are listed.
KINDS = ("complaint", "finding", "contact", "letter", "resolution")


@dataclass(frozen=True)
class Source:
    """One searchable text field: which kind of hit it gives, and where it is stored."""

    kind: str
    table: str
    column: str
    ticket_column: str = "ticket_id"


SOURCES: tuple[Source, ...] = (
    Source("complaint", "tickets", "complaint_text", ticket_column="id"),
    Source("complaint", "tickets", "client_demand", ticket_column="id"),
    Source("finding", "findings", "description"),
    Source("finding", "findings", "root_cause"),
    Source("finding", "findings", "corrective_action"),
    Source("contact", "contacts", "summary"),
    Source("letter", "contacts", "text"),
    Source("resolution", "resolutions", "summary"),
)

DEFAULT_LIMIT = 20
# Words of this many letters or more that the dictionary does not know are searched as a
# prefix; shorter ones («кв», «м») only as written, or they would match half the index.
MIN_PREFIX = 3
# Part-of-speech tags of words a query can do without («по», «и», «не»).
_SERVICE_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
# FTS5's operators, typed in capitals by someone who expects them to work: left out like
# service words, since they are not operators here (every word is required).
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
# Around a match in a snippet: private-use characters no text of the ИС carries.
_OPEN, _CLOSE = "\ue000", "\ue001"
SNIPPET_TOKENS = 16
_WORD = re.compile(r"[^\W_]+(\*?)")


def indexed_columns(sources: Sequence[Source] = SOURCES) -> dict[str, tuple[str, ...]]:
    """Table -> the columns its FTS table indexes, in index order (what migrations create)."""
    columns: dict[str, tuple[str, ...]] = {}
    for source in sources:
        columns[source.table] = (*columns.get(source.table, ()), source.column)
    return columns


# --- the index -------------------------------------------------------------------------


def fts5_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has the FTS5 extension built in."""
    return bool(conn.execute("select sqlite_compileoption_used('ENABLE_FTS5')").fetchone()[0])


def create_index(
    conn: sqlite3.Connection, tables: Mapping[str, Sequence[str]], tokenize: str
) -> bool:
    """Create the FTS5 tables and their triggers with sqlite-utils and index the rows already
    stored, inside the caller's transaction. False (nothing created) without FTS5."""
    if not fts5_available(conn):
        return False
    import sqlite_utils

    # recursive_triggers off: the pragma would change how srgcli's own triggers fire on this
    # connection; plugins are not srgcli's to run.
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    for table, columns in tables.items():
        db.table(table).enable_fts(
            list(columns), fts_version="FTS5", create_triggers=True, tokenize=tokenize
        )
        _narrow_update_trigger(conn, table, columns)
    return True


def _narrow_update_trigger(conn: sqlite3.Connection, table: str, columns: Sequence[str]) -> None:
    """Make sqlite-utils' update trigger fire only when an indexed column changes.

    As created it re-indexes the row on any update, and tickets are updated for every event,
    contact or verdict (their revision); FTS5 writes its pending terms out at the end of
    each statement, so that would cost a disk write per event imported. Should the trigger's
    text ever differ from what is expected here, it is kept as it is: slower, still right.
    """
    name = f"{table}_au"
    row = conn.execute(
        "select sql from sqlite_master where type = 'trigger' and name = ?", (name,)
    ).fetchone()
    clause = f'AFTER UPDATE ON "{table}" BEGIN'
    if row is None or clause not in row[0]:
        return
    watched = ", ".join(f'"{c}"' for c in columns)
    conn.execute(f'drop trigger "{name}"')
    conn.execute(row[0].replace(clause, f'AFTER UPDATE OF {watched} ON "{table}" BEGIN', 1))


def defer_ticket_index(conn: sqlite3.Connection) -> list[str]:
    """For a bulk import into an empty tickets table: drop the index's triggers on tickets
    and return the statements that index every row at once and bring the triggers back, to
    run after the import in the same transaction (`fetch` does, with its deferred indexes).

    FTS5 writes its pending terms out at the end of every statement, so indexing row by row
    through a trigger makes a first import of 100,000 tickets about twice as slow; one
    `rebuild` at the end takes a fraction of that.
    """
    triggers = conn.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'tickets' "
        "and name in ('tickets_ai', 'tickets_au', 'tickets_ad') order by name"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'drop trigger "{name}"')
    if not triggers:
        return []
    return ["insert into tickets_fts (tickets_fts) values ('rebuild')", *(t[1] for t in triggers)]


def index_exists(conn: sqlite3.Connection) -> bool:
    """Whether the search index tables are there (absent only where SQLite lacks FTS5)."""
    names = {f"{table}_fts" for table in indexed_columns()}
    found = conn.execute(
        f"select count(*) from sqlite_master where type = 'table' "
        f"and name in ({', '.join('?' for _ in names)})",
        tuple(names),
    ).fetchone()[0]
    return int(found) == len(names)


def rebuild_index(conn: sqlite3.Connection) -> None:
    """Rebuild every FTS table from its content table (after a VACUUM renumbered rowids)."""
    for table in indexed_columns():
        conn.execute(f"insert into {table}_fts ({table}_fts) values ('rebuild')")


def check_index(conn: sqlite3.Connection) -> None:
    """FTS5's own check that each index matches its table; sqlite3.DatabaseError if not."""
    for table in indexed_columns():
        conn.execute(f"insert into {table}_fts ({table}_fts, rank) values ('integrity-check', 1)")


# --- the query -------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryWord:
    """One word of a query as searched: its text and the terms that stand for it."""

    text: str
    terms: tuple[str, ...]
    prefix: bool  # the terms are prefixes


def parse_query(query: str) -> list[QueryWord]:
    """The words of a query with their forms; service words (and AND, OR, NOT, NEAR in
    capitals) dropped when others remain.

    Anything but letters and digits separates words; a `*` right after a word makes it a
    prefix. An empty list when the query has no word at all.
    """
    words: list[QueryWord] = []
    droppable: set[int] = set()
    for match in _WORD.finditer(query):
        written = match.group(0).rstrip("*")
        text = written.lower()
        if match.group(1):  # asked for as a prefix: kept whatever it is
            words.append(QueryWord(text, _spellings([text]), prefix=True))
            continue
        words.append(_expand(text))
        if written in _OPERATORS or _service_word(text):
            droppable.add(len(words) - 1)
    meaningful = [w for n, w in enumerate(words) if n not in droppable]
    return meaningful or words


def _expand(word: str) -> QueryWord:
    forms, known = _lexeme_forms(word)
    if known:
        return QueryWord(word, _spellings([word, *forms]), prefix=False)
    if len(word) >= MIN_PREFIX and not word.isdigit():
        # The word itself as a prefix covers its longer forms; the forms pymorphy3 guesses
        # for an unknown word cover shorter ones («Шнайдерманна» → «Шнайдерманн»), those
        # that differ from it only in the last letters (a guess may be far off).
        cut = max(MIN_PREFIX, len(word) - 2)
        guessed = (f for f in forms if len(f) >= cut and f[:cut] == word[:cut])
        stems = sorted({word, *guessed}, key=len)
        return QueryWord(word, _spellings(_without_longer(stems)), prefix=True)
    return QueryWord(word, _spellings([word]), prefix=False)


@lru_cache(maxsize=4096)
def _lexeme_forms(word: str) -> tuple[tuple[str, ...], bool]:
    """Every form of every dictionary lexeme of `word`, and whether it had any; for a word
    the dictionary lacks, the forms of pymorphy3's best guess."""
    from srgcli.gate.morph import analyzer

    parses = analyzer().parse(word)
    known = [p for p in parses if p.is_known]
    chosen = known or parses[:1]
    forms = {str(form.word) for parse in chosen for form in parse.lexeme}
    return tuple(sorted(forms)), bool(known)


@lru_cache(maxsize=4096)
def _service_word(word: str) -> bool:
    from srgcli.gate.morph import analyzer

    # The likeliest reading: nearly every preposition is also a letter's name or an
    # abbreviation somewhere in the dictionary («в», «с», «по»).
    best = analyzer().parse(word)[0]
    return bool(best.is_known) and str(best.tag.POS) in _SERVICE_POS


def _spellings(forms: Sequence[str]) -> tuple[str, ...]:
    """The forms in order, each with «ё» also spelt «е» (texts are typed either way)."""
    seen: dict[str, None] = {}
    for form in forms:
        seen.setdefault(form, None)
        seen.setdefault(form.replace("ё", "е"), None)
    return tuple(seen)


def _without_longer(prefixes: Sequence[str]) -> list[str]:
    """Drop prefixes that a shorter one in the list already covers (sorted by length)."""
    kept: list[str] = []
    for prefix in prefixes:
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return kept


def _quoted(term: str, prefix: bool) -> str:
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


def match_expression(words: Sequence[QueryWord], column: str | None = None) -> str:
    """The FTS5 query: every word (as any of its terms), optionally within one column."""
    groups = [
        "(" + " OR ".join(_quoted(t, w.prefix) for t in w.terms) + ")" for w in words if w.terms
    ]
    expression = " AND ".join(groups)
    return f"{{{column}}} : ({expression})" if column else expression


# --- searching -------------------------------------------------------------------------


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
) -> SearchResult:
    """Find the query's words, in any form, in the workspace's texts; best matches first.

    `kinds` restricts to some of KINDS, `ticket_id` to one ticket, `limit` caps the hits
    (None: all). An empty query, an unknown kind or ticket is an SrgError (exit 2).
    """
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise SrgError(
            f"Неизвестный вид: {', '.join(sorted(unknown))}. Допустимо: {', '.join(KINDS)}."
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
    if not index_exists(conn):
        raise SrgError(
            "Поиск недоступен: SQLite этой установки Python собран без модуля FTS5.",
            hint="Установите Python, чей модуль sqlite3 включает FTS5 (например, с python.org).",
        )
    if (
        ticket_id is not None
        and not conn.execute("select 1 from tickets where id = ?", (ticket_id,)).fetchone()
    ):
        raise SrgError(f"Заявка {ticket_id} не найдена.", hint="Список заявок: srgcli list")
    hits: list[SearchHit] = []
    total = 0
    columns = indexed_columns()
    for source in SOURCES:
        if source.kind not in wanted:
            continue
        expression = match_expression(words, source.column)
        position = columns[source.table].index(source.column)
        found, count = _search_source(conn, source, position, expression, ticket_id, limit)
        hits.extend(found)
        total += count
    order = {kind: n for n, kind in enumerate(KINDS)}
    hits.sort(key=lambda h: (-h.score, order[h.kind], h.ticket_id, h.field))
    return SearchResult(
        hits=hits if limit is None else hits[:limit],
        total=total,
        words=tuple(w.text for w in words),
    )


def _search_source(
    conn: sqlite3.Connection,
    source: Source,
    position: int,
    expression: str,
    ticket_id: str | None,
    limit: int | None,
) -> tuple[list[SearchHit], int]:
    fts = f"{source.table}_fts"
    where = f"{fts} match ?"
    params: list[object] = [expression]
    if ticket_id is not None:
        where += f" and t.{source.ticket_column} = ?"
        params.append(ticket_id)
    contact_id = "t.id" if source.table == "contacts" else "null"
    rows = conn.execute(
        f"select t.{source.ticket_column}, {contact_id}, "
        f"snippet({fts}, {position}, ?, ?, '…', {SNIPPET_TOKENS}), {fts}.rank "
        f"from {fts} join {source.table} t on t.rowid = {fts}.rowid "
        f"where {where} order by {fts}.rank limit ?",
        (_OPEN, _CLOSE, *params, -1 if limit is None else limit),
    ).fetchall()
    if limit is not None and len(rows) < limit:
        count = len(rows)
    else:
        count = int(
            conn.execute(
                f"select count(*) from {fts} join {source.table} t on t.rowid = {fts}.rowid "
                f"where {where}",
                params,
            ).fetchone()[0]
        )
    hits = []
    for ticket, contact, marked, rank in rows:
        text, highlights = _unmark(marked)
        hits.append(
            SearchHit(
                kind=source.kind,
                ticket_id=str(ticket),
                field=source.column,
                snippet=text,
                highlights=highlights,
                score=round(-float(rank), 6),
                contact_id=None if contact is None else int(contact),
            )
        )
    return hits, count


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


__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "SOURCES",
    "QueryWord",
    "SearchHit",
    "SearchResult",
    "Source",
    "check_index",
    "create_index",
    "defer_ticket_index",
    "fts5_available",
    "index_exists",
    "indexed_columns",
    "match_expression",
    "parse_query",
    "rebuild_index",
    "search",
]
