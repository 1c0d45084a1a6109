"""Classes of misspellings the gate blocks and classes of correct words it only warns about,
with the real pylat-ru and pymorphy3 (no mocks)."""

from __future__ import annotations

from typing import Any

import pytest

from srgcli.gate import derivation, morph, typos
from srgcli.gate.engine import Gate
from srgcli.gate.issue import Severity
from srgcli.gate.pylat import PylatEngine


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate(PylatEngine())


def found(gate: Gate, text: str) -> dict[str, tuple[Severity, tuple[str, ...]]]:
    """Each flagged stretch of `text` with its severity and suggestions."""
    return {
        text[i.offset : i.end]: (i.severity, i.replacements)
        for i in gate.check(text).issues
        if i.category.value != "etiquette"
    }


@pytest.mark.parametrize(
    ("text", "word", "suggestion"),
    [
        # a key held down: the word is known once the run is cut
        ("Это было оооочень стыдно.", "оооочень", "очень"),
        ("Прррроклятые счета пришли.", "Прррроклятые", "Проклятые"),
        # unstressed vowels, сч/щ, a syllable typed twice: usual misspellings of known words
        ("Оценщик учавствовал в осмотре.", "учавствовал", "участвовал"),
        ("Клиент обесчал перезвонить.", "обесчал", "обещал"),
        ("Невозмозможно понять отчёт.", "Невозмозможно", "Невозможно"),
        # spoken variants pymorphy3 files under a standard word
        ("Я седня приду на осмотр.", "седня", "сегодня"),
        # two common words typed without a space
        ("Оценщик решилпойти пешком.", "решилпойти", "решил пойти"),
        # the first word of a sentence: a typo of a common or a domain word, the close
        # suggestion first; a very common word even with its first letter mistyped
        ("Оцнщик приехал на объект вовремя.", "Оцнщик", "Оценщик"),
        ("Кадастравый номер указан неверно.", "Кадастравый", "Кадастровый"),
        ("Огда клиент позвонил, отчёт был готов.", "Огда", "Когда"),
        ("Сдесь указана неверная площадь.", "Сдесь", "Здесь"),
    ],
)
def test_typo_classes_block(gate: Gate, pylat: Any, text: str, word: str, suggestion: str) -> None:
    severity, replacements = found(gate, text)[word]
    assert severity is Severity.ERROR
    assert suggestion in replacements


@pytest.mark.parametrize(
    "text",
    [
        "Применялся норметанефрин.",  # a term no usual misspelling brings to a known word
        "Врач назначил две инфузии.",  # the speller's split has a rare part ("ин фузии")
        "Посмотрите на петиолюса края.",
        # a short capitalised word opening a sentence, a rare word or none an edit away: a name
        "Аскона лежит на северном берегу озера.",
    ],
)
def test_rare_correct_words_only_warn(gate: Gate, pylat: Any, text: str) -> None:
    result = gate.check(text)
    assert result.passed
    assert [i.rule for i in result.issues] == ["SRG_UNKNOWN_WORD"]


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("Отчёт лежит в в папке.", True),  # a preposition is never doubled on purpose
        ("Он он пришёл вовремя.", True),
        ("Это очень очень хорошо.", False),  # emphasis
        ("Да да, конечно.", False),
    ],
)
def test_doubled_word_blocks_when_a_slip(gate: Gate, pylat: Any, text: str, blocks: bool) -> None:
    result = gate.check(text)
    assert len(result.issues) == 1
    assert result.passed is not blocks


@pytest.mark.parametrize(
    ("word", "known", "standard"),
    [
        ("седня", False, "сегодня"),  # spoken variant of a standard word
        ("тыщу", False, "тысячу"),
        ("инет", True, None),  # an informal word of its own: etiquette's business
        ("мент", True, None),
    ],
)
def test_spoken_variants_are_not_correct_spellings(
    word: str, known: bool, standard: str | None
) -> None:
    assert morph.known_word(word) is known
    assert morph.standard_form(word) == standard


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("сдесь", "здесь"),  # з/с before a voiced consonant
        ("празник", "праздник"),  # an unpronounced consonant
        ("расчитывать", "рассчитывать"),  # single for double
        ("извените", "извините"),  # unstressed е/и
        ("хорошое", "хорошее"),  # о/е after a hissing sound
        ("норметанефрин", None),
        ("джадидизма", None),
    ],
)
def test_typical_misspelling_search(word: str, meant: str | None) -> None:
    assert typos.typical_misspelling_of(word) == meant


@pytest.mark.parametrize(
    ("word", "meant"),
    [("оооочень", "очень"), ("Давнооо", "давно"), ("длинношеее", None), ("сегодня", None)],
)
def test_letter_runs(word: str, meant: str | None) -> None:
    assert typos.letter_run_of(word) == meant


@pytest.mark.parametrize(
    "text",
    [
        # a diminutive or augmentative suffix on a known noun
        "Пришлите этот скриптик коллегам.",
        "Купил дочке смартфончик.",
        "Испекли огромный тортище.",
        # a term suffix on a known stem
        "Это карциноид желудка.",
        # a verbal prefix on a known verb, a prefix on a known adjective
        "Повыкладывал фото в альбом.",
        "Куплю дорасчётные бланки.",
        # a compound with the linking vowel о/е
        "Торговали свежевыжатым соком.",
        "Папилломовирус опасен.",
        # a long word whose every neighbour is a rare word ("мангостаны")
        "Там росли мангостины.",
    ],
)
def test_coinages_only_warn(gate: Gate, pylat: Any, text: str) -> None:
    result = gate.check(text)
    assert result.passed
    assert [i.rule for i in result.issues if i.category.value != "etiquette"] == [
        "SRG_UNKNOWN_WORD"
    ]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Надели смерительную рубашку.", "смерительную"),  # one usual misspelling away
        ("Он сначла ушёл.", "сначла"),  # "с" + a scrap of a verb
        ("Взяли темнозеленый цвет.", "темнозеленый"),  # two adjectives take a hyphen
        ("Я незнаю ответа.", "незнаю"),  # "не" is no verbal prefix
        ("Мы сидели наберегу реки.", "наберегу"),  # a preposition run into a noun
        ("Мы посмотрели документацыю.", "документацыю"),  # a common word one edit away
        ("Отчёт о подьёмнике готов.", "подьёмнике"),  # a usual misspelling (ь for ъ)
    ],
)
def test_typos_resembling_coinages_block(gate: Gate, pylat: Any, text: str, word: str) -> None:
    assert found(gate, text)[word][0] is Severity.ERROR


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("рецептик", "рецепт"),
        ("зефирчиком", "зефир"),
        ("лосяра", "лось"),
        ("приорства", "приор"),
        ("прописочкой", "прописка"),
        ("наслучалось", "случалось"),
        ("серце", None),  # "сер-ец": too short a stem
        ("смерительную", None),  # "смирительную" with е for и
        ("кисломолочный", None),  # a known word is not judged here, but nor is it a coinage
    ],
)
def test_derivation(word: str, base: str | None) -> None:
    assert derivation.derived_from(word) == base


def test_close_suggestion_comes_first(gate: Gate, pylat: Any) -> None:
    _severity, replacements = found(gate, "Оцнщик приехал на объект вовремя.")["Оцнщик"]
    assert replacements[0] == "Оценщик"
