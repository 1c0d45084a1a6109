"""srgcli's own etiquette and typography rules: inflected forms caught, look-alikes left alone."""

from __future__ import annotations

import pytest

from srgcli.gate.etiquette import check_etiquette, check_typography
from srgcli.gate.issue import Severity
from srgcli.gate.wordlists import (
    WordFacts,
    correct_word_lemmas,
    list_matches,
    parse_entry,
    word_facts,
    word_matches,
)
from tools.etiquette_matches import LISTS


def found(text: str) -> list[tuple[str, str]]:
    """(rule, flagged text) pairs."""
    return [(i.rule, text[i.offset : i.end]) for i in check_etiquette(text)]


@pytest.mark.parametrize(
    ("text", "rule", "flagged"),
    [
        # profanity, inflected and prefixed
        ("Да он просто заебал всех.", "SRG_PROFANITY", "заебал"),
        ("Какая-то хуйня с отчётом.", "SRG_PROFANITY", "хуйня"),
        ("Это полное дерьмо.", "SRG_PROFANITY", "дерьмо"),
        ("Опять эта сука звонила.", "SRG_PROFANITY", "сука"),
        ("Суки из банка не отвечают.", "SRG_PROFANITY", "Суки"),
        # slang and colloquialisms
        ("Короче, отчёт готов.", "SRG_SLANG", "Короче"),
        ("Я, короче, не успел.", "SRG_SLANG", "короче"),
        ("Осмотр прошёл, короче виноват банк.", "SRG_SLANG", "короче"),
        ("Он типа занят.", "SRG_SLANG", "типа"),
        ("Блин, опять не работает.", "SRG_SLANG", "Блин"),
        ("Всё норм, приезжайте.", "SRG_SLANG", "норм"),
        ("Оценщик щас приедет.", "SRG_SLANG", "щас"),
        ("Чё вы хотите?", "SRG_SLANG", "Чё"),
        ("Ок, договорились.", "SRG_SLANG", "Ок"),
        ("Ну это же фигня какая-то.", "SRG_SLANG", "фигня"),
        ("Меня это бесит.", "SRG_SLANG", "бесит"),
        # familiar address
        ("Ты не прав.", "SRG_FAMILIAR", "Ты"),
        ("Я тебе перезвоню.", "SRG_FAMILIAR", "тебе"),
        ("Мы получили твоё письмо.", "SRG_FAMILIAR", "твоё"),
        ("Твоего отчёта нет.", "SRG_FAMILIAR", "Твоего"),
        # shouting
        ("Отчёт нужен СРОЧНО.", "SRG_SHOUTING", "СРОЧНО"),
        ("Ответ: НЕТ.", "SRG_SHOUTING", "НЕТ"),
        ("ВЫ обязаны ответить.", "SRG_SHOUTING", "ВЫ"),
        ("ВЕРНИТЕ ДЕНЬГИ!", "SRG_SHOUTING", "ВЕРНИТЕ"),
        # repeated marks and emoji
        ("Когда будет отчёт!!!", "SRG_EXCLAMATION", "!!!"),
        ("Почему?!?!", "SRG_EXCLAMATION", "?!?!"),
        ("Почему??", "SRG_EXCLAMATION", "??"),
        ("Спасибо 😊", "SRG_EMOJI", "😊"),
        ("Спасибо :)", "SRG_EMOJI", ":)"),
        ("Спасибо)))", "SRG_EMOJI", ")))"),
    ],
)
def test_errors_caught(text: str, rule: str, flagged: str) -> None:
    issues = check_etiquette(text)
    assert (rule, flagged) in found(text)
    assert all(i.severity is Severity.ERROR for i in issues if i.rule == rule)


@pytest.mark.parametrize(
    "text",
    [
        "Заявитель колебался, но потребовал пересчёта.",  # "ебал" inside a word
        "Погребальные услуги не оценивались.",
        "Срок оказался короче, чем в договоре.",  # comparative of "короткий"
        "Короче пути к объекту нет.",
        "Срок стал короче на два дня.",
        "Путь оказался короче чем ожидалось.",
        "Объект типа «квартира» осмотрен.",  # "типа" = of the type
        "Для этого типа объектов нужен осмотр.",
        "Клиентка испекла блины для оценщика.",
        "Нарушение санитарных норм не выявлено.",  # "норм" = of the norms
        "Нет норм, запрещающих это.",
        "Стоимость 3 тыс. рублей.",  # "тыс." is not "ты"
        "Тыква не является объектом оценки.",
        "Собственник ООО «Ромашка», ИНН и ОГРН указаны, запись в ЕГРН есть.",
        "ПАО Сбербанк и ТСЖ получили копии, РФ.",
        "Он удивился?! Мы тоже.",  # a single "?!" is standard
        "Смотрите приложение (раздел 2).",
        "Ответ получен (см. п. 3)).",
        "ОТЧЁТ ОБ ОЦЕНКЕ РЫНОЧНОЙ СТОИМОСТИ",  # a heading line
        "2. ЗАКЛЮЧЕНИЕ",
    ],
)
def test_look_alikes_not_flagged(text: str) -> None:
    assert [i for i in check_etiquette(text) if i.severity is Severity.ERROR] == []


@pytest.mark.parametrize(
    ("text", "rule", "flagged"),
    [
        ("Прошу вас перезвонить.", "SRG_VY_CAPITAL", "вас"),
        ("Получили ваше письмо.", "SRG_VY_CAPITAL", "ваше"),
        ("Довожу до Вашего сведения, что отчёт готов.", "SRG_CLICHE", "Довожу до Вашего сведения"),
        ("На сегодняшний день отчёт готов.", "SRG_CLICHE", "На сегодняшний день"),
        ("Вышеуказанные документы приложены.", "SRG_CLICHE", "Вышеуказанные"),
        ("Нарушение имело место.", "SRG_CLICHE", "имело место"),
    ],
)
def test_warnings(text: str, rule: str, flagged: str) -> None:
    issues = [i for i in check_etiquette(text) if i.rule == rule]
    assert [text[i.offset : i.end] for i in issues] == [flagged]
    assert issues[0].severity is Severity.WARNING


def test_capital_vy_is_fine() -> None:
    assert check_etiquette("Прошу Вас перезвонить, Ваше письмо получено.") == []


def test_replacements_offered() -> None:
    (issue,) = check_etiquette("Оценщик щас приедет.")
    assert issue.replacements == ("сейчас",)
    (cap,) = check_etiquette("Прошу вас перезвонить.")
    assert cap.replacements == ("Вас",)


@pytest.mark.parametrize(
    ("text", "rule", "flagged", "replacement"),
    [
        ("Отчёт  готов.", "SRG_DOUBLE_SPACE", "  ", " "),
        ("Отчёт готов , спасибо.", "SRG_SPACE_BEFORE_PUNCT", " ,", ","),
        ("Отчёт готов .", "SRG_SPACE_BEFORE_PUNCT", " .", "."),
    ],
)
def test_typography(text: str, rule: str, flagged: str, replacement: str) -> None:
    (issue,) = check_typography(text)
    assert (issue.rule, text[issue.offset : issue.end]) == (rule, flagged)
    assert issue.replacements == (replacement,)


@pytest.mark.parametrize(
    "text", ["Отчёт готов.\n\nСпасибо.", "Итого: 5 000 руб.", "Цена … 5 руб.", "См. п. 3 ..."]
)
def test_typography_leaves_correct_text(text: str) -> None:
    assert check_typography(text) == []


def test_data_line_format() -> None:
    entry = parse_entry("щас -> сейчас | exact not_after=NOUN,PREP")
    assert entry.words == ("щас",)
    assert entry.replacement == "сейчас"
    assert entry.exact and not entry.stem
    assert entry.not_after == frozenset({"NOUN", "PREP"})


# Whole words only: real profanity and its derived forms are caught, ordinary words never.

PROFANITY = [
    # known to pymorphy3's dictionary: matched by lemma
    "хуй",
    "хуйню",
    "хуёвый",
    "пиздец",
    "пизду",
    "блядь",
    "блять",
    "мудак",
    "мудила",
    "пидорас",
    "гандон",
    "говнюк",
    "дерьмовый",
    "засранец",
    "ёбаный",
    "еблан",
    "заебись",
    "сука",
    "суки",
    "сучка",
    # unknown to it (derived or distorted): matched by stem at the root
    "заебал",
    "заебали",
    "ебать",
    "ебёт",
    "заебёшь",
    "выёбываться",
    "выебываться",
    "ебанутый",
    "уебок",
    "уёбище",
    "долбоёб",
    "долбоебы",
    "охуеть",
    "ахуеть",
    "хуево",
    "пиздато",
    "пиздёж",
    "распиздяй",
    "отъебись",
    "съебался",
    "наебали",
    "проебал",
    "обосрался",
    "насрал",
    "залупа",
    "ебал",
]

ORDINARY = [
    "себе",
    "себя",
    "себестоимость",
    "себестоимостный",
    "мебель",
    "потребитель",
    "учебе",
    "хлебе",
    "оскорбление",
    "употребление",
    "требование",
    "колебание",
    "скребок",
    "ребёнок",
    "гребень",
    "команда",
    "застраховать",
    "рубля",
    "достать",
    "развести",
    "дебет",
    "щебет",
    "срамота",
    "стратегия",
    "те",
    "фига",
    "фиговый",
    "сук",
    "сучки",
    "замутнённая",
    # typos of ordinary words that look like a stem: a spelling matter, not profanity
    "себестоймость",
    "сранение",
    "уебный",
    "сратегия",
]


@pytest.mark.parametrize("word", PROFANITY)
def test_profanity_and_its_derived_forms_caught(word: str) -> None:
    text = f"Он сказал: {word}, и ушёл."
    assert ("SRG_PROFANITY", word) in found(text)


@pytest.mark.parametrize("word", ORDINARY)
def test_ordinary_words_never_match(word: str) -> None:
    for name in LISTS.values():
        assert list_matches(name, word_facts(word), correct_word_lemmas) == (), name
    assert found(f"Он сказал: {word}, и ушёл.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Оставил копию себе.",
        "Себестоимость работ указана в отчёте.",
        "Нужно достать документы из архива.",
        "Оценщик смог лишь развести руками.",
        "Работа выполнена без сучка и задоринки.",
        "На участке растёт лох узколистный.",
        "Сук дерева упал на крышу и повредил кровлю.",
        "Те документы получены.",
        "Клиент любит париться в бане.",
    ],
)
def test_ordinary_uses_of_listed_words_not_flagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("name", "entry_line", "word", "expected"),
    [
        # a known word matches by its lemma or its own form, never by a piece of itself
        ("profanity.txt", "ебан | stem", WordFacts("себестоимость", frozenset(), True), False),
        ("profanity.txt", "ебан | stem", WordFacts("ебанутый", frozenset(), False), True),
        ("profanity.txt", "ебан | stem", WordFacts("заебанный", frozenset(), False), True),
        ("profanity.txt", "ебан | stem", WordFacts("ЗАЁБАННЫЙ", frozenset(), False), True),
        ("profanity.txt", "ебан | stem", WordFacts("колебание", frozenset(), False), False),
        ("profanity.txt", "жопа", WordFacts("жопой", frozenset({"жопа"}), True), True),
        ("profanity.txt", "жопа", WordFacts("жопой", frozenset({"жопка"}), True), False),
        ("profanity.txt", "жопа", WordFacts("жопа", frozenset(), True), True),
        ("slang.txt", "щас | exact", WordFacts("Щас", frozenset({"щас"}), True), True),
        ("slang.txt", "фиг | exact", WordFacts("фига", frozenset({"фиг", "фига"}), True), False),
    ],
)
def test_word_matches_without_parsing(
    name: str, entry_line: str, word: WordFacts, expected: bool
) -> None:
    entry = parse_entry(entry_line)
    assert word_matches(entry.words[0], entry, word, name=name) is expected


@pytest.mark.parametrize(
    ("word", "known_words", "caught"),
    [
        ("заебал", {"заедал": "заедать"}, True),  # another letter, the stem unexplained
        ("ебал", {"бал": "бал"}, True),  # one letter more, the stem unexplained
        ("заебанка", {"заебанки": "заебанки"}, False),  # the ordinary word has the stem too
        ("заебанка", {"заебанки": "ёбаный"}, True),  # ...unless it is a listed word
        ("ебанние", {"ебаннние": "ебаннние"}, False),  # a letter left out of it
        ("ебет", {"дебет": "дебет"}, True),  # ...but not the first letter
    ],
)
def test_typo_of_an_ordinary_word_is_not_profanity(
    word: str, known_words: dict[str, str], caught: bool
) -> None:
    def correct_word_lemmas(form: str) -> frozenset[str]:
        return frozenset({known_words[form]}) if form in known_words else frozenset()

    matches = list_matches("profanity.txt", WordFacts(word), correct_word_lemmas)
    assert bool(matches) is caught


def test_whole_dictionary_matches_are_the_reviewed_ones() -> None:
    """Every form pymorphy3 knows, through every list, against the reviewed fixture."""
    from tools.etiquette_matches import FIXTURE, REGENERATE, dictionary_matches, read_fixture

    current, reviewed = dictionary_matches(), read_fixture()
    added = sorted(set(current) - set(reviewed))
    removed = sorted(set(reviewed) - set(current))
    assert not added and not removed, (
        f"The etiquette lists now catch other dictionary words than {FIXTURE.name} lists.\n"
        f"New: {added[:40]}\nGone: {removed[:40]}\n"
        f"Review them (an entry catching an ordinary word must be restricted or removed), "
        f"then run: {REGENERATE}"
    )
