"""Putting stress marks into a text: every other character is kept as it was."""

from __future__ import annotations

import re
import unicodedata

from srgcli.stress.lexicon import ACCENT, Lexicon, lexicon

# A word: letters with any combining marks between them (NFD input keeps «и» + U+0306 apart).
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*")


def strip_marks(text: str) -> str:
    """The text without combining acute accents (what the gate and searches should see)."""
    return text.replace(ACCENT, "")


def mark_stress(text: str, lex: Lexicon | None = None) -> str:
    """`text` with U+0301 after the stressed vowel of each word the list has.

    Words already carrying a mark are left alone; nothing else in the text changes, whatever
    its normalisation (NFC or NFD).
    """
    table = lex or lexicon()
    return _WORD.sub(lambda m: _mark_word(m.group(0), table), text)


def _mark_word(word: str, table: Lexicon) -> str:
    if ACCENT in word:
        return word
    key = unicodedata.normalize("NFC", word).lower()
    index = table.stressed_index(key)
    if index is None:
        return word
    # The stressed letter is the index-th base letter; its own combining marks stay with it.
    letters = -1
    for position, char in enumerate(word):
        if not unicodedata.combining(char):
            letters += 1
        if letters == index:
            end = position + 1
            while end < len(word) and unicodedata.combining(word[end]):
                end += 1
            return word[:end] + ACCENT + word[end:]
    return word
