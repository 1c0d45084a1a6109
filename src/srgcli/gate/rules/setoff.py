"""Commas that set off a phrase: a participial phrase after its noun, a gerund phrase that
opens the sentence, and an address by name and patronymic."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from srgcli.gate.rules import Hit, Rule, kind
from srgcli.gate.rules.words import (
    agrees,
    continues_predicate,
    is_nominative,
    is_noun,
    is_predicate,
    skip_attributes,
    word_set,
)
from srgcli.gate.tokens import Token


def _finite(tokens: Sequence[Token], index: int) -> bool:
    """A predicate that is not an infinitive and not the second word of one predicate."""
    token = tokens[index]
    return (
        is_predicate(token)
        and not token.can_be("INFN")
        and not token.can_be("PRTF")
        and not continues_predicate(tokens, index)
    )


@kind("participle_unclosed")
def participle_unclosed(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Отчёт, подготовленный с нарушением методики был отозван»: the participial phrase after
    the subject runs into the predicate with no comma to close it."""
    start = skip_attributes(tokens, 0)
    position = start + 1
    while position < len(tokens) and is_noun(tokens[position]) and tokens[position].can_be("gent"):
        position += 1  # «Копия договора, …»
    if start >= len(tokens) or not is_noun(tokens[start]) or not tokens[start].can_be("nomn"):
        return
    if position + 1 >= len(tokens) or tokens[position].text != ",":
        return
    participle = tokens[position + 1]
    if not participle.can_be("PRTF") or not participle.only("PRTF", "ADJF"):
        return
    subject = tokens[start]
    if not agrees(participle, subject):
        return
    for index in range(position + 2, len(tokens)):
        token = tokens[index]
        if token.is_punct or token.lower in word_set(rule.params, "stops"):
            return
        if _finite(tokens, index):
            numbers = {p.number for p in token.parses if p.number}
            subject_numbers = {p.number for p in subject.parses if p.case == "nomn"}
            if numbers & subject_numbers:
                yield Hit(index - 1, index)
            return


@kind("gerund_unclosed")
def gerund_unclosed(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Получив претензию клиента руководитель назначил проверку»: a gerund phrase that opens
    the sentence is closed by a comma before the main clause."""
    first = 1 if tokens and tokens[0].lower == "не" else 0
    if first >= len(tokens) or tokens[first].lower in word_set(rule.params, "fixed"):
        return
    gerund = tokens[first]
    if gerund.main is None or gerund.main.pos != "GRND" or not gerund.only("GRND"):
        return
    for index in range(first + 1, len(tokens)):
        token = tokens[index]
        if token.is_punct or token.lower in {"и", "или", "а", "но"}:
            return
        if not _finite(tokens, index):
            continue
        # The comma goes before the main clause's subject when it precedes the predicate.
        subject = index
        back = index - 1
        while back > first + 1 and (
            tokens[back].only("ADJF", "PRTF", "ADVB", "PRCL")
            or tokens[back].lower == "не"
            or (is_noun(tokens[back]) and tokens[back].can_be("gent"))
        ):
            back -= 1
        if back > first + 1 and (is_nominative(tokens[back]) or tokens[back].only("NPRO")):
            subject = back
            while subject - 1 > first + 1 and tokens[subject - 1].only("ADJF", "PRTF"):
                subject -= 1
        yield Hit(subject - 1, subject)
        return


@kind("address_unset")
def address_unset(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Благодарим Вас Алексей Дмитриевич за …»: an address by name and patronymic inside the
    sentence is set off by commas on both sides."""
    for index in range(1, len(tokens) - 1):
        name, patronymic = tokens[index], tokens[index + 1]
        if not (
            name.text[:1].isupper()
            and name.can_be("Name")
            and name.can_be("nomn")
            and patronymic.can_be("Patr")
            and patronymic.can_be("nomn")
        ):
            continue
        before = tokens[index - 1]
        if before.lemmas & word_set(rule.params, "titles"):
            continue  # «Уважаемый Алексей Дмитриевич»: the title belongs to the address
        if not before.is_punct and _speaks_to(before):
            yield Hit(index - 1, index)  # the comma before the address is missing
            continue
        after_index = index + 2
        if (
            before.text == ","
            and after_index < len(tokens)
            and not tokens[after_index].is_punct
            and index >= 2
            and _speaks_to(tokens[index - 2])
        ):
            yield Hit(index + 1, after_index)  # «Благодарим Вас, Алексей Дмитриевич за …»


def _speaks_to(token: Token) -> bool:
    """A word after which a name is an address, not a subject: «Вас», «Вам», a verb in the
    first or second person or the imperative («Благодарим Вас …», «Сообщаем …», «Прошу …»);
    «подписала Анна Сергеевна» names who signed."""
    if token.lower in {"вас", "вам", "вами", "тебя", "тебе"}:
        return True
    return any(
        p.pos == "VERB" and (p.has("1per") or p.has("2per") or p.has("impr")) for p in token.parses
    )


@kind("compound_unset")
def compound_unset(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Отчёт был переоформлен в течение двух дней и банк принял его»: «и» joining two clauses,
    each with its own subject and predicate, takes a comma. Only when the first clause opens
    with its subject: a word that both clauses share («Вчера отчёт был готов и банк принял
    его») keeps the comma away."""
    joins = word_set(rule.params, "conjunctions")
    if not _opens_with_subject(tokens):
        return
    left_predicate = False
    for index in range(1, len(tokens) - 2):
        token = tokens[index]
        if token.is_punct:
            return  # a comma or a dash already divides the sentence: leave it
        if _finite(tokens, index):
            left_predicate = True
            continue
        if token.lower not in joins or not left_predicate:
            continue
        subject = skip_attributes(tokens, index + 1)
        if subject >= len(tokens) or not is_nominative(tokens[subject]):
            return
        noun = tokens[subject]
        numbers = {p.number for p in noun.parses if p.case == "nomn" and p.number}
        for ahead in range(subject + 1, min(len(tokens), subject + 5)):
            candidate = tokens[ahead]
            if candidate.is_punct:
                return
            if _finite(tokens, ahead):
                if {p.number for p in candidate.parses if p.number} & numbers:
                    yield Hit(index - 1, index)
                return
            if not (
                (is_noun(candidate) and candidate.can_be("gent"))
                or candidate.lower == "не"
                or candidate.only("ADVB", "PRCL")
            ):
                return
        return


def _opens_with_subject(tokens: Sequence[Token]) -> bool:
    """The sentence opens with a nominative noun (after its adjectives) or pronoun."""
    start = skip_attributes(tokens, 0)
    if start >= len(tokens) or not is_nominative(tokens[start]):
        return False
    return tokens[start].only("NPRO") or not tokens[start].can_be("accs")
