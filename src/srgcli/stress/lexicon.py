"""The orthoepic list (`data/stress.txt`) read into a table: word form -> stressed letter.

Each entry is a word with one combining acute accent (U+0301) after its stressed vowel and a
flag: `=` marks that form only; `*` marks every form of its lexeme that pymorphy3 knows and
where the stress provably stays on the same syllable. The rule for `*`: a form qualifies when
it begins with the same letters as the entry up to the stressed vowel; the stress then falls
on the first vowel from that position on. That holds for stem stress (догово́р → догово́ры)
and for stress on the first vowel of the ending (звони́ть → звоня́т, валово́й → валова́я),
which is why `*` is used only for words whose stress does not move in their paradigm. Forms
where the vowel differs are left out rather than guessed (балова́ть: «балую» is not marked);
so are forms spelt with «ё» (always stressed), participles and gerunds, short forms and
comparatives of adjectives, and the second locative and genitive of nouns («в аэропорту́»).
A spelling produced with two different stresses (by two entries) is left unmarked.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ACCENT = "\u0301"
VOWELS = frozenset("аеиоуыэюяё")
DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "stress.txt"

# Which forms of a lexeme `*` may mark, by the lexeme's part of speech.
_KEPT_POS = {
    "NOUN": frozenset({"NOUN"}),
    "ADJF": frozenset({"ADJF"}),
    "INFN": frozenset({"INFN", "VERB"}),
    "VERB": frozenset({"INFN", "VERB"}),
    "PRTF": frozenset({"PRTF"}),
}
# Noun forms whose stress often differs from the other cases («в порту́», «чаю́»).
_SKIPPED_GRAMMEMES = frozenset({"loc2", "gen2", "Dist", "Erro"})


@dataclass(frozen=True)
class Entry:
    """One line of the list: the marked word, its flag and the line number."""

    marked: str
    expand: bool
    line: int

    @property
    def plain(self) -> str:
        """The word without its mark."""
        return self.marked.replace(ACCENT, "")

    @property
    def stressed(self) -> int:
        """The index (in `plain`) of the stressed vowel; -1 for a word with «ё» and no mark."""
        at = self.marked.find(ACCENT)
        if at < 0:
            return self.plain.find("ё")
        return at - 1


def read_entries(path: Path = DATA_FILE) -> list[Entry]:
    """The list's entries in file order; comments (#) and blank lines skipped."""
    entries = []
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        word, _, flag = line.partition(" ")
        # NFC keeps U+0301 apart: no Cyrillic vowel has a precomposed acute form.
        word = unicodedata.normalize("NFC", word).lower()
        entries.append(Entry(word, flag.strip() == "*", number))
    return entries


def stress_positions(entry: Entry) -> dict[str, int]:
    """The spellings this entry marks, each with the index of its stressed letter."""
    plain, at = entry.plain, entry.stressed
    if at < 0 or "ё" in plain:
        return {}
    found = {plain: at}
    if not entry.expand:
        return found
    parse = _lexeme_parse(plain)
    if parse is None:
        return found
    kept = _KEPT_POS.get(str(parse.tag.POS), frozenset())
    skipped: set[str] = set()
    for form in parse.lexeme:
        word = str(form.word)
        tag = form.tag
        if _SKIPPED_GRAMMEMES & tag.grammemes:
            skipped.add(word)
            continue
        if str(tag.POS) not in kept or "ё" in word or word[:at] != plain[:at]:
            continue
        if tag.POS == "PRTF" and (tag.tense, tag.voice) != (parse.tag.tense, parse.tag.voice):
            continue
        vowel = next((i for i in range(at, len(word)) if word[i] in VOWELS), None)
        if vowel is not None:
            found.setdefault(word, vowel)
    return {word: i for word, i in found.items() if word not in skipped or word == plain}


def _lexeme_parse(plain: str) -> Any:
    """The dictionary parse whose lexeme `*` expands: the entry as a lemma, or a participle
    («обеспе́ченный», which pymorphy3 files under its verb)."""
    from srgcli.gate.morph import analyzer

    parses = [p for p in analyzer().parse(plain) if p.is_known]
    for parse in parses:
        if parse.normal_form == plain:
            return parse
    for parse in parses:
        if parse.tag.POS == "PRTF" and {"nomn", "masc", "sing"} <= parse.tag.grammemes:
            return parse
    return None


@dataclass(frozen=True)
class Lexicon:
    """Every marked spelling (lower case, no marks) with the index of its stressed letter."""

    positions: dict[str, int]
    entries: tuple[Entry, ...]

    def stressed_index(self, word: str) -> int | None:
        """The index of the stressed letter of a lower-case spelling, if the list has it."""
        return self.positions.get(word)


@lru_cache(maxsize=4)
def lexicon(path: Path = DATA_FILE) -> Lexicon:
    """The list, expanded (once per process)."""
    entries = read_entries(path)
    positions: dict[str, int] = {}
    clashes: set[str] = set()
    for entry in entries:
        for word, index in stress_positions(entry).items():
            if positions.get(word, index) != index:
                clashes.add(word)
            positions.setdefault(word, index)
    for word in clashes:
        del positions[word]
    return Lexicon(positions, tuple(entries))


def describe(lex: Lexicon) -> dict[str, Any]:
    """Counts for `stress --json` and the docs: entries and marked spellings."""
    return {"entries": len(lex.entries), "forms": len(lex.positions)}
