"""Every rule id the gate knows (the engine's and srgcli's own), and the closest ones to a typo.

A disabled rule whose id nobody knows silently disables nothing: pylat-ru's `V_TECHENIЕ` ends in
a Cyrillic «Е», so the all-Latin spelling does nothing. The warnings here name what was meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import cache
from importlib import import_module

# Where rule ids come from, as "module:function" returning an iterable of ids; imported only
# when an id has to be looked up. A new rule pack is one more line here.
RULE_SOURCES = (
    "srgcli.gate.pylat:rule_ids",
    "srgcli.gate.etiquette:rule_ids",
    "srgcli.gate.filters:rule_ids",
    "srgcli.gate.rules:rule_ids",
)

# Cyrillic letters that look like Latin ones, and the Latin letter each is taken for.
_LOOK_ALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


def _source(path: str) -> Callable[[], Iterable[str]]:
    module, _, name = path.partition(":")
    function: Callable[[], Iterable[str]] = getattr(import_module(module), name)
    return function


@cache
def known_rule_ids() -> frozenset[str]:
    """Every rule id an issue can carry: the union of `RULE_SOURCES`."""
    return frozenset(rule for path in RULE_SOURCES for rule in _source(path)())


def fold_look_alikes(rule: str) -> str:
    """`rule` upper-cased with Cyrillic look-alike letters read as Latin ones."""
    return rule.upper().translate(_LOOK_ALIKES)


def closest_rule_ids(rule: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """Known ids closest to `rule`: the same after folding look-alikes and case first, then
    the most similar (difflib) among the folded spellings."""
    by_folded: dict[str, list[str]] = {}
    for candidate in sorted(known):
        by_folded.setdefault(fold_look_alikes(candidate), []).append(candidate)
    folded = fold_look_alikes(rule)
    found = list(by_folded.get(folded, []))
    for close in difflib.get_close_matches(folded, list(by_folded), n=limit, cutoff=0.6):
        found.extend(c for c in by_folded[close] if c not in found)
    return [c for c in found if c != rule][:limit]


def _differences(rule: str, suggestion: str) -> str:
    """«Е» at 11 in the id: the look-alike letters that tell two spellings apart."""
    if len(rule) != len(suggestion):
        return ""
    letters = [s for r, s in zip(rule, suggestion, strict=True) if r != s and s.isalpha()]
    cyrillic = [s for s in letters if "\u0400" <= s <= "\u04ff"]
    if not cyrillic or len(cyrillic) != len(letters):
        return ""
    return " (в нём кириллические буквы: " + ", ".join(f"«{s}»" for s in cyrillic) + ")"


def unknown_rule_warnings(rules: Iterable[str], where: str) -> list[str]:
    """A Russian warning for each id in `rules` that no rule has, naming the closest known ids;
    `where` says where the id was given («в [checker] disabled_rules», «в --disable»)."""
    unknown = sorted({r for r in rules} - known_rule_ids())
    warnings = []
    for rule in unknown:
        message = f"Правило «{rule}» {where} неизвестно и ничего не отключает."
        closest = closest_rule_ids(rule, known_rule_ids())
        if closest:
            message += " Возможно, имелось в виду: " + ", ".join(
                f"«{c}»{_differences(rule, c)}" for c in closest
            )
            message += "."
        else:
            message += " Идентификаторы правил показывает srgcli check в каждом замечании."
        warnings.append(message)
    return warnings
