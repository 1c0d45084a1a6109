"""The rule pack's reference for users (`docs/gate-rules.md`), made from the data file.

python -m srgcli.gate.rules.reference > docs/gate-rules.md
"""

from __future__ import annotations

from collections import defaultdict

from srgcli.gate.rules import Rule, check_grammar, rules

CLASS_TITLES = {
    "government": "Управление: падеж и предлог",
    "agreement": "Согласование",
    "fused_split": "Слитное, раздельное и дефисное написание",
    "spelling": "Орфография",
    "comma_subordinate": "Запятые при придаточных",
    "comma_introductory": "Запятые при вводных словах",
    "comma_phrase": "Запятые при обособленных оборотах и обращениях",
    "comma_extra": "Лишние запятые",
    "dangling_participle": "Деепричастный оборот",
    "confused_words": "Выбор слова",
}


def _example(rule: Rule, text: str) -> str:
    """The example with the flagged words in bold and the suggestion, if any."""
    issue = next((i for i in check_grammar(text) if i.rule == rule.id), None)
    if issue is None:
        return text
    flagged = text[issue.offset : issue.end]
    shown = f"{text[: issue.offset]}**{flagged}**{text[issue.end :]}"
    if issue.replacements:
        shown += f" → «{issue.replacements[0]}»"
    return shown


def _message(rule: Rule) -> str:
    """The message as a user sees it on the rule's first example."""
    for text in rule.fire:
        issue = next((i for i in check_grammar(text) if i.rule == rule.id), None)
        if issue is not None:
            return issue.message
    return rule.message


def render() -> str:
    """The whole reference as Markdown."""
    by_class: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules():
        by_class[rule.error_class].append(rule)
    lines = [
        "# The gate's rule pack for business Russian",
        "",
        "Generated from `src/srgcli/gate/data/grammar.toml` by "
        "`python -m srgcli.gate.rules.reference > docs/gate-rules.md`; a test keeps it current.",
        "A rule is switched off with its id in `[checker] disabled_rules` or `check --disable`.",
        "Errors block a text; warnings are shown.",
    ]
    for error_class, members in by_class.items():
        lines += ["", f"## {CLASS_TITLES.get(error_class, error_class)}", ""]
        for rule in members:
            severity = "ошибка" if rule.severity.value == "error" else "предупреждение"
            lines += [
                f"### `{rule.id}` ({severity})",
                "",
                _message(rule),
                "",
                "Срабатывает:",
                "",
                *(f"- {_example(rule, text)}" for text in rule.fire[:3]),
                "",
                "Не срабатывает:",
                "",
                *(f"- {text}" for text in rule.keep[:3]),
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
