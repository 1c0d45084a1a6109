"""The `phrase` matcher: fixed word sequences, written as token patterns in the data file.

A rule of this kind lists `patterns`; each has `match` (the specs of the flagged words, see
`gate.patterns`) and optional context:

- `before` / `after`: the neighbouring token must match; `not_before` / `not_after`: must match
  none of these;
- `near` / `not_near`: one / none of these in the three words before; `not_later`: none of
  these later in the sentence;
- `group_case` / `not_group_case`: the noun group that follows can / cannot be in this case;
  `head`: lemmas the group's noun must have;
- the suggestion: `replacement`, `join` to write the matched words together ("" for fused,
  "-" for hyphenated; with `known_join`, only where the joined word is in the dictionary), or
  `inflect` to put the last matched word into a case.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from srgcli.gate.patterns import matches, noun_group
from srgcli.gate.rules import Hit, Rule, kind, match_case
from srgcli.gate.tokens import Token, analyse


@dataclass(frozen=True)
class Pattern:
    """One pattern of a `phrase` rule."""

    match: tuple[str, ...]
    before: str = ""
    after: str = ""
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    not_near: tuple[str, ...] = ()
    not_later: tuple[str, ...] = ()
    group_case: str = ""
    not_group_case: str = ""
    head: frozenset[str] = frozenset()
    replacement: str = ""
    join: str | None = None
    known_join: bool = False
    inflect: str = ""


def _pattern(raw: Mapping[str, Any]) -> Pattern:
    return Pattern(
        match=tuple(raw["match"]),
        before=raw.get("before", ""),
        after=raw.get("after", ""),
        not_before=tuple(raw.get("not_before", ())),
        not_after=tuple(raw.get("not_after", ())),
        near=tuple(raw.get("near", ())),
        not_near=tuple(raw.get("not_near", ())),
        not_later=tuple(raw.get("not_later", ())),
        group_case=raw.get("group_case", ""),
        not_group_case=raw.get("not_group_case", ""),
        head=frozenset(w.replace("ё", "е") for w in raw.get("head", ())),
        replacement=raw.get("replacement", ""),
        join=raw.get("join"),
        known_join=bool(raw.get("known_join", False)),
        inflect=raw.get("inflect", ""),
    )


_COMPILED: dict[str, tuple[Pattern, ...]] = {}


def _patterns(rule: Rule) -> tuple[Pattern, ...]:
    found = _COMPILED.get(rule.id)
    if found is None:
        found = _COMPILED[rule.id] = tuple(_pattern(p) for p in rule.params["patterns"])
    return found


def _at(tokens: Sequence[Token], index: int) -> Token | None:
    return tokens[index] if 0 <= index < len(tokens) else None


def pattern_hits(pattern: Pattern, tokens: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """(first, last) token indices where `pattern` matches with all its conditions."""
    size = len(pattern.match)
    for index in range(len(tokens) - size + 1):
        if not all(matches(s, tokens[index + k]) for k, s in enumerate(pattern.match)):
            continue
        if _context_holds(pattern, tokens, index, index + size):
            yield index, index + size - 1


def _context_holds(pattern: Pattern, tokens: Sequence[Token], first: int, end: int) -> bool:
    previous, following = _at(tokens, first - 1), _at(tokens, end)
    if pattern.before and not matches(pattern.before, previous):
        return False
    if pattern.after and not matches(pattern.after, following):
        return False
    if any(matches(s, previous) for s in pattern.not_before):
        return False
    if any(matches(s, following) for s in pattern.not_after):
        return False
    near = [tokens[i] for i in range(max(0, first - 3), first)]
    if any(matches(s, t) for s in pattern.not_near for t in near):
        return False
    if pattern.near and not any(matches(s, t) for s in pattern.near for t in near):
        return False
    if any(matches(s, t) for s in pattern.not_later for t in tokens[end:]):
        return False
    if pattern.group_case or pattern.not_group_case or pattern.head:
        group = noun_group(tokens, end, strict=False)
        if pattern.group_case and (group is None or pattern.group_case not in group.cases):
            return False
        if pattern.not_group_case and group is not None and pattern.not_group_case in group.cases:
            return False
        if pattern.head and (
            group is None or group.head is None or not group.head.lemmas & pattern.head
        ):
            return False
    return True


@kind("phrase")
def phrase(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """Fixed word sequences with their conditions."""
    for pattern in _patterns(rule):
        for first, last in pattern_hits(pattern, tokens):
            replacement = pattern.replacement
            if pattern.join is not None:
                words = [t.text for t in tokens[first : last + 1]]
                replacement = pattern.join.join([words[0], *(w.lower() for w in words[1:])])
                if pattern.known_join and not analyse(replacement.lower())[1]:
                    continue  # «двух этажный» -> «двухэтажный» only when that is a word
            if pattern.inflect:
                from srgcli.gate.rules.government import inflect_words

                last_word = inflect_words([tokens[last]], pattern.inflect)
                words = [t.text for t in tokens[first:last]]
                replacement = " ".join([*words, last_word]) if last_word else ""
            source = tokens[first].text
            yield Hit(first, last, match_case(source, replacement) if replacement else "")
