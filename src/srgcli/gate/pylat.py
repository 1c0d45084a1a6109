"""The default engine: pylat-ru, a native Python port of LanguageTool's Russian rules."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

from srgcli.gate.issue import Category, Issue, Severity

# pylat-ru takes ~1.5 s and ~240 MB to load: one instance per process, made on first use.
_INSTANCE: Any = None
_LOCK = threading.Lock()

# LanguageTool category ids -> the gate's categories.
_CATEGORIES = {
    "TYPOS": Category.SPELLING,
    "GRAMMAR": Category.GRAMMAR,
    "CASING": Category.GRAMMAR,
    "PUNCTUATION": Category.PUNCTUATION,
    "TYPOGRAPHY": Category.TYPOGRAPHY,
    "STYLE": Category.STYLE,
    "REDUNDANCY": Category.STYLE,
    "REPETITIONS_STYLE": Category.STYLE,
    "CREATIVE_WRITING": Category.STYLE,
    "LOGIC": Category.GRAMMAR,
    "MISC": Category.STYLE,
}

# Rules whose findings are advice, not mistakes: shown, never blocking. Besides length and
# repetition: the pleonasms that usage and official forms accept («заранее предупредить»,
# «адрес местожительства», «временно приостановлен»; the others, «вернуться обратно», «в мае
# месяце», block); a date compared with today's clock (a report describes what was planned
# when it was written); and two rules that srgcli's own rule pack does with fewer false alarms
# («с неделю», «оплатить счёт за март»); and a typesetting convention, not a rule of the
# language: «№ 3101 и № 3102» is correct Russian that a typesetter would write «№ 3101 и 3102».
_ADVISORY_RULES = frozenset(
    {
        "TYPOGRAF_SYMBOL",
        "TOO_LONG_SENTENCE",
        "WORD_REPEAT_RULE",
        "RU_WORD_COHERENCY",
        "INVALID_TENSE_DATE",
        "PREP_C_and_Noun",
        "oplachivat_prep",
        "Tavtology_zaranee_predupredit",
        "Tavtology_zaranee_predchuvstvovat",
        "Tavtology_plani_na_budushee",
        "Tavtology_adres_mestojitelstva",
        "Tavtology_marshrut_sledovanija",
        "Tavtology_vremenno_priostanovlen",
        "Tavtology_polnostju_zavershil",
        "Tavtology_kivnul_golovoj",
    }
)
# Case and preposition errors pylat-ru files under style («вопреки + родительный», «претензия
# на», «выяснять о»): they are grammar errors and block.
_GRAMMAR_RULES = frozenset({"vopreki_NN", "pretenzia_na", "Use_prep_O"})
# Misspellings pylat-ru files under style: compounds written apart («бизнес центр», «всё
# таки») and its list of common misspellings («агенство»). They are spelling errors and block.
_SPELLING_RULES = frozenset({"RU_COMPOUNDS", "RU_SIMPLE_REPLACE"})


def shared_languagetool() -> Any:
    """The process-wide `pylat_ru.LanguageToolRU`, created on first call."""
    global _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            from pylat_ru import LanguageToolRU

            _INSTANCE = LanguageToolRU()
        return _INSTANCE


def rule_ids() -> list[str]:
    """The ids pylat-ru's issues carry: its native rules' and its XML grammar rules' ids.

    Read from the loaded engine when there is one; else from the rule files alone (~0.5 s,
    not the ~1.5 s of the whole engine).
    """
    from pylat_ru.native_rules import RUSSIAN_RULE_CLASSES

    native = [cls.rule_id for cls in RUSSIAN_RULE_CLASSES]
    if _INSTANCE is not None:
        grammar = _INSTANCE.grammar_engine.get_all_rules()
    else:
        from pylat_ru.grammar.loader import GrammarLoader

        grammar = GrammarLoader().load_default()
    # An XML rule reports its own id (`rule.id`), shared by the rules of its group.
    return [*native, *(str(rule.id) for rule in grammar)]


def category_of(category_id: str, rule_id: str = "") -> Category:
    """The gate category for a LanguageTool category id (and rule)."""
    if rule_id in _SPELLING_RULES:
        return Category.SPELLING
    if rule_id in _GRAMMAR_RULES:
        return Category.GRAMMAR
    return _CATEGORIES.get(category_id, Category.GRAMMAR)


def severity_of(rule_id: str, category: Category) -> Severity:
    """Style advice and long sentences warn; everything else blocks."""
    if category is Category.STYLE or rule_id in _ADVISORY_RULES:
        return Severity.WARNING
    return Severity.ERROR


def clean_message(message: str) -> str:
    """LanguageTool messages mark suggestions with <suggestion> tags: show them as «quotes»."""
    return message.replace("<suggestion>", "«").replace("</suggestion>", "»").strip()


class PylatEngine:
    """Checks text with pylat-ru, loaded lazily once per process."""

    name = "pylat"

    @cached_property
    def version(self) -> str:
        """The installed pylat-ru version."""
        from importlib.metadata import version

        return version("pylat-ru")

    def check(self, text: str) -> list[Issue]:
        """Issues pylat-ru finds in `text`."""
        if not text.strip():
            return []
        issues = []
        for match in shared_languagetool().check(text):
            category = category_of(match.category_id, match.rule_id)
            issues.append(
                Issue(
                    rule=match.rule_id,
                    category=category,
                    severity=severity_of(match.rule_id, category),
                    message=clean_message(match.message),
                    offset=match.offset,
                    length=match.length,
                    replacements=tuple(match.replacements)[:5],
                )
            )
        return issues
