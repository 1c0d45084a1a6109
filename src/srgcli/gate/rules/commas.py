"""Matchers for the commas a clause needs: before and after a subordinate clause, around
introductory words."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from srgcli.gate.patterns import matches, noun_group
from srgcli.gate.rules import Hit, Rule, kind
from srgcli.gate.rules.words import (
    QUOTES,
    clause_before,
    continues_predicate,
    is_predicate,
    opens_clause,
    word_set,
)
from srgcli.gate.tokens import Token


@kind("comma_subordinate")
def comma_subordinate(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A conjunction or allied word opening a subordinate clause with no comma before it."""
    params = rule.params
    words = word_set(params, "words")
    relative = word_set(params, "relative_lemmas")
    after_predicate = word_set(params, "after_predicate")
    after_heads_only = word_set(params, "after_heads_only")
    skip_after = word_set(params, "skip_after")
    heads = word_set(params, "compound_heads")
    compound_words = word_set(params, "compound_words")
    pairs = {tuple(p.split()) for p in params.get("pairs", ())}
    not_before: dict[str, list[str]] = params.get("not_before", {})
    prep_nouns = word_set(params, "preposition_nouns")
    interrogatives = word_set(params, "interrogatives")
    idioms = word_set(params, "idiom_verbs")
    for index in range(1, len(tokens)):
        token = tokens[index]
        word = token.lower
        pair = next(
            (p for p in pairs if tuple(t.lower for t in tokens[index : index + len(p)]) == p),
            None,
        )
        is_relative = bool(relative & token.lemmas) and token.can_be("ADJF", "Subx")
        if not (
            word in words
            or is_relative
            or word in after_predicate
            or pair
            or word in heads
            or word in interrogatives
        ):
            continue
        if word in heads and word not in words and not pair:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if any(matches(s, following) for s in not_before.get(word, ())):
            continue
        prior = tokens[index - 1].main
        if word in interrogatives and not (prior is not None and prior.pos == "PREP"):
            continue  # «какой» alone is often no clause («Выбирай какое: …»)
        previous = tokens[index - 1]
        if previous.is_punct or previous.lower in skip_after:
            continue
        if following is not None and following.can_be("INFN") and previous.lemmas & idioms:
            continue  # «не нашёлся что ответить», «найду куда обратиться»
        if word == "пока" and not _until(tokens, index):
            continue  # «ответа пока нет»: an adverb, not «until»
        if word in after_heads_only and previous.lower not in heads and not pair:
            continue
        if word == "чем":
            # «ниже, чем рассчитывал клиент»: a comparative clause with its own verb.
            if not previous.can_be("COMP") or previous.lower in {"более", "менее"}:
                continue
            rest = []
            for t in tokens[index + 1 :]:
                if t.is_punct:
                    break
                rest.append(t)
            if not any(t.main is not None and t.main.pos == "VERB" for t in rest):
                continue
            yield Hit(index - 1, index, replacement=f"{previous.text}, {token.text}")
            continue
        if previous.lower in heads:
            if not _compound_without_comma(tokens, index - 1, compound_words):
                continue
            start = _compound_start(tokens, index - 1, compound_words)
            yield Hit(start - 1 if start > 0 else start, index, fields={"word": token.text})
            continue
        if previous.main is not None and previous.main.pos == "PREP":
            if word in interrogatives and index > 1 and is_predicate(tokens[index - 2]):
                yield Hit(index - 2, index, fields={"word": previous.text})
                continue  # «уточнить, в каком отделении»
            if not is_relative or index < 2:
                continue
            before = tokens[index - 2]
            if before.is_punct or not before.is_word or before.lower in prep_nouns:
                continue
            if before.can_be("NOUN") and (index < 3 or tokens[index - 3].is_punct):
                continue  # «…, воспитанников для которой»: the comma stands before the noun
            if before.lower in {"и", "или", "а", "но", "либо"}:
                continue  # «… и для которых …»: a second clause joined to the first
            yield Hit(index - 2, index, fields={"word": token.text})
            continue
        if is_relative and previous.can_be("NOUN") and token.can_be("gent"):
            # «отчёт, результаты которого»: the comma stands before the noun, so it is missing
            # when another noun stands right before that one («квартира площадь которой»).
            head = index - 1
            while head > 0 and tokens[head].only("NOUN") and tokens[head].can_be("gent"):
                head -= 1  # «часть помещений которого»: the genitives belong to the head
            if not tokens[head].only("NOUN"):
                head += 1
            antecedent = tokens[head - 1] if head > 0 else None
            if antecedent is not None and antecedent.only("NOUN") and head < index:
                yield Hit(head - 1, head, fields={"word": tokens[head].text})
            elif (
                antecedent is not None
                and head > 1
                and antecedent.only("PREP")
                and tokens[head - 2].only("NOUN")
            ):
                yield Hit(head - 2, head, fields={"word": antecedent.text})  # «на основании»
            continue
        if (
            not pair
            and word in after_predicate
            and not any(is_predicate(t) for t in clause_before(tokens, index)[-3:])
        ):
            continue
        text = " ".join(t.text for t in tokens[index : index + (len(pair) if pair else 1)])
        yield Hit(
            index - 1,
            index + (len(pair) - 1 if pair else 0),
            replacement=f"{previous.text}, {text}",
            fields={"word": text},
        )


def _until(tokens: Sequence[Token], index: int) -> bool:
    """«…, пока не поступит оплата»: «пока не» before a verb in the future means «until»."""
    position = index + 1
    while position < min(len(tokens), index + 4) and tokens[position].only("NOUN", "NPRO", "ADJF"):
        position += 1  # «пока банк не пришлёт»
    if position + 1 >= len(tokens) or tokens[position].lower != "не":
        return False
    verb = tokens[position + 1].main
    return verb is not None and verb.pos == "VERB" and verb.tense == "futr"


def _compound_start(tokens: Sequence[Token], index: int, compound_words: frozenset[str]) -> int:
    start = index
    while start > 0 and tokens[start - 1].lower in compound_words and index - start < 4:
        start -= 1
    return start


def _compound_without_comma(
    tokens: Sequence[Token], index: int, compound_words: frozenset[str]
) -> bool:
    """«после того как»: a comma may stand before the whole compound or inside it; neither."""
    start = _compound_start(tokens, index, compound_words)
    if start > 0 and tokens[start - 1].lower in {
        "а",
        "и",
        "но",
        "или",
        "либо",
        "ведь",
        "лишь",
        "только",
        "именно",
        "даже",
        "не",
    }:
        start -= 1  # «…, а после того как …», «Ведь для того чтобы …»
    return not opens_clause(tokens, start)


@kind("comma_subordinate_first")
def comma_subordinate_first(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A sentence that opens with a subordinate clause and has no comma after it."""
    openers = {tuple(o.split()) for o in rule.params["openers"]}
    skip = word_set(rule.params, "skip_conjunctions")
    start = 1 if tokens and tokens[0].lower in skip else 0
    opener = next(
        (o for o in openers if tuple(t.lower for t in tokens[start : start + len(o)]) == o), None
    )
    if opener is None or any(t.text in {",", "—", ":", ";", "–", "("} for t in tokens):
        return
    if tokens[-1].text in {"?", "…"}:
        return
    if any(matches(s, tokens[start + len(opener)]) for s in rule.params.get("not_before", ())):
        return
    chains = []
    for index in range(start + len(opener), len(tokens)):
        if is_predicate(tokens[index]) and not continues_predicate(tokens, index):
            chains.append(index)
    if len(chains) >= 2:
        yield Hit(start, chains[1], fields={"word": tokens[start].text})


@kind("introductory")
def introductory(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """Introductory words and phrases not set off by commas."""
    conjunctions = word_set(rule.params, "clause_conjunctions")
    subordinators = word_set(rule.params, "subordinators")
    for entry in rule.params["phrases"]:
        words = tuple(entry["words"].split())
        size = len(words)
        for index in range(len(tokens) - size + 1):
            if tuple(t.lower for t in tokens[index : index + size]) != words:
                continue
            end = index + size
            opens = opens_clause(tokens, index) or (
                tokens[index - 1].lower in conjunctions and opens_clause(tokens, index - 1)
            )
            # After «что», «если» the word opens the clause too, but takes commas on both
            # sides: «считает, что, возможно, оценщик …».
            after_subordinator = index > 1 and (
                tokens[index - 1].lower in subordinators and opens_clause(tokens, index - 1)
            )
            if entry.get("opens") and not (opens or after_subordinator):
                continue
            if entry.get("inside") and opens:
                continue  # «Однако клиент отказался»: a conjunction at the clause's start
            if index and tokens[index - 1].lower in entry.get("not_after_words", ()):
                continue
            following = tokens[end] if end < len(tokens) else None
            if any(matches(s, following) for s in entry.get("not_before", ())):
                continue
            group_case = entry.get("group")
            if group_case:
                group = noun_group(tokens, end)
                if group is None or group_case not in group.cases:
                    continue
                end = group.last + 1
                # «По мнению руководителя отдела качества, …»: genitives that hang on the group
                while (chained := noun_group(tokens, end)) is not None and "gent" in chained.cases:
                    end = chained.last + 1
                following = tokens[end] if end < len(tokens) else None
            if entry.get("not_group_case"):
                group = noun_group(tokens, end)
                if group is not None and entry["not_group_case"] in group.cases:
                    continue
            while following is not None and following.lower in {"же", "ж"}:
                end += 1
                following = tokens[end] if end < len(tokens) else None
            closed = following is None or following.is_punct
            quoted = index > 0 and tokens[index - 1].text in QUOTES
            if (opens or quoted) and closed:
                continue
            phrase = " ".join(t.text for t in tokens[index:end])
            first, last = index, end - 1
            suggestion = phrase
            if not opens:
                first -= 1  # the comma goes after the word before: «Мы, к сожалению»
                suggestion = f"{tokens[first].text}, {phrase}"
            if not closed:
                suggestion += ","
                if end < len(tokens) and tokens[end].is_word:
                    last = end
                    suggestion += f" {tokens[end].text}"
            yield Hit(first, last, replacement=suggestion, fields={"word": phrase})


@kind("relative_unclosed")
def relative_unclosed(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Оценщик, который проводил осмотр уже не работает»: the clause opened by «, который»
    runs into the main clause's predicate with no comma to close it."""
    relative = word_set(rule.params, "relative_lemmas")
    openers = word_set(rule.params, "openers")
    coordinating = word_set(rule.params, "coordinating")
    for index in range(1, len(tokens)):
        token = tokens[index]
        opener = token.lower in openers or bool(token.lemmas & relative)
        if not opener:
            continue
        comma = index - 1
        before = tokens[comma].main
        if before is not None and before.pos == "PREP" and comma > 0:
            comma -= 1  # «, в котором»
        if tokens[comma].text != ",":
            continue
        chains: list[int] = []
        joined = False
        position = index + 1
        while position < len(tokens) and not tokens[position].is_punct:
            current = tokens[position]
            if current.lower in coordinating:
                joined = True
            if (
                is_predicate(current)
                and not current.can_be("INFN")
                and not continues_predicate(tokens, position)
            ):
                if not (chains and joined):
                    chains.append(position)
                joined = False
            position += 1
        if len(chains) < 2:
            continue
        yield Hit(chains[0] + 1, chains[1])
