"""What the gate reports: issues with their category and severity, the result of one check and
its summary, and the interface every engine implements. No gate module needs the engine for
these."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class Category(StrEnum):
    """What kind of problem an issue is."""

    SPELLING = "spelling"
    GRAMMAR = "grammar"
    PUNCTUATION = "punctuation"
    TYPOGRAPHY = "typography"
    STYLE = "style"
    ETIQUETTE = "etiquette"


class Severity(StrEnum):
    """Errors block a document; warnings are shown."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem in a text: where it is, what rule found it, what to write instead."""

    rule: str
    category: Category
    severity: Severity
    message: str
    offset: int
    length: int
    replacements: tuple[str, ...] = ()

    @property
    def end(self) -> int:
        """Offset just past the issue."""
        return self.offset + self.length

    def shifted(self, delta: int) -> Issue:
        """The same issue with its offset moved by `delta` characters."""
        return Issue(
            self.rule,
            self.category,
            self.severity,
            self.message,
            self.offset + delta,
            self.length,
            self.replacements,
        )

    def to_json(self) -> dict[str, Any]:
        """Plain-data form (for the cache and JSON output)."""
        return {
            "rule": self.rule,
            "category": str(self.category),
            "severity": str(self.severity),
            "message": self.message,
            "offset": self.offset,
            "length": self.length,
            "replacements": list(self.replacements),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Issue:
        """Inverse of `to_json`."""
        return cls(
            rule=str(data["rule"]),
            category=Category(data["category"]),
            severity=Severity(data["severity"]),
            message=str(data["message"]),
            offset=int(data["offset"]),
            length=int(data["length"]),
            replacements=tuple(str(r) for r in data.get("replacements", ())),
        )


class Engine(Protocol):
    """A spelling/grammar engine: pylat-ru or a LanguageTool server."""

    name: str

    @property
    def version(self) -> str:
        """Engine version (part of the cache key)."""
        ...

    def check(self, text: str) -> list[Issue]:
        """Issues in `text`, offsets relative to `text`."""
        ...


@dataclass
class GateSummary:
    """What a reviewer needs to trust a gate result: engine, rules, what was allowed, counts."""

    engine: str
    engine_version: str
    rules: str
    disabled_rules: list[str]
    dictionary: list[str]
    errors: int = 0
    warnings: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain-data form, embedded in report manifests."""
        return {
            "engine": self.engine,
            "engine_version": self.engine_version,
            "rules": self.rules,
            "disabled_rules": list(self.disabled_rules),
            "dictionary": list(self.dictionary),
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class GateResult:
    """Issues found in one text, sorted by position, and the summary of how they were found."""

    text: str
    issues: list[Issue]
    summary: GateSummary

    @property
    def errors(self) -> int:
        """Number of blocking issues."""
        return sum(1 for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Number of non-blocking issues."""
        return sum(1 for i in self.issues if i.severity is Severity.WARNING)

    @property
    def passed(self) -> bool:
        """True when nothing blocks the text."""
        return self.errors == 0

    def stored_summary(self) -> dict[str, Any]:
        """What a stored document keeps of its check (the `gate` of a report or act row):
        the summary with the counts of errors and warnings."""
        data = self.summary.to_json()
        data["errors"], data["warnings"] = self.errors, self.warnings
        return data
