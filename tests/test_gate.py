"""The gate with the real pylat-ru engine: filters, ticket words, dictionary, rules, cache."""

from __future__ import annotations

from typing import Any

import pytest

from srgcli.gate.cache import GateCache
from srgcli.gate.dictionary import add_words, remove_words
from srgcli.gate.engine import Gate, open_gate
from srgcli.gate.issue import Category, Issue, Severity
from srgcli.gate.pylat import PylatEngine
from srgcli.gate.sentences import split_sentences
from srgcli.workspace import Workspace


@pytest.fixture
def gate(pylat: Any) -> Gate:
    return Gate(PylatEngine())


def errors(gate: Gate, text: str, context: tuple[str, ...] = ()) -> list[str]:
    """The flagged words of the blocking issues."""
    result = gate.check(text, context)
    return [text[i.offset : i.end] for i in result.issues if i.severity is Severity.ERROR]


def test_real_spelling_error_blocks(gate: Gate) -> None:
    result = gate.check("Оценщик опаздал на осмотр квартиры.")
    (issue,) = result.issues
    assert issue.category is Category.SPELLING and issue.severity is Severity.ERROR
    assert result.text[issue.offset : issue.end] == "опаздал"
    assert "опоздал" in issue.replacements
    assert not result.passed


@pytest.mark.parametrize(
    "text",
    [
        # a capitalised unknown word inside a sentence is a proper name
        "Отчёт подписал оценщик Кешабян, а проверил Хиетанен.",
        # pymorphy3's dictionary knows words pylat-ru's does not
        "Исламизации и антиглобалистские лозунги здесь ни при чём.",
        # hyphenated compounds of known words
        "Дизель-генераторы и лечебно-оздоровительный комплекс осмотрены.",
        # compounds with a productive first part
        "Веломобилем и супергероев никто не оценивал.",
        # abbreviations and codes
        "Запрос в СПбГУ и МФЦ отправлен.",
        # a first name and a surname opening the sentence
        "Крэйг Бартлетт вырос в Сиэтле.",
    ],
)
def test_correct_text_passes(gate: Gate, text: str) -> None:
    assert errors(gate, text) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Мы ктобы ни был ответим.", "ктобы"),  # run together
        ("Отчёта небыло в системе.", "небыло"),
        ("Симтомы нарушения выявлены.", "Симтомы"),  # capitalised, but first in the sentence
    ],
)
def test_typos_still_caught(gate: Gate, text: str, word: str) -> None:
    assert word in errors(gate, text)


def test_capitalised_typo_gets_a_near_dictionary_word(gate: Gate) -> None:
    # pylat-ru offers proper names for capitalised words; pymorphy3 knows the word meant
    (issue,) = gate.check("Мозайка из камней выложена у входа.").issues
    assert issue.severity is Severity.ERROR
    assert issue.replacements[0] == "Мозаика"


def test_unknown_word_far_from_any_known_is_a_warning(gate: Gate) -> None:
    result = gate.check("Применялся норметанефрин.")
    assert [(i.rule, i.severity) for i in result.issues] == [("SRG_UNKNOWN_WORD", Severity.WARNING)]
    assert result.passed


def test_ticket_words_are_not_errors(gate: Gate) -> None:
    text = "Шнайдерманн обратилась в банк."  # a surname first in the sentence
    assert errors(gate, text) == ["Шнайдерманн"]
    assert errors(gate, text, ("Шнайдерманн Ирина Павловна",)) == []
    # the ticket's codes in capitals are not shouting
    assert errors(gate, "Код объекта КВРТЛСТ указан верно.") == ["КВРТЛСТ"]
    assert errors(gate, "Код объекта КВРТЛСТ указан верно.", ("КВРТЛСТ-17",)) == []


def test_name_used_inside_a_sentence_is_a_name_at_the_start_too(gate: Gate) -> None:
    assert errors(gate, "Шнайдерманн обратилась в банк.") == ["Шнайдерманн"]
    text = "Шнайдерманн обратилась в банк. Банк ответил Шнайдерманну вовремя."
    assert errors(gate, text) == []


def test_dictionary_accepts_inflected_forms(ws: Workspace, pylat: Any) -> None:
    text = "Шнайдерманн не ответила. Шнайдерманну позвонят завтра."
    assert len(open_gate(ws).check(text).issues) >= 1
    add_words(ws.conn, ["Шнайдерманн"])
    gate = open_gate(ws)
    result = gate.check(text)
    assert result.issues == []
    assert result.summary.dictionary == ["Шнайдерманн"]


def test_disabled_rules_and_summary(ws_root: Any, pylat: Any) -> None:
    from srgcli.workspace import open_workspace

    config = ws_root / "srgcli.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "disabled_rules = []", 'disabled_rules = ["SRG_SLANG", "MORFOLOGIK_RULE_RU_RU"]'
        ),
        encoding="utf-8",
    )
    ws = open_workspace(ws_root)
    try:
        result = open_gate(ws).check("Короче, оценщик опаздал!!!")
    finally:
        ws.close()
    assert [i.rule for i in result.issues] == ["SRG_EXCLAMATION"]
    summary = result.summary.to_json()
    assert summary["engine"] == "pylat"
    assert summary["engine_version"] == "0.1.0a0"
    assert summary["disabled_rules"] == ["MORFOLOGIK_RULE_RU_RU", "SRG_SLANG"]
    assert summary["rules"].startswith("srgcli-")
    assert (summary["errors"], summary["warnings"]) == (1, 0)


class CountingEngine:
    """Wraps pylat and counts the sentences it is really asked about."""

    name = "pylat"

    def __init__(self) -> None:
        self.inner = PylatEngine()
        self.calls: list[str] = []

    @property
    def version(self) -> str:
        return self.inner.version

    def check(self, text: str) -> list[Issue]:
        self.calls.append(text)
        return self.inner.check(text)


def test_cache_hits_and_offsets_rebased(ws: Workspace, pylat: Any) -> None:
    engine = CountingEngine()
    gate = Gate(engine, cache=GateCache(ws.conn))
    first = gate.check("Отчёт готов. Оценщик опаздал на осмотр.")
    assert len(engine.calls) == 2
    # the same sentences in another text: nothing is checked again, offsets follow the text
    text = "Вступление.  Оценщик опаздал на осмотр. Отчёт готов."
    second = gate.check(text)
    assert engine.calls[2:] == ["Вступление."]
    spelling = [i for i in second.issues if i.category is Category.SPELLING]
    assert [text[i.offset : i.end] for i in spelling] == ["опаздал"]
    assert [i.rule for i in first.issues] == ["MORFOLOGIK_RULE_RU_RU"]
    assert ws.conn.execute("select count(*) from gate_cache").fetchone()[0] == 3


def test_cache_invalidated_when_dictionary_changes(ws: Workspace, pylat: Any) -> None:
    text = "Шнайдерманн не ответила."
    engine = CountingEngine()

    def gate() -> Gate:
        g = open_gate(ws)
        g.engine = engine
        return g

    assert gate().check(text).errors == 1
    assert gate().check(text).errors == 1
    assert len(engine.calls) == 1  # cached
    add_words(ws.conn, ["Шнайдерманн"])
    assert gate().check(text).errors == 0
    assert len(engine.calls) == 2  # the dictionary is part of the key
    remove_words(ws.conn, ["Шнайдерманн"])
    assert gate().check(text).errors == 1
    assert len(engine.calls) == 2  # the older entry is valid again


def test_sentences_split_not_at_abbreviations() -> None:
    text = "Оценщик И.И. Иванов, г. Москва, ул. Ленина, д. 5. Всё готово!  Да?\nНовая строка."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Оценщик И.И. Иванов, г. Москва, ул. Ленина, д. 5.",
        "Всё готово!",
        "Да?",
        "Новая строка.",
    ]


def test_repeated_sentence_checked_once_without_cache(pylat: Any) -> None:
    engine = CountingEngine()
    text = "Оценщик опаздал на осмотр. Отчёт готов. Оценщик опаздал на осмотр."
    result = Gate(engine).check(text)
    assert sorted(engine.calls) == sorted(["Оценщик опаздал на осмотр.", "Отчёт готов."])
    assert [i.offset for i in result.issues] == [8, 48]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # Capitals after a sentence on the same line shout, final stop or not.
        ("Оценщик опоздал на осмотр. ЭТО БЕЗОБРАЗИЕ", ["ЭТО", "БЕЗОБРАЗИЕ"]),
        ("Оценщик опоздал на осмотр. ЭТО БЕЗОБРАЗИЕ.", ["ЭТО", "БЕЗОБРАЗИЕ"]),
        # A line of its own in capitals is a heading.
        ("ОТЧЁТ ОБ ОЦЕНКЕ\nОценщик опоздал на осмотр.", []),
    ],
)
def test_shouting_is_told_from_a_heading_by_its_line(
    gate: Gate, text: str, flagged: list[str]
) -> None:
    assert errors(gate, text) == flagged
