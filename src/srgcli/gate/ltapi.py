"""LanguageTool's public HTTP API (v2) over the gate: what a client sends to `/v2/check` and
the JSON it expects back.

Offsets. LanguageTool is a Java program, and Java strings count UTF-16 code units: its
offsets and lengths count a character outside the Basic Multilingual Plane (an emoji) as two,
and its clients correct for that (language_tool_python does, LTeX works in UTF-16 anyway).
Python counts code points, so every offset is converted on the way out.

Markup. A `data` request carries LanguageTool's AnnotatedText,
`{"annotation": [{"text": "…"}, {"markup": "<b>"}, {"markup": "<p>", "interpretAs": "\\n\\n"}]}`:
the text parts and each markup's `interpretAs` are checked; offsets in the answer point into
the original document with its markup, and the context quotes that document, as LanguageTool
itself answers.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from srgcli.gate.issue import Category, GateResult, Issue, Severity

# Characters of checked text per request; longer texts get 413, as from LanguageTool.
MAX_TEXT_CHARS = 100_000
CONTEXT_CHARS = 40  # characters of context either side, LanguageTool's default
LANGUAGE = {"name": "Russian", "code": "ru", "longCode": "ru-RU"}
ACCEPTED_LANGUAGES = frozenset({"ru", "ru-ru", "auto"})

# The gate's categories as LanguageTool category ids, localised names and issue types.
_CATEGORIES: dict[Category, tuple[str, str, str]] = {
    Category.SPELLING: ("TYPOS", "Орфография", "misspelling"),
    Category.GRAMMAR: ("GRAMMAR", "Грамматика", "grammar"),
    Category.PUNCTUATION: ("PUNCTUATION", "Пунктуация", "typographical"),
    Category.TYPOGRAPHY: ("TYPOGRAPHY", "Типографика", "typographical"),
    Category.STYLE: ("STYLE", "Стиль", "style"),
    Category.ETIQUETTE: ("ETIQUETTE", "Деловой этикет", "register"),
}


class ApiError(Exception):
    """A request the server refuses: an HTTP status and a plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def utf16_length(text: str) -> int:
    """Length of `text` in UTF-16 code units (what Java's String.length() returns)."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class Utf16Offsets:
    """Converts code-point offsets in one text to UTF-16 offsets, fast for repeated calls."""

    def __init__(self, text: str):
        self._astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect_right(self._astral, offset - 1) if self._astral else offset


@dataclass(frozen=True)
class _Part:
    """A stretch of the checked (plain) text and where it came from in the original."""

    plain_start: int
    plain_end: int
    original_start: int
    original_end: int
    literal: bool  # a text part (mapped character by character), not an interpretAs


@dataclass
class AnnotatedText:
    """The text to check (`plain`) and the document it came from (`original`, with markup)."""

    plain: str
    original: str
    parts: list[_Part]

    @classmethod
    def from_text(cls, text: str) -> AnnotatedText:
        """A plain `text` request: nothing to map."""
        return cls(text, text, [_Part(0, len(text), 0, len(text), True)])

    @classmethod
    def from_data(cls, data: str) -> AnnotatedText:
        """A `data` request: LanguageTool's AnnotatedText JSON."""
        try:
            parsed = json.loads(data)
        except ValueError:
            raise ApiError(400, "Error: 'data' is not valid JSON.") from None
        items = parsed.get("annotation") if isinstance(parsed, dict) else None
        if not isinstance(items, list):
            raise ApiError(400, "Error: 'data' must be a JSON object with an 'annotation' list.")
        plain: list[str] = []
        original: list[str] = []
        parts: list[_Part] = []
        at_plain = at_original = 0
        for item in items:
            if not isinstance(item, dict):
                raise ApiError(400, "Error: every 'annotation' item must be a JSON object.")
            text, markup = item.get("text"), item.get("markup")
            if isinstance(text, str) and markup is None:
                checked, source, literal = text, text, True
            elif isinstance(markup, str) and text is None:
                interpret = item.get("interpretAs", "")
                if not isinstance(interpret, str):
                    raise ApiError(400, "Error: 'interpretAs' must be a string.")
                checked, source, literal = interpret, markup, False
            else:
                raise ApiError(
                    400, "Error: an 'annotation' item needs either 'text' or 'markup' (a string)."
                )
            if checked:
                parts.append(
                    _Part(
                        at_plain,
                        at_plain + len(checked),
                        at_original,
                        at_original + len(source),
                        literal,
                    )
                )
            plain.append(checked)
            original.append(source)
            at_plain += len(checked)
            at_original += len(source)
        return cls("".join(plain), "".join(original), parts)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original document that plain `start:end` came from."""
        return self._position(start, is_end=False), self._position(end, is_end=True)

    def _position(self, offset: int, *, is_end: bool) -> int:
        starts = [p.plain_start for p in self.parts]
        # An end offset belongs to the part it closes; a start offset to the part it opens.
        index = bisect_right(starts, offset - 1 if is_end else offset) - 1
        if index < 0:
            return 0
        part = self.parts[index]
        if offset > part.plain_end or (not is_end and offset == part.plain_end):
            return part.original_end
        if part.literal:
            return part.original_start + (offset - part.plain_start)
        return part.original_end if is_end else part.original_start


@dataclass
class CheckRequest:
    """A parsed `/v2/check` request."""

    text: AnnotatedText
    enabled_rules: frozenset[str]
    disabled_rules: frozenset[str]
    enabled_categories: frozenset[str]
    disabled_categories: frozenset[str]
    enabled_only: bool
    ticket: str | None = None


def _ids(params: Mapping[str, str], name: str) -> frozenset[str]:
    return frozenset(part.strip() for part in params.get(name, "").split(",") if part.strip())


def parse_check(params: Mapping[str, str]) -> CheckRequest:
    """The request in the form fields LanguageTool clients send; ApiError(400) if malformed."""
    language = params.get("language")
    if not language:
        raise ApiError(400, "Error: Missing 'language' parameter.")
    if language.lower() not in ACCEPTED_LANGUAGES:
        raise ApiError(
            400,
            f"Error: '{language[:20]}' is not a language this server checks. "
            "It checks Russian only: ru-RU, ru or auto.",
        )
    text, data = params.get("text"), params.get("data")
    if text is not None and data is not None:
        raise ApiError(400, "Error: Set only 'text' or 'data', not both.")
    if text is None and data is None:
        raise ApiError(400, "Error: Missing 'text' or 'data' parameter.")
    annotated = (
        AnnotatedText.from_text(text) if text is not None else AnnotatedText.from_data(data or "")
    )
    if len(annotated.plain) > MAX_TEXT_CHARS:
        raise ApiError(
            413,
            f"Error: Your text exceeds the limit of {MAX_TEXT_CHARS} characters "
            f"(it's {len(annotated.plain)} characters). Please submit a shorter text.",
        )
    level = params.get("level", "default")
    if level not in ("default", "picky"):
        raise ApiError(400, "Error: 'level' must be 'default' or 'picky'.")
    enabled_only = params.get("enabledOnly", "false").lower() == "true"
    request = CheckRequest(
        text=annotated,
        enabled_rules=_ids(params, "enabledRules"),
        disabled_rules=_ids(params, "disabledRules"),
        enabled_categories=_ids(params, "enabledCategories"),
        disabled_categories=_ids(params, "disabledCategories"),
        enabled_only=enabled_only,
        ticket=params.get("ticket") or None,
    )
    if enabled_only and not (request.enabled_rules or request.enabled_categories):
        raise ApiError(
            400,
            "Error: You must specify enabled rules or categories when using enabledOnly=true.",
        )
    return request


def selected(issues: Iterable[Issue], request: CheckRequest) -> list[Issue]:
    """The issues the request asks for (categories, enabledOnly)."""
    kept = []
    for issue in issues:
        category = _CATEGORIES[issue.category][0]
        if category in request.disabled_categories:
            continue
        if request.enabled_only and not (
            issue.rule in request.enabled_rules or category in request.enabled_categories
        ):
            continue
        kept.append(issue)
    return kept


def check_response(
    result: GateResult, request: CheckRequest, software_version: str
) -> dict[str, Any]:
    """LanguageTool's JSON answer for the gate's result on `request.text.plain`."""
    from srgcli.gate.sentences import split_sentences

    annotated = request.text
    original = annotated.original
    to_utf16 = Utf16Offsets(original)
    spans = split_sentences(annotated.plain)
    ends = [end for _start, end in spans]
    matches = []
    for issue in selected(result.issues, request):
        start, end = annotated.original_span(issue.offset, issue.end)
        index = min(bisect_right(ends, issue.offset), len(spans) - 1) if spans else -1
        sentence = annotated.plain[spans[index][0] : spans[index][1]] if index >= 0 else ""
        category_id, category_name, issue_type = _CATEGORIES[issue.category]
        matches.append(
            {
                "message": issue.message,
                "shortMessage": category_name,
                "replacements": [{"value": r} for r in issue.replacements],
                "offset": to_utf16(start),
                "length": to_utf16(end) - to_utf16(start),
                "context": _context(original, start, end),
                "sentence": sentence.strip(),
                "type": {"typeName": _type_name(issue)},
                "rule": {
                    "id": issue.rule,
                    "description": f"{category_name}: {issue.rule}",
                    "issueType": issue_type,
                    "category": {"id": category_id, "name": category_name},
                },
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
            }
        )
    language = {"name": LANGUAGE["name"], "code": LANGUAGE["longCode"]}
    return {
        "software": {
            "name": "srgcli",
            "version": software_version,
            "buildDate": "",
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        "warnings": {"incompleteResults": False},
        "language": {**language, "detectedLanguage": {**language, "confidence": 1.0}},
        "matches": matches,
    }


def _type_name(issue: Issue) -> str:
    if issue.category is Category.SPELLING:
        return "UnknownWord"
    return "Other" if issue.severity is Severity.ERROR else "Hint"


def _context(original: str, start: int, end: int) -> dict[str, Any]:
    """A few dozen characters around the match, newlines as spaces, «...» where cut."""
    left, right = max(0, start - CONTEXT_CHARS), min(len(original), end + CONTEXT_CHARS)
    prefix = ("..." if left > 0 else "") + original[left:start]
    text = prefix + original[start:right] + ("..." if right < len(original) else "")
    text = text.replace("\r", " ").replace("\n", " ")
    return {
        "text": text,
        "offset": utf16_length(prefix),
        "length": utf16_length(original[start:end]),
    }


def languages_response() -> list[dict[str, str]]:
    """`GET /v2/languages`: the one language the gate checks."""
    return [dict(LANGUAGE)]
