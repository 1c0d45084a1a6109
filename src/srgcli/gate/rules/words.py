"""Helpers the grammar matchers share: what counts as a predicate, a noun, agreement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from srgcli.gate.tokens import Parse, Token

PREDICATE_POS = frozenset({"VERB", "INFN", "PRTS", "ADJS", "PRED"})


QUOTES = frozenset("«»\"'„“”")


def opens_clause(tokens: Sequence[Token], index: int) -> bool:
    """True at the start of the sentence or right after a punctuation mark (not a quote)."""
    return index == 0 or (tokens[index - 1].is_punct and tokens[index - 1].text not in QUOTES)


def word_set(params: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(w.replace("ё", "е") for w in params.get(key, ()))


def is_filler(token: Token) -> bool:
    """An adverb or particle: «сразу же», «уже не»."""
    return token.main is not None and token.main.pos in {"ADVB", "PRCL"}


def is_predicate(token: Token) -> bool:
    return token.main is not None and token.main.pos in PREDICATE_POS


def continues_predicate(tokens: Sequence[Token], index: int) -> bool:
    """«будет готов», «может не приехать»: one predicate in several words."""
    back = index - 1
    while back > 0 and (tokens[back].lower == "не" or is_filler(tokens[back])):
        back -= 1  # «были чересчур заметны», «может не приехать»
    return back >= 0 and is_predicate(tokens[back])


def clause_start(tokens: Sequence[Token], index: int) -> int:
    """Where the stretch of words that ends at `index` begins (after the last mark)."""
    start = index
    while start > 0 and not tokens[start - 1].is_punct:
        start -= 1
    return start


def clause_before(tokens: Sequence[Token], index: int) -> list[Token]:
    """The words between the last punctuation mark and `index`."""
    return list(tokens[clause_start(tokens, index) : index])


def skip_attributes(tokens: Sequence[Token], position: int) -> int:
    """Past the adjectives and participles that stand before a noun from `position` on
    («Исправленный отчёт»: to «отчёт»)."""
    while position < len(tokens) and tokens[position].only("ADJF", "PRTF"):
        position += 1
    return position


def is_nominative(token: Token) -> bool:
    """A noun or a pronoun that can be in the nominative: a subject."""
    return token.can_be("nomn") and (is_noun(token) or token.only("NPRO"))


def skip_inserted(tokens: Sequence[Token], position: int) -> int:
    """Past a phrase set off by commas that starts at `position` («, указанные в паспорте,»)."""
    if position < len(tokens) and tokens[position].text == ",":
        closing = next((k for k in range(position + 1, len(tokens)) if tokens[k].text == ","), 0)
        if closing:
            return closing + 1
    return position


def agree(adjective: Parse, noun: Parse) -> bool:
    """True when an adjective's reading agrees with a noun's in case, number and gender."""
    if adjective.case != noun.case or adjective.number != noun.number:
        return False
    if adjective.case == "accs" and (
        ("anim" in adjective.grammemes and "inan" in noun.grammemes)
        or ("inan" in adjective.grammemes and "anim" in noun.grammemes)
    ):
        return False
    if adjective.number == "sing" and adjective.gender and noun.gender:
        return noun.gender in ("ms-f", adjective.gender) or "ms-f" in noun.grammemes
    return True


def agrees(modifier: Token, noun: Token) -> bool:
    return any(
        agree(a, n)
        for a in modifier.parses
        if a.pos in {"ADJF", "PRTF"}
        for n in noun.parses
        if n.pos == "NOUN"
    )


def is_noun(token: Token) -> bool:
    """Most likely a noun, and never an adjective («почту» is also a verb form, rarely)."""
    return (
        token.main is not None
        and token.main.pos == "NOUN"
        and not token.can_be("ADJF")
        and not token.can_be("PRTF")
    )


def is_name(token: Token) -> bool:
    """Capitalised, and not the «Вы», «Ваш» of a letter."""
    return token.text[:1].isupper() and not token.lower.startswith(("ваш", "вам", "вас", "вы"))
