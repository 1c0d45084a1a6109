"""Matchers for agreement inside a phrase: an adjective or participle with its noun, «оба»,
a participial phrase or «который» with the noun it belongs to."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from srgcli.gate.rules import Hit, Rule, kind
from srgcli.gate.rules.words import (
    agrees,
    is_noun,
    is_predicate,
    word_set,
)
from srgcli.gate.tokens import Parse, Token

# Cases only a preposition or a verb can give a noun: after an adjective that does not agree,
# a noun in one of these is not the adjective's complement («нужный клиенту» is, «в
# установленный сроке» is not).
_NOT_GOVERNED_BY_ADJECTIVE = frozenset({"nomn", "accs", "loct", "voct"})


def _same_number_and_gender(modifier: Token, noun: Token) -> bool:
    """Some readings agree in number and gender and differ only in case («в установленный
    сроке»): the typical slip, unlike a substantivised adjective beside a noun."""
    return any(
        a.number == n.number
        and (a.number == "plur" or not a.gender or not n.gender or a.gender == n.gender)
        for a in modifier.parses
        if a.pos in {"ADJF", "PRTF"}
        for n in noun.parses
        if n.pos == "NOUN"
    )


def _coordinated(tokens: Sequence[Token], index: int) -> bool:
    """An adjective joined by «и», «или» or a comma to another before it."""
    return any(
        tokens[k].lower in {"и", "или", ","}
        and k > 0
        and tokens[k - 1].is_word
        and not is_noun(tokens[k - 1])
        for k in range(max(1, index - 3), index)
    )  # «в Гёттингенском и Лейпцигском», not «Клиентам, чьё заявки»


def _counted(tokens: Sequence[Token], index: int) -> bool:
    """A numeral or number just before: «два рабочих дня», «3 рабочих дня», «1,5 рабочих дня»."""
    return any(
        t.is_number or t.can_be("NUMR") for t in tokens[max(0, index - 2) : index] if not t.is_punct
    )


@kind("agreement")
def agreement(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """An adjective or participle right before its noun that agrees in nothing."""
    skip = frozenset(rule.params.get("skip_lemmas", ()))
    governs_genitive = frozenset(rule.params.get("genitive_governors", ()))
    for index in range(len(tokens) - 1):
        modifier = tokens[index]
        if not modifier.only("ADJF", "PRTF") or modifier.lemmas & skip:
            continue
        # The noun may stand after one or two more adjectives: «новой кухонного гарнитура».
        following = index + 1
        while following < min(len(tokens) - 1, index + 3) and tokens[following].only(
            "ADJF", "PRTF"
        ):
            following += 1
        noun = tokens[following]
        if not is_noun(noun) or _counted(tokens, index) or agrees(modifier, noun):
            continue
        if noun.text[:1].isupper() or noun.parses[0].has("Name") or noun.parses[0].has("Surn"):
            continue  # «ирландский Шона Бина»: a name, often an elliptical genitive
        if modifier.can_be("PRTF", "actv") and noun.can_be("accs"):
            continue  # «изучающих поэтику»: an active participle with its object
        if _opens_participial_phrase(tokens, index):
            continue  # «суммы, подлежащей возврату»: the noun after it is its complement
        if _coordinated(tokens, index) and noun.can_be("plur") and modifier.can_be("sing"):
            continue  # «в Гёттингенском и Лейпцигском университетах»
        after = tokens[following + 1] if following + 1 < len(tokens) else None
        second = tokens[following + 2] if following + 2 < len(tokens) else None
        if (
            after is not None
            and second is not None
            and modifier.can_be("plur")
            and after.lower in {"и", "с", "или"}
            and second.can_be("NOUN")
        ):
            continue  # «мои дедушка с бабушкой», «свои тело и душу»
        if after is not None and (after.is_number or after.can_be("NUMR")):
            continue  # «каких-нибудь месяца два»
        if noun.can_be("Fixd") or (index > 0 and modifier.text[:1].isupper()):
            continue  # indeclinable nouns; «при Ярославе Мудром митрополит» (a name)
        if (
            index > 0
            and tokens[index - 1].lower in {"все", "всё", "всего", "самое", "это"}
            and modifier.can_be("neut", "sing")
        ):
            continue  # «всё необходимое накопитель получает»: the adjective is a noun here
        if (
            modifier.can_be("femn", "sing")
            and noun.main is not None
            and noun.main.has("masc", "anim")
        ):
            continue  # «наша директор», «хорошая врач»: a woman in a masculine profession
        m_cases, n_cases = modifier.cases(), noun.cases("NOUN")
        shared = m_cases & n_cases
        if "gent" in shared and modifier.lemmas & governs_genitive:
            shared = shared - {"gent"}
        if shared - {"ablt"}:
            # Same case, another number or gender — unless the noun is most likely in a case
            # the adjective governs («нужных банку»: «банку» is also the accusative of «банка»).
            likely = noun.main.case if noun.main else ""
            complement = likely in {"datv", "ablt"} or (
                likely == "gent" and modifier.lemmas & governs_genitive
            )
            if likely in shared or not complement:
                yield Hit(index, following)
            continue
        if shared == {"ablt"} and _instrumental_slot(tokens, index):
            # «в соответствии с законодательством и внутренними регламентом»: after «с» or
            # an «и» that joins instrumentals both are instrumental, so only number or gender
            # can differ, and no predicate reading («считаем необходимым …») is possible.
            yield Hit(index, following)
            continue
        if not n_cases <= _NOT_GOVERNED_BY_ADJECTIVE:
            continue  # «нужный клиенту», «аккредитованной банком»: the noun is a complement
        if "ablt" in m_cases and n_cases <= {"nomn", "accs"}:
            continue  # «считаем необходимым сроки продлить»: a predicate, not a modifier
        if not _same_number_and_gender(modifier, noun):
            continue  # «Смелого пуля боится»: an adjective used as a noun, not a modifier
        if "accs" in n_cases and modifier.can_be("PRTF", "actv"):
            continue  # «составивший отчёт»: an active participle with its object
        yield Hit(index, following)


def _opens_participial_phrase(tokens: Sequence[Token], index: int) -> bool:
    """The participle after a comma agrees with a noun just before the comma."""
    if index < 2 or tokens[index - 1].text != "," or not tokens[index].can_be("PRTF"):
        return False
    return any(agrees(tokens[index], tokens[k]) for k in range(max(0, index - 4), index - 1))


def _instrumental_slot(tokens: Sequence[Token], index: int) -> bool:
    """True when the word at `index` follows an instrumental preposition, or «и» after an
    instrumental noun."""
    if index == 0:
        return False
    before = tokens[index - 1]
    if before.lower in {"с", "со", "под", "над", "перед", "между"}:
        return True
    return (
        before.lower in {"и", "или"}
        and index > 1
        and is_noun(tokens[index - 2])
        and tokens[index - 2].cases("NOUN") == {"ablt"}
    )


@kind("numeral_gender")
def numeral_gender(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«оба»/«обе» whose gender is not the noun's: «обоих сторон»."""
    for index, token in enumerate(tokens):
        if not token.can_be("NUMR") or "оба" not in token.lemmas:
            continue
        following = index + 1
        while following < len(tokens) and tokens[following].only("ADJF", "PRTF"):
            following += 1
        if following >= len(tokens) or not tokens[following].only("NOUN"):
            continue
        noun = tokens[following]
        shared = {p.case for p in token.parses} & {p.case for p in noun.parses}
        if not shared and not noun.can_be("gent", "sing"):
            continue  # «заверить оба печатью»: «оба» is the object, not the noun's numeral
        genders = {p.gender for p in token.parses if p.gender}
        noun_genders = {p.gender for p in noun.parses if p.gender}
        if not genders or not noun_genders or "ms-f" in noun_genders:
            continue
        feminine_numeral = genders == {"femn"}
        feminine_noun = noun_genders == {"femn"}
        if feminine_numeral != feminine_noun and (feminine_noun or "femn" not in noun_genders):
            replacement = _other_oba(token)
            yield Hit(index, index, replacement=replacement)


def _other_oba(token: Token) -> str:
    pairs = {
        "оба": "обе",
        "обе": "оба",
        "обоих": "обеих",
        "обеих": "обоих",
        "обоим": "обеим",
        "обеим": "обоим",
        "обоими": "обеими",
        "обеими": "обоими",
    }
    word = pairs.get(token.lower, "")
    return word.capitalize() if word and token.text[:1].isupper() else word


@kind("participle_agreement")
def participle_agreement(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A participial phrase after a comma that agrees with no noun before it."""
    for index in range(1, len(tokens) - 2):
        participle = tokens[index + 1]
        if tokens[index].text != "," or not participle.only("ADJF", "PRTF"):
            continue
        dependent = tokens[index + 2]
        if dependent.is_punct or (dependent.main and dependent.main.pos == "VERB"):
            continue  # «…, проверяющий обнаружил»: a participle used as the subject
        if participle.can_be("Apro") or participle.can_be("Subx"):
            continue  # «, который …», «, Ваша жалоба»: not a participial phrase
        if not participle.can_be("PRTF") and (
            not (dependent.can_be("NOUN") or dependent.can_be("PREP"))
            or (dependent.only("NOUN") and agrees(participle, dependent))
        ):
            continue  # an adjective that modifies the next noun, not a phrase of its own
        nouns = []
        plural_ok = False
        back = index - 1
        while (
            back >= 0
            and (not tokens[back].is_punct or _abbreviation_dot(tokens, back))
            and index - back <= 12
        ):
            candidate = tokens[back]
            if candidate.lower in {"и", "или"} or candidate.can_be("NUMR"):
                plural_ok = True
            if _abbreviation_dot(tokens, back) or _unit(candidate):
                back -= 1  # «площадью 86,4 кв. м, сданное»: a unit is no head
                continue
            if candidate.can_be("NOUN") or candidate.can_be("NPRO"):
                nouns.append(candidate)
                # The phrase the participle follows ends at a noun that depends on no other
                # (not genitive or instrumental, not after a preposition).
                governed = _after_preposition(tokens, back) or (candidate.cases("NOUN") == {"ablt"})
                if not candidate.can_be("gent") and not governed:
                    if back > 0 and tokens[back - 1].lower in {"и", "или"}:
                        plural_ok = True  # «отчёт и акт, подписанные»
                    break
            back -= 1
        if not nouns:
            continue
        if plural_ok and any(
            p.number == "plur" and p.case in {c for n in nouns for c in n.cases()}
            for p in participle.parses
        ):
            continue
        ahead: list[Token] = []
        # «недорогих, имитирующих драгоценные, камней»: between an adjective and its noun the
        # phrase's noun comes after its closing comma.
        commas = 0 if tokens[index - 1].only("ADJF") else 1
        for token in tokens[index + 2 : index + 9]:
            if token.text == ",":
                commas += 1
                if commas > 1:
                    break
                continue
            if token.is_punct:
                break
            inside_phrase = tokens.index(token) > 0 and tokens[tokens.index(token) - 1].can_be(
                "PREP"
            )
            if (
                token.only("NOUN")
                and not (token is dependent and token.can_be("ablt"))
                and not inside_phrase
            ):
                ahead.append(token)  # the agent, or a noun after a preposition, is no head
        if any(agrees(participle, n) for n in ahead):
            continue  # «, находящиеся в ней пары»: the participle stands before its noun
        if any(agrees(participle, n) or _agrees_pronoun(participle, n) for n in nouns):
            continue
        yield Hit(index + 1, index + 1)


def _abbreviation_dot(tokens: Sequence[Token], index: int) -> bool:
    """The full stop of a short lower-case abbreviation inside a sentence («кв. м», «ул. Мира»)."""
    return (
        tokens[index].text == "."
        and 0 < index < len(tokens) - 1
        and tokens[index - 1].is_word
        and len(tokens[index - 1].text) <= 4
        and tokens[index - 1].text.islower()
        and not tokens[index + 1].is_punct
    )


def _unit(token: Token) -> bool:
    """A unit or an abbreviation of one or two letters («м», «кв», «г»)."""
    return token.is_word and len(token.text) <= 2 and token.text.islower()


def _after_preposition(tokens: Sequence[Token], index: int) -> bool:
    """True when the noun at `index` is governed by a preposition, its adjectives between
    («в электронном виде»)."""
    back = index - 1
    while back >= 0 and tokens[back].only("ADJF", "PRTF", "NUMR"):
        back -= 1
    return back >= 0 and tokens[back].can_be("PREP")


def _agrees_pronoun(participle: Token, noun: Token) -> bool:
    return any(
        a.case == n.case and a.number == n.number
        for a in participle.parses
        for n in noun.parses
        if n.pos == "NPRO"
    )


@kind("relative_agreement")
def relative_agreement(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«жалобу, в котором»: «который» takes the gender and number of a noun before it."""
    for index in range(1, len(tokens)):
        token = tokens[index]
        if "который" not in token.lemmas:
            continue
        comma = index - 1
        main = tokens[comma].main
        if comma > 0 and main is not None and main.pos == "PREP":
            comma -= 1
        if tokens[comma].text != ",":
            continue
        if comma == 0 or not is_noun(tokens[comma - 1]):
            continue  # the word it refers to is not right before the comma: leave it
        nouns: list[tuple[Token, bool]] = []
        back = comma - 1
        while back >= 0 and not tokens[back].is_punct and comma - back <= 5:
            if is_predicate(tokens[back]):
                break  # the word «который» refers to stands after the verb
            if is_noun(tokens[back]):
                # «отделение банка»: a noun right after a noun is its genitive, whatever else
                # the form could be («банка» — also «банка», a jar), unless it can be an object
                # («внести в отчёт уточнения, о которых …»).
                attribute = (
                    back > 0
                    and is_noun(tokens[back - 1])
                    and tokens[back].can_be("gent")
                    and not tokens[back].can_be("accs")
                )
                nouns.append((tokens[back], attribute))
            back -= 1
        predicate = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            predicate is not None
            and token.can_be("nomn")
            and predicate.main is not None
            and predicate.main.pos in {"VERB", "PRTS"}
            and predicate.main.tense == "past"
            and not any(_past_fits(r, p) for r in token.parses for p in predicate.parses)
        ):
            yield Hit(index, index + 1)  # «выписки, которая поступил»
            continue
        if any(n.can_be("Fixd") for n, _ in nouns) or any(
            _relative_fits(token, n, attribute) for n, attribute in nouns
        ):
            continue  # «виски, которое»: an indeclinable noun of either gender
        counted = any(t.is_number or t.can_be("NUMR") for t in tokens[max(0, back) : comma])
        if counted and token.can_be("plur"):
            continue  # «два разговора, после которых»: a counted noun is plural in meaning
        yield Hit(index, index)


def _past_fits(relative: Parse, verb: Parse) -> bool:
    """«которая поступила»: the relative pronoun in the nominative and its past-tense verb."""
    if relative.case != "nomn" or verb.pos not in {"VERB", "PRTS"}:
        return False
    if relative.number != verb.number:
        return False
    return relative.number == "plur" or not verb.gender or relative.gender == verb.gender


def _relative_fits(relative: Token, noun: Token, genitive: bool = False) -> bool:
    for r in relative.parses:
        for n in noun.parses:
            if n.pos not in {"NOUN", "NPRO"} or (genitive and n.case != "gent"):
                continue
            if n.number and r.number != n.number:
                continue
            if r.number == "plur" or not n.gender or not r.gender:
                return True
            if n.gender in (r.gender, "ms-f") or "ms-f" in n.grammemes:
                return True
    return False


_PERSON_PARTS = ("Surn", "Name", "Patr")


@kind("name_case")
def name_case(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«специалистом Ковалёвой Ириной Николаевна», «оценщика Смирнову Игоря Петровича»: the
    words of a person's full name share one case, and so does the word it names."""
    roles = word_set(rule.params, "roles")
    index = 0
    while index < len(tokens):
        chain = _full_name_at(tokens, index)
        if not chain:
            index += 1
            continue
        end = index + len(chain)
        shared = _name_cases(chain[0])
        for token in chain[1:]:
            shared &= _name_cases(token)
        if not shared:
            yield Hit(index, end - 1)
        elif index > 0 and tokens[index - 1].lemmas & roles:
            role = tokens[index - 1]
            if not shared & {p.case for p in role.parses if p.pos == "NOUN"}:
                yield Hit(index - 1, end - 1)
        index = end


def _name_cases(token: Token) -> set[str]:
    return {p.case for p in token.parses if any(p.has(part) for part in _PERSON_PARTS)}


def _full_name_at(tokens: Sequence[Token], index: int) -> list[Token]:
    """A full name starting at `index` — name and patronymic, with a surname before or after
    — or nothing. Every word must be a capitalised, declinable reading of its part."""

    def part(position: int, grammeme: str) -> bool:
        if position >= len(tokens):
            return False
        token = tokens[position]
        return (
            token.text[:1].isupper()
            and not token.can_be("Fixd")
            and any(p.has(grammeme) for p in token.parses)
        )

    if part(index, "Surn") and part(index + 1, "Name") and part(index + 2, "Patr"):
        return list(tokens[index : index + 3])
    if part(index, "Name") and part(index + 1, "Patr"):
        size = 3 if part(index + 2, "Surn") and not part(index + 3, "Patr") else 2
        return list(tokens[index : index + size])
    return []
