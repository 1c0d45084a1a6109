"""The `numeral_agreement` matcher: a counted noun group that does not fit its numeral.

Two errors of business letters that the numeral tables elsewhere do not cover:

- a number ending in 1 (not 11) takes the singular: «21 рабочий день», «в течение 31 дня», not
  «21 рабочих дня», «31 календарных дней»;
- a numeral word in an oblique case is followed by its noun in the same case: «двум
  сотрудникам», «трёх объектов», not «двух сотрудникам».
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from srgcli.gate.rules import Hit, Rule, kind
from srgcli.gate.rules.words import is_noun, skip_attributes
from srgcli.gate.tokens import Token

DASHES = frozenset("-–—")


@kind("numeral_agreement")
def numeral_agreement(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    yield from _ending_in_one(tokens)
    yield from _oblique_numeral(tokens)


def _ending_in_one(tokens: Sequence[Token]) -> Iterator[Hit]:
    for index, number in enumerate(tokens[:-1]):
        text = number.text
        if not (number.is_number and text.isdigit() and text.endswith("1")):
            continue
        if text.endswith("11") or not _counts(tokens, index):
            continue
        following = tokens[index + 1]
        if following.can_be("ADJF") or following.can_be("PRTF"):
            # «21 рабочих дня», «31 календарных дней»: the adjective is plural
            noun_at = skip_attributes(tokens, index + 2)
            if noun_at >= len(tokens) or not tokens[noun_at].only("NOUN"):
                continue
            attributive = [p for p in following.parses if p.pos in {"ADJF", "PRTF"}]
            if all(p.number == "plur" for p in attributive) and not tokens[noun_at].can_be("Pltm"):
                yield Hit(index, noun_at)
        elif (
            following.only("NOUN")
            and all(p.number == "plur" for p in following.parses)
            and not following.can_be("Pltm")
            and following.cases() & {"gent", "datv", "ablt", "loct"}
        ):
            yield Hit(index, index + 1)  # «21 дней», «41 рублей»


def _counts(tokens: Sequence[Token], index: int) -> bool:
    """The number counts what follows: not «пункт 1 требований», «№ 21», «2020–2021 годы»,
    «1 000 рублей» or «2,1 кв. м»."""
    if index + 1 < len(tokens) and (tokens[index + 1].is_number or tokens[index + 1].text in ",.%"):
        return False
    if index == 0:
        return True
    before = tokens[index - 1]
    if before.is_number or before.text in DASHES or before.text in {"№", ".", "/"}:
        return False
    if before.text == ",":
        return index < 2 or not tokens[index - 2].is_number  # «2,1 кв. м» split in three
    return not (before.is_word and (is_noun(before) or not before.known))


def _oblique_numeral(tokens: Sequence[Token]) -> Iterator[Hit]:
    for index, numeral in enumerate(tokens[:-1]):
        readings = [p for p in numeral.parses if p.pos == "NUMR"]
        if numeral.main is None or numeral.main.pos != "NUMR":
            continue  # «трём» is also a verb, but its numeral reading comes first
        cases = {p.case for p in readings}
        animate_accusative = all("anim" in p.grammemes for p in readings if p.case == "accs")
        if "nomn" in cases or ("accs" in cases and not animate_accusative):
            continue  # «пять дней», «два отчёта»: the numeral governs the genitive
        noun_at = skip_attributes(tokens, index + 1)
        if noun_at >= len(tokens) or not tokens[noun_at].only("NOUN"):
            continue
        if not tokens[noun_at].cases("NOUN") & cases:
            yield Hit(index, noun_at)
