"""srgcli's own rules, always on: business etiquette and typography.

The vocabularies are data files in `gate/data/` (see its README): a new word is a line there,
not a branch here. Words are matched whole, in every inflected form through pymorphy3's lemmas;
stems judge only words its dictionary does not know (see `word_matches`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from srgcli.gate.engine import Category, Issue, Severity

DATA_FILES = (
    "profanity.txt",
    "slang.txt",
    "familiar.txt",
    "cliches.txt",
    "abbreviations.txt",
    "prefixes.txt",
    "hyphen_parts.txt",
    "compound_heads.txt",
    "sentence_abbreviations.txt",
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


# Tokens: words (with inner hyphens and dots of abbreviations kept apart) and single marks.
_TOKEN = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)*|\d+|[^\w\s]")
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


@dataclass(frozen=True)
class Entry:
    """One line of a word list."""

    words: tuple[str, ...]
    replacement: str = ""
    exact: bool = False
    stem: bool = False
    aside: bool = False
    opens: bool = False
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Token:
    """A word or a mark of the sentence, with its position."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        """True for letters (not digits, not punctuation)."""
        return self.text[0].isalpha()


def _data_text(name: str) -> str:
    return (resources.files("srgcli.gate") / "data" / name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    """Non-empty lines of a data file, comments removed."""
    lines = []
    for raw in _data_text(name).splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def parse_entry(line: str) -> Entry:
    """One data-file line: `words [-> replacement] [| options]`."""
    head, _, options = line.partition("|")
    head, _, replacement = head.partition("->")
    flags: dict[str, frozenset[str]] = {}
    switches: set[str] = set()
    for option in options.split():
        key, eq, value = option.partition("=")
        if eq:
            flags[key] = frozenset(v for v in value.split(",") if v)
        else:
            switches.add(key)
    return Entry(
        words=tuple(head.lower().split()),
        replacement=replacement.strip(),
        exact="exact" in switches,
        stem="stem" in switches,
        aside="aside" in switches,
        opens="opens" in switches,
        not_after=flags.get("not_after", frozenset()),
        not_before=flags.get("not_before", frozenset()),
    )


@cache
def word_list(name: str) -> tuple[Entry, ...]:
    """The entries of one data file."""
    return tuple(parse_entry(line) for line in data_lines(name))


@cache
def abbreviations() -> frozenset[str]:
    """Words in capitals that are not shouting."""
    return frozenset(w for line in data_lines("abbreviations.txt") for w in line.split())


@cache
def profanity_prefixes() -> tuple[str, ...]:
    """Prefixes a profanity stem may follow; the empty prefix first."""
    return ("", *data_lines("prefixes.txt"))


@cache
def rules_fingerprint() -> str:
    """Hash of every data file: part of the cache key, so editing a list invalidates results."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update(_data_text(name).encode())
    return digest.hexdigest()[:16]


def tokenize(text: str) -> list[Token]:
    """Words and punctuation marks of `text`."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


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


@dataclass(frozen=True)
class WordFacts:
    """What the word lists may know about one word; the matcher parses nothing itself.

    `lemmas` are pymorphy3's normal forms of the word; `known` says whether one of them comes
    from its dictionary (a real parse, not a guess from the word's ending).
    """

    form: str
    lemmas: frozenset[str] = frozenset()
    known: bool = False


def _no_known_words(_form: str) -> frozenset[str]:
    return frozenset()


@dataclass(frozen=True)
class _Index:
    """A word list arranged for quick lookup: by first word, and one regex for the stems."""

    by_word: dict[str, tuple[Entry, ...]]
    stems: re.Pattern[str] | None
    stem_entries: tuple[Entry, ...]
    listed: frozenset[str]  # single words the list names (lemmas and exact forms), folded


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@cache
def _index(name: str) -> _Index:
    by_word: dict[str, list[Entry]] = {}
    stems: list[Entry] = []
    for entry in word_list(name):
        if entry.stem:
            stems.append(entry)
        else:
            by_word.setdefault(_fold(entry.words[0]), []).append(entry)
    pattern = None
    if stems:
        # Anchored at the start: an optional usual prefix, then the stem, i.e. at the root.
        prefixes = "|".join(re.escape(_fold(p)) for p in profanity_prefixes() if p)
        alternatives = "|".join(re.escape(_fold(e.words[0])) for e in stems)
        pattern = re.compile(f"(?:{prefixes})?(?:{alternatives})")
    listed = frozenset(_fold(e.words[0]) for e in word_list(name) if len(e.words) == 1)
    return _Index({k: tuple(v) for k, v in by_word.items()}, pattern, tuple(stems), listed)


def word_matches(
    wanted: str,
    entry: Entry,
    word: WordFacts,
    known_lemmas: Callable[[str], frozenset[str]] = _no_known_words,
    name: str = "",
) -> bool:
    """Whether `word` is the entry's word `wanted`, by whole words only, never a piece of one.

    `exact` entries match the surface form; other entries the form or one of its lemmas. A
    stem judges only a word pymorphy3 does not know (a neologism, a distorted spelling), at its
    root, and not when the word is evidently a typo of an ordinary word (see `_typo_of_ordinary`,
    which asks `known_lemmas` about the words one edit away). `name` is the list's data file.
    """
    form = _fold(word.form)
    wanted = _fold(wanted)
    if entry.stem:
        if word.known or not any(form.startswith(_fold(p) + wanted) for p in profanity_prefixes()):
            return False
        return not (name and _typo_of_ordinary(form, _index(name), known_lemmas))
    if form == wanted:
        return True
    return not entry.exact and wanted in {_fold(lemma) for lemma in word.lemmas}


def list_matches(
    name: str,
    word: WordFacts,
    known_lemmas: Callable[[str], frozenset[str]] = _no_known_words,
) -> tuple[Entry, ...]:
    """Entries of the list `name` whose first word is `word` (the rest is checked in context)."""
    index = _index(name)
    form = _fold(word.form)
    keys = {form, *(_fold(lemma) for lemma in word.lemmas)}
    found = [e for key in keys for e in index.by_word.get(key, ())]
    if index.stems is not None and not word.known and index.stems.match(form):
        found.extend(index.stem_entries)
    return tuple(e for e in found if word_matches(e.words[0], e, word, known_lemmas, name))


def _typo_of_ordinary(
    form: str, index: _Index, known_lemmas: Callable[[str], frozenset[str]]
) -> bool:
    """True when `form` is a known ordinary word (one whose lemma the list does not name)
    mistyped: either that word holds the stem too («себестоймость» for «себестоимость»), or
    `form` is that word with a letter other than the first left out («сранение» for
    «сравнение»). Other edits do not count: «заебал» stays caught although «заедал» is one
    letter away.
    """
    from srgcli.gate.filters import single_edits

    assert index.stems is not None
    if len(form) < 4:
        return False
    for candidate in single_edits(form):
        folded = _fold(candidate)
        if folded == form:
            continue
        # A left-out letter is a common slip, but rarely the first one («ебёт» is no «дебет»).
        left_out = len(candidate) == len(form) + 1 and candidate[0] == form[0]
        if not left_out and not index.stems.match(folded):
            continue
        lemmas = known_lemmas(candidate)
        if lemmas and not ({folded} | {_fold(lemma) for lemma in lemmas}) & index.listed:
            return True
    return False


def word_facts(text: str) -> WordFacts:
    """The facts about one word of a text, from pymorphy3."""
    from srgcli.gate import morph

    return WordFacts(text, morph.lemmas(text), morph.dictionary_word(text))


def correct_word_lemmas(word: str) -> frozenset[str]:
    """The lemmas of `word` when pymorphy3 knows it as a correct spelling; else nothing."""
    from srgcli.gate import morph

    return morph.lemmas(word) if morph.known_word(word) else frozenset()


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
