"""The grammar rule pack: the errors of business Russian that pylat-ru misses, as data.

Each rule in `gate/data/grammar.toml` has an id, a class of error, a Russian message, a
suggestion, examples that must fire and examples that must not, and a `kind`: the matcher that
reads its parameters (token patterns, preposition tables, word lists). Matchers look at the
sentence's tokens and their pymorphy3 readings.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from srgcli.gate.issue import Category, Issue, Severity
from srgcli.gate.tokens import Token, tokenize

DATA_FILE = "grammar.toml"


@dataclass(frozen=True)
class Rule:
    """One rule of the pack, as written in the data file."""

    id: str
    kind: str
    error_class: str
    category: Category
    severity: Severity
    message: str
    replacement: str
    params: Mapping[str, Any]
    fire: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """Where a rule fired: tokens `first`..`last`, with a suggestion and message if they vary."""

    first: int
    last: int
    replacement: str = ""
    message: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)


Matcher = Callable[[Rule, Sequence[Token]], Iterator[Hit]]
_KINDS: dict[str, Matcher] = {}


def kind(name: str) -> Callable[[Matcher], Matcher]:
    """Register a matcher under the `kind` name rules use in the data file."""

    def register(function: Matcher) -> Matcher:
        _KINDS[name] = function
        return function

    return register


def data_text() -> str:
    """The rule pack's data file as text (part of the gate's rules fingerprint)."""
    return (resources.files("srgcli.gate") / "data" / DATA_FILE).read_text(encoding="utf-8")


def fingerprint() -> str:
    """A short hash of the rule pack's data."""
    return hashlib.sha256(data_text().encode()).hexdigest()[:16]


_COMMON = frozenset(
    {"id", "kind", "class", "category", "severity", "message", "replacement", "fire", "pass"}
)


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule of the pack, in the order of the data file."""
    _load_matchers()
    loaded = []
    for raw in tomllib.loads(data_text())["rule"]:
        if raw["kind"] not in _KINDS:
            raise ValueError(f"grammar rule {raw['id']}: unknown kind {raw['kind']!r}")
        loaded.append(
            Rule(
                id=raw["id"],
                kind=raw["kind"],
                error_class=raw["class"],
                category=Category(raw.get("category", "grammar")),
                severity=Severity(raw.get("severity", "error")),
                message=raw["message"],
                replacement=raw.get("replacement", ""),
                params={k: v for k, v in raw.items() if k not in _COMMON},
                fire=tuple(raw.get("fire", ())),
                keep=tuple(raw.get("pass", ())),
            )
        )
    return tuple(loaded)


def rule_ids() -> frozenset[str]:
    """The ids of the pack's rules (for `disabled_rules` checks and documentation)."""
    return frozenset(r.id for r in rules())


@dataclass(frozen=True)
class EngineFalseAlarm:
    """An engine alarm the data file takes back in a context it describes."""

    rule: str
    # The flagged text (lower case, «ё» as «е»); empty: any text.
    texts: frozenset[str] = frozenset()
    # Lemmas of which one anywhere in the sentence takes the alarm back; empty: no condition.
    lemmas_in_sentence: frozenset[str] = frozenset()
    # Words of which one right after the flagged text takes the alarm back; empty: no condition.
    next_words: frozenset[str] = frozenset()


@cache
def _false_alarms() -> tuple[EngineFalseAlarm, ...]:
    data = tomllib.loads(data_text()).get("engine_false_alarm", [])
    return tuple(
        EngineFalseAlarm(
            rule=entry["rule"],
            texts=frozenset(t.replace("ё", "е").lower() for t in entry.get("text", ())),
            lemmas_in_sentence=frozenset(entry.get("lemmas_in_sentence", ())),
            next_words=frozenset(w.lower() for w in entry.get("next_words", ())),
        )
        for entry in data
    )


def drop_engine_false_alarms(sentence: str, issues: list[Issue]) -> list[Issue]:
    """The engine's issues without the false alarms the data file describes by context
    («на счёт клиента» after «перечислить» is not «насчёт»; «так и не вышла» is not the
    second half of «как…, так и»)."""
    entries = _false_alarms()
    if not entries or not issues:
        return issues
    lemmas: frozenset[str] | None = None
    kept = []
    for issue in issues:
        flagged = sentence[issue.offset : issue.end].replace("ё", "е").lower()
        dropped = False
        for entry in entries:
            if issue.rule != entry.rule or (entry.texts and flagged not in entry.texts):
                continue
            if entry.next_words:
                following = sentence[issue.end :].split(maxsplit=1)
                if not following or following[0].lower().strip(".,;:!?") not in entry.next_words:
                    continue
            if entry.lemmas_in_sentence:
                if lemmas is None:
                    lemmas = frozenset(lemma for t in tokenize(sentence) for lemma in t.lemmas)
                if not lemmas & entry.lemmas_in_sentence:
                    continue
            dropped = True
        if not dropped:
            kept.append(issue)
    return kept


def _load_matchers() -> None:
    # Importing the modules registers their matchers.
    from srgcli.gate.rules import (  # noqa: F401
        agreement,
        commas,
        government,
        numerals,
        phrases,
        predicates,
        setoff,
        stray,
        syntax,
    )


def check_grammar(sentence: str, disabled: frozenset[str] = frozenset()) -> list[Issue]:
    """Issues the rule pack finds in one sentence (offsets within it)."""
    tokens = tokenize(sentence)
    if not any(t.is_word for t in tokens):
        return []
    issues: list[Issue] = []
    for rule in rules():
        if rule.id in disabled:
            continue
        for hit in _KINDS[rule.kind](rule, tokens):
            start, end = tokens[hit.first].start, tokens[hit.last].end
            replacement = hit.replacement or rule.replacement
            message = hit.message or rule.message
            if hit.fields:
                message = message.format(**hit.fields)
            issues.append(
                Issue(
                    rule=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    message=message,
                    offset=start,
                    length=end - start,
                    replacements=(replacement,) if replacement else (),
                )
            )
    return _one_per_span(issues)


# Matchers that judge any phrase by its forms: where a rule about particular words speaks on the
# same words («в замен» is a fused spelling, not a wrong case after «в»), that rule's message
# is the useful one.
_GENERAL_KINDS = frozenset({"preposition_case", "agreement"})


def _one_per_span(issues: list[Issue]) -> list[Issue]:
    """One issue per stretch of words: a specific rule wins over a general one, and of two
    rules on the very same words the first in the data file speaks."""
    general = {r.id for r in rules() if r.kind in _GENERAL_KINDS}
    specific = [i for i in issues if i.rule not in general]
    kept: list[Issue] = []
    seen: set[tuple[int, int]] = set()
    for issue in issues:
        if issue.rule in general and any(
            issue.offset < s.end and s.offset < issue.end for s in specific
        ):
            continue
        if (issue.offset, issue.length) not in seen:
            seen.add((issue.offset, issue.length))
            kept.append(issue)
    return kept


def match_case(source: str, replacement: str) -> str:
    """`replacement` with the capital of `source` kept («В течении» -> «В течение»)."""
    if source[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
