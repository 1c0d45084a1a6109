"""Words built from a known word by Russian word formation: rare correct words, not typos.

People coin words all the time, in blogs and in terms, with the same few productive means: a
suffix on a known stem ("рецепт-ик", "зефир-чик", "клуб-ец", "лос-яра", "приор-ство",
"карцин-оид", "отдыха-тельный"), a verbal prefix on a known verb ("на-случалось",
"по-втыкав"), a prefix on a known adjective ("до-кукурузные") or a compound joined by the
linking vowel о/е ("свеж-е-выжатый", "папиллом-о-вирус"). The speller does not know such a word,
and a suggestion one letter away is usually a rare word too ("рецептер", "кефирчиком"). When
the word is explained by word formation, it is more likely a coinage than a typo: the gate keeps
it as the "not in the dictionary" warning. A word a single usual misspelling away from a known
word ("смерительную" for "смирительную") stays an error: the typo explains it better.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Suffix of the derived word's dictionary form -> endings that make its stem a known word.
_SUFFIXES: dict[str, tuple[str, ...]] = {
    # diminutive, augmentative and informal nouns: "рецептик", "зефирчик", "лосяра"
    "ик": ("",),
    "чик": ("",),
    "ок": ("",),
    "ец": ("",),
    "ка": ("",),
    "очка": ("ка",),
    "ечка": ("ка",),
    "очек": ("ок",),
    "ечек": ("ек",),
    "ище": ("",),
    "ушка": ("а", ""),
    "юшка": ("я", "ь"),
    "яра": ("ь", ""),
    "ара": ("",),
    "як": ("ий", "ый", "ой", "ить", "ать", "ь"),
    "няк": ("ный", "но"),
    # terms: "приорство", "карциноид", "инноватика"
    "ство": ("",),
    "оид": ("", "а", "ома", "ия"),
    "ика": ("ия", "ция", "ор", "ивный"),
    # adjectives from verbs: "отдыхательный"
    "тельный": ("ть",),
}
# A derived word's stem keeps at least this many letters, and so does the word it comes from
# ("сер-ец" is no derivation of "сер").
_MIN_STEM = 3
_MIN_BASE = 4
# Verbal prefixes; and prefixes that make adjectives ("до-", "после-", "сверх-").
_VERB_PREFIXES = frozenset(
    {"недо", "пере", "обо", "над", "под", "раз", "рас", "про", "при", "пре", "вз", "вс"}
    | {"вы", "до", "за", "из", "ис", "на", "об", "от", "по", "со", "во"}
)
_ADJECTIVE_PREFIXES = frozenset(
    {"после", "сверх", "внутри", "около", "без", "над", "под", "пред", "меж", "до"}
)
# A prefixed word keeps at least this many letters after its prefix ("с-начла" is a typo).
_MIN_TAIL = 6
_VERB_POS = frozenset({"VERB", "INFN", "GRND", "PRTF", "PRTS"})
_ADJECTIVE_ENDINGS = ("ый", "ий", "ой")
_CYRILLIC = re.compile(r"^[а-яё]+$")


@lru_cache(maxsize=50_000)
def derived_from(word: str) -> str | None:
    """The known word `word` is formed from ("рецептик" -> "рецепт"), if word formation
    explains it; None for a word it does not, or one a usual misspelling from a known word."""
    from srgcli.gate import typos

    lowered = word.lower()
    if not _CYRILLIC.match(lowered) or typos.one_typical_change_of(lowered):
        return None
    return (
        _by_suffix(lowered)
        or _by_prefix(lowered, _VERB_PREFIXES, _VERB_POS)
        or _by_prefix(lowered, _ADJECTIVE_PREFIXES, frozenset({"ADJF"}))
        or _by_linking_vowel(lowered)
    )


def _by_suffix(word: str) -> str | None:
    from srgcli.gate import morph

    forms = {word} | {
        p.normal_form for p in morph.analyzer().parse(word) if p.tag.POS in ("NOUN", "ADJF")
    }
    for form in sorted(forms):
        for suffix, endings in _SUFFIXES.items():
            stem = form[: -len(suffix)]
            if not form.endswith(suffix) or len(stem) < _MIN_STEM:
                continue
            for ending in endings:
                base = stem + ending
                if len(base) >= _MIN_BASE and morph.known_word(base):
                    return base
    return None


def _by_prefix(word: str, prefixes: frozenset[str], parts: frozenset[str]) -> str | None:
    """A prefix on a known word whose every reading is one of `parts` of speech: a verbal
    prefix on a verb ("наслучалось", "повтыкав"), a prefix on an adjective ("докукурузные")."""
    from srgcli.gate import morph

    for prefix in sorted(prefixes):
        tail = word[len(prefix) :]
        if not word.startswith(prefix) or len(tail) < _MIN_TAIL or not morph.known_word(tail):
            continue
        parses = [p for p in morph.analyzer().parse(tail) if p.is_known]
        if parses and all(p.tag.POS in parts for p in parses):
            return tail
    return None


def _by_linking_vowel(word: str) -> str | None:
    """A compound of a noun or adjective stem, о/е and a known word ("свежевыжатый",
    "папилломовирус"); not of two adjectives, which takes a hyphen ("темно-зелёный")."""
    from srgcli.gate import morph

    for cut in range(_MIN_BASE + 1, len(word) - 4):
        head, tail = word[:cut], word[cut:]
        if head[-1] not in "оеё" or not morph.known_word(tail):
            continue
        stem = head[:-1]
        if morph.is_noun_lemma(stem) or any(morph.is_noun_lemma(stem + e) for e in "ая"):
            return tail
        if _only_adjective(tail):
            continue  # two adjectives: "темно-зелёный" is written with a hyphen
        for ending in _ADJECTIVE_ENDINGS:
            parses = morph.analyzer().parse(stem + ending)
            if any(p.is_known and p.tag.POS == "ADJF" for p in parses):
                return tail
    return None


def _only_adjective(word: str) -> bool:
    """True when pymorphy3 knows `word` as an adjective and not as a participle."""
    from srgcli.gate import morph

    kinds = {p.tag.POS for p in morph.analyzer().parse(word) if p.is_known}
    return "ADJF" in kinds and "PRTF" not in kinds
