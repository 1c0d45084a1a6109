"""A sentence as tokens with their pymorphy3 analyses: what the grammar rules look at.

Each distinct word is analysed once per process (cached); a token carries every dictionary parse
of its word, so a rule asks "can this word be in the genitive?" rather than trusting the most
likely parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

# Words (inner hyphens kept: «по-другому», «из-за»), numbers (with inner , or .), single marks.
_TOKEN = re.compile(
    r"[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)*|\d+(?:[.,]\d+)*(?:-[А-Яа-яЁё]+)?|[^\w\s]"
)

# pymorphy3 marks second genitive, accusative and locative ("чаю", "в лесу") apart: the
# government rules treat them as the cases they belong to.
_CASE_FAMILY = {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct"}
CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct"})
NOMINAL = frozenset({"NOUN", "ADJF", "PRTF", "NPRO", "NUMR"})
# Parses OpenCorpora keeps for distorted or erroneous spellings are not readings of a word.
_NOT_A_READING = frozenset({"Erro", "Dist"})
_NAME_OR_ABBREVIATION = frozenset({"Name", "Surn", "Patr", "Abbr", "Init"})
# Below this score a parse is one pymorphy3 itself doubts; rules ignore it unless it is the only
# one ("договора" as a plural is 'Infr' with 0.009 — a reading the rules must still allow).
MIN_SCORE = 0.0


@dataclass(frozen=True)
class Parse:
    """One dictionary reading of a word, reduced to what rules ask about."""

    pos: str
    grammemes: frozenset[str]
    lemma: str
    case: str
    number: str
    gender: str
    person: str
    tense: str
    score: float

    def has(self, *grammemes: str) -> bool:
        """True when this reading carries every one of `grammemes` (POS included)."""
        return all(g == self.pos or g == self.case or g in self.grammemes for g in grammemes)


@lru_cache(maxsize=200_000)
def analyse(word: str) -> tuple[tuple[Parse, ...], bool]:
    """The dictionary readings of lower-cased `word`, and whether pymorphy3 knows it at all."""
    from srgcli.gate import morph

    found = []
    known = False
    for p in morph.analyzer().parse(word):
        if not p.is_known:
            continue
        grammemes = frozenset(p.tag.grammemes)
        if grammemes & _NOT_A_READING:
            continue
        known = True
        case = str(p.tag.case or "")
        found.append(
            Parse(
                pos=str(p.tag.POS or ""),
                grammemes=grammemes,
                lemma=p.normal_form.replace("ё", "е"),
                case=_CASE_FAMILY.get(case, case),
                number=str(p.tag.number or ""),
                gender=str(p.tag.gender or ""),
                person=str(p.tag.person or ""),
                tense=str(p.tag.tense or ""),
                score=float(p.score),
            )
        )
    return tuple(found), known


@dataclass(frozen=True)
class Token:
    """A word, number or mark of a sentence, with its position and readings."""

    text: str
    start: int
    end: int

    @cached_property
    def lower(self) -> str:
        """Lower-cased, «ё» folded to «е»: the form rules compare."""
        return self.text.lower().replace("ё", "е")

    @property
    def is_word(self) -> bool:
        """Letters (not digits, not marks)."""
        return self.text[0].isalpha()

    @property
    def is_number(self) -> bool:
        """Digits."""
        return self.text[0].isdigit()

    @property
    def is_punct(self) -> bool:
        """A punctuation mark or any other single sign."""
        return not self.text[0].isalnum()

    @cached_property
    def parses(self) -> tuple[Parse, ...]:
        """Dictionary readings (empty for unknown words, numbers, marks and abbreviations:
        «ЛИТО», «ИС» are not the short participle «лито» or the noun «ис»)."""
        if not self.is_word or (len(self.text) > 1 and self.text.isupper()):
            return ()
        found = analyse(self.lower)[0]
        if self.text[:1].islower() or len(self.text) == 1:
            # A lower-case word is not a name («марта» is not «Марта») nor an abbreviation
            # («в» is not «век»): those readings only mislead the rules.
            kept = tuple(p for p in found if not p.grammemes & _NAME_OR_ABBREVIATION)
            return kept or found
        return found

    @property
    def known(self) -> bool:
        """True when pymorphy3's dictionary has the word."""
        return bool(self.parses)

    @cached_property
    def pos(self) -> frozenset[str]:
        """Every part of speech the word can be."""
        return frozenset(p.pos for p in self.parses)

    @cached_property
    def lemmas(self) -> frozenset[str]:
        """Every dictionary form of the word (ё folded)."""
        return frozenset(p.lemma for p in self.parses)

    @property
    def main(self) -> Parse | None:
        """The most likely reading."""
        return self.parses[0] if self.parses else None

    def can_be(self, *grammemes: str) -> bool:
        """True when some reading carries all `grammemes` ("NOUN", "gent")."""
        return any(p.has(*grammemes) for p in self.parses)

    def only(self, *pos: str) -> bool:
        """True when the word is known and every reading is one of the parts of speech `pos`."""
        return bool(self.parses) and all(p.pos in pos for p in self.parses)

    def cases(self, *pos: str) -> frozenset[str]:
        """Cases the word can be in (as one of `pos`, or as any nominal part of speech)."""
        wanted = pos or tuple(NOMINAL)
        return frozenset(p.case for p in self.parses if p.pos in wanted and p.case)


def tokenize(sentence: str) -> list[Token]:
    """Words, numbers and marks of `sentence`."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
