"""`templates check`: a template's syntax, variables, a sample render and its wording.

Report templates are DOCX files (docxtpl); letter templates (`.j2`) are plain Jinja text that
`contact-log` renders. Both are checked the same way, against the data each is rendered with.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srgcli.gate.engine import Gate


@dataclass(frozen=True)
class TemplateProblem:
    """One problem of a template; `line` is the line of the template's text (its paragraph)."""

    path: Path
    kind: str  # "syntax", "undefined", "sandbox", "filter", "file", "spelling" …
    message: str
    line: int | None = None
    column: int | None = None
    severity: str = "error"


def is_letter(path: Path) -> bool:
    """True for a letter template (`.j2`), False for a report template (DOCX)."""
    from srgcli.contact.letters import SUFFIX

    return path.name.lower().endswith(SUFFIX)


def check_template(path: Path, gate: Gate) -> list[TemplateProblem]:
    """Every problem of one template: a letter (`.j2`) or a report (DOCX)."""
    return check_letter(path, gate) if is_letter(path) else check_report(path, gate)


def check_report(path: Path, gate: Gate) -> list[TemplateProblem]:
    """Every problem of one DOCX report template."""
    from srgcli.exit import SrgError
    from srgcli.render.context import sample_context
    from srgcli.render.docx import TemplateFault, render, static_text, template_lines, undeclared

    try:
        lines = template_lines(path)
    except SrgError:
        return [TemplateProblem(path, "file", "не удаётся открыть как документ DOCX")]
    problems: list[TemplateProblem] = []
    context = sample_context()
    try:
        missing = sorted(undeclared(path, context))
    except Exception as exc:  # a syntax error: the render below reports it with its paragraph
        missing = []
        del exc
    for name in missing:
        line = next((n for n, t in enumerate(lines, 1) if name in t), None)
        problems.append(
            TemplateProblem(
                path, "undefined", f"нет такого значения в данных отчёта: «{name}»", line
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        try:
            # Names already reported stand in as empty text, so the render finds the rest.
            render(path, context | dict.fromkeys(missing, ""), Path(tmp) / "sample.docx")
        except TemplateFault as fault:
            problems.append(TemplateProblem(path, fault.kind, fault.message, fault.line))
    return problems + _gate_problems(path, static_text(lines), gate)


def _gate_problems(path: Path, text: str, gate: Gate) -> list[TemplateProblem]:
    """The gate's issues on a template's own wording, at their lines."""
    from srgcli.gate.documents import position

    problems = []
    for issue in gate.check(text).issues:
        line, column = position(text, issue.offset)
        message = f"«{text[issue.offset : issue.end]}»: {issue.message}"
        if issue.replacements:
            message += " Варианты: " + ", ".join(f"«{r}»" for r in issue.replacements[:3]) + "."
        problems.append(
            TemplateProblem(path, f"gate:{issue.rule}", message, line, column, str(issue.severity))
        )
    return problems


def check_letter(path: Path, gate: Gate) -> list[TemplateProblem]:
    """Every problem of one letter template: syntax, names the letter context lacks, a render
    with sample data (also without a finding, unless the template requires one), its wording."""
    from srgcli.contact.letters import (
        BUILTIN_DIR,
        CONTEXT_NAMES,
        LetterFault,
        describe,
        environment,
        render_file,
        sample_context,
    )
    from srgcli.exit import os_error_text
    from srgcli.render.docx import static_text
    from srgcli.render.syntax import compile_check

    try:
        source = path.read_text("utf-8")
    except UnicodeDecodeError:
        return [TemplateProblem(path, "file", "файл не в кодировке UTF-8")]
    except OSError as exc:
        return [TemplateProblem(path, "file", f"не удалось прочитать: {os_error_text(exc)}")]
    wording = _gate_problems(path, static_text(source.split("\n")), gate)
    # The file's own folder first, so `path` itself is what gets rendered.
    env = environment([path.parent, BUILTIN_DIR])
    fault = compile_check(env, source)
    if fault is not None:
        return [TemplateProblem(path, "syntax", fault.message, fault.line), *wording]
    problems: list[TemplateProblem] = []
    missing = sorted(_undeclared(env, source) - set(CONTEXT_NAMES) - set(env.globals))
    for name in missing:
        message = f"нет такого значения в данных письма: «{name}»"
        problems.append(TemplateProblem(path, "undefined", message, _first_use(env, source, name)))
    requires = describe(path, "check").requires
    seen: set[tuple[str, int | None]] = set()
    for with_finding in (True, False) if "finding" not in requires else (True,):
        # Names already reported stand in as empty text, so the render finds the rest.
        context = sample_context(with_finding=with_finding) | dict.fromkeys(missing, "")
        try:
            render_file(env, path, context)
        except LetterFault as exc:
            if (exc.message, exc.line) in seen:
                continue
            seen.add((exc.message, exc.line))
            message = exc.message
            if not with_finding:
                message += (
                    " — пока вывода по заявке нет (finding пуст): оберните в "
                    "{% if finding %} … {% endif %} или добавьте в начало {#- requires: finding -#}"
                )
            problems.append(TemplateProblem(exc.path, exc.kind, message, exc.line))
    return problems + wording


def _undeclared(env: Any, source: str) -> set[str]:
    from jinja2 import meta

    names: set[str] = meta.find_undeclared_variables(env.parse(source))
    return names


def _first_use(env: Any, source: str, name: str) -> int | None:
    """The line where a tag first uses the name `name`."""
    for lineno, kind, value in env.lex(source):
        if kind == "name" and value == name:
            return int(lineno)
    return None
