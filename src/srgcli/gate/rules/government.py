"""The `preposition_case` matcher: a noun group in a case its preposition never takes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from srgcli.gate.patterns import Group, noun_group
from srgcli.gate.rules import Hit, Rule, kind
from srgcli.gate.rules.words import (
    is_name,
)
from srgcli.gate.tokens import Token

CASE_NAMES = {
    "nomn": "именительный",
    "gent": "родительный",
    "datv": "дательный",
    "accs": "винительный",
    "ablt": "творительный",
    "loct": "предложный",
}


def case_names(cases: Sequence[str]) -> str:
    """«родительный или дательный»."""
    return " или ".join(CASE_NAMES.get(c, c) for c in cases)


def inflect_words(tokens: Sequence[Token], case: str) -> str:
    """The words put into `case`, each keeping its number and gender (for a suggestion)."""
    from srgcli.gate import morph

    words = []
    for token in tokens:
        best = None
        for parse in morph.analyzer().parse(token.lower):
            if parse.is_known and parse.tag.case and parse.tag.POS in {"NOUN", "ADJF", "PRTF"}:
                best = parse
                break
        if best is None:
            return ""
        wanted = {case}
        if best.tag.number:
            wanted.add(str(best.tag.number))
        inflected = best.inflect(wanted)
        if inflected is None:
            return ""
        word = inflected.word
        words.append(word[:1].upper() + word[1:] if token.text[:1].isupper() else word)
    return " ".join(words)


def _compound_at(
    compounds: dict[tuple[str, ...], list[str]], tokens: Sequence[Token], i: int
) -> tuple[int, list[str]] | None:
    for words, cases in compounds.items():
        end = i + len(words)
        if end <= len(tokens) and all(tokens[i + k].lower == w for k, w in enumerate(words)):
            return end, cases
    return None


@kind("preposition_case")
def preposition_case(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A noun group after a preposition in a case the preposition never takes."""
    table: dict[str, list[str]] = rule.params["prepositions"]
    compounds = {tuple(k.split()): v for k, v in rule.params.get("compound", {}).items()}
    exceptions: dict[str, list[str]] = rule.params.get("exceptions", {})
    for index, token in enumerate(tokens):
        found = _compound_at(compounds, tokens, index)
        compound = found is not None
        if found is not None:
            end, allowed = found
        elif token.lower in table and token.can_be("PREP"):
            end, allowed = index + 1, table[token.lower]
            if end < len(tokens) and tokens[end].text == ".":
                continue  # «с. 5», «к. 2»: an abbreviation, not a preposition
            if index > 0 and tokens[index - 1].is_number:
                continue  # «3 с»
        else:
            continue
        group = noun_group(tokens, end)
        if group is None:
            continue
        first = tokens[group.first]
        head = group.head
        if head is not None and "друг" in head.lemmas:
            continue  # «в пятидесяти друг от друга»: the reciprocal pronoun
        if any(p.pos == "NPRO" and p.case in allowed for p in first.parses):
            continue  # «из-за этого банк перенёс»: the pronoun is the whole object
        if compound and first.can_be("nomn"):
            continue  # «В результате отчёт задержался»: an adverb, then the subject
        if any(is_name(t) for t in tokens[group.first : group.last + 1]) and group.first > 0:
            continue  # «На Маврикия»: a name the dictionary may not decline
        if token.lower == "о" and not first.cases() - {"nomn", "voct"}:
            continue  # «О жемчужина, …»: an interjection
        if (
            token.lower in {"в", "во", "за"}
            and head is not None
            and head.can_be("plur", "nomn", "anim")
        ):
            continue  # «в депутаты»: the accusative that looks like the nominative
        if _group_before_noun(tokens, group, set(allowed)):
            continue  # «к такого рода обещаниям»: a genitive inserted before the noun
        if token.can_be("GRND") and _accusative_group(tokens[group.first : group.last + 1]):
            continue  # «благодаря клиента за терпение»: a gerund with its object
        if head is not None and head.lemmas & set(exceptions.get(token.lower, ())):
            continue  # «о стену»: the accusative of contact, with the few nouns it takes
        wrong = not group.cases & set(allowed) and not first.cases() & set(allowed)
        if not wrong and head is not None and head is not first:
            numeral_rules = group.counted and first.cases() & set(allowed) <= {"nomn", "accs"}
            wrong = not numeral_rules and not head.cases() & set(allowed)
        if wrong:
            last = group.last
            yield Hit(
                index,
                last,
                replacement=_suggest(tokens, index, end, group.first, last, allowed[0]),
                fields={
                    "prep": " ".join(t.text for t in tokens[index:end]),
                    "case": case_names(allowed),
                },
            )


def _accusative_group(words: Sequence[Token]) -> bool:
    """Every word of the group has an accusative reading of one number («клиента», «этого
    клиента»), unlike «оперативного вмешательства», accusative only as a plural noun."""
    numbers = {"sing", "plur"}
    for word in words:
        accusative = [p for p in word.parses if p.case == "accs"]
        numbers &= {p.number or n for p in accusative for n in ("sing", "plur")}
    return bool(numbers)


def _group_before_noun(tokens: Sequence[Token], group: Group, allowed: set[str]) -> bool:
    """The group is a genitive standing before the noun the preposition governs."""
    if group.head is None or not group.head.can_be("NOUN") or not group.cases & {"gent"}:
        return False
    following = noun_group(tokens, group.last + 1)
    return following is not None and bool(following.cases & allowed)


def _suggest(tokens: Sequence[Token], prep: int, end: int, first: int, last: int, case: str) -> str:
    inflected = inflect_words(tokens[first : last + 1], case)
    if not inflected:
        return ""
    between = " ".join(t.text for t in tokens[end:first])
    words = [" ".join(t.text for t in tokens[prep:end]), between, inflected]
    return " ".join(w for w in words if w)
