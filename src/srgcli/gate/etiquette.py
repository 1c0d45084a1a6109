"""srgcli's own rules, always on: business etiquette and typography.

The vocabularies are data files in `gate/data/` (see its README): a new word is a line there,
not a branch here. Words are matched whole, in every inflected form through pymorphy3's lemmas;
stems judge only words its dictionary does not know (see `word_matches`).
"""

from __future__ import annotations

import re

from srgcli.gate.issue import Category, Issue, Severity
from srgcli.gate.wordlists import (
    Entry,
    Token,
    abbreviations,
    correct_word_lemmas,
    list_matches,
    tokenize,
    word_facts,
    word_matches,
)

MESSAGES = {
    "SRG_PROFANITY": "Грубая или нецензурная лексика недопустима в деловом тексте.",
    "SRG_SLANG": "«{word}» — разговорное или жаргонное слово; в деловом тексте замените его.",
    "SRG_FAMILIAR": "Обращение на «ты» нарушает деловой этикет: обращайтесь к адресату на «Вы».",
    "SRG_SHOUTING": "Слово целиком прописными буквами читается как крик; "
    "пишите строчными (аббревиатуры можно добавить в словарь).",
    "SRG_EXCLAMATION": "Повторяющиеся знаки «!!!», «?!?!» недопустимы в деловом тексте.",
    "SRG_EMOJI": "Эмодзи и смайлики недопустимы в деловом тексте.",
    "SRG_VY_CAPITAL": "В письме одному адресату «Вы» и «Ваш» пишут с прописной буквы.",
    "SRG_CLICHE": "Канцелярский штамп: скажите проще.",
    "SRG_DOUBLE_SPACE": "Лишний пробел.",
    "SRG_SPACE_BEFORE_PUNCT": "Перед знаком препинания пробел не ставится.",
}


def rule_ids() -> list[str]:
    """The ids of srgcli's etiquette and typography rules."""
    return list(MESSAGES)


_PUNCT = frozenset(".,;:!?…—–-()«»\"'„“")
_EXCLAMATIONS = re.compile(r"!{2,}|\?{2,}|[!?]{3,}")
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U0001f000-\U0001f2ff\u2600-\u27bf\u2b50\u2b55\ufe0f\u200d]+"
    r"|(?<![\w)])[:;=]-?[)(DPрР](?!\w)|\){3,}|\({3,}"
)
_VY_FORMS = frozenset(
    [
        "вы",
        "вас",
        "вам",
        "вами",
        "ваш",
        "ваша",
        "ваше",
        "ваши",
        "вашего",
        "вашей",
        "вашему",
        "вашим",
        "ваших",
        "вашими",
        "вашу",
    ]
)
_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_SPACE_BEFORE = re.compile(r"(?<=\w)[ \u00a0]+([,.;:!?])(?![.\w])")


def _issue(rule: str, severity: Severity, start: int, end: int, **fmt: str) -> Issue:
    replacements = (fmt.pop("replacement"),) if fmt.get("replacement") else ()
    fmt.pop("replacement", None)
    return Issue(
        rule=rule,
        category=Category.ETIQUETTE if rule != "SRG_CLICHE" else Category.STYLE,
        severity=severity,
        message=MESSAGES[rule].format(**fmt),
        offset=start,
        length=end - start,
        replacements=replacements,
    )


def check_etiquette(sentence: str) -> list[Issue]:
    """Etiquette issues in one sentence: profanity, slang, "ты", shouting, "!!!", emoji, "вы"."""
    tokens = tokenize(sentence)
    issues: list[Issue] = []
    issues.extend(_match_list(tokens, "profanity.txt", "SRG_PROFANITY", Severity.ERROR))
    issues.extend(_match_list(tokens, "slang.txt", "SRG_SLANG", Severity.ERROR))
    issues.extend(_match_list(tokens, "familiar.txt", "SRG_FAMILIAR", Severity.ERROR))
    issues.extend(_match_list(tokens, "cliches.txt", "SRG_CLICHE", Severity.WARNING))
    if not _is_heading(sentence):
        issues.extend(_shouting(tokens))
    issues.extend(_vy_lowercase(tokens))
    for match in _EXCLAMATIONS.finditer(sentence):
        issues.append(_issue("SRG_EXCLAMATION", Severity.ERROR, match.start(), match.end()))
    for match in _EMOJI.finditer(sentence):
        issues.append(_issue("SRG_EMOJI", Severity.ERROR, match.start(), match.end()))
    return _without_overlaps(issues)


def check_typography(text: str) -> list[Issue]:
    """Double spaces and a space before punctuation, over the whole text."""
    issues = [
        Issue(
            "SRG_DOUBLE_SPACE",
            Category.TYPOGRAPHY,
            Severity.ERROR,
            MESSAGES["SRG_DOUBLE_SPACE"],
            m.start(),
            m.end() - m.start(),
            (" ",),
        )
        for m in _DOUBLE_SPACE.finditer(text)
    ]
    issues.extend(
        Issue(
            "SRG_SPACE_BEFORE_PUNCT",
            Category.TYPOGRAPHY,
            Severity.ERROR,
            MESSAGES["SRG_SPACE_BEFORE_PUNCT"],
            m.start(),
            m.end() - m.start(),
            (m.group(1),),
        )
        for m in _SPACE_BEFORE.finditer(text)
    )
    return issues


def _without_overlaps(issues: list[Issue]) -> list[Issue]:
    """One issue per span: the first rule in order of gravity wins."""
    kept: list[Issue] = []
    for issue in issues:
        if not any(issue.offset < k.end and k.offset < issue.end for k in kept):
            kept.append(issue)
    return kept


def _match_list(tokens: list[Token], name: str, rule: str, severity: Severity) -> list[Issue]:
    issues: list[Issue] = []
    for index, token in enumerate(tokens):
        if not token.is_word:
            continue
        for entry in list_matches(name, word_facts(token.text), correct_word_lemmas):
            length = _match_at(tokens, index, entry)
            if length:
                last = tokens[index + length - 1]
                issues.append(
                    _issue(
                        rule,
                        severity,
                        token.start,
                        last.end,
                        word=token.text,
                        replacement=entry.replacement,
                    )
                )
                break
    return issues


def _match_at(tokens: list[Token], index: int, entry: Entry) -> int:
    """How many tokens from `index` the entry covers (0: no match)."""
    from srgcli.gate import morph

    if index + len(entry.words) > len(tokens):
        return 0
    # The first word was matched by `list_matches`; the rest of a phrase the same way.
    for offset, wanted in enumerate(entry.words[1:], 1):
        token = tokens[index + offset]
        if not token.is_word or not word_matches(wanted, entry, word_facts(token.text)):
            return 0
    end = index + len(entry.words)
    previous = tokens[index - 1] if index > 0 else None
    following = tokens[end] if end < len(tokens) else None
    opens_clause = previous is None or previous.text in _PUNCT
    if entry.aside and not (opens_clause and (following is None or following.text in _PUNCT)):
        return 0
    if entry.opens and not opens_clause:
        return 0
    if (
        entry.not_after
        and previous is not None
        and previous.is_word
        and morph.main_pos(previous.text) in entry.not_after
    ):
        return 0
    if (
        entry.not_before
        and following is not None
        and following.is_word
        and morph.main_pos(following.text) in entry.not_before
    ):
        return 0
    return len(entry.words)


def _is_heading(sentence: str) -> bool:
    """A line all in capitals without a final stop is a heading ("ОТЧЁТ ОБ ОЦЕНКЕ"), not a shout."""
    stripped = sentence.strip()
    return bool(stripped) and not re.search(r"[a-zа-яё]", stripped) and stripped[-1] not in ".!?…"


def _shouting(tokens: list[Token]) -> list[Issue]:
    """Words in capitals that are not abbreviations."""
    from srgcli.gate import morph

    allowed = abbreviations()
    issues: list[Issue] = []
    for token in tokens:
        word = token.text
        if not token.is_word or len(word) < 2 or not word.isupper() or word in allowed:
            continue
        letters = word.replace("-", "")
        cyrillic = bool(re.fullmatch(r"[А-ЯЁ]+", letters))
        # A short unknown word in capitals is most likely an abbreviation (ТСЖ, УФМС).
        if cyrillic:
            shouting = len(letters) >= 6 or (
                morph.known_word(word) and "Abbr" not in morph.tags(word)
            )
        else:
            shouting = len(letters) >= 6
        if shouting:
            issues.append(
                Issue(
                    "SRG_SHOUTING",
                    Category.ETIQUETTE,
                    Severity.ERROR,
                    MESSAGES["SRG_SHOUTING"],
                    token.start,
                    token.end - token.start,
                    (word.lower(),),
                )
            )
    return issues


def _vy_lowercase(tokens: list[Token]) -> list[Issue]:
    """Lower-case "вы", "ваш" where a letter addresses one person with "Вы"."""
    issues: list[Issue] = []
    for token in tokens:
        if token.text in _VY_FORMS:
            issues.append(
                _issue(
                    "SRG_VY_CAPITAL",
                    Severity.WARNING,
                    token.start,
                    token.end,
                    replacement=token.text.capitalize(),
                )
            )
    return issues


# A letter to one person: «Уважаемый …» / «Уважаемая …», or a name and patronymic opening a
# line («Елена Викторовна, …»). «Уважаемые коллеги» addresses several.
_ONE_ADDRESSEE = re.compile(
    r"(?m)^\s*(?:Уважаем(?:ый|ая)\s+\S|"
    r"(?:[А-ЯЁ][а-яё]+\s+)?[А-ЯЁ][а-яё]+(?:вич|вна|чна|ична|ич)\s*[,!])"
)


def addresses_one_person(text: str) -> bool:
    """True when the text is a letter to one person (a singular salutation opens a line)."""
    return bool(_ONE_ADDRESSEE.search(text))


def is_heading(sentence: str) -> bool:
    """Whether a sentence reads as a heading (all capitals, no final stop)."""
    return _is_heading(sentence)


def shouting_issues(sentence: str) -> list[Issue]:
    """The shouting rule alone on one sentence (offsets within the sentence)."""
    return _shouting(tokenize(sentence))
