"""Matchers for a predicate and its subject, and numerals with their nouns: «предоставлен
скидка», «никто из них не пришли», «БТИ предоставил», «три рабочие дня», «24 объявлений»."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from srgcli.gate.rules import Hit, Rule, kind, match_case
from srgcli.gate.rules.words import is_noun, is_predicate, skip_inserted, word_set
from srgcli.gate.tokens import Parse, Token


@kind("predicate_agreement")
def predicate_agreement(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A short participle or adjective before its subject that agrees with it in nothing:
    «предоставлен скидка», «указан неверная стоимость»."""
    for index, token in enumerate(tokens):
        if token.main is None or token.main.pos not in {"PRTS", "ADJS"}:
            continue
        previous = tokens[index - 1].main if index > 0 else None
        if previous is not None and previous.pos == "PREP":
            continue  # «на нём»: a pronoun after a preposition, not «нём» (mute)
        if token.lemmas & word_set(rule.params, "genitive_governors"):
            continue  # «лишён права подписи»: the noun is its genitive complement
        following = index + 1
        while following < len(tokens) and tokens[following].only("ADVB"):
            following += 1
        while following < len(tokens) - 1 and tokens[following].only("ADJF", "PRTF"):
            following += 1
        if following >= len(tokens):
            continue
        subject = tokens[following]
        if not is_noun(subject) or not subject.can_be("NOUN", "nomn") or "друг" in subject.lemmas:
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
    while back >= 0 and (not tokens[back].is_punct or _initial_stop(tokens, back)):
        candidate = tokens[back]
        if is_noun(candidate) and any(
            _short_agrees(p, n) for p in predicate.parses for n in candidate.parses
        ):
            return True
        back -= 1
    return False


def _initial_stop(tokens: Sequence[Token], index: int) -> bool:
    """The full stop of an initial («Петров И. С.»), not the end of a clause."""
    return (
        tokens[index].text == "."
        and index > 0
        and len(tokens[index - 1].text) == 1
        and tokens[index - 1].text.isupper()
    )


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
            and is_noun(noun)
            and noun.can_be("NOUN", "gent", "sing")
            and not noun.can_be("femn")
        ):
            yield Hit(index + 1, index + 2)
    for index in range(len(tokens) - 1):
        numeral, noun = tokens[index], tokens[index + 1]
        if not is_noun(noun):
            continue
        genders = {p.gender for p in noun.parses if p.pos == "NOUN" and p.gender}
        if not genders:
            continue
        if not {p.case for p in numeral.parses} & {p.case for p in noun.parses} and not (
            noun.can_be("gent", "sing")
        ):
            continue  # «заверить оба печатью»
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
        while position < len(tokens) and tokens[position].only("NOUN", "ADJF", "NPRO", "NUMR"):
            position += 1
        # «Каждый из оценщиков, выезжавших на объект, подтвердили»: past the phrase
        position = skip_inserted(tokens, position)
        found = _predicate_at(tokens, position, {"не", "так", "и"})
        if found is None or found.main is None:
            continue
        forms = [p for p in found.parses if p.pos in {"VERB", "ADJS", "PRTS"}]
        if found.main.number == "plur" and not any(p.number == "sing" for p in forms):
            yield Hit(index, tokens.index(found))
    inverted_verbs = frozenset(rule.params.get("inverted_verbs", ()))
    for index in range(len(tokens) - 1):
        verb = tokens[index]
        main = verb.main
        if main is None or main.pos != "VERB" or not verb.lemmas & inverted_verbs:
            continue  # «прилагается копии»: verbs whose subject usually follows them
        if main.number != "sing" or main.person not in {"3per", ""}:
            continue
        if _subject_before_verb(tokens, index):
            continue
        subject = tokens[index + 1]
        negated = index > 0 and tokens[index - 1].lower == "не"
        if (
            is_noun(subject)
            and subject.can_be("nomn", "plur")
            and not subject.can_be("nomn", "sing")
            and not (negated and subject.can_be("gent"))
        ):
            yield Hit(index, index + 1)


def _subject_before_verb(tokens: Sequence[Token], index: int) -> bool:
    back = index - 1
    while back >= 0 and (not tokens[back].is_punct or tokens[back].text in '«»"'):
        candidate = tokens[back]
        if candidate.can_be("nomn") and (is_noun(candidate) or candidate.only("NPRO")):
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
        if position < len(tokens) and tokens[position].lower == "не":
            position += 1  # «ЕГРН не содержала»
        if position < len(tokens) and tokens[position].text in '«"':
            while position < len(tokens) and tokens[position].text not in '»"':
                position += 1
            position += 1
        # «СРО, членом которой является оценщик, направила»: past a clause set off by commas
        position = skip_inserted(tokens, position)
        if position < len(tokens) and tokens[position].lower == "не":
            position += 1
        if position >= len(tokens):
            continue
        verb = tokens[position]
        main = verb.main
        if main is None or main.pos not in {"VERB", "PRTS", "ADJS"}:
            continue
        if main.number == "plur":
            # «ООО «Вектор» направили»: one company, one verb in the singular
            if all(p.number == "plur" for p in verb.parses if p.pos in {"VERB", "PRTS", "ADJS"}):
                yield Hit(index, position, fields={"word": token.text})
            continue
        if main.number != "sing":
            continue
        if not main.gender or any(p.gender == gender for p in verb.parses if p.gender):
            continue
        yield Hit(index, position, fields={"word": token.text})


def _joined_subjects(tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Отчёт и акт осмотра был направлен»: two subjects joined by «и» take a plural verb."""
    if len(tokens) < 5 or not is_noun(tokens[0]) or not tokens[0].can_be("nomn"):
        return
    joint = 1
    while joint < len(tokens) - 2 and is_noun(tokens[joint]) and tokens[joint].can_be("gent"):
        joint += 1  # «Копия договора и акт … направлен»
    possessive = tokens[joint + 1].lower in {"её", "ее", "его", "их", "мой", "наш", "ваш", "свой"}
    second = joint + 2 if possessive else joint + 1
    if second >= len(tokens) or tokens[joint].lower != "и":
        return
    if not is_noun(tokens[second]) or not tokens[second].can_be("nomn"):
        return  # «Клиентка и её супруг присутствовал»
    position = second + 1
    while position < len(tokens) and is_noun(tokens[position]) and tokens[position].can_be("gent"):
        position += 1
    # «Площадь и этажность дома, указанные в паспорте, не совпадает»
    position = skip_inserted(tokens, position)
    verb = _predicate_at(tokens, position, {"не"})
    if verb is None:
        return
    position = tokens.index(verb)
    if all(p.number == "sing" for p in verb.parses if p.pos in {"VERB", "PRTS", "ADJS"}):
        yield Hit(0, position)


def _predicate_at(tokens: Sequence[Token], position: int, skipped: set[str]) -> Token | None:
    """The verb or short form at `position`, past the particles in `skipped`."""
    while position < len(tokens) and tokens[position].lower in skipped:
        position += 1
    if position >= len(tokens):
        return None
    main = tokens[position].main
    if main is None or main.pos not in {"VERB", "PRTS", "ADJS"}:
        return None
    return tokens[position]


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
        # «22 рабочих дней»: «рабочих» is also a noun («рабочий»), an adjective before a noun.
        while position < len(tokens) - 1 and (
            tokens[position].only("ADJF", "PRTF")
            or (
                (tokens[position].can_be("ADJF") or tokens[position].can_be("PRTF"))
                and is_noun(tokens[position + 1])
            )
        ):
            position += 1
        noun = tokens[position]
        if (
            is_noun(noun)
            and noun.can_be("NOUN", "gent", "plur")
            and not noun.can_be("NOUN", "gent", "sing")
            and not noun.can_be("NOUN", "nomn", "sing")
            and not noun.can_be("NOUN", "accs", "sing")
            and not any(p.case in {"datv", "ablt", "loct"} for p in noun.parses)
        ):
            yield Hit(index, position)


@kind("subject_predicate")
def subject_predicate(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Стоимость квартиры, по мнению клиента, занижен»: the noun that opens the sentence is
    its subject, and the first predicate after it (past tense, short form) must agree with it."""
    opening = _opening_phrase_end(tokens)
    start = opening
    while start < len(tokens) - 1 and tokens[start].only("ADJF", "PRTF"):
        start += 1  # «Новый срок подготовки отчёта согласовано»
    if len(tokens) - start < 3 or not is_noun(tokens[start]) or tokens[start].text.isupper():
        return
    subject = tokens[start]
    if subject.lemmas & frozenset(rule.params.get("adverbial_nouns", ())):
        return  # «Оставшееся время, вплоть до 2004 года, работал»: time, not the subject
    if not subject.can_be("NOUN", "nomn") or any(
        p.case not in {"nomn", "accs"} for p in subject.parses if p.pos == "NOUN"
    ):
        return  # «Клиенту сообщили», «Воды осталось»: not a nominative for sure
    # «Итоговая стоимость»: an adjective that is only nominative makes the noun the subject.
    certain = start > opening and all(
        p.case == "nomn"
        for t in tokens[opening:start]
        for p in t.parses
        if p.pos in {"ADJF", "PRTF"}
    )
    # «Ошибка … привели»: a noun that cannot be an accusative object is the subject; so is
    # a person («Клиент пояснили»): a person as the object would be «клиента», «клиентку».
    certain = certain or not any(p.case == "accs" for p in subject.parses if p.pos == "NOUN")
    main = subject.main
    certain = certain or (main is not None and main.case == "nomn" and main.has("anim"))
    # «В пятницу отчёт направила клиентка»: after a circumstance the noun may be the object of
    # a verb; only a short form («было рассмотрен») tells its subject for sure.
    short_only = bool(opening) and not certain
    subject_numbers = {p.number for p in subject.parses if p.pos == "NOUN" and p.case == "nomn"}
    position = start + 1
    while position < len(tokens):
        token = tokens[position]
        if token.text == ",":
            closing = next(
                (k for k in range(position + 1, len(tokens)) if tokens[k].text == ","), None
            )
            if closing is None:
                return
            inserted = tokens[position + 1 : closing]
            if any(is_predicate(t) and not t.can_be("PRTF") for t in inserted) or any(
                t.lower in {"который", "которая", "которое", "которые", "что"} for t in inserted
            ):
                return  # a clause of its own, not an inserted phrase
            position = closing + 1
            continue
        if (
            token.lower == "и"
            and position + 1 < len(tokens)
            and tokens[position - 1].can_be("gent")
            and tokens[position + 1].can_be("gent")
        ):
            position += 1  # «Срок рассмотрения жалоб и претензий»: joined genitives
            continue
        joins = token.lower in {"и", "или", "а", "но"} or (
            token.lower == "с"
            and position + 1 < len(tokens)
            and tokens[position + 1].can_be("ablt")
        )
        if token.is_punct or joins:
            return  # several subjects («отчёт с актом»), or another clause
        if is_noun(token) and token.can_be("gent") and is_noun(tokens[position - 1]):
            position += 1  # «Стоимость квартиры …»: a genitive that belongs to the subject
            continue
        if token.main is not None and token.main.pos == "PREP":
            # «Количество жалоб на действия курьеров …»: a prepositional phrase, its noun no
            # subject.
            position += 1
            while position < len(tokens) and tokens[position].only("ADJF", "PRTF", "NUMR"):
                position += 1
            if position < len(tokens) and (is_noun(tokens[position]) or tokens[position].is_number):
                position += 1
            continue
        if token.can_be("nomn") and (token.only("NPRO") or is_noun(token)):
            return  # another nominative: the subject may be this one
        main = token.main
        if token.can_be("ADVB") or (
            main is not None
            and main.pos == "ADJS"
            and main.gender == "neut"
            and token.lower.endswith("о")
        ):
            position += 1  # «неритмично поют»: an adverb, not a short adjective
            continue
        if main is not None and main.pos in {"VERB", "PRTS", "ADJS"}:
            if short_only and main.pos == "VERB" and "быть" not in token.lemmas:
                return
            if main.pos == "VERB" and "быть" in token.lemmas:
                following = tokens[position + 1] if position + 1 < len(tokens) else None
                if (
                    following is not None
                    and following.main is not None
                    and (following.main.pos in {"PRTS", "ADJS"})
                ):
                    position += 1  # «было рассмотрен»: the short form carries the agreement
                    token = following
            elif (
                main.pos == "VERB"
                and main.number == "plur"
                and main.tense == "past"
                and not certain
                and not token.lower.endswith(("ся", "сь"))
            ):
                # «Осмотр перенесли»: no subject at all; a reflexive verb takes no object, so
                # «Количество жалоб снизились» has its subject.
                return
            elif main.pos == "VERB" and main.tense != "past":
                if main.person != "3per" or _subject_after(tokens, position, token):
                    return
                if not any(p.number in subject_numbers for p in token.parses if p.pos == "VERB"):
                    yield Hit(start, position)  # «Срок … составляют»
                return
            if short_only and (token.main is None or token.main.pos == "VERB"):
                return
            if not certain and token.can_be("VERB") and _subject_after(tokens, position, token):
                return  # «Документы передал сотрудник банка»: the object first, the subject last
            if not any(_predicate_fits(p, n) for p in token.parses for n in subject.parses):
                yield Hit(start, position)
            return
        position += 1


def _opening_phrase_end(tokens: Sequence[Token]) -> int:
    """Where a prepositional phrase that opens the sentence ends («В ходе проверки …»,
    «По итогам рассмотрения жалобы …»); 0 when the sentence opens otherwise."""
    if not tokens or tokens[0].main is None or tokens[0].main.pos != "PREP":
        return 0
    position = 1
    while position < len(tokens) and tokens[position].only("ADJF", "PRTF", "NUMR"):
        position += 1
    if position >= len(tokens) or not is_noun(tokens[position]):
        return 0
    position += 1
    while position < len(tokens) - 1:
        token = tokens[position]
        if is_noun(token) and token.can_be("gent"):
            position += 1  # «В ходе проверки»
        elif token.only("ADJF", "PRTF") and token.can_be("gent") and is_noun(tokens[position + 1]):
            position += 1  # «По итогам служебной проверки»
        else:
            break
    return position


def _subject_after(tokens: Sequence[Token], position: int, verb: Token) -> bool:
    """«Расходы оценщика оплачивает компания»: a nominative after the verb that agrees with
    it is the subject, and the noun before it the object."""
    numbers = {p.number for p in verb.parses if p.pos == "VERB" and p.number}
    for token in tokens[position + 1 :]:
        if token.is_punct:
            return False
        if is_noun(token) and any(
            p.case == "nomn" and p.number in numbers for p in token.parses if p.pos == "NOUN"
        ):
            return True
    return False


def _predicate_fits(predicate: Parse, noun: Parse) -> bool:
    if predicate.pos not in {"VERB", "PRTS", "ADJS"} or noun.pos != "NOUN":
        return False
    if noun.case != "nomn" or predicate.number != noun.number:
        return False
    return (
        predicate.number == "plur"
        or (predicate.gender == "femn" and noun.has("masc", "anim"))  # «тренер посоветовала»
        or not predicate.gender
        or not noun.gender
        or noun.gender in (predicate.gender, "ms-f")
        or "ms-f" in noun.grammemes
    )
