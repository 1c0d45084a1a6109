"""Matchers for commas: before a subordinate clause, around introductory words, and the
stray comma before a single «и» that joins two predicates of one subject."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from srgcli.gate.patterns import matches, noun_group
from srgcli.gate.rules import Hit, Rule, kind, match_case
from srgcli.gate.tokens import NOMINAL, Parse, Token

_PREDICATE_POS = frozenset({"VERB", "INFN", "PRTS", "ADJS", "PRED"})


_QUOTES = frozenset("«»\"'„“”")


def _opens_clause(tokens: Sequence[Token], index: int) -> bool:
    """True at the start of the sentence or right after a punctuation mark (not a quote)."""
    return index == 0 or (tokens[index - 1].is_punct and tokens[index - 1].text not in _QUOTES)


def _words(params: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(w.replace("ё", "е") for w in params.get(key, ()))


@kind("comma_subordinate")
def comma_subordinate(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A conjunction or allied word opening a subordinate clause with no comma before it."""
    params = rule.params
    words = _words(params, "words")
    relative = _words(params, "relative_lemmas")
    after_predicate = _words(params, "after_predicate")
    after_heads_only = _words(params, "after_heads_only")
    skip_after = _words(params, "skip_after")
    heads = _words(params, "compound_heads")
    compound_words = _words(params, "compound_words")
    pairs = {tuple(p.split()) for p in params.get("pairs", ())}
    not_before: dict[str, list[str]] = params.get("not_before", {})
    prep_nouns = _words(params, "preposition_nouns")
    idioms = _words(params, "idiom_verbs")
    for index in range(1, len(tokens)):
        token = tokens[index]
        word = token.lower
        pair = next(
            (p for p in pairs if tuple(t.lower for t in tokens[index : index + len(p)]) == p),
            None,
        )
        is_relative = bool(relative & token.lemmas) and token.can_be("ADJF", "Subx")
        if not (word in words or is_relative or word in after_predicate or pair or word in heads):
            continue
        if word in heads and word not in words and not pair:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if any(matches(s, following) for s in not_before.get(word, ())):
            continue
        previous = tokens[index - 1]
        if previous.is_punct or previous.lower in skip_after:
            continue
        if following is not None and following.can_be("INFN") and previous.lemmas & idioms:
            continue  # «не нашёлся что ответить», «найду куда обратиться»
        if word in after_heads_only and previous.lower not in heads:
            continue
        if previous.lower in heads:
            if not _compound_without_comma(tokens, index - 1, compound_words):
                continue
            start = _compound_start(tokens, index - 1, compound_words)
            yield Hit(start - 1 if start > 0 else start, index, fields={"word": token.text})
            continue
        if previous.main is not None and previous.main.pos == "PREP":
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
        if word in after_predicate and not any(
            _is_predicate(t) for t in _clause_before(tokens, index)[-3:]
        ):
            continue
        text = " ".join(t.text for t in tokens[index : index + (len(pair) if pair else 1)])
        yield Hit(
            index - 1,
            index + (len(pair) - 1 if pair else 0),
            replacement=f"{previous.text}, {text}",
            fields={"word": text},
        )


def _clause_before(tokens: Sequence[Token], index: int) -> list[Token]:
    """The words between the last punctuation mark and `index`."""
    start = index
    while start > 0 and not tokens[start - 1].is_punct:
        start -= 1
    return list(tokens[start:index])


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
    return not _opens_clause(tokens, start)


@kind("comma_subordinate_first")
def comma_subordinate_first(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A sentence that opens with a subordinate clause and has no comma after it."""
    openers = {tuple(o.split()) for o in rule.params["openers"]}
    skip = _words(rule.params, "skip_conjunctions")
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
        if _is_predicate(tokens[index]) and not _continues_predicate(tokens, index):
            chains.append(index)
    if len(chains) >= 2:
        yield Hit(start, chains[1], fields={"word": tokens[start].text})


def _is_filler(token: Token) -> bool:
    """An adverb or particle: «сразу же», «уже не»."""
    return token.main is not None and token.main.pos in {"ADVB", "PRCL"}


def _is_predicate(token: Token) -> bool:
    return token.main is not None and token.main.pos in _PREDICATE_POS


def _continues_predicate(tokens: Sequence[Token], index: int) -> bool:
    """«будет готов», «может не приехать»: one predicate in several words."""
    back = index - 1
    while back > 0 and (tokens[back].lower == "не" or _is_filler(tokens[back])):
        back -= 1  # «были чересчур заметны», «может не приехать»
    return back >= 0 and _is_predicate(tokens[back])


@kind("introductory")
def introductory(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """Introductory words and phrases not set off by commas."""
    conjunctions = _words(rule.params, "clause_conjunctions")
    for entry in rule.params["phrases"]:
        words = tuple(entry["words"].split())
        size = len(words)
        for index in range(len(tokens) - size + 1):
            if tuple(t.lower for t in tokens[index : index + size]) != words:
                continue
            end = index + size
            opens = _opens_clause(tokens, index) or (
                tokens[index - 1].lower in conjunctions and _opens_clause(tokens, index - 1)
            )
            if entry.get("opens") and not opens:
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
                following = tokens[end] if end < len(tokens) else None
            if entry.get("not_group_case"):
                group = noun_group(tokens, end)
                if group is not None and entry["not_group_case"] in group.cases:
                    continue
            while following is not None and following.lower in {"же", "ж"}:
                end += 1
                following = tokens[end] if end < len(tokens) else None
            closed = following is None or following.is_punct
            quoted = index > 0 and tokens[index - 1].text in _QUOTES
            if (opens or quoted) and closed:
                continue
            phrase = " ".join(t.text for t in tokens[index:end])
            suggestion = phrase if opens else f", {phrase}"
            if not closed:
                suggestion += ","
            yield Hit(index, end - 1, replacement=suggestion.strip(), fields={"word": phrase})


@kind("comma_before_conjunction")
def comma_before_conjunction(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«…, и» joining a second predicate of the same subject: the comma is not needed."""
    conjunctions = _words(rule.params, "conjunctions")
    openers = _words(rule.params, "clause_openers")
    fillers = _words(rule.params, "fillers")
    for comma in range(1, len(tokens) - 2):
        if tokens[comma].text != "," or tokens[comma + 1].lower not in conjunctions:
            continue
        start = comma - 1
        while start > 0 and not tokens[start - 1].is_punct:
            start -= 1
        left = tokens[start:comma]
        if not left or left[0].lower in openers | conjunctions | {"ни"}:
            continue
        # The first clause of the sentence (after at most an address or a word such as
        # «Пожалуйста,»), and a short one: a longer or later clause may hold an inserted
        # phrase whose closing comma this is.
        lead = tokens[:start]
        if start > 0 and (
            len(lead) > 4
            or sum(1 for t in lead if t.is_punct) > 1
            or any(_is_predicate(t) for t in lead)
        ):
            continue
        if sum(1 for t in left if t.is_word) > 8 or any(t.lower == "ли" for t in left):
            continue
        if left[0].can_be("GRND") or left[0].can_be("PRTF") or left[0].can_be("CONJ"):
            continue
        if any(t.lower in conjunctions for t in tokens[:comma] if t.is_word):
            continue  # «и позвонили, и написали»: a repeated conjunction takes commas
        first_predicate = _predicate(left)
        if first_predicate is None:
            continue
        index = comma + 2
        while index < len(tokens) and (
            tokens[index].lower in fillers or tokens[index].only("ADVB")
        ):
            index += 1
        if index >= len(tokens):
            continue
        second = tokens[index]
        if not _same_predicate(first_predicate, second):
            continue
        if _own_subject(tokens, index):
            continue
        yield Hit(
            comma - 1,
            comma + 1,
            replacement=f"{tokens[comma - 1].text} {tokens[comma + 1].text}",
        )


def _predicate(tokens: Sequence[Token]) -> Token | None:
    """The last word of a clause that is most likely its verb (finite, infinitive or short)."""
    found = None
    for token in tokens:
        main = token.main
        if main and main.pos in {"VERB", "INFN", "PRTS"}:
            found = token
    return found


def _same_predicate(first: Token, second: Token) -> bool:
    """Two predicates of one subject: the same form class, number, gender or person."""
    if second.main is None or second.main.pos not in {"VERB", "INFN", "PRTS"}:
        return False
    return any(
        _same_form(a, b)
        for a in first.parses
        for b in second.parses
        if a.pos in {"VERB", "INFN", "PRTS"}
    )


def _same_form(a: Parse, b: Parse) -> bool:
    if a.pos != b.pos:
        return False
    if a.pos == "INFN":
        return True
    if a.number != b.number:
        return False
    if a.pos == "VERB" and a.tense != b.tense and not {a.tense, b.tense} <= {"pres", "futr"}:
        return False
    if a.number == "sing" and a.gender != b.gender:
        return False
    return a.person == b.person


def _own_subject(tokens: Sequence[Token], verb: int) -> bool:
    """A noun or pronoun in the nominative after an intransitive verb: «и начался ремонт»."""
    main = tokens[verb].main
    if main is None or "intr" not in main.grammemes:
        return False
    for token in tokens[verb + 1 :]:
        if token.is_punct:
            return False
        if token.can_be("NOUN", "nomn") or token.can_be("NPRO", "nomn"):
            return True
    return False


def suggestion_with_case(source: str, text: str) -> str:
    """`text` with the capital of `source` kept."""
    return match_case(source, text)


@kind("stray_comma")
def stray_comma(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """Commas that separate what belongs together: right after a conjunction («что, отчёт»),
    between the subject and its predicate, before «и» joining two objects."""
    params = rule.params
    conjunctions = _words(params, "conjunctions")
    openers = _words(params, "clause_openers")
    yield from _after_conjunction(tokens, conjunctions, openers, _words(params, "starters"))
    yield from _between_subject_and_predicate(tokens, openers)
    yield from _before_joined_words(tokens, _words(params, "joining"), openers)
    yield from _before_repeated_conjunction(tokens, _words(params, "repeated"))
    yield from _after_opening_adverbial(tokens, params)
    yield from _between_joined_subjects(tokens)


def _after_conjunction(
    tokens: Sequence[Token],
    conjunctions: frozenset[str],
    openers: frozenset[str],
    starters: frozenset[str] = frozenset(),
) -> Iterator[Hit]:
    for index in range(1, len(tokens) - 2):
        if tokens[index].lower not in conjunctions or tokens[index + 1].text != ",":
            continue
        if not (tokens[index - 1].text == "," or tokens[index - 1].lower in {"потому", "так"}):
            continue
        yield from _comma_after_word(tokens, index, conjunctions, openers)
    if len(tokens) > 3 and tokens[1].text == "," and tokens[0].lower in starters:
        yield from _comma_after_word(tokens, 0, conjunctions, openers)
    if (
        len(tokens) > 4
        and tokens[2].text == ","
        and f"{tokens[0].lower} {tokens[1].lower}" in {"так как", "потому что"}
    ):
        yield from _comma_after_word(tokens, 1, conjunctions, openers)


def _comma_after_word(
    tokens: Sequence[Token], index: int, conjunctions: frozenset[str], openers: frozenset[str]
) -> Iterator[Hit]:
    """The comma right after the conjunction at `index` separates it from its clause."""
    after = tokens[index + 2]
    if not after.is_word or after.lower in openers or after.lower in conjunctions:
        return
    if any(t.text == "," for t in tokens[index + 2 : index + 5]):
        return  # «что, к сожалению, …»: an inserted word takes two commas
    yield Hit(index, index + 2, replacement=f"{tokens[index].text} {after.text}")


def _between_subject_and_predicate(
    tokens: Sequence[Token], openers: frozenset[str]
) -> Iterator[Hit]:
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    if comma is None or comma < 2 or comma + 1 >= len(tokens):
        return
    left = tokens[:comma]
    if any(not t.is_word and not t.is_number and t.text not in '«»"' for t in left):
        return
    joined = any(t.lower == "и" for t in left)
    if (
        any(t.main is not None and t.main.pos in _PREDICATE_POS | {"GRND"} for t in left)
        or any(t.main is not None and t.main.pos == "CONJ" and t.lower != "и" for t in left)
        or left[0].lower in openers
        or any(t.can_be("PRTF") and not _modifies_later_noun(left, k) for k, t in enumerate(left))
    ):
        return
    subject = next((t for t in left if t.only("NOUN", "NPRO") and t.can_be("nomn")), None)
    if subject is None or not left[0].pos & NOMINAL:
        return
    index = comma + 1
    while index < len(tokens) and _is_filler(tokens[index]):
        index += 1
    if index >= len(tokens):
        return
    verb = tokens[index].main
    if verb is None or verb.pos not in {"VERB", "PRTS", "ADJS"} or verb.person in {"1per", "2per"}:
        return
    if (joined and verb.number == "plur") or any(
        p.case == "nomn"
        and p.number == verb.number
        and (verb.number != "sing" or not verb.gender or p.gender in (verb.gender, "ms-f"))
        for p in subject.parses
    ):
        yield Hit(
            comma - 1, comma + 1, replacement=f"{tokens[comma - 1].text} {tokens[comma + 1].text}"
        )


def _modifies_later_noun(tokens: Sequence[Token], index: int) -> bool:
    """«Принятое руководителем решение»: a participle before the noun it describes."""
    from srgcli.gate.rules.morphology import _agrees

    return any(_agrees(tokens[index], t) for t in tokens[index + 1 :] if t.only("NOUN"))


_SUBORDINATORS = frozenset(
    {
        "что",
        "чтобы",
        "если",
        "когда",
        "где",
        "куда",
        "откуда",
        "поскольку",
        "хотя",
        "потому",
        "ибо",
        "пока",
        "чем",
        "будто",
        "словно",
        "ли",
    }
)


def _same_kind(tokens: Sequence[Token], left: Sequence[Token], start: int) -> bool:
    """The words after «и» can be of a kind with words before it: the same preposition, or a
    noun group sharing a case with a noun of the clause."""
    first = tokens[start]
    if first.main is not None and first.main.pos == "PREP":
        return any(t.lower == first.lower for t in left)
    group = noun_group(tokens, start, strict=False)
    if group is None:
        return False
    cases = set().union(*(t.cases("NOUN") for t in left if t.can_be("NOUN")))
    return bool(group.cases & cases)


def _before_joined_words(
    tokens: Sequence[Token], joining: frozenset[str], openers: frozenset[str]
) -> Iterator[Hit]:
    """«Прошу прислать копию паспорта, и выписку»: words joined by a single «и» after the
    clause's verb take no comma."""
    for comma in range(1, len(tokens) - 2):
        if tokens[comma].text != "," or tokens[comma + 1].lower not in joining:
            continue
        start = comma - 1
        while start > 0 and not tokens[start - 1].is_punct:
            start -= 1
        left = tokens[start:comma]
        prefix = tokens[:comma]
        if not left or left[0].lower in openers | joining:
            continue
        # Earlier segments may only be the verb's own («Пришлите, пожалуйста, скан …»): a
        # subordinate clause or another «и» before makes this comma one between clauses.
        if any(t.lower in _SUBORDINATORS or t.lemmas & {"который"} for t in prefix):
            continue
        if start > 0 and any(t.main is not None and t.main.pos in {"GRND", "PRTF"} for t in prefix):
            continue
        if any(t.lower in joining for t in prefix if t.is_word):
            continue
        end = comma + 2
        while end < len(tokens) and not tokens[end].is_punct:
            end += 1
        right = tokens[comma + 2 : end]
        if len(right) == 0 or right[0].lower in {"т", "др", "пр", "тп", "тд"}:
            continue
        if right[0].only("ADVB") or right[0].lower in {"даже", "также", "притом", "причём"}:
            continue  # «поют, и вдобавок …»; «картин, стихами, и даже пьесой»: an addition
        if any(
            t.main is not None and t.main.pos in _PREDICATE_POS | {"GRND", "PRTF", "CONJ"}
            for t in right
        ):
            continue
        if any(t.lower in openers for t in right) or not any(_is_predicate(t) for t in prefix):
            continue
        if left[0].can_be("GRND") or left[0].can_be("PRTF"):
            continue
        if not _same_kind(tokens, left, comma + 2):
            continue
        yield Hit(
            comma - 1, comma + 1, replacement=f"{tokens[comma - 1].text} {tokens[comma + 1].text}"
        )


@kind("relative_unclosed")
def relative_unclosed(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Оценщик, который проводил осмотр уже не работает»: the clause opened by «, который»
    runs into the main clause's predicate with no comma to close it."""
    relative = _words(rule.params, "relative_lemmas")
    openers = _words(rule.params, "openers")
    coordinating = _words(rule.params, "coordinating")
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
                _is_predicate(current)
                and not current.can_be("INFN")
                and not _continues_predicate(tokens, position)
            ):
                if not (chains and joined):
                    chains.append(position)
                joined = False
            position += 1
        if len(chains) < 2:
            continue
        yield Hit(chains[0] + 1, chains[1])


def _before_repeated_conjunction(
    tokens: Sequence[Token], repeated: frozenset[str]
) -> Iterator[Hit]:
    """«Клиенту было предложено, либо перенести осмотр, либо отказаться»: no comma before the
    first of a repeated conjunction that joins the parts of one predicate."""
    for comma in range(1, len(tokens) - 2):
        conjunction = tokens[comma + 1].lower
        if tokens[comma].text != "," or conjunction not in repeated:
            continue
        if any(t.lower == conjunction for t in tokens[:comma]):
            continue
        if not any(t.lower == conjunction for t in tokens[comma + 2 :]):
            continue
        if _is_predicate(tokens[comma - 1]):
            yield Hit(comma - 1, comma + 1, replacement=f"{tokens[comma - 1].text} {conjunction}")


def _after_opening_adverbial(tokens: Sequence[Token], params: Mapping[str, Any]) -> Iterator[Hit]:
    """«В пятницу утром, клиентка позвонила»: a circumstance that opens the sentence is not
    set off before its subject and verb (unlike an introductory word or «несмотря на …»)."""
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    if comma is None or comma < 1 or comma + 2 >= len(tokens):
        return
    left = tokens[:comma]
    first = left[0].lower
    # Only a circumstance of time («Вчера», «В пятницу утром», «5 мая»): other opening
    # phrases («В связи с задержкой», «Согласно договору») may be set off by choice.
    timely = first in _words(params, "circumstance_openers") or (
        ((left[0].main is not None and left[0].main.pos == "PREP") or left[0].is_number)
        and any(t.lemmas & _words(params, "time_words") for t in left)
    )
    if not timely or sum(1 for t in left if t.is_word or t.is_number) > 5:
        return
    if any(not t.is_word and not t.is_number for t in left) or any(
        t.main is not None and t.main.pos in _PREDICATE_POS | {"GRND", "PRTF", "CONJ"} for t in left
    ):
        return
    subject, verb = tokens[comma + 1], tokens[comma + 2]
    if not (subject.only("NOUN", "NPRO") and subject.can_be("nomn")):
        return
    main = verb.main
    if main is None or main.pos not in {"VERB", "PRTS"}:
        return
    if any(p.case == "nomn" and p.number == main.number for p in subject.parses):
        yield Hit(comma - 1, comma + 1, replacement=f"{tokens[comma - 1].text} {subject.text}")


def _between_joined_subjects(tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Клиент, и его супруга присутствовали»: no comma before a single «и» joining subjects."""
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    if comma is None or comma < 1 or comma + 3 >= len(tokens) or tokens[comma + 1].lower != "и":
        return
    left = tokens[:comma]
    if any(not t.is_word for t in left) or any(
        t.main is not None and t.main.pos in _PREDICATE_POS | {"GRND", "PRTF", "CONJ"} for t in left
    ):
        return
    if not any(t.only("NOUN", "NPRO") and t.can_be("nomn") for t in left):
        return
    position = comma + 2
    while position < len(tokens) and tokens[position].only("NOUN", "NPRO", "ADJF"):
        position += 1
    if position >= len(tokens) or position == comma + 2:
        return
    verb = tokens[position].main
    if verb is not None and verb.pos in {"VERB", "PRTS", "ADJS"} and verb.number == "plur":
        yield Hit(comma - 1, comma + 1, replacement=f"{tokens[comma - 1].text} и")
