"""Cutting text into sentences: the unit the gate checks and caches."""

from __future__ import annotations

import re
from functools import cache

# A sentence ends at . ! ? … (possibly repeated, possibly with closing quotes/brackets)
# followed by whitespace and a capital letter, a digit, a quote or a dash.
_BOUNDARY = re.compile(r"[.!?…]+[»\"')\]]*(?=\s+[«\"(\[—–-]?\s*[A-ZА-ЯЁ0-9])")
_LAST_WORD = re.compile(r"([\w-]+)\.?$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of `text`; whitespace between is left out."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        body = line.group()
        cut = 0
        for end in _BOUNDARY.finditer(body):
            if body[end.start()] == "." and _is_abbreviation(body[cut : end.start()]):
                continue
            _add(spans, text, start + cut, start + end.end())
            cut = end.end()
        _add(spans, text, start + cut, start + len(body))
    return spans


@cache
def abbreviations() -> frozenset[str]:
    """Words that end with a dot without ending a sentence: "г. Москва", "ул. Ленина"."""
    from srgcli.gate.wordlists import data_lines

    return frozenset(data_lines("sentence_abbreviations.txt"))


def _is_abbreviation(before: str) -> bool:
    match = _LAST_WORD.search(before)
    if match is None:
        return False
    word = match.group(1)
    return (len(word) == 1 and word.isalpha()) or word.lower() in abbreviations()


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
