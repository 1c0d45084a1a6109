"""Matchers that look at a whole clause: a gerund phrase whose doer is not the subject, and
«не» written apart from an adjective, participle or adverb it should be fused with."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from srgcli.gate.rules import Hit, Rule, kind, match_case
from srgcli.gate.rules.words import agrees, clause_start, word_set
from srgcli.gate.tokens import Parse, Token, analyse


@kind("dangling_gerund")
def dangling_gerund(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """A gerund phrase in a sentence whose main clause has no doer in the nominative:
    a passive or impersonal predicate, an agent in the instrumental, «у кого» or a dative."""
    agents = word_set(rule.params, "agents")
    doers = word_set(rule.params, "inanimate_doers")
    openers = word_set(rule.params, "clause_openers")
    impersonal = word_set(rule.params, "impersonal_predicates")
    fixed = word_set(rule.params, "fixed_gerunds")
    for index, token in enumerate(tokens):
        main = token.main
        if main is None or main.pos != "GRND" or not token.only("GRND") or token.lower in fixed:
            continue  # «судя по голосу», «исходя из»: prepositions now, not actions
        if index > 0 and not tokens[index - 1].is_punct and tokens[index - 1].lower != "не":
            continue
        end = index
        while end < len(tokens) and tokens[end].text not in {",", ";", "—"}:
            end += 1
        main_clause = _main_clause(tokens, index, end, openers)
        if index > 1 and tokens[index - 1].text == "," and tokens[index - 2].lower in openers:
            # «…, что, оформляя наследство, нотариусом был запрошен …»: the gerund belongs to
            # the subordinate clause it stands in.
            main_clause = [t for t in tokens[end:] if t.is_word]
        if not main_clause or _modal_infinitive(main_clause, word_set(rule.params, "modals")):
            continue  # «можно ли получить отчёт, не дожидаясь курьера»: the infinitive's doer
        if any(t.lower in {"никто", "ничто"} for t in main_clause):
            first, last = _sentence_words(tokens)
            yield Hit(first, last, fields={"word": token.text})  # «…, дверь никто не открыл»
            continue
        if _thing_as_doer(main_clause, doers) or (
            not _has_nominative_doer(main_clause) and _impersonal(main_clause, agents, impersonal)
        ):
            # The whole sentence: the gerund and the clause it does not fit.
            first, last = _sentence_words(tokens)
            yield Hit(first, last, fields={"word": token.text})


def _modal_infinitive(clause: Sequence[Token], modals: frozenset[str]) -> bool:
    """«можно получить», «необходимо направить»: a modal word with an infinitive, whose
    implied doer the gerund may share."""
    for index, token in enumerate(clause):
        if token.lower in modals and any(
            t.main is not None and t.main.pos == "INFN" for t in clause[index + 1 : index + 4]
        ):
            return True
    return False


def _sentence_words(tokens: Sequence[Token]) -> tuple[int, int]:
    """The first and last word of the sentence."""
    first = next(i for i, t in enumerate(tokens) if t.is_word)
    last = max(i for i, t in enumerate(tokens) if t.is_word)
    return first, last


def _main_clause(
    tokens: Sequence[Token], start: int, end: int, openers: frozenset[str]
) -> list[Token]:
    """Tokens outside the gerund phrase, up to a subordinate clause."""
    outside = list(tokens[:start]) + list(tokens[end:])
    clause: list[Token] = []
    for position, token in enumerate(outside):
        if token.lower in openers and position > 0 and outside[position - 1].text == ",":
            break
        clause.append(token)
    return [t for t in clause if t.is_word]


def _thing_as_doer(clause: Sequence[Token], doers: frozenset[str]) -> bool:
    """«Сравнив цены, стоимость оказалась ниже»: the subject of an active verb is a thing that
    cannot have done what the gerund says (a bank or a company can: they are `doers`)."""
    for position, token in enumerate(clause):
        main = token.main
        if main is None or main.pos != "VERB" or main.tense not in {"past", "pres", "futr"}:
            continue
        if main.person in {"1per", "2per"}:
            return False  # «Отвечая на вопрос, поясняем: …»: «мы» do it
        subjects = [
            t
            for t in [*clause[:position], *clause[position + 1 : position + 3]]
            if _subject_noun(t) and any(_verb_agrees(main, p) for p in t.parses)
        ]  # before the verb, or just after it: «в нём обнаружилась ошибка»
        if not subjects:
            return False
        subject = subjects[0]
        if subject.can_be("anim") or subject.lemmas & doers or subject.text[:1].isupper():
            return False
        return not any(t.only("NPRO") and t.can_be("nomn") for t in clause)
    return False


def _subject_noun(token: Token) -> bool:
    return token.main is not None and token.main.pos == "NOUN" and token.can_be("nomn")


def _verb_agrees(verb: Parse, noun: Parse) -> bool:
    if noun.pos != "NOUN" or noun.case != "nomn" or noun.number != verb.number:
        return False
    return verb.number == "plur" or not verb.gender or verb.gender == noun.gender


def _has_nominative_doer(clause: Sequence[Token]) -> bool:
    for token in clause:
        if token.only("NPRO") and token.can_be("nomn") and token.lower not in {"это", "что", "все"}:
            return True
        if token.can_be("NOUN", "anim", "nomn") and not token.can_be("NOUN", "accs"):
            return True
    return False


def _impersonal(
    clause: Sequence[Token], agents: frozenset[str], impersonal: frozenset[str]
) -> bool:
    for position, token in enumerate(clause):
        main = token.main
        if main is None:
            continue
        if token.lower in agents:
            return True
        passive = token.can_be("PRTS") and main.pos in {"PRTS", "ADJS"}  # not «сообщаем»
        if passive or token.lower in impersonal:
            return True
        if main.pos == "VERB" and main.gender == "neut" and main.tense == "past":
            return True  # «выяснилось», «ответа не последовало»: no one does it
        if position == 0 and token.lower in {"мне", "нам", "ему", "ей", "им", "вам", "тебе"}:
            return True  # «Проверяя отчёт, мне бросилась в глаза ошибка»
        if (
            token.lower == "у"
            and position + 1 < len(clause)
            and clause[position + 1].can_be("gent")
        ):
            return True
        if (
            main.pos == "VERB"
            and main.number == "plur"
            and main.tense in {"past", "pres", "futr"}
            and main.person not in {"1per", "2per"}
            and not _possible_subject(clause[: position + 2])
        ):
            return True  # «Позвонив в банк, нам сообщили …»: a verb with no one to do it
    return False


def _possible_subject(clause: Sequence[Token]) -> bool:
    """A word in the nominative plural that could be a plural verb's subject."""
    return any(
        p.case == "nomn" and p.number == "plur" and p.pos in {"NOUN", "NPRO", "ADJF"}
        for token in clause
        for p in token.parses
    ) or any(t.lower == "и" for t in clause)


@kind("ne_fused")
def ne_fused(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«не» apart from a full adjective, an adverb or a participle right before its noun,
    with nothing contrasted («не большой, а средний») or strengthened («вовсе не»)."""
    strengtheners = word_set(rule.params, "strengtheners")
    exceptions = word_set(rule.params, "exceptions")
    contrasts = word_set(rule.params, "contrasts")
    fused_predicatives = word_set(rule.params, "fused_predicatives")
    yield from _fused_with_dependent(tokens)
    for index in range(len(tokens) - 1):
        if tokens[index].lower != "не":
            continue
        word = tokens[index + 1]
        if not word.is_word or word.lower in exceptions:
            continue
        before = tokens[max(0, index - 3) : index]
        if any(t.lower in strengtheners for t in before):
            continue
        if any(t.lower.startswith("ни") and t.can_be("NPRO") for t in before):
            continue  # «никому не нужная коробка»: a negative pronoun keeps «не» apart
        if (
            before
            and word.can_be("PRTF")
            and before[-1].main is not None
            and before[-1].main.pos == "ADVB"
        ):
            continue  # «ранее не заверенные копии»: an adverb depends on the participle
        rest = tokens[index + 2 : index + 5]
        if any(
            t.lower == "не" and rest[k - 1].lower in {"и", ",", "или"}
            for k, t in enumerate(rest)
            if k > 0
        ):
            continue  # «не хорошо и не плохо»
        if any(t.lower in contrasts for t in tokens[index + 2 :]):
            continue
        clause = _clause_around(tokens, index)
        has_verb = any(t.main is not None and t.main.pos in {"VERB", "PRTS"} for t in clause)
        following = tokens[index + 2] if index + 2 < len(tokens) else None
        if not _fusable(word, following, has_verb or word.lower in fused_predicatives):
            continue
        fused = "не" + word.text.lower()
        yield Hit(index, index + 1, replacement=match_case(tokens[index].text, fused))


def _fused_with_dependent(tokens: Sequence[Token]) -> Iterator[Hit]:
    """«неподписанный оценщиком отчёт»: a participle with a word depending on it takes «не»
    apart («не подписанный оценщиком»)."""
    for index in range(len(tokens) - 1):
        word = tokens[index]
        if not word.lower.startswith("не") or not word.only("ADJF", "PRTF"):
            continue
        if not any(p.pos == "PRTF" for p in analyse(word.lower[2:])[0]):
            continue
        agent = tokens[index + 1]
        if agent.only("NOUN", "NPRO") and agent.can_be("ablt") and not agent.can_be("nomn"):
            yield Hit(index, index + 1, replacement=match_case(word.text, "не " + word.text[2:]))


def _clause_around(tokens: Sequence[Token], index: int) -> list[Token]:
    """The tokens between the punctuation marks around `index`."""
    start = clause_start(tokens, index)
    end = index
    while end < len(tokens) and not tokens[end].is_punct:
        end += 1
    return list(tokens[start:end])


def _fusable(word: Token, following: Token | None, clause_has_verb: bool) -> bool:
    if word.only("ADJF") and not word.can_be("Apro") and not word.can_be("Anum"):
        if following is not None and _governs(word, following):
            return False  # «объекты, не сопоставимые с аналогами»: a word depends on it
        return _known_as(word, "ADJF")
    if (
        word.only("ADVB", "ADJS", "PRED", "CONJ")
        and (word.can_be("ADVB") or word.can_be("PRED"))
        and word.lower.endswith(("о", "е"))
    ):
        # An adverb of manner beside a verb («направлен несвоевременно»); as the predicate
        # itself («это не опасно?», «больше не модно») it may stand apart.
        return _known_as(word, "ADVB") and clause_has_verb
    if word.only("ADJF", "PRTF") and word.can_be("PRTF") and following is not None:
        if following.only("NOUN") and agrees(word, following):
            return True  # «не подписанный договор»: right before its noun
        # «назвал претензию не обоснованной»: no word depends on it, and the fused adjective
        # exists; «не подписанный клиентом», «не основанный на фактах» depend on a word.
        dependent = following.only("NOUN", "NPRO") or (
            following.main is not None and following.main.pos == "PREP"
        )
        return not dependent and _known_as(word, "ADJF")
    return False


def _governs(word: Token, following: Token) -> bool:
    """True when `following` depends on the adjective `word`: a preposition, or a noun or
    pronoun in an oblique case that does not agree with it («не нужный клиенту»)."""
    if following.main is not None and following.main.pos == "PREP":
        return True
    return (
        following.only("NOUN", "NPRO")
        and not following.can_be("nomn")
        and not following.can_be("accs")
        and not agrees(word, following)
    )


def _known_as(word: Token, pos: str) -> bool:
    parses, _known = analyse("не" + word.lower)
    return any(p.pos == pos for p in parses)


@kind("tsya")
def tsya(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«-ться» where the finite «-тся» is meant («ему не нравиться»), and «-тся» after a verb
    that needs an infinitive («должен проверятся»)."""
    governors = word_set(rule.params, "governors")
    for index, token in enumerate(tokens):
        word = token.lower
        if not token.is_word or not word.endswith(("тся", "ться")):
            continue
        start = index
        while start > 0 and not tokens[start - 1].is_punct and index - start < 4:
            start -= 1
        before = [t for t in tokens[start:index] if t.is_word]
        after = [t for t in tokens[index + 1 : index + 4] if t.is_word]
        governed = any(t.lemmas & governors or t.lower in governors for t in before[-2:])
        governed_after = any(t.lemmas & governors for t in after)
        if word.endswith("ться") and token.only("INFN") and before and not governed:
            if governed_after:
                continue  # «дозвониться так и не смог»
            if any(t.lower in {"чтобы", "чтоб", "для", "как", "что"} for t in before):
                continue
            if any(t.main and t.main.pos in {"VERB", "INFN", "PRED", "ADJS"} for t in before):
                continue
            if not any(t.can_be("NOUN") or t.can_be("NPRO") for t in before):
                continue
            if before[-1].lower != "не" and not before[-1].only("NOUN", "NPRO"):
                continue  # «лучше с этим видимо смириться»: an infinitive after an adverb
            finite = word[:-4] + "тся"
            if any(p.pos == "VERB" for p in analyse(finite)[0]):
                yield Hit(index, index, replacement=match_case(token.text, finite))
        elif word.endswith("тся") and governed and token.only("VERB"):
            infinitive = word[:-3] + "ться"
            if any(p.pos == "INFN" for p in analyse(infinitive)[0]):
                yield Hit(index, index, replacement=match_case(token.text, infinitive))


@kind("hyphenated_prefix")
def hyphenated_prefix(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«фото-фиксация»: a first part such as «фото», «видео», «авто» is fused with the word."""
    prefixes = word_set(rule.params, "prefixes")
    for index, token in enumerate(tokens):
        head, dash, rest = token.lower.partition("-")
        if not dash or head not in prefixes or "-" in rest or not rest.isalpha():
            continue
        if not token.text[len(head) + 1 :][:1].islower():
            continue  # «мини-АТС»: a capital after the hyphen keeps it
        if analyse(rest)[1] or analyse(head + rest)[1]:
            fused = token.text[: len(head)] + token.text[len(head) + 1 :]
            yield Hit(index, index, replacement=fused, fields={"word": head})


@kind("ni_concessive")
def ni_concessive(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«Сколько клиент не звонил, …»: a concessive clause takes «ни», not «не»."""
    if len(tokens) < 5 or tokens[0].lower not in {"сколько", "как"} or tokens[-1].text == "?":
        return
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    if comma is None:
        return
    for index in range(1, comma - 1):
        if tokens[index].lower != "не":
            continue
        verb = tokens[index + 1].main
        if verb is None or verb.pos != "VERB" or tokens[index + 1].can_be("3per", "pres"):
            continue
        after = tokens[comma + 1 :]
        if any(t.main is not None and t.main.pos in {"VERB", "PRED", "PRTS"} for t in after):
            if tokens[0].lower == "как" and not _concessive_as(tokens, index):
                continue
            yield Hit(index, index + 1, replacement="ни " + tokens[index + 1].text)
        return


def _concessive_as(tokens: Sequence[Token], index: int) -> bool:
    """«Как оценщик не старался, …»: «как» + a subject + «не» + an effort verb."""
    efforts = {
        "стараться",
        "пытаться",
        "спешить",
        "торопиться",
        "звонить",
        "просить",
        "уговаривать",
        "искать",
        "ждать",
        "проверять",
    }
    return bool(tokens[index + 1].lemmas & efforts)


@kind("ne_with_verb")
def ne_with_verb(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«недозвонились»: «не» with a verb or a gerund is written apart («не дозвонились»); the
    fused word is in no dictionary, the verb without «не» is."""
    for index, token in enumerate(tokens):
        word = token.lower
        if not word.startswith("не") or len(word) < 6 or token.known:
            continue
        rest_parses, rest_known = analyse(word[2:])
        if rest_known and all(p.pos in {"VERB", "INFN", "GRND"} for p in rest_parses):
            replacement = match_case(token.text, "не " + token.text[2:])
            yield Hit(index, index, replacement=replacement)


@kind("short_participle_nn")
def short_participle_nn(rule: Rule, tokens: Sequence[Token]) -> Iterator[Hit]:
    """«документы были переданны»: a short passive participle has one «н»; a form with «нн»
    that no dictionary knows, whose one-«н» form is a short participle, is that participle."""
    adjectives = word_set(rule.params, "adjectives")
    intensifiers = word_set(rule.params, "intensifiers")
    for index, token in enumerate(tokens):
        word = token.lower
        if not token.is_word or token.parses or "нн" not in word[-4:]:
            continue
        stem, _, ending = word.rpartition("нн")
        if ending not in {"", "а", "о", "ы"} or f"{stem}нный".replace("ё", "е") in adjectives:
            continue  # «клиентка была взволнованна»: a quality, the adjective's short form
        if index > 0 and tokens[index - 1].lower in intensifiers:
            continue  # «очень сдержанна»
        single = f"{stem}н{ending}"
        if any(p.pos == "PRTS" for p in analyse(single)[0]):
            yield Hit(index, index, replacement=match_case(token.text, single))
