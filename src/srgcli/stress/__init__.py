"""Stress marks (U+0301) on words commonly misstressed in business speech, from a data list."""

from srgcli.stress.lexicon import ACCENT, Lexicon, lexicon
from srgcli.stress.marks import mark_stress, strip_marks

__all__ = ["ACCENT", "Lexicon", "lexicon", "mark_stress", "strip_marks"]
