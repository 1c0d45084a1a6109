"""pymorphy3, shared by the etiquette rules and the false-alarm filters (loaded once)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_ANALYZER: Any = None
_LOCK = threading.Lock()


def analyzer() -> Any:
    """The process-wide `pymorphy3.MorphAnalyzer`, created on first call."""
    global _ANALYZER
    with _LOCK:
        if _ANALYZER is None:
            import pymorphy3

            _ANALYZER = pymorphy3.MorphAnalyzer()
        return _ANALYZER


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 gives the lower-cased `word`."""
    return frozenset(p.normal_form for p in analyzer().parse(word.lower()))


@lru_cache(maxsize=200_000)
def main_pos(word: str) -> str:
    """The most likely part of speech of `word` ("" when pymorphy3 has none)."""
    parses = analyzer().parse(word.lower())
    return str(parses[0].tag.POS or "") if parses else ""


# OpenCorpora also lists distorted and erroneous spellings ("што"): those are not words.
_MISSPELT = frozenset({"Dist", "Erro"})
# Informal and slang forms: words of their own ("инет", "комп"), or spoken variants of a
# standard word filed under it ("седня" under "сегодня", "щас" under "сейчас").
_INFORMAL = frozenset({"Infr", "Slng"})


def _correct_parse(parse: Any) -> bool:
    """A dictionary parse that is a correct written form, not a distorted or spoken variant."""
    grammemes = parse.tag.grammemes
    if not parse.is_known or _MISSPELT & grammemes:
        return False
    if _INFORMAL & grammemes:
        # A spoken variant is marked informal while its lexeme's first form is not.
        return bool(_INFORMAL & parse.lexeme[0].tag.grammemes)
    return True


@lru_cache(maxsize=200_000)
def known_word(word: str) -> bool:
    """True when pymorphy3's dictionary has `word` as a correct spelling (not a guess).

    Distorted spellings ("што") and spoken variants of a standard word ("седня") are not.
    """
    return any(_correct_parse(p) for p in analyzer().parse(word.lower()))


def has_word(word: str) -> bool:
    """A fast first test: pymorphy3's dictionary holds `word` in some form (any tag)."""
    return bool(analyzer().word_is_known(word.lower()))


@lru_cache(maxsize=200_000)
def dictionary_word(word: str) -> bool:
    """True when pymorphy3's dictionary has `word` at all, misspellings it lists included:
    its lemmas are then facts, not guesses from the ending."""
    return any(p.is_known for p in analyzer().parse(word.lower()))


@lru_cache(maxsize=200_000)
def tags(word: str) -> frozenset[str]:
    """All grammemes of all dictionary parses of `word` (e.g. Name, Surn, Geox, Abbr)."""
    found: set[str] = set()
    for parse in analyzer().parse(word.lower()):
        if parse.is_known:
            found.update(parse.tag.grammemes)
    return frozenset(found)


@lru_cache(maxsize=200_000)
def is_noun_lemma(word: str) -> bool:
    """True when `word` is the dictionary form of a known noun ("колокол", "мускул")."""
    return any(
        p.is_known and p.tag.POS == "NOUN" and p.normal_form == word.lower()
        for p in analyzer().parse(word.lower())
    )


@lru_cache(maxsize=50_000)
def standard_form(word: str) -> str | None:
    """The standard spelling of a spoken variant ("седня" -> "сегодня", "тыщу" -> "тысячу")."""
    for parse in analyzer().parse(word.lower()):
        if not parse.is_known or _correct_parse(parse) or not (_INFORMAL & parse.tag.grammemes):
            continue
        for form in parse.lexeme:
            tag = form.tag
            if _INFORMAL & tag.grammemes or _MISSPELT & tag.grammemes:
                continue
            if (tag.POS, tag.case, tag.number, tag.gender) == (
                parse.tag.POS,
                parse.tag.case,
                parse.tag.number,
                parse.tag.gender,
            ):
                return str(form.word)
    return None
