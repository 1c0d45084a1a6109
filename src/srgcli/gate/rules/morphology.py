"""Matchers that read word forms: the case a preposition governs, and agreement in a phrase."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from srgcli.gate.patterns import Group, noun_group
from srgcli.gate.rules import Hit, Rule, kind, match_case
from srgcli.gate.tokens import Parse, Token

CASE_NAMES = {
    "nomn": "именительный",
    "gent": "родительный",
    "datv": "дательный",
    "accs": "винительный",
    "ablt": "творительный",
    "loct": "предложный",
}
# Cases only a preposition or a verb can give a noun: after an adjective that does not agree,
# a noun in one of these is not the adjective's complement («нужный клиенту» is, «в
# установленный сроке» is not).
_NOT_GOVERNED_BY_ADJECTIVE = frozenset({"nomn", "accs", "loct", "voct"})


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
        if compound and first.can_be("nomn"):
            continue  # «В результате отчёт задержался»: an adverb, then the subject
        if any(_is_name(t) for t in tokens[group.first : group.last + 1]) and group.first > 0:
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
        target = head or first
        if token.can_be("GRND") and target.can_be("accs") and first.can_be("accs"):
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


def _is_name(token: Token) -> bool:
    """Capitalised, and not the «Вы», «Ваш» of a letter."""
    return token.text[:1].isupper() and not token.lower.startswith(("ваш", "вам", "вас", "вы"))


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


def agree(adjective: Parse, noun: Parse) -> bool:
    """True when an adjective's reading agrees with a noun's in case, number and gender."""
    if adjective.case != noun.case or adjective.number != noun.number:
        return False
    if adjective.case == "accs" and (
        ("anim" in adjective.grammemes and "inan" in noun.grammemes)
        or ("inan" in adjective.grammemes and "anim" in noun.grammemes)
    ):
        return False
    if adjective.number == "sing" and adjective.gender and noun.gender:
        return noun.gender in ("ms-f", adjective.gender) or "ms-f" in noun.grammemes
    return True


def _agrees(modifier: Token, noun: Token) -> bool:
    return any(
        agree(a, n)
        for a in modifier.parses
        if a.pos in {"ADJF", "PRTF"}
        for n in noun.parses
        if n.pos == "NOUN"
    )


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
    return any(t.lower in {"и", "или", ","} for t in tokens[max(0, index - 3) : index])


def _is_noun(token: Token) -> bool:
    """Most likely a noun, and never an adjective («почту» is also a verb form, rarely)."""
    return (
        token.main is not None
        and token.main.pos == "NOUN"
        and not token.can_be("ADJF")
        and not token.can_be("PRTF")
    )


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
        if not _is_noun(noun) or _counted(tokens, index) or _agrees(modifier, noun):
            continue
        if noun.text[:1].isupper() or noun.parses[0].has("Name") or noun.parses[0].has("Surn"):
            continue  # «ирландский Шона Бина»: a name, often an elliptical genitive
        if modifier.can_be("PRTF", "actv") and noun.can_be("accs"):
            continue  # «изучающих поэтику»: an active participle with its object
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
        if modifier.can_be("femn", "sing") and noun.can_be("NOUN", "masc", "anim"):
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
        if not n_cases <= _NOT_GOVERNED_BY_ADJECTIVE:
            continue  # «нужный клиенту», «аккредитованной банком»: the noun is a complement
        if "ablt" in m_cases and n_cases <= {"nomn", "accs"}:
            continue  # «считаем необходимым сроки продлить»: a predicate, not a modifier
        if not _same_number_and_gender(modifier, noun):
            continue  # «Смелого пуля боится»: an adjective used as a noun, not a modifier
        if "accs" in n_cases and modifier.can_be("PRTF", "actv"):
            continue  # «составивший отчёт»: an active participle with its object
        yield Hit(index, following)


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
            or (dependent.only("NOUN") and _agrees(participle, dependent))
        ):
            continue  # an adjective that modifies the next noun, not a phrase of its own
        nouns = []
        plural_ok = False
        back = index - 1
        while back >= 0 and not tokens[back].is_punct and index - back <= 10:
            candidate = tokens[back]
            if candidate.lower in {"и", "или"} or candidate.can_be("NUMR"):
                plural_ok = True
            if candidate.can_be("NOUN") or candidate.can_be("NPRO"):
                nouns.append(candidate)
                # The phrase the participle follows ends at a noun that depends on no other
                # (not genitive, not after a preposition).
                governed = back > 0 and tokens[back - 1].can_be("PREP")
                if not candidate.can_be("gent") and not governed:
                    if back > 0 and tokens[back - 1].lower in {"и", "или"}:
                        plural_ok = True  # «отчёт и акт, подписанные»
                    break
            back -= 1
        if not nouns:
            continue
        if plural_ok and participle.can_be("plur"):
            continue
        ahead = []
        commas = 0
        for token in tokens[index + 2 : index + 9]:
            if token.text == ",":
                commas += 1  # «недорогих, имитирующих драгоценные, камней»
                if commas > 1:
                    break
                continue
            if token.is_punct:
                break
            if token.only("NOUN"):
                ahead.append(token)
        if any(_agrees(participle, n) for n in ahead):
            continue  # «, находящиеся в ней пары»: the participle stands before its noun
        if any(_agrees(participle, n) or _agrees_pronoun(participle, n) for n in nouns):
            continue
        yield Hit(index + 1, index + 1)


def _agrees_pronoun(participle: Token, noun: Token) -> bool:
    return any(
        a.case == n.case and a.number == n.number
        for a in participle.parses
        for n in noun.parses
        if n.pos == "NPRO"
    )


@kind("predicate_agreement")
def predicate_agreement(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A short participle or adjective before its subject that agrees with it in nothing:
    «предоставлен скидка», «указан неверная стоимость»."""
    for index, token in enumerate(tokens):
        if token.main is None or token.main.pos not in {"PRTS", "ADJS"}:
            continue
        following = index + 1
        while following < len(tokens) and tokens[following].only("ADVB"):
            following += 1
        while following < len(tokens) - 1 and tokens[following].only("ADJF", "PRTF"):
            following += 1
        if following >= len(tokens):
            continue
        subject = tokens[following]
        if not _is_noun(subject) or not subject.can_be("NOUN", "nomn") or "друг" in subject.lemmas:
            continue
        if _subject_before(tokens, index, token):
            continue
        after = tokens[following + 1] if following + 1 < len(tokens) else None
        if token.can_be("plur") and after is not None and after.lower in {",", "и", "или"}:
            continue  # «были открыты библиотека, зал и танцплощадка»: several subjects
        if any(_short_agrees(p, n) for p in token.parses for n in subject.parses):
            continue
        yield Hit(index, following)


def _short_agrees(short: Parse, noun: Parse) -> bool:
    if short.pos not in {"PRTS", "ADJS"} or noun.pos != "NOUN" or noun.case != "nomn":
        return False
    if short.number != noun.number:
        return False
    return (
        short.number == "plur"
        or not noun.gender
        or noun.gender in (short.gender, "ms-f")
        or "ms-f" in noun.grammemes
    )


def _subject_before(tokens: Sequence[Token], index: int, predicate: Token) -> bool:
    """A nominative noun earlier in the clause that the predicate agrees with."""
    back = index - 1
    while back >= 0 and not tokens[back].is_punct:
        candidate = tokens[back]
        if _is_noun(candidate) and any(
            _short_agrees(p, n) for p in predicate.parses for n in candidate.parses
        ):
            return True
        back -= 1
    return False


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
        if comma == 0 or not _is_noun(tokens[comma - 1]):
            continue  # the word it refers to is not right before the comma: leave it
        nouns = []
        back = comma - 1
        while back >= 0 and not tokens[back].is_punct and comma - back <= 5:
            if _is_noun(tokens[back]):
                nouns.append(tokens[back])
            back -= 1
        if any(n.can_be("Fixd") for n in nouns) or any(_relative_fits(token, n) for n in nouns):
            continue  # «виски, которое»: an indeclinable noun of either gender
        counted = any(t.is_number or t.can_be("NUMR") for t in tokens[max(0, back) : comma])
        if counted and token.can_be("plur"):
            continue  # «два разговора, после которых»: a counted noun is plural in meaning
        yield Hit(index, index)


def _relative_fits(relative: Token, noun: Token) -> bool:
    for r in relative.parses:
        for n in noun.parses:
            if n.pos not in {"NOUN", "NPRO"}:
                continue
            if n.number and r.number != n.number:
                continue
            if r.number == "plur" or not n.gender or not r.gender:
                return True
            if n.gender in (r.gender, "ms-f") or "ms-f" in n.grammemes:
                return True
    return False


@kind("numeral_phrase")
def numeral_phrase(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«три рабочие дня» (with a masculine or neuter noun the adjective after два, три,
    четыре is genitive: «три рабочих дня»); «полтора тысячи», «две дня»."""
    small = frozenset(rule.params["small_numerals"])
    feminine: dict[str, str] = dict(rule.params["feminine_forms"])
    masculine = {v: k for k, v in feminine.items()}
    for index in range(len(tokens) - 2):
        numeral = tokens[index]
        if numeral.lower not in small and not _ends_in_two_to_four(numeral):
            continue
        adjective, noun = tokens[index + 1], tokens[index + 2]
        if (
            adjective.can_be("ADJF", "nomn", "plur")
            and not adjective.can_be("ADJF", "gent", "plur")
            and not adjective.can_be("Apro")
            and _is_noun(noun)
            and noun.can_be("NOUN", "gent", "sing")
            and not noun.can_be("femn")
        ):
            yield Hit(index + 1, index + 2)
    for index in range(len(tokens) - 1):
        numeral, noun = tokens[index], tokens[index + 1]
        if not _is_noun(noun):
            continue
        genders = {p.gender for p in noun.parses if p.pos == "NOUN" and p.gender}
        if not genders:
            continue
        if numeral.lower in feminine and genders <= {"femn"}:
            replacement = f"{feminine[numeral.lower]} {noun.text}"
            yield Hit(index, index + 1, replacement=match_case(numeral.text, replacement))
        elif numeral.lower in masculine and not genders & {"femn", "ms-f"}:
            replacement = f"{masculine[numeral.lower]} {noun.text}"
            yield Hit(index, index + 1, replacement=match_case(numeral.text, replacement))


def _ends_in_two_to_four(token: Token) -> bool:
    text = token.text
    return (
        token.is_number
        and text[-1:] in "234"
        and not text.endswith(("12", "13", "14"))
        and "," not in text
        and "." not in text
    )


@kind("subject_verb_number")
def subject_verb_number(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Никто из сотрудников не перезвонили», «Каждый из оценщиков должны»: the pronoun is
    singular, so is its verb; «прилагается копии»: an intransitive verb before its subject."""
    singular = frozenset(rule.params["singular_pronouns"])
    yield from _joined_subjects(tokens)
    yield from _polite_plural(tokens)
    yield from _counted_noun(tokens, frozenset(rule.params.get("genitive_prepositions", ())))
    for index in range(len(tokens) - 3):
        if tokens[index].lower not in singular or tokens[index + 1].lower != "из":
            continue
        position = index + 2
        while position < len(tokens) and tokens[position].only("NOUN", "ADJF", "NPRO"):
            position += 1
        if position < len(tokens) and tokens[position].text == ",":
            # «Каждый из оценщиков, выезжавших на объект, подтвердили»: skip the phrase
            closing = next(
                (k for k in range(position + 1, len(tokens)) if tokens[k].text == ","), None
            )
            if closing is not None:
                position = closing + 1
        while position < len(tokens) and tokens[position].lower in {"не", "так", "и"}:
            position += 1
        if position >= len(tokens):
            continue
        verb = tokens[position]
        main = verb.main
        if main is None or main.pos not in {"VERB", "ADJS", "PRTS"}:
            continue
        if main.number == "plur" and not any(p.number == "sing" for p in verb.parses):
            yield Hit(index, position)
    for index in range(len(tokens) - 1):
        verb = tokens[index]
        main = verb.main
        if main is None or main.pos != "VERB" or "intr" not in main.grammemes:
            continue
        if main.number != "sing" or main.person not in {"3per", ""}:
            continue
        if _subject_before_verb(tokens, index):
            continue
        subject = tokens[index + 1]
        negated = index > 0 and tokens[index - 1].lower == "не"
        if (
            _is_noun(subject)
            and subject.can_be("nomn", "plur")
            and not subject.can_be("nomn", "sing")
            and not (negated and subject.can_be("gent"))
        ):
            yield Hit(index, index + 1)


def _subject_before_verb(tokens: Sequence[Token], index: int) -> bool:
    back = index - 1
    while back >= 0 and not tokens[back].is_punct:
        candidate = tokens[back]
        if candidate.can_be("nomn") and (_is_noun(candidate) or candidate.only("NPRO")):
            return True
        back -= 1
    return False


@kind("abbreviation_gender")
def abbreviation_gender(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«БТИ предоставил», «ООО «Ромашка» направил»: an abbreviation takes the gender of its
    main word («бюро» — средний род, «общество» — средний)."""
    genders: dict[str, str] = dict(rule.params["genders"])
    for index, token in enumerate(tokens):
        gender = genders.get(token.text)
        if gender is None or (index > 0 and not tokens[index - 1].is_punct):
            continue  # only the subject that opens a clause, not «специалист ПАО …»
        position = index + 1
        if position < len(tokens) and tokens[position].text in '«"':
            while position < len(tokens) and tokens[position].text not in '»"':
                position += 1
            position += 1
        if position >= len(tokens):
            continue
        verb = tokens[position]
        main = verb.main
        if main is None or main.pos not in {"VERB", "PRTS", "ADJS"} or main.number != "sing":
            continue
        if not main.gender or any(p.gender == gender for p in verb.parses if p.gender):
            continue
        yield Hit(index, position, fields={"word": token.text})


def _joined_subjects(tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Отчёт и акт осмотра был направлен»: two subjects joined by «и» take a plural verb."""
    if len(tokens) < 5 or not _is_noun(tokens[0]) or not tokens[0].can_be("nomn"):
        return
    if tokens[1].lower != "и" or not _is_noun(tokens[2]) or not tokens[2].can_be("nomn"):
        return
    position = 3
    while position < len(tokens) and _is_noun(tokens[position]) and tokens[position].can_be("gent"):
        position += 1
    if position >= len(tokens):
        return
    verb = tokens[position]
    main = verb.main
    if main is None or main.pos not in {"VERB", "PRTS", "ADJS"}:
        return
    if all(p.number == "sing" for p in verb.parses if p.pos in {"VERB", "PRTS", "ADJS"}):
        yield Hit(0, position)


def _polite_plural(tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Вы были совершенно права»: the polite «Вы» takes a plural short adjective."""
    for index, token in enumerate(tokens):
        if token.text not in {"Вы", "вы"}:
            continue
        for position in range(index + 1, min(len(tokens), index + 4)):
            word = tokens[position]
            if word.is_punct or not (
                word.lower in {"были", "будете", "бы", "не"}
                or (word.main is not None and word.main.pos == "ADVB")
                or word.can_be("ADJS")
                or word.can_be("PRTS")
            ):
                break
            if word.main is not None and word.main.pos == "ADVB":
                continue
            short = [p for p in word.parses if p.pos in {"ADJS", "PRTS"}]
            if short:
                if not any(p.number == "plur" for p in short):
                    yield Hit(index, position)
                break


def _counted_noun(tokens: Sequence[Token], genitive_prepositions: frozenset[str]) -> Iterator[Hit]:
    """«24 объявлений», «полтора месяцев»: after 2, 3, 4 (and 22, 23, 24 …) and «полтора» the
    noun is genitive singular."""
    for index in range(len(tokens) - 1):
        numeral = tokens[index]
        small = _ends_in_two_to_four(numeral) and len(numeral.text) <= 2
        if not (small or numeral.lower in {"полтора", "полторы"}):
            continue
        if index > 0 and tokens[index - 1].lower in genitive_prepositions:
            continue  # «из 24 объявлений»: the numeral itself is genitive
        position = index + 1
        while position < len(tokens) - 1 and tokens[position].only("ADJF", "PRTF"):
            position += 1
        noun = tokens[position]
        if (
            _is_noun(noun)
            and noun.can_be("NOUN", "gent", "plur")
            and not noun.can_be("NOUN", "gent", "sing")
            and not noun.can_be("NOUN", "nomn", "sing")
            and not noun.can_be("NOUN", "accs", "sing")
            and not any(p.case in {"datv", "ablt", "loct"} for p in noun.parses)
        ):
            yield Hit(index, position)
