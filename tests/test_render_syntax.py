"""Jinja syntax errors explained in Russian, at the line of the tag at fault (render/syntax.py)."""

from __future__ import annotations

import pytest

from srgcli.render.docx import environment, jinja_source
from srgcli.render.syntax import compile_check

# (template source, the Russian message, the line it points at)
CASES = [
    ("Текст.\n{% if a %}\nещё\n", "незакрытый блок {% if %} — нет {% endif %}", 2),
    ("{% for x in y %}\n\n{{ x }}", "незакрытый блок {% for %} — нет {% endfor %}", 1),
    (
        "{% if a %}\n{% for b in c %}\nx\n{% endif %}",
        "{% endif %} не на своём месте: сначала нужно закрыть блок {% for %} (открыт в строке 2) "
        "тегом {% endfor %}",
        4,
    ),
    ("Текст.\n\nx{% endif %}", "{% endif %} без открывающего {% if %}", 3),
    ("{% endfor %}", "{% endfor %} без открывающего {% for %}", 1),
    ("{% else %}", "{% else %} вне блока {% if %} или {% for %}", 1),
    ("{% foo %}", "неизвестный тег {% foo %}", 1),
    ("{{ a }", "лишняя или непарная «}»", 1),
    ("\n{{ a", "тег {{ … не закрыт — нет «}}»", 2),
    ("{% if a", "тег {% … не закрыт — нет «%}»", 1),
    ("{{ a b }}", "лишнее «b» в теге {{ … }}: не хватает оператора, «|» или «}}»", 1),
    ("{% if %}x{% endif %}", "не хватает выражения перед «%}»", 1),
    ("{# заметка", "комментарий {# … не закрыт — нет «#}»", 1),
    ("{{ a|nofilter }}", "неизвестный фильтр «nofilter»", 1),
    ('{{ "abc }}', 'не закрыта кавычка "', 1),
    ("{{ (a }}", "не закрыта скобка: ожидалась «)», а стоит «}»", 1),
    ("{% for x c %}{% endfor %}", "ожидалось «in», а стоит «c»", 1),
    ("{{ a + }}", "выражение не закончено перед «}}»", 1),
    ("{{ a — b }}", "недопустимый символ «—» в теге", 1),
    ("{% %}", "пустой тег {% %}: нет имени тега", 1),
    ("{{ a. }}", "после точки нужно имя поля", 1),
]


@pytest.mark.parametrize(("source", "message", "line"), CASES)
def test_syntax_errors_in_russian(source: str, message: str, line: int) -> None:
    fault = compile_check(environment(), source)
    assert fault is not None
    assert (fault.message, fault.line) == (message, line)


def test_an_unrecognised_error_keeps_jinjas_text_in_parentheses() -> None:
    fault = compile_check(environment(), "{% call x %}{% endcall %}")
    assert fault is not None
    assert fault.message == "ошибка синтаксиса шаблона (Jinja: expected call)"


def test_a_good_template_compiles() -> None:
    assert compile_check(environment(), "{% if a %}{{ a|dash }}{% endif %}") is None


def test_docx_markup_is_read_as_docxtpl_reads_it() -> None:
    lines = [
        "{%p if finding %}",
        "{%tr for e in events %}",
        "{{ e.kind }} {% vm %}",
        "{%tr endfor %}",
        "Вывод: {{ finding.verdict|label(“verdict”) }}",
        "{%p endif %}",
    ]
    assert compile_check(environment(), jinja_source(lines)) is None
    broken = jinja_source([*lines[:-1], "Конец."])
    assert compile_check(environment(), broken, "абзаце") == compile_check(
        environment(), "{% if finding %}\n\n\n\n\n", "абзаце"
    )
