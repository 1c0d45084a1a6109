"""How likely an unknown word is a misspelling of a known one, from how Russians misspell.

A typo reaches a known word by the mistakes people really make: an unstressed vowel written as
it sounds (о/а, е/и, я/е), a voiced consonant before a voiceless one (з/с), a doubled or single
consonant, -тся/-ться, a soft or hard sign, a letter held down ("оооочень"). A rare correct
word (a term, a loanword, a name) seldom turns into a known word by a couple of such changes;
by arbitrary edits it often does ("комарки" is one letter from "комары"). The search is bounded:
only these changes, at most two of them (one more for a letter run).
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from typing import Any

# Substitutions people make in writing, each both ways: the first string written for the second.
_CONFUSIONS: tuple[tuple[str, str], ...] = (
    # unstressed vowels
    ("а", "о"),
    ("е", "и"),
    ("я", "е"),
    ("я", "и"),
    ("е", "ё"),
    ("о", "ё"),
    ("ы", "и"),
    ("э", "е"),
    ("ю", "у"),
    ("я", "а"),
    # voiced and voiceless consonants
    ("з", "с"),
    ("д", "т"),
    ("б", "п"),
    ("г", "к"),
    ("в", "ф"),
    ("ж", "ш"),
    # hissing sounds and affricates
    ("щ", "сч"),
    ("щ", "ш"),
    ("ч", "щ"),
    ("ц", "тс"),
    ("ц", "тьс"),
    ("тся", "ться"),
    ("ё", "йо"),
    # о/е/ё and и/ы after hissing sounds and ц
    ("шо", "ше"),
    ("жо", "же"),
    ("чо", "че"),
    ("що", "ще"),
    ("цо", "це"),
    ("жы", "жи"),
    ("шы", "ши"),
    ("цы", "ци"),
    ("и", "й"),
    # unpronounced consonants: "праздник", "солнце", "чувство", "лестница"
    ("сн", "стн"),
    ("зн", "здн"),
    ("нц", "лнц"),
    ("ст", "вст"),
)
_SIGNS = "ьъ"
_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
_CYRILLIC_WORD = re.compile(r"^[а-яё]+$")
_RUN = re.compile(r"(.)\1{2,}")
MAX_CHANGES = 2
# A word with more letters than this is searched with one change only (the search would grow).
_LONG_WORD = 16


def _pairs() -> list[tuple[str, str]]:
    pairs = []
    for a, b in _CONFUSIONS:
        if a != b:
            pairs.extend([(a, b), (b, a)])
    return pairs


_PAIRS = _pairs()


def _one_change(word: str) -> set[str]:
    """Words one typical misspelling away from `word` (not checked against a dictionary)."""
    found: set[str] = set()
    for wrong, right in _PAIRS:
        start = word.find(wrong)
        while start >= 0:
            found.add(word[:start] + right + word[start + len(wrong) :])
            start = word.find(wrong, start + 1)
    for i, letter in enumerate(word):
        if letter in _SIGNS:
            found.add(word[:i] + word[i + 1 :])  # a sign too many
            found.add(word[:i] + ("ъ" if letter == "ь" else "ь") + word[i + 1 :])
        if letter in _CONSONANTS:
            if i + 1 < len(word) and word[i + 1] == letter:
                found.add(word[:i] + word[i + 1 :])  # double written for single
            else:
                found.add(word[:i] + letter + word[i:])  # single written for double
            if i > 0:
                found.add(word[: i + 1] + "ь" + word[i + 1 :])  # a soft sign left out
        for size in (2, 3):
            # A syllable typed twice: "невозмозможно", "оказалалось".
            if word[i : i + size] == word[i + size : i + 2 * size] and len(word) > 2 * size:
                found.add(word[:i] + word[i + size :])
    found.discard(word)
    return found


def collapse_runs(word: str) -> set[str]:
    """`word` with each run of three or more equal letters cut to two or to one."""
    variants = {word.lower()}
    for match in _RUN.finditer(word.lower()):
        letter = match.group(1)
        variants = {
            v.replace(match.group(), cut, 1) for v in variants for cut in (letter, letter * 2)
        }
    variants.discard(word.lower())
    return variants


def letter_run_of(word: str) -> str | None:
    """The known word `word` becomes when its runs of three or more letters are cut, if any.

    Russian words do not hold three equal letters in a row (but a rare "длинношеее"), so a
    run that leaves a known word is a key held down ("оооочень", "Прррроклятые").
    """
    from srgcli.gate import morph

    for part in word.split("-"):
        if _RUN.search(part.lower()):
            break
    else:
        return None
    if morph.known_word(word):
        return None  # "длинношеее", "змееед"
    pieces = []
    for part in word.split("-"):
        if not _RUN.search(part.lower()):
            pieces.append(part.lower())
            continue
        known = sorted(v for v in collapse_runs(part) if morph.known_word(v))
        if not known:
            return None
        pieces.append(min(known, key=len))
    return "-".join(pieces)


@lru_cache(maxsize=50_000)
def typical_misspelling_of(word: str) -> str | None:
    """The known word `word` is a typical misspelling of, if any (lower case).

    Letter runs are collapsed first ("оооочень" -> "очень"); then up to two of the usual
    confusions ("сдесь" -> "здесь", "извени" -> "извини", "учавствовать" -> ...).
    """
    from srgcli.gate import morph

    lowered = word.lower()
    if not _CYRILLIC_WORD.match(lowered) or len(lowered) < 3:
        return None
    starts = collapse_runs(lowered) or {lowered}
    for start in sorted(starts):
        if start != lowered and morph.known_word(start):
            return start
    frontier = starts
    depth = MAX_CHANGES if len(lowered) <= _LONG_WORD else 1
    seen = set(frontier)
    for _ in range(depth):
        following: set[str] = set()
        for current in sorted(frontier):
            following |= _one_change(current)
        following -= seen
        hits = sorted(c for c in following if morph.has_word(c) and morph.known_word(c))
        if hits:
            return hits[0]
        seen |= following
        frontier = following
    return None


@lru_cache(maxsize=50_000)
def one_typical_change_of(word: str) -> str | None:
    """The known word `word` becomes by a single usual misspelling undone, if any."""
    from srgcli.gate import morph

    lowered = word.lower()
    if not _CYRILLIC_WORD.match(lowered):
        return None
    hits = sorted(c for c in _one_change(lowered) if morph.has_word(c) and morph.known_word(c))
    return hits[0] if hits else None


_SPELLER: Any = None
_SPELLER_LOCK = threading.Lock()
# The frequency class pylat-ru's speller dictionary gives a word it cannot rank (or when it
# cannot be read): treated as an ordinary word, so the rules below change nothing.
UNRANKED = 10


def _speller() -> Any:
    """pylat-ru's Morfologik speller dictionary, which carries word frequency classes."""
    global _SPELLER
    with _SPELLER_LOCK:
        if _SPELLER is None:
            try:
                from pylat_ru.spelling import MorfologikSpeller, load_binary_dictionary

                _SPELLER = MorfologikSpeller(load_binary_dictionary("ru_RU"), 1)
            except Exception:  # an engine version without it: no frequencies, no harm
                _SPELLER = False
        return _SPELLER


@lru_cache(maxsize=50_000)
def frequency(word: str) -> int:
    """How common `word` is: the highest frequency class (0 rare .. ~25 very common) of the
    word or one of its lemmas in pylat-ru's speller dictionary (AOT's word statistics)."""
    from srgcli.gate import morph

    speller = _speller()
    if not speller:
        return UNRANKED
    lowered = word.lower()
    forms = {lowered, *morph.lemmas(lowered)}
    forms |= {f.replace("ё", "е") for f in forms}  # the speller's statistics write «е»
    ranked = max(int(speller.get_frequency(f)) for f in forms)
    if forms & domain_words():
        return max(ranked, DOMAIN_CLASS)
    return ranked


# The frequency class given to srgcli's own vocabulary (`data/domain_words.txt`): in complaint
# letters "оценщик" is as common as "клиент" (class 11), whatever general text says.
DOMAIN_CLASS = 11


@cache
def domain_words() -> frozenset[str]:
    """Lemmas of the appraisal and complaint vocabulary, with «ё» also written as «е»."""
    from srgcli.gate.wordlists import data_lines

    words = {w.lower() for w in data_lines("domain_words.txt")}
    return frozenset(words | {w.replace("ё", "е") for w in words})
