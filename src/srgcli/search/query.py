"""A query as searched: its words, each with every form of its lexeme, as an FTS5 expression.

Russian is handled when a query is read, not in the index (why: `srgcli.workspace.search`):
each query word becomes an OR-group of every form of its lexeme from pymorphy3's dictionary
(«оценщика» → оценщик, оценщика, оценщику, …, so it finds «оценщик»; «осмотра» finds
«осмотр»), each form with «ё» also spelt with «е»; words the dictionary does not know (names,
abbreviations, a word cut short) are searched as a prefix («ЕГРН» finds «ЕГРНу», «оцен» finds
«оценщик»), and a trailing `*` asks for a prefix explicitly.

A hit is one text field that contains every word of the query; service words (prepositions,
conjunctions, particles) are left out when the query has others. Query text is never passed
to FTS5 as syntax: only words (letters and digits) are taken from it, each quoted, so quotes,
`-`, `NEAR`, `AND`, brackets or a lone `*` cannot break a query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# Words of this many letters or more that the dictionary does not know are searched as a
# prefix; shorter ones («кв», «м») only as written, or they would match half the index.
MIN_PREFIX = 3
# Part-of-speech tags of words a query can do without («по», «и», «не»).
_SERVICE_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
# FTS5's operators, typed in capitals by someone who expects them to work: left out like
# service words, since they are not operators here (every word is required).
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_WORD = re.compile(r"[^\W_]+(\*?)")


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
