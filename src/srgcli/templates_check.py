"""`templates check`: a report template's syntax, variables, a sample render and its wording."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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


def check_template(path: Path, gate: Gate) -> list[TemplateProblem]:
    """Every problem of one DOCX template."""
    from srgcli.exit import SrgError
    from srgcli.gate.documents import position
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
    text = static_text(lines)
    result = gate.check(text)
    for issue in result.issues:
        line, column = position(text, issue.offset)
        message = f"«{text[issue.offset : issue.end]}»: {issue.message}"
        if issue.replacements:
            message += " Варианты: " + ", ".join(f"«{r}»" for r in issue.replacements[:3]) + "."
        problems.append(
            TemplateProblem(path, f"gate:{issue.rule}", message, line, column, str(issue.severity))
        )
    return problems
