"""Gate issues for people (Rich, with the mistake underlined) and for GitHub Actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srgcli.gate.issue import Issue


def github_escape(value: str, prop: bool = False) -> str:
    """A value escaped for a GitHub Actions workflow command (`prop`: inside a property)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def issue_text(text: str, issue: Issue, name: str, width: int = 100) -> Any:
    """One issue for a human: where, the line with the mistake underlined, what to do."""
    from rich.text import Text

    from srgcli.gate.documents import position

    line_no, column = position(text, issue.offset)
    start = text.rfind("\n", 0, issue.offset) + 1
    end = text.find("\n", issue.offset)
    end = len(text) if end < 0 else end
    # Long lines (a DOCX paragraph) are cut to a window around the mistake that fits the
    # terminal, so that the marks under it stay aligned.
    room = max(20, (width - 10 - issue.length) // 2)
    left = max(start, issue.offset - room)
    right = min(end, issue.end + room)
    shown = text[left:right]
    mark_from = issue.offset - left
    mark_to = max(mark_from + 1, min(issue.end, right) - left)
    error = str(issue.severity) == "error"
    rendered = Text()
    rendered.append(
        f"{name}:{line_no}:{column} ",
        style="bold",
    )
    rendered.append(
        "ошибка" if error else "предупреждение", style="bold red" if error else "bold yellow"
    )
    rendered.append(f" [{issue.rule}]\n", style="dim")
    prefix = "  … " if left > start else "    "
    rendered.append(prefix + shown[:mark_from])
    rendered.append(shown[mark_from:mark_to], style="bold red underline" if error else "yellow")
    rendered.append(shown[mark_to:] + (" …" if right < end else "") + "\n")
    rendered.append(" " * (len(prefix) + mark_from) + "^" * (mark_to - mark_from) + "\n")
    rendered.append("    " + issue.message)
    if issue.replacements:
        rendered.append("\n    Варианты: ", style="dim")
        rendered.append(", ".join(f"«{r}»" for r in issue.replacements[:5]), style="green")
    return rendered
