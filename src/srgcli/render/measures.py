"""The corrective action as letters and the report state it: done or planned, never an order.

The executor types the action as they think of it: «Оценщику указано на сроки» (done) or
«Назначить другого оценщика» (a bare infinitive, which reads as an order when pasted into a
letter). The text is not rewritten — morphology that changes the executor's words is easy to get
wrong — but the template introduces it with words that fit its form: «приняты следующие меры:
оценщику указано на сроки», «запланированы следующие меры: назначить другого оценщика». Only the
first word is looked at (pymorphy3: is it an infinitive, is it a proper name), and only the case
of its first letter may change.
"""

from __future__ import annotations

from dataclasses import dataclass

# A first word with one of these grammemes keeps its capital letter after a colon.
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})


@dataclass(frozen=True)
class Measures:
    """The corrective action, ready to follow a colon: `clause`, and whether it is a plan."""

    text: str
    clause: str
    planned: bool


def _first_word(text: str) -> str:
    word = ""
    for char in text:
        if char.isalpha() or (char == "-" and word):
            word += char
        else:
            break
    return word


def measures(text: str | None) -> Measures | None:
    """How to introduce the corrective action `text` (None when there is none)."""
    if text is None or not text.strip():
        return None
    text = " ".join(text.split())
    word = _first_word(text)
    if not word:
        return Measures(text, text if text.endswith((".", "!", "?", "…")) else text + ".", False)
    from srgcli.gate.morph import analyzer

    parses = analyzer().parse(word)
    planned = bool(parses) and parses[0].tag.POS == "INFN"
    proper = bool(parses) and bool(_PROPER & parses[0].tag.grammemes)
    # «ООО», «ЕГРН», «МФЦ»: a word with more than its first letter capital stays as it is.
    common = word[0].isupper() and word[1:] == word[1:].lower() and not proper
    clause = word[0].lower() + text[1:] if common else text
    if not clause.endswith((".", "!", "?", "…")):
        clause += "."
    return Measures(text, clause, planned)


def measures_json(text: str | None) -> dict[str, object]:
    """The keys a template sees besides `corrective_action`: `corrective_action_clause` (to
    follow «приняты меры:» or «запланировано:») and `corrective_action_planned`."""
    found = measures(text)
    if found is None:
        return {"corrective_action_clause": "", "corrective_action_planned": False}
    return {"corrective_action_clause": found.clause, "corrective_action_planned": found.planned}
