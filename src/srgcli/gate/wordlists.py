"""The etiquette word lists (data files in `gate/data/`) and matching words against them by lemma.

A list is data: one entry per line (`words [-> replacement] [| options]`), so a new word is a
line, not a branch. Words are matched through their pymorphy3 lemmas (`WordFacts`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

DATA_FILES = (
    "profanity.txt",
    "slang.txt",
    "familiar.txt",
    "cliches.txt",
    "abbreviations.txt",
    "prefixes.txt",
    "hyphen_parts.txt",
    "compound_heads.txt",
    "sentence_abbreviations.txt",
)

# Tokens: words (with inner hyphens and dots of abbreviations kept apart) and single marks.
_TOKEN = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)*|\d+|[^\w\s]")


@dataclass(frozen=True)
class Entry:
    """One line of a word list."""

    words: tuple[str, ...]
    replacement: str = ""
    exact: bool = False
    stem: bool = False
    aside: bool = False
    opens: bool = False
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Token:
    """A word or a mark of the sentence, with its position."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        """True for letters (not digits, not punctuation)."""
        return self.text[0].isalpha()


def _data_text(name: str) -> str:
    return (resources.files("srgcli.gate") / "data" / name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    """Non-empty lines of a data file, comments removed."""
    lines = []
    for raw in _data_text(name).splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def parse_entry(line: str) -> Entry:
    """One data-file line: `words [-> replacement] [| options]`."""
    head, _, options = line.partition("|")
    head, _, replacement = head.partition("->")
    flags: dict[str, frozenset[str]] = {}
    switches: set[str] = set()
    for option in options.split():
        key, eq, value = option.partition("=")
        if eq:
            flags[key] = frozenset(v for v in value.split(",") if v)
        else:
            switches.add(key)
    return Entry(
        words=tuple(head.lower().split()),
        replacement=replacement.strip(),
        exact="exact" in switches,
        stem="stem" in switches,
        aside="aside" in switches,
        opens="opens" in switches,
        not_after=flags.get("not_after", frozenset()),
        not_before=flags.get("not_before", frozenset()),
    )


@cache
def word_list(name: str) -> tuple[Entry, ...]:
    """The entries of one data file."""
    return tuple(parse_entry(line) for line in data_lines(name))


@cache
def abbreviations() -> frozenset[str]:
    """Words in capitals that are not shouting."""
    return frozenset(w for line in data_lines("abbreviations.txt") for w in line.split())


@cache
def profanity_prefixes() -> tuple[str, ...]:
    """Prefixes a profanity stem may follow; the empty prefix first."""
    return ("", *data_lines("prefixes.txt"))


@cache
def rules_fingerprint() -> str:
    """Hash of every data file: part of the cache key, so editing a list invalidates results."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update(_data_text(name).encode())
    return digest.hexdigest()[:16]


def tokenize(text: str) -> list[Token]:
    """Words and punctuation marks of `text`."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class WordFacts:
    """What the word lists may know about one word; the matcher parses nothing itself.

    `lemmas` are pymorphy3's normal forms of the word; `known` says whether one of them comes
    from its dictionary (a real parse, not a guess from the word's ending).
    """

    form: str
    lemmas: frozenset[str] = frozenset()
    known: bool = False


def _no_known_words(_form: str) -> frozenset[str]:
    return frozenset()


@dataclass(frozen=True)
class _Index:
    """A word list arranged for quick lookup: by first word, and one regex for the stems."""

    by_word: dict[str, tuple[Entry, ...]]
    stems: re.Pattern[str] | None
    stem_entries: tuple[Entry, ...]
    listed: frozenset[str]  # single words the list names (lemmas and exact forms), folded


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@cache
def _index(name: str) -> _Index:
    by_word: dict[str, list[Entry]] = {}
    stems: list[Entry] = []
    for entry in word_list(name):
        if entry.stem:
            stems.append(entry)
        else:
            by_word.setdefault(_fold(entry.words[0]), []).append(entry)
    pattern = None
    if stems:
        # Anchored at the start: an optional usual prefix, then the stem, i.e. at the root.
        prefixes = "|".join(re.escape(_fold(p)) for p in profanity_prefixes() if p)
        alternatives = "|".join(re.escape(_fold(e.words[0])) for e in stems)
        pattern = re.compile(f"(?:{prefixes})?(?:{alternatives})")
    listed = frozenset(_fold(e.words[0]) for e in word_list(name) if len(e.words) == 1)
    return _Index({k: tuple(v) for k, v in by_word.items()}, pattern, tuple(stems), listed)


def word_matches(
    wanted: str,
    entry: Entry,
    word: WordFacts,
    known_lemmas: Callable[[str], frozenset[str]] = _no_known_words,
    name: str = "",
) -> bool:
    """Whether `word` is the entry's word `wanted`, by whole words only, never a piece of one.

    `exact` entries match the surface form; other entries the form or one of its lemmas. A
    stem judges only a word pymorphy3 does not know (a neologism, a distorted spelling), at its
    root, and not when the word is evidently a typo of an ordinary word (see `_typo_of_ordinary`,
    which asks `known_lemmas` about the words one edit away). `name` is the list's data file.
    """
    form = _fold(word.form)
    wanted = _fold(wanted)
    if entry.stem:
        if word.known or not any(form.startswith(_fold(p) + wanted) for p in profanity_prefixes()):
            return False
        return not (name and _typo_of_ordinary(form, _index(name), known_lemmas))
    if form == wanted:
        return True
    return not entry.exact and wanted in {_fold(lemma) for lemma in word.lemmas}


def list_matches(
    name: str,
    word: WordFacts,
    known_lemmas: Callable[[str], frozenset[str]] = _no_known_words,
) -> tuple[Entry, ...]:
    """Entries of the list `name` whose first word is `word` (the rest is checked in context)."""
    index = _index(name)
    form = _fold(word.form)
    keys = {form, *(_fold(lemma) for lemma in word.lemmas)}
    found = [e for key in keys for e in index.by_word.get(key, ())]
    if index.stems is not None and not word.known and index.stems.match(form):
        found.extend(index.stem_entries)
    return tuple(e for e in found if word_matches(e.words[0], e, word, known_lemmas, name))


def _typo_of_ordinary(
    form: str, index: _Index, known_lemmas: Callable[[str], frozenset[str]]
) -> bool:
    """True when `form` is a known ordinary word (one whose lemma the list does not name)
    mistyped: either that word holds the stem too («себестоймость» for «себестоимость»), or
    `form` is that word with a letter other than the first left out («сранение» for
    «сравнение»). Other edits do not count: «заебал» stays caught although «заедал» is one
    letter away.
    """
    from srgcli.gate.filters import single_edits

    assert index.stems is not None
    if len(form) < 4:
        return False
    for candidate in single_edits(form):
        folded = _fold(candidate)
        if folded == form:
            continue
        # A left-out letter is a common slip, but rarely the first one («ебёт» is no «дебет»).
        left_out = len(candidate) == len(form) + 1 and candidate[0] == form[0]
        if not left_out and not index.stems.match(folded):
            continue
        lemmas = known_lemmas(candidate)
        if lemmas and not ({folded} | {_fold(lemma) for lemma in lemmas}) & index.listed:
            return True
    return False


def word_facts(text: str) -> WordFacts:
    """The facts about one word of a text, from pymorphy3."""
    from srgcli.gate import morph

    return WordFacts(text, morph.lemmas(text), morph.dictionary_word(text))


def correct_word_lemmas(word: str) -> frozenset[str]:
    """The lemmas of `word` when pymorphy3 knows it as a correct spelling; else nothing."""
    from srgcli.gate import morph

    return morph.lemmas(word) if morph.known_word(word) else frozenset()
