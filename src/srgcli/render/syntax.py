"""Jinja's syntax errors in Russian, with the line of the tag at fault.

Jinja reports an unclosed `{% if %}` at the end of the template, in English. The executor needs
the line where the block was opened and words they can act on; Jinja's own text is kept only
for the cases not recognised here, in parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import TemplateSyntaxError

# Tags that open a block closed by `end<tag>`.
BLOCK_TAGS = frozenset({"if", "for", "macro", "call", "filter", "block", "with", "autoescape"})

# Jinja's names of tokens, as the user sees them in a template.
_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of comment": "#}",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
    "begin of comment": "{#",
    "end of template": "конец шаблона",
    "template data / text": "текст",
    "name": "имя",
    "string": "строка",
    "integer": "число",
}

# docxtpl's tags: where each one must stand in a DOCX template.
_DOCX_PREFIXES = {
    "p": "в отдельном абзаце",
    "tr": "в строке таблицы",
    "tc": "в ячейке таблицы",
    "r": "внутри абзаца",
}


@dataclass(frozen=True)
class SyntaxFault:
    """A syntax error of a template in Russian, and the line to look at."""

    message: str
    line: int | None


def compile_check(env: Any, source: str, unit: str = "строке") -> SyntaxFault | None:
    """The first syntax error of `source` (also an unknown filter), or None if it compiles."""
    from jinja2 import TemplateSyntaxError

    try:
        env.compile(source)
    except TemplateSyntaxError as exc:
        return explain(exc, source, unit)
    return None


def explain(
    exc: TemplateSyntaxError, source: str | None = None, unit: str = "строке"
) -> SyntaxFault:
    """`exc` in Russian. With the template's `source`, an unclosed block points at the line that
    opened it; `unit` names a line in the prepositional case ("строке", "абзаце")."""
    text = " ".join(str(exc.message or "").split())
    line = exc.lineno
    match = re.match(r"Unexpected end of template\.(.*)", text)
    if match:
        block = _innermost(match[1])
        if block is None:
            return SyntaxFault("шаблон оборвался внутри незакрытого блока", line)
        opened = _opened_at(source, block)
        return SyntaxFault(
            f"незакрытый блок {{% {block} %}} — нет {{% {_closing(match[1], block)} %}}",
            opened or line,
        )
    match = re.match(r"Encountered unknown tag '(\w+)'\.(.*)", text)
    if match:
        return SyntaxFault(_unknown_tag(match[1], match[2], source, line, unit), line)
    return SyntaxFault(_describe(text), line)


def _unknown_tag(tag: str, rest: str, source: str | None, line: int | None, unit: str) -> str:
    block = _innermost(rest)
    structural = tag in ("else", "elif") or tag.startswith("end")
    if block is not None and structural:
        opened = _opened_at(source, block, until=line)
        where = f" (открыт в {unit} {opened})" if opened else ""
        return (
            f"{{% {tag} %}} не на своём месте: сначала нужно закрыть блок "
            f"{{% {block} %}}{where} тегом {{% {_closing(rest, block)} %}}"
        )
    if tag.startswith("end") and tag[3:]:
        return f"{{% {tag} %}} без открывающего {{% {tag[3:]} %}}"
    if tag == "else":
        return "{% else %} вне блока {% if %} или {% for %}"
    if tag == "elif":
        return "{% elif %} вне блока {% if %}"
    if tag in _DOCX_PREFIXES:
        return (
            f"тег {{%{tag} … %}} здесь не распознан: в шаблоне DOCX он ставится "
            f"{_DOCX_PREFIXES[tag]}, в письмах такие теги не используются"
        )
    return f"неизвестный тег {{% {tag} %}}"


def _innermost(rest: str) -> str | None:
    match = re.search(r"innermost block that needs to be closed is '(\w+)'", rest)
    return match[1] if match else None


def _closing(rest: str, block: str) -> str:
    """The tag that closes `block`, as Jinja listed it (`endif`, `endfor` …)."""
    listed = re.findall(r"'(end\w+)'", rest.split("innermost")[0])
    return listed[-1] if listed else f"end{block}"


def _token(description: str) -> str:
    return _TOKENS.get(description, description)


# Jinja's messages (whitespace collapsed) and their Russian wording, "{1}" … standing for the
# groups (a token's name shown as the user types it); the first match wins.
_MESSAGES: tuple[tuple[str, str], ...] = (
    (
        r"unexpected end of template, expected 'end of print statement'\.",
        "тег {{ … не закрыт — нет «}}»",
    ),
    (
        r"unexpected end of template, expected 'end of statement block'\.",
        "тег {% … не закрыт — нет «%}»",
    ),
    (
        r"unexpected end of template, expected '(.+)'\.",
        "шаблон оборвался внутри тега: ожидалось «{1}»",
    ),
    (r"Missing end of comment tag", "комментарий {# … не закрыт — нет «#}»"),
    (r"Missing end of raw directive", "блок {% raw %} не закрыт — нет {% endraw %}"),
    (
        r"expected token 'end of print statement', got '(.+)'",
        "лишнее «{1}» в теге {{ … }}: не хватает оператора, «|» или «}}»",
    ),
    (r"expected token 'end of statement block', got '(.+)'", "лишнее «{1}» в теге {% … %}"),
    (r"expected token '(.+)', got '(.+)'", "ожидалось «{1}», а стоит «{2}»"),
    (r"Expected an expression, got '(.+)'", "не хватает выражения перед «{1}»"),
    (r"unexpected '(.)', expected '(.)'", "не закрыта скобка: ожидалась «{2}», а стоит «{1}»"),
    (r"unexpected '([)\]}])'", "лишняя или непарная «{1}»"),
    (
        r"unexpected '(end of print statement|end of statement block)'",
        "выражение не закончено перед «{1}»",
    ),
    (r"unexpected '(.+)'", "неожиданное «{1}»"),
    (r"unexpected char (?:'(\")'|\"(')\") at \d+", "не закрыта кавычка {1}"),
    (r"unexpected char (?:'(.)'|\"(.)\") at \d+", "недопустимый символ «{1}» в теге"),
    (r"tag name expected", "пустой тег {% %}: нет имени тега"),
    (r"expected name or number", "после точки нужно имя поля"),
    (r"expected subscript expression", "в квадратных скобках нет индекса"),
    (r"No filter named '(.+)'\.", "неизвестный фильтр «{1}»"),
    (r"No test named '(.+)'\.", "неизвестная проверка «is {1}»"),
    (r"block '(.+)' defined twice", "блок «{1}» определён дважды"),
    (r"Invalid character in identifier", "недопустимый символ в имени"),
    (r"can't assign to '(.+)'", "присвоить значение можно только переменной"),
)


def _describe(text: str) -> str:
    for pattern, wording in _MESSAGES:
        match = re.fullmatch(pattern, text)
        if match:
            groups = [_token(g) for g in match.groups() if g is not None]
            for number, value in enumerate(groups, 1):
                wording = wording.replace(f"{{{number}}}", value)
            return wording
    return f"ошибка синтаксиса шаблона (Jinja: {text})"


def _opened_at(source: str | None, block: str, until: int | None = None) -> int | None:
    """The line of the innermost `{% block %}` still open at line `until` (or at the end)."""
    if source is None:
        return None
    from jinja2 import Environment, TemplateSyntaxError

    stack: list[tuple[str, int]] = []
    tag_next = False
    try:
        for lineno, kind, value in Environment().lex(source):
            if until is not None and lineno > until:
                break
            if kind == "whitespace":
                continue
            if kind == "block_begin":
                tag_next = True
                continue
            if tag_next and kind == "name":
                if value in BLOCK_TAGS:
                    stack.append((value, lineno))
                elif value.startswith("end") and stack and stack[-1][0] == value[3:]:
                    stack.pop()
            tag_next = False
    except TemplateSyntaxError:
        return None
    for name, lineno in reversed(stack):
        if name == block:
            return lineno
    return None


def undefined_name(exc: Exception) -> str | None:
    """What a Jinja UndefinedError names, in Russian: «x» for "'x' is undefined", поле «y»
    for "... has no attribute 'y'"; None when the message is neither."""
    text = str(exc)
    match = re.search(r"'([^']+)' is undefined", text)
    if match:
        return f"«{match.group(1)}»"
    match = re.search(r"has no attribute '([^']+)'", text)
    if match:
        return f"поле «{match.group(1)}»"
    return None
