"""Matchers for commas that should not be there: before a single «и» joining predicates or
words, after a conjunction, between the subject and its predicate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from srgcli.gate.patterns import noun_group
from srgcli.gate.rules import Hit, Rule, kind
from srgcli.gate.rules.words import (
    PREDICATE_POS,
    agrees,
    clause_start,
    is_filler,
    is_noun,
    is_predicate,
    skip_attributes,
    word_set,
)
from srgcli.gate.tokens import NOMINAL, Parse, Token


@kind("comma_before_conjunction")
def comma_before_conjunction(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«…, и» joining a second predicate of the same subject: the comma is not needed."""
    conjunctions = word_set(rule.params, "conjunctions")
    openers = word_set(rule.params, "clause_openers")
    fillers = word_set(rule.params, "fillers")
    for comma in range(1, len(tokens) - 2):
        if tokens[comma].text != "," or tokens[comma + 1].lower not in conjunctions:
            continue
        start = clause_start(tokens, comma - 1)
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
            or any(is_predicate(t) for t in lead)
        ):
            continue
        if sum(1 for t in left if t.is_word) > 8 or any(t.lower == "ли" for t in left):
            continue
        attribute = len(left) > 1 and is_noun(left[1]) and agrees(left[0], left[1])
        if (
            left[0].can_be("GRND")
            or left[0].can_be("CONJ")
            or (
                left[0].can_be("PRTF") and not attribute  # «Исправленный отчёт Вы можете …»
            )
        ):
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
    if main is None or main.pos == "INFN" or "intr" not in main.grammemes:
        return False
    for token in tokens[verb + 1 :]:
        if token.is_punct:
            return False
        if token.can_be("NOUN", "nomn") or token.can_be("NPRO", "nomn"):
            return True
    return False


@kind("stray_comma")
def stray_comma(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """Commas that separate what belongs together: right after a conjunction («что, отчёт»),
    between the subject and its predicate, before «и» joining two objects."""
    params = rule.params
    conjunctions = word_set(params, "conjunctions")
    openers = word_set(params, "clause_openers")
    yield from _after_conjunction(tokens, conjunctions, openers, word_set(params, "starters"))
    yield from _between_subject_and_predicate(tokens, openers)
    yield from _before_joined_words(tokens, word_set(params, "joining"), openers)
    yield from _before_repeated_conjunction(tokens, word_set(params, "repeated"))
    yield from _after_opening_adverbial(tokens, params)
    yield from _between_joined_subjects(tokens)
    yield from _before_infinitive(tokens, word_set(params, "infinitive_verbs"))
    yield from _inside_noun_phrase(tokens)
    yield from _before_link_verb(tokens, word_set(params, "link_verbs"))


def _before_link_verb(tokens: Sequence[Token], links: frozenset[str]) -> Iterator[Hit]:
    """«Причиной задержки отчёта, стала ошибка»: the instrumental that opens the sentence and
    its link verb are one predicate; no comma between them."""
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    if comma is None or comma < 1 or comma + 1 >= len(tokens):
        return
    if not tokens[comma + 1].lemmas & links:
        return
    left = tokens[:comma]
    head = skip_attributes(left, 0)
    if head >= len(left) or not is_noun(left[head]):
        return
    if any(p.case != "ablt" for p in left[head].parses if p.pos == "NOUN"):
        return
    for token in left[head + 1 :]:
        if not (token.only("ADJF", "PRTF") or (is_noun(token) and token.can_be("gent"))):
            return  # more than a noun group: a clause of its own may end at the comma
    yield Hit(
        comma - 1, comma + 1, replacement=f"{tokens[comma - 1].text} {tokens[comma + 1].text}"
    )


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
    closing = next(
        (k for k in range(index + 2, min(len(tokens), index + 7)) if tokens[k].text == ","), None
    )
    if closing is not None and not any(is_predicate(t) for t in tokens[index + 2 : closing]):
        return  # «что, на мой взгляд, …»: an inserted phrase takes two commas
    yield Hit(index, index + 2, replacement=f"{tokens[index].text} {after.text}")


_SPEECH_VERBS = frozenset(
    {
        "утверждать",
        "говорить",
        "сказать",
        "сообщить",
        "сообщать",
        "считать",
        "заявить",
        "заявлять",
        "пояснить",
        "пояснять",
        "отметить",
        "подтвердить",
        "просить",
        "попросить",
        "требовать",
        "потребовать",
        "обещать",
        "пообещать",
        "настаивать",
    }
)


def _between_subject_and_predicate(
    tokens: Sequence[Token], openers: frozenset[str]
) -> Iterator[Hit]:
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    if comma is None or comma < 1 or comma + 1 >= len(tokens):
        return
    left = tokens[:comma]
    single = comma == 1
    pronoun = single and left[0].lower in {"мы", "я", "он", "она", "они"}
    if (
        single
        and not pronoun
        and not (is_noun(left[0]) and left[0].text[:1].isupper() and not left[0].can_be("Name"))
    ):
        return  # «Клиент, утверждает»; not an address such as «Мария, …»
    if any(not t.is_word and not t.is_number and t.text not in '«»"№' for t in left):
        return
    joined = any(t.lower == "и" for t in left)
    if (
        any(t.main is not None and t.main.pos in PREDICATE_POS | {"GRND"} for t in left)
        or any(t.main is not None and t.main.pos == "CONJ" and t.lower != "и" for t in left)
        or left[0].lower in openers
        or any(t.can_be("PRTF") and not _modifies_later_noun(left, k) for k, t in enumerate(left))
    ):
        return
    subject = next((t for t in left if t.only("NOUN", "NPRO") and t.can_be("nomn")), None)
    if subject is None or not left[0].pos & NOMINAL:
        return
    index = comma + 1
    while index < len(tokens) and is_filler(tokens[index]):
        index += 1
    if index >= len(tokens):
        return
    verb = tokens[index].main
    if verb is None or verb.pos not in {"VERB", "PRTS", "ADJS"}:
        return
    if verb.person in {"1per", "2per"} and not pronoun:
        return
    if single and not pronoun and not tokens[index].lemmas & _SPEECH_VERBS:
        return  # one word and a comma may be anything («Сестры, опускались …»): only «says»
    rest = []
    for token in tokens[index + 1 :]:
        if token.is_punct:
            break
        rest.append(token)
    follows = tokens[index + 1] if index + 1 < len(tokens) else None
    clause_follows = (
        follows is not None
        and follows.text == ","
        and index + 2 < len(tokens)
        and tokens[index + 2].lower in {"что", "чтобы", "будто", "как", "если", "когда"}
    )  # «Клиент, сообщил, что …»
    if (not rest and not clause_follows) or any(t.only("NPRO") and t.can_be("nomn") for t in rest):
        return  # «Клиент, кажется, не понял»; «Мир, добавляет он, …»: words set off, not a verb
    if pronoun:
        yield Hit(0, 2, replacement=f"{left[0].text} {tokens[comma + 1].text}")
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
    return any(agrees(tokens[index], t) for t in tokens[index + 1 :] if t.only("NOUN"))


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
        start = clause_start(tokens, comma - 1)
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
            t.main is not None and t.main.pos in PREDICATE_POS | {"GRND", "PRTF", "CONJ"}
            for t in right
        ):
            continue
        if any(t.lower in openers for t in right) or not any(is_predicate(t) for t in prefix):
            continue
        if left[0].can_be("GRND") or left[0].can_be("PRTF"):
            continue
        if not _same_kind(tokens, left, comma + 2):
            continue
        yield Hit(
            comma - 1, comma + 1, replacement=f"{tokens[comma - 1].text} {tokens[comma + 1].text}"
        )


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
        if is_predicate(tokens[comma - 1]):
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
    timely = first in word_set(params, "circumstance_openers") or (
        ((left[0].main is not None and left[0].main.pos == "PREP") or left[0].is_number)
        and any(t.lemmas & word_set(params, "time_words") for t in left)
    )
    if not timely or sum(1 for t in left if t.is_word or t.is_number) > 5:
        return
    if any(not t.is_word and not t.is_number for t in left) or any(
        t.main is not None and t.main.pos in PREDICATE_POS | {"GRND", "PRTF", "CONJ"} for t in left
    ):
        return
    subject = tokens[comma + 1]
    if not (subject.only("NOUN", "NPRO") and subject.can_be("nomn")):
        return
    position = comma + 2
    while position < len(tokens) - 1 and is_filler(tokens[position]):
        position += 1  # «11 февраля, оценщик повторно выехал»
    verb = tokens[position]
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
        t.main is not None and t.main.pos in PREDICATE_POS | {"GRND", "PRTF", "CONJ"} for t in left
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


def _before_infinitive(tokens: Sequence[Token], verbs: frozenset[str]) -> Iterator[Hit]:
    """«Клиент попросил, перенести осмотр»: no comma between a verb and its infinitive."""
    for comma in range(1, len(tokens) - 1):
        if tokens[comma].text != ",":
            continue
        verb, infinitive = tokens[comma - 1], tokens[comma + 1]
        if comma > 1 and verb.only("NPRO", "NOUN") and tokens[comma - 2].lemmas & verbs:
            verb = tokens[comma - 2]  # «Просим Вас, подписать акт»
        if verb.lemmas & verbs and infinitive.main is not None and infinitive.main.pos == "INFN":
            yield Hit(comma - 1, comma + 1, replacement=f"{verb.text} {infinitive.text}")


def _inside_noun_phrase(tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Указанная в отчёте, стоимость автомобиля»: a participial phrase before its noun is
    not set off from it."""
    if len(tokens) < 4 or not tokens[0].only("ADJF", "PRTF") or not tokens[0].can_be("PRTF"):
        return
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    if comma is None or comma + 1 >= len(tokens) or comma > 8:
        return
    noun = tokens[comma + 1]
    if (
        is_noun(noun)
        and agrees(tokens[0], noun)
        and not any(is_predicate(t) for t in tokens[1:comma])
    ):
        yield Hit(comma - 1, comma + 1, replacement=f"{tokens[comma - 1].text} {noun.text}")
