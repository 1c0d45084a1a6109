"""The orthoepic list and `srgcli stress`: marks on listed words in their forms, nothing else
changed, whatever the text's normalisation."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from srgcli.gate.morph import analyzer
from srgcli.stress import ACCENT, lexicon, mark_stress, strip_marks
from srgcli.stress.lexicon import DATA_FILE, VOWELS
from tests.conftest import Cli, terminal


def test_the_list_names_its_sources_and_has_300_words() -> None:
    header = DATA_FILE.read_text("utf-8")[:2000]
    for source in ("ФИПИ", "Аванесова", "Резниченко"):
        assert source in header
    assert len(lexicon().entries) >= 300


@pytest.mark.parametrize("entry", lexicon().entries, ids=lambda e: e.plain)
def test_each_entry_is_a_known_word_with_one_mark_after_a_vowel(entry) -> None:
    assert analyzer().word_is_known(entry.plain), f"line {entry.line}: pymorphy3 does not know it"
    marks = entry.marked.count(ACCENT)
    if "ё" in entry.plain:
        assert marks == 0, f"line {entry.line}: «ё» is stressed by itself"
    else:
        assert marks == 1, f"line {entry.line}: {marks} marks"
        assert entry.marked[entry.marked.index(ACCENT) - 1] in VOWELS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Stem stress kept in every case and number.
        ("договор, договора, договоров, договорами", "догово́р, догово́ра, догово́ров, догово́рами"),
        ("документы, документах", "докуме́нты, докуме́нтах"),
        ("кварталы, каталогом, средствами", "кварта́лы, катало́гом, сре́дствами"),
        ("обеспечения, ходатайства", "обеспе́чения, ходата́йства"),
        ("оптовые поставки", "опто́вые поставки"),
        # Stress on the ending in every present form.
        ("звонит, звонят, звоню, звонишь", "звони́т, звоня́т, звоню́, звони́шь"),
        ("включит, включат, включим", "включи́т, включа́т, включи́м"),
        ("дозвонится, дозвонятся", "дозвони́тся, дозвоня́тся"),
        ("облегчит, облегчила", "облегчи́т, облегчи́ла"),
        # Mobile stress: only the forms listed one by one.
        ("начал, начали, приняла, принят", "на́чал, на́чали, приняла́, при́нят"),
        # Capitals kept, the mark after the capital vowel too.
        ("Договор. ЗВОНИТ.", "Догово́р. ЗВОНИ́Т."),
    ],
)
def test_marks_listed_words_in_inflected_forms(text: str, expected: str) -> None:
    assert mark_stress(text) == expected


def test_unlisted_words_and_moving_forms_are_left_alone() -> None:
    # «начала» is also the noun «нача́ла»; «балую» moves the stress off «балова́ть»'s syllable.
    text = "Оценщик Иванов прислал отчёт до начала осмотра; не балую клиента."
    assert mark_stress(text) == text


def test_a_word_already_marked_is_not_marked_twice() -> None:
    assert mark_stress("дого\u0301вор") == "дого\u0301вор"


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_the_text_without_marks_is_the_input(form: str) -> None:
    text = unicodedata.normalize(
        form, "Ёлкин Пётр Семёнович позвонит по договору №\u00a012, йогурт, «кварталы»…\r\n"
    )
    marked = mark_stress(text)
    assert marked != text
    assert strip_marks(marked) == text
    assert "догово\u0301ру" in unicodedata.normalize("NFC", marked)


def test_cli_marks_text_argument_file_and_stdin(cli: Cli, tmp_path: Path) -> None:
    result = cli("stress", "Созвонимся через квартал", workspace=False)
    assert result.exit_code == 0
    assert result.stdout == "Созвони́мся через кварта́л\n"

    letter = tmp_path / "письмо.txt"
    letter.write_bytes("\ufeffДоговор\r\nподписан  дважды.\r\n".encode())
    result = cli("stress", str(letter), workspace=False)
    assert result.exit_code == 0
    # Click's runner folds "\r\n" in what it returns; the library test above keeps them.
    assert result.stdout == "\ufeffДогово́р\nподписан  дважды.\n"

    result = cli("stress", "-", input="Включим каталог", workspace=False)
    assert result.stdout == "Включи́м катало́г"


def test_cli_refuses_a_file_not_in_utf8(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "cp1251.txt"
    bad.write_bytes("Договор".encode("cp1251"))
    result = cli("stress", str(bad), workspace=False)
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr


def test_cli_without_text_on_a_terminal_is_a_usage_error(cli: Cli) -> None:
    cli.env = terminal(tty=True)
    result = cli("stress", workspace=False)
    assert result.exit_code == 2
    assert "Нет текста" in result.stderr
