"""Russian filters for templates, and the default template built by its script."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest

from srgcli.render import filters

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        ("Иванов Иван Иванович", "dative", "Иванову Ивану Ивановичу"),
        ("Иванов Иван Иванович", "genitive", "Иванова Ивана Ивановича"),
        ("Смирнова Ольга Викторовна", "dative", "Смирновой Ольге Викторовне"),
        ("Смирнова Ольга Викторовна", "дательный", "Смирновой Ольге Викторовне"),
        ("Кузнецов Дмитрий Андреевич", "instrumental", "Кузнецовым Дмитрием Андреевичем"),
        ("Петрова Анна Сергеевна", "nominative", "Петрова Анна Сергеевна"),
        ("ООО «Ромашка»", "dative", "ООО «Ромашка»"),  # not a person: as it is
        (None, "dative", "—"),
    ],
)
def test_names_by_case(name: str | None, case: str, expected: str) -> None:
    assert filters.decline_name(name, case) == expected


def test_unknown_case_is_refused() -> None:
    with pytest.raises(ValueError, match="падеж"):
        filters.decline_name("Иванов Иван Иванович", "vocative")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4500, "четыре тысячи пятьсот руб. 00 коп."),
        ("1 234,50", "одна тысяча двести тридцать четыре руб. 50 коп."),
        ("0.999", "один руб. 00 коп."),
        (21, "двадцать один руб. 00 коп."),
    ],
)
def test_amounts_in_words(value: object, expected: str) -> None:
    assert filters.amount_words(value) == expected


def test_amount_with_figures_and_words() -> None:
    assert filters.amount(4500) == "4\u00a0500 руб. 00 коп. (четыре тысячи пятьсот руб. 00 коп.)"
    with pytest.raises(ValueError):
        filters.amount("много")
    with pytest.raises(ValueError):
        filters.amount(-1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+79161234567", "+7 (916) 123-45-67"),
        ("8 916 123 45 67", "+7 (916) 123-45-67"),
        ("9161234567", "+7 (916) 123-45-67"),
        # Moscow landlines as the ИС stores them (E.164) and as people type them.
        ("+74951234567", "+7 (495) 123-45-67"),
        ("8 (495) 123-45-67", "+7 (495) 123-45-67"),
        ("4957654321", "+7 (495) 765-43-21"),
        ("+7 999 123-45-67", "+7 (999) 123-45-67"),  # a range the library does not know yet
        ("+7 999 12", "+7 999 12"),  # too short: as it came
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        # Foreign numbers as stored (E.164) are written in their international form.
        ("+442079460958", "+44 20 7946 0958"),
        ("+375291234567", "+375 29 123-45-67"),
        ("+81312345678", "+81 3-1234-5678"),  # 11 digits from 8, but not Russian
        ("+999", "+999"),  # not a number: as it is
        (None, "—"),
    ],
)
def test_phones(value: str | None, expected: str) -> None:
    assert filters.phone(value) == expected


def test_dates_labels_and_initials() -> None:
    assert filters.ru_date("2026-11-24") == "24 ноября 2026 г."
    assert filters.ru_date("2026-11-24T23:30:00+00:00") == "25 ноября 2026 г."  # Moscow time
    assert filters.ru_datetime("2026-11-24T10:15:00+03:00") == "24.11.2026 10:15"
    assert filters.ru_date(None) == "—"
    assert filters.label("partially_confirmed", "verdict") == "подтверждено частично"
    assert filters.label("report_uploaded", "kind") == "отчёт загружен"
    assert filters.label("no_answer", "contact_outcome") == "нет ответа"
    assert filters.label("strange_kind", "kind") == "strange_kind"
    assert filters.label("appraiser", "actor") == "оценщик"
    assert filters.label("офис", "actor") == "офис"
    assert filters.label(None, "actor") == "—"
    assert filters.initials("Петрова Анна Сергеевна") == "Петрова А. С."
    assert filters.days(3) == "3 рабочих дня"


def _load_builder() -> object:
    spec = importlib.util.spec_from_file_location(
        "build_default_report", ROOT / "tools" / "build_default_report.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("word/")}


def test_the_script_reproduces_the_committed_default_template(tmp_path: Path) -> None:
    builder = _load_builder()
    built = builder.build(tmp_path / "default.docx")  # type: ignore[attr-defined]
    committed = ROOT / "src" / "srgcli" / "data" / "templates" / "report" / "default.docx"
    assert _parts(built) == _parts(committed)


@pytest.mark.parametrize(
    ("status", "name", "label"),
    [
        ("self-employed", "Петрова Анна Сергеевна", "самозанятая"),
        ("self-employed", "Петров Андрей Сергеевич", "самозанятый"),
        ("self-employed", "Гарипова Алсу Ринатовна", "самозанятая"),
        ("self-employed", "Ким Анна", "самозанятая"),
        ("sole-proprietor", "Петрова Анна Сергеевна", "индивидуальный предприниматель"),
    ],
)
def test_the_executor_status_agrees_with_the_name(status: str, name: str, label: str) -> None:
    from srgcli.model import ExecutorStatus
    from srgcli.render.context import status_label

    assert status_label(ExecutorStatus.parse(status), name) == label
