"""Removing false alarms: correct words that the engine's dictionary does not know.

Whole classes, never single words: a capitalised word inside a sentence is a proper name; a word
in pymorphy3's dictionary (a second, larger one) is a word; a hyphenated compound of known
words is a word; a word in capitals or with capitals inside is an abbreviation or a code; the
workspace dictionary and the ticket's own words are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache

from srgcli.gate.issue import Category, Issue, Severity

UNKNOWN_WORD_RULE = "SRG_UNKNOWN_WORD"
UNKNOWN_WORD_MESSAGE = (
    "Слова нет в словаре, и на известное слово оно не похоже: проверьте написание "
    "или добавьте слово в словарь (srgcli dict add)."
)
MAX_TYPO_DISTANCE = 2
# Parts of speech of the short words that get run together with the next one.
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED"})

_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)*")
_CYRILLIC = re.compile(r"^[А-Яа-яЁё-]+$")
_NAME_FOLLOWS = re.compile(r" [А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\b")
# Rules that report an unknown word: the only ones these filters judge.
SPELLING_RULES = frozenset(
    {"MORFOLOGIK_RULE_RU_RU", "MORFOLOGIK_RULE_RU_RU_YO", "HUNSPELL_RULE", "MORFOLOGIK_RULE"}
)


def rule_ids() -> list[str]:
    """The ids of the issues the filters make out of an engine's (an unknown word's warning)."""
    return [UNKNOWN_WORD_RULE]


def _is_spelling(issue: Issue) -> bool:
    return issue.category is Category.SPELLING and (
        issue.rule in SPELLING_RULES
        or issue.rule.startswith("MORFOLOGIK")
        or issue.rule == UNKNOWN_WORD_RULE
    )


def drop_false_alarms(
    sentence: str, issues: list[Issue], dictionary: frozenset[str]
) -> list[Issue]:
    """The engine's issues on `sentence` without spelling alarms on words that are correct.

    An unknown word that neither a suggestion nor a typical misspelling brings close to a known
    word is more often a rare correct word (a term, a foreign name) than a typo: it is kept as
    a warning ("not in the dictionary"), not an error. A word doubled by a slip ("в в") blocks.
    """
    from srgcli.gate import typos

    folded = frozenset(w.lower() for w in dictionary)
    kept: list[Issue] = []
    for issue in issues:
        if issue.rule in REPEAT_RULES:
            kept.append(_repetition(sentence, issue))
            continue
        if not _is_spelling(issue):
            kept.append(issue)
            continue
        word = sentence[issue.offset : issue.end]
        held = typos.letter_run_of(word)
        if held:
            # "оооочень": a key held down; the word is known once the run is cut.
            kept.append(_with_suggestion(issue, word, held))
            continue
        if word_is_acceptable(sentence, issue.offset, issue.end, folded):
            continue
        kept.append(_judge_unknown(word, issue, _starts_sentence(sentence, issue.offset)))
    return kept


def _judge_unknown(word: str, issue: Issue, opens_sentence: bool = False) -> Issue:
    """An unknown word: an error when it looks like a typo of a known word, else a warning.

    Evidence of a typo: a typical misspelling of a known word, a suggestion one edit away (or
    two, keeping the first letter), a pymorphy3 word one edit away, two words run together.
    A word that word formation explains ("рецептик", "наслучалось") is a coinage: a rare word
    one letter away from it ("рецептер") is no evidence.
    """
    from srgcli.gate import derivation, morph, typos

    standard = morph.standard_form(word)
    if standard:
        return _with_suggestion(issue, word, standard)  # "седня": a spoken variant
    if derivation.derived_from(word):
        return _not_in_dictionary(issue)  # "рецептик", "свежевыжатый": a coinage
    if not opens_sentence and rare_among_rare(word, issue.replacements):
        return _not_in_dictionary(issue)  # "кенасах" ~ "кенарах", "динасах": a term
    keeps = _evidence_filter(word, opens_sentence)
    replacements = [r for r in issue.replacements if keeps(r)]
    close = [
        r for r in replacements if " " not in r and edit_distance(word.lower(), r.lower()) <= 1
    ]
    if close:
        # pylat-ru's own suggestions, ranked by frequency, are the better ones; the close ones
        # go first ("Оцнщик": "Оценщик" before "Банщик").
        rest = [r for r in issue.replacements if r not in close]
        return replace(issue, replacements=(*close, *rest))
    typical = typos.typical_misspelling_of(word)
    if typical and (keeps(typical) or typos.frequency(typical) > 0):
        return _with_suggestion(issue, word, typical)  # "Сдесь", "Опофеозом": a usual slip
    near = near_known_word(word, keeps)
    if near:
        # pylat-ru's suggestions for capitalised words are often far off ("Мозайка").
        return _with_suggestion(issue, word, near)
    if is_likely_typo(word, replacements):
        return issue
    return _not_in_dictionary(issue)


def _evidence_filter(word: str, opens_sentence: bool) -> Callable[[str], bool]:
    """Which known words count as evidence that `word` is a typo of them.

    A short capitalised unknown word opening a sentence is as often a name ("Аскона лежит…",
    "Солаль, дипломат…") as a typo, and names sit an edit away from rare words ("аксона",
    "сокаль"): there only a ranked word is evidence, and one with another first letter only
    when it is very common ("Огда" -> "когда"), since people seldom mistype a first letter.
    """
    from srgcli.gate import typos

    if not (opens_sentence and word[:1].isupper() and word[1:].islower()):
        return lambda _candidate: True
    if len(word) > _NAME_LENGTH:
        return lambda _candidate: True  # "Паталогически": a long word is seldom a name
    first = word[:1].lower()

    def keeps(candidate: str) -> bool:
        if " " in candidate:
            return True  # words run together ("Потомучто"): `likely_typos` judges the split
        rank = typos.frequency(candidate)
        return rank >= _VERY_COMMON or (rank > 0 and candidate[:1].lower() == first)

    return keeps


# The longest capitalised word opening a sentence that may be a name rather than a typo.
_NAME_LENGTH = 8
# The frequency class from which a word is common enough to be mistyped even in its first letter.
_VERY_COMMON = 15


def _not_in_dictionary(issue: Issue) -> Issue:
    """`issue` as the "not in the dictionary" warning."""
    return replace(
        issue,
        severity=Severity.WARNING,
        rule=UNKNOWN_WORD_RULE,
        message=UNKNOWN_WORD_MESSAGE,
    )


# A word this long or longer, written in lower case, is judged by its neighbours' frequency.
_RARE_WORD_LENGTH = 7


def rare_among_rare(word: str, replacements: Iterable[str]) -> bool:
    """True for a long lower-case word whose every neighbour is a rare word: a term or a
    coinage more likely than a typo ("кенасах" ~ "кенарах", "зазырить" ~ "зазрить").

    A typo of a common word has that word among the speller's suggestions or one edit away;
    here every suggestion and every known word a usual misspelling or an edit away is unranked
    in pylat-ru's frequency classes. A word a single usual misspelling from a known word stays
    a typo, and so does a word the speller splits in two.
    """
    from srgcli.gate import typos

    lowered = word.lower()
    if len(lowered) < _RARE_WORD_LENGTH or word != lowered or not _CYRILLIC.match(word):
        return False
    if "-" in word or typos.one_typical_change_of(lowered):
        return False
    neighbours = [r.lower() for r in replacements]
    neighbours += likely_typos(word, replacements)
    neighbours += [
        w for w in (typos.typical_misspelling_of(word), near_known_word(word)) if w is not None
    ]
    return bool(neighbours) and all(" " not in n and typos.frequency(n) == 0 for n in neighbours)


def _with_suggestion(issue: Issue, word: str, suggestion: str) -> Issue:
    """`issue` as a blocking error with `suggestion` (in the word's case) offered first."""
    if word[:1].isupper():
        suggestion = suggestion.capitalize()
    rest = tuple(r for r in issue.replacements if r != suggestion)
    return replace(issue, severity=Severity.ERROR, replacements=(suggestion, *rest)[:5])


# pylat-ru's rules on a word written twice ("в в Москве", "он он пришёл"): style advice there.
REPEAT_RULES = frozenset({"Two_PREP", "WORD_REPEAT_RULE"})
REPEAT_MESSAGE = "Слово повторено дважды подряд: по-видимому, опечатка."
# Doubled on purpose for emphasis: "очень-очень", "да да", "нет нет", "так так", "ну ну".
_EMPHATIC_POS = frozenset({"ADVB", "INTJ", "PRED", "ADJF", "ADJS", "COMP"})
_EMPHATIC_PARTICLES = frozenset({"да", "нет", "ну", "так", "вот", "ага", "ой", "ах", "ох"})


def _repetition(sentence: str, issue: Issue) -> Issue:
    """A doubled word blocks when it is evidently a slip, not emphasis.

    Prepositions, conjunctions, pronouns, verbs, nouns and "не" are not doubled on purpose;
    adverbs, interjections and particles such as "да", "нет", "так" are.
    """
    from srgcli.gate import morph

    parts = sentence[issue.offset : issue.end].lower().split()
    if len(parts) != 2 or parts[0] != parts[1]:
        return issue  # two different prepositions ("за про"): pylat-ru's advice stands
    word = parts[0]
    if word in _EMPHATIC_PARTICLES or morph.main_pos(word) in _EMPHATIC_POS:
        return issue
    return replace(
        issue,
        category=Category.GRAMMAR,
        severity=Severity.ERROR,
        message=REPEAT_MESSAGE,
        replacements=(sentence[issue.offset : issue.offset + len(parts[0])],),
    )


def is_likely_typo(word: str, replacements: Iterable[str]) -> bool:
    """True when a suggestion is a small edit away: one or two letters, or a needed space."""
    return bool(likely_typos(word, replacements))


def likely_typos(word: str, replacements: Iterable[str]) -> list[str]:
    """The suggestions a small edit away from `word`: one or two letters, or a needed space."""
    lowered = word.lower()
    found = []
    for suggestion in replacements:
        candidate = suggestion.lower()
        if " " in candidate and candidate.replace(" ", "") == lowered.replace(" ", ""):
            if _run_together(candidate.split()):
                found.append(candidate)
            continue
        # People rarely get the first letter wrong: a suggestion that changes it must be
        # very close ("Нарасно" -> "Гарусно" is a guess; "напрасно" is not offered).
        limit = MAX_TYPO_DISTANCE if candidate[:1] == lowered[:1] else 1
        if edit_distance(lowered, candidate) <= limit:
            found.append(candidate)
    return found


def _run_together(parts: list[str]) -> bool:
    """True when the speller's split of an unknown word is two words typed without a space.

    A function word is often run into the next ("ктобы" -> "кто бы"); two content words are
    too ("началасвою" -> "начала свою"), unless the first ends in a linking vowel and the split
    undoes a compound ("ложно готического") or a part is a scrap of a word ("трак вер").
    """
    from srgcli.gate import morph, typos

    if not all(morph.known_word(p) for p in parts):
        return False
    if any(typos.frequency(p) < _COMMON for p in parts):
        return False  # a rare part ("ин фузии", "зубр истые") is the speller's guess
    if any(morph.main_pos(p) in _FUNCTION_POS for p in parts):
        return True
    first = parts[0]
    return (
        len(parts) == 2
        and all(len(p) >= _CONTENT_PART for p in parts)
        and first[-1] not in "оеё"
        and first not in compound_heads()
    )


# A content word typed into the next has at least this many letters on each side.
_CONTENT_PART = 4
# The lowest frequency class (pylat-ru's speller dictionary) of a word typed into the next.
_COMMON = 2
_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def near_known_word(word: str, keeps: Callable[[str], bool] | None = None) -> str | None:
    """A correctly spelt word one edit away from `word` (pymorphy3's dictionary) that `keeps`
    accepts, if any."""
    from srgcli.gate import morph

    lowered = word.lower()
    if not _CYRILLIC.match(lowered) or "-" in lowered or len(lowered) < 4:
        return None
    for candidate in single_edits(lowered):
        if (
            candidate != lowered
            and morph.known_word(candidate)
            and (keeps is None or keeps(candidate))
        ):
            return candidate
    return None


def single_edits(word: str) -> list[str]:
    """Every string one edit away from the lower-case Cyrillic `word`, the most likely edits
    first: swapped, wrong, missing, then extra letters (repeats possible)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    candidates = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    candidates += [a + c + b[1:] for a, b in splits if b for c in _ALPHABET if c != b[0]]
    candidates += [a + c + b for a, b in splits for c in _ALPHABET]
    candidates += [a + b[1:] for a, b in splits if b]
    return candidates


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count as one edit)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def word_is_acceptable(sentence: str, start: int, end: int, dictionary: frozenset[str]) -> bool:
    """True when the flagged word sentence[start:end] is evidently not a misspelling."""
    from srgcli.gate import morph

    word = sentence[start:end].strip()
    if not word:
        return False
    if " " in word:
        # One alarm over several words ("Хирамацу Дзенки"): each must be acceptable.
        return all(
            word_is_acceptable(sentence, m.start() + start, m.end() + start, dictionary)
            for m in re.finditer(r"\S+", sentence[start:end])
        )
    if in_dictionary(word, dictionary):
        return True
    if "ё" in word.lower() and morph.known_word(word.lower().replace("ё", "е")):
        return True  # «уведомлён»: a dictionary that writes «е» does not make «ё» a typo
    if not _CYRILLIC.match(word):
        # Latin or mixed scripts ("миp" with a Latin p) are left to the engine.
        return False
    if sum(1 for c in word if c.isupper()) >= 2:
        return True  # abbreviations and codes: ЕГРН, СПбГУ
    if word[0].isupper() and not _starts_sentence(sentence, start):
        return True  # a proper name inside a sentence
    follows = _NAME_FOLLOWS.match(sentence, end)
    if word[0].isupper() and follows and _is_surname(follows.group().strip()):
        return True  # first name and surname open the sentence: "Крэйг Бартлетт вырос…"
    if morph.known_word(word):
        return True
    if word[0].isupper() and morph.tags(word) & {"Name", "Surn", "Patr", "Geox", "Orgn"}:
        return True
    if "-" in word:
        return all(
            part.lower() in hyphen_parts() or morph.known_word(part) or is_compound(part)
            for part in word.split("-")
            if part
        )
    return is_compound(word)


@cache
def hyphen_parts() -> frozenset[str]:
    """Parts of hyphenated words that are not words themselves ("таки", "экс")."""
    from srgcli.gate.wordlists import data_lines

    return frozenset(data_lines("hyphen_parts.txt"))


@cache
def compound_heads() -> frozenset[str]:
    """First parts of compounds: productive prefixes and quantities ("пост", "мало")."""
    from srgcli.gate.wordlists import data_lines

    return frozenset(data_lines("compound_heads.txt"))


def is_compound(word: str) -> bool:
    """True for a compound of a known first part and a known word: "веломобиль", "мускулоход".

    The first part is a productive prefix ("пост", "супер", "кардио") or a known word of four
    a noun followed by the linking vowel о/е ("колокол-о-видный", "мускул-о-ход"); the
    second is a known word of five letters or more. Short particles and prepositions are never
    first parts, so words run together ("небыло", "ктобы", "вобщем") stay errors.
    """
    from srgcli.gate import morph

    lowered = word.lower()
    for cut in range(3, len(lowered) - 4):
        head, tail = lowered[:cut], lowered[cut:]
        if not morph.known_word(tail):
            continue
        if head in compound_heads():
            return True
        if len(head) >= 4 and head[-1] in "оеё" and morph.is_noun_lemma(head[:-1]):
            return True
    return False


def _is_surname(word: str) -> bool:
    """A capitalised word that is a surname or no common word at all ("Бартлетт")."""
    from srgcli.gate import morph

    return bool(morph.tags(word) & {"Surn", "Patr"}) or not morph.known_word(word)


def in_dictionary(word: str, dictionary: frozenset[str]) -> bool:
    """True when `word` or one of its lemmas is in `dictionary` (lower-cased words)."""
    if not dictionary:
        return False
    from srgcli.gate import morph

    lowered = word.lower()
    return lowered in dictionary or bool(morph.lemmas(lowered) & dictionary)


def _starts_sentence(sentence: str, start: int) -> bool:
    """True when no word precedes `start` in its sentence (quotes and dashes do not count)."""
    before = sentence[:start].rstrip(" «\"'(„“—–-")
    return not before or before[-1] in ".!?…:"


def context_words(context: Iterable[str]) -> frozenset[str]:
    """The words of the ticket's texts (names, address, codes), lower-cased."""
    words: set[str] = set()
    for text in context:
        for match in re.finditer(r"[\w-]+", text or ""):
            words.add(match.group().lower())
            words.update(p.lower() for p in match.group().split("-") if p)
    return frozenset(words)


def accept_context(text: str, issues: list[Issue], context: Iterable[str]) -> list[Issue]:
    """Drop spelling and shouting alarms on words that are the ticket's own."""
    allowed = context_words(context)
    if not allowed:
        return issues
    kept = []
    for issue in issues:
        if _is_spelling(issue) or issue.rule == "SRG_SHOUTING":
            word = text[issue.offset : issue.end].strip()
            if word and (word.lower() in allowed or in_dictionary(word, allowed)):
                continue
        kept.append(issue)
    return kept


def accept_names_used_inside_sentences(text: str, issues: list[Issue]) -> list[Issue]:
    """Drop alarms on a capitalised word opening a sentence when the text also uses it, in any
    ending, capitalised inside a sentence: there it is evidently a name ("Шнайдерманн
    обратилась…" and later "ответили Шнайдерманн")."""
    flagged = [i for i in issues if _is_spelling(i) and text[i.offset : i.offset + 1].isupper()]
    if not flagged:
        return issues
    names = {
        m.group().lower()
        for m in re.finditer(r"(?<=[\w,;)»\"] )[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*", text)
    }
    dropped = set()
    for issue in flagged:
        word = text[issue.offset : issue.end].lower()
        stem = word[: max(4, len(word) - 2)]
        if any(name == word or (len(stem) >= 4 and name.startswith(stem)) for name in names):
            dropped.add(id(issue))
    return [i for i in issues if id(i) not in dropped]
