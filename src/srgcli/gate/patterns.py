"""Token patterns of the grammar rule pack: a small language for rules written as data.

A pattern is a list of token specs, each a string:

- ``word`` or ``a|b`` — the word itself (lower case, «ё» as «е»);
- ``=lemma`` or ``=a|b`` — any form of these words; ``=a|b{gent}`` — in a form that can be
  genitive;
- ``{NOUN,gent}`` or ``{NOUN,gent|NPRO,gent}`` — some dictionary reading has all the grammemes
  (pymorphy3's tags) of one of the alternatives;
- ``#word``, ``#num``, ``#caps`` (a word in capitals: «XVI», «ЕГРН»), ``#punct``, ``#end`` (the
  edge of the sentence), ``*`` (any token);
- a leading ``!`` negates the spec.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from srgcli.gate.tokens import NOMINAL, Token

# A spec applied to a token, or to None where the sentence ends.
Spec = Callable[[Token | None], bool]


def _alternatives(text: str) -> list[str]:
    """Top-level `|` alternatives of a spec that mixes kinds: "{INFN}|не", "#num|{NUMR}"."""
    parts: list[str] = []
    depth, current = 0, ""
    for char in text:
        depth += char == "{"
        depth -= char == "}"
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    # "a|b" and "=a|b{gent}" are one spec each; a spec of another kind after a `|` splits.
    mixed = parts[0].startswith(("{", "#")) or any(
        p.startswith(("{", "#", "=", "!")) for p in parts[1:]
    )
    return parts if len(parts) > 1 and mixed else [text]


@cache
def compile_spec(text: str) -> Spec:
    """The test a spec string stands for."""
    options = _alternatives(text)
    if len(options) > 1:
        tests = [compile_spec(o) for o in options]
        return lambda token: any(test(token) for test in tests)
    if text.startswith("!") and len(text) > 1:
        inner = compile_spec(text[1:])
        return lambda token: not inner(token)
    if text == "#end":
        return lambda token: token is None
    if text == "*":
        return lambda token: token is not None
    if text == "#word":
        return lambda token: token is not None and token.is_word
    if text == "#num":
        return lambda token: token is not None and token.is_number
    if text == "#caps":
        return lambda token: token is not None and token.is_word and token.text.isupper()
    if text == "#punct":
        return lambda token: token is not None and token.is_punct
    if text.startswith("=") and "{" in text:
        # "=час|день{gent}": one of these words, in a form that can have the grammemes.
        head, _, grammemes = text.partition("{")
        by_lemma, by_form = compile_spec(head), compile_spec("{" + grammemes)
        return lambda token: by_lemma(token) and by_form(token)
    if text.startswith("=") and len(text) > 1:
        lemmas = frozenset(w.replace("ё", "е") for w in text[1:].split("|"))
        return lambda token: token is not None and bool(token.lemmas & lemmas)
    if text.startswith("{") and text.endswith("}"):
        readings = [tuple(a.split(",")) for a in text[1:-1].split("|")]
        return lambda token: token is not None and any(token.can_be(*r) for r in readings)
    words = frozenset(w.replace("ё", "е") for w in text.lower().split("|"))
    return lambda token: token is not None and token.lower in words


def matches(spec: str, token: Token | None) -> bool:
    """True when `token` (None: the sentence's edge) satisfies `spec`."""
    return compile_spec(spec)(token)


@dataclass(frozen=True)
class Group:
    """A noun group: adjectives, numerals and pronouns up to their noun (or alone)."""

    first: int
    last: int
    cases: frozenset[str]
    head: Token | None
    counted: bool  # a numeral governs it ("два рабочих дня"): the noun's case is the numeral's


def _nominal(token: Token, strict: bool) -> bool:
    if strict:
        return token.only(*NOMINAL)
    return token.main is not None and token.main.pos in NOMINAL


def noun_group(tokens: Sequence[Token], start: int, strict: bool = True) -> Group | None:
    """The noun group that begins at `start` (adverbs such as «ранее», «более» skipped).

    None when no known nominal word stands there (a number, a verb, an unknown name): the rules
    then have nothing certain to say. `strict`: every reading of each word must be nominal;
    otherwise its most likely reading must be («сбоя» is also a gerund of «сбоить»).
    """
    index = start
    # Adverbs that modify what follows («ранее заключённому», «более трёх»), not an adverb
    # that is itself the object («на сегодня её глубина»).
    while (
        index + 1 < len(tokens)
        and tokens[index].only("ADVB", "PRCL")
        and tokens[index + 1].only("ADJF", "PRTF", "NUMR", "ADVB", "PRCL")
    ):
        index += 1
    if index >= len(tokens) or not _nominal(tokens[index], strict):
        return None
    first = index
    cases: frozenset[str] | None = None
    counted = False
    head: Token | None = None
    while index < len(tokens) and _nominal(tokens[index], strict and index == first):
        token = tokens[index]
        if cases is not None and not counted and not cases & token.cases() and index > first:
            break  # «из запрошенных банком»: a dependent noun, not the group's head
        counted = counted or token.can_be("NUMR")
        if cases is None:
            cases = token.cases()
        elif not counted:
            cases = cases & token.cases()
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        modifies_next = (
            token.pos & {"ADJF", "PRTF"} and following is not None and following.only("NOUN")
        )
        if ("NOUN" in token.pos and not modifies_next) or token.pos == {"NPRO"}:
            head = token
            break
        index += 1
    last = index if head is not None else index - 1
    return Group(first, last, cases or frozenset(), head, counted)
