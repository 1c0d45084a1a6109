"""The gate's one interface: `check(text) -> issues`, whatever engine sits behind it.

An engine (pylat-ru, a LanguageTool server) finds spelling, grammar and style issues; srgcli's
own etiquette and typography rules always run beside it; false alarms on correct text are then
removed (the workspace dictionary, the ticket's own words, evident proper names). Results are
cached per sentence when a cache is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from srgcli.gate.issue import (
    Category,
    Engine,
    GateResult,
    GateSummary,
    Issue,
    Severity,
)

if TYPE_CHECKING:
    from srgcli.gate.cache import GateCache
    from srgcli.gate.remote import RemoteChecker
    from srgcli.workspace import Workspace
    from srgcli.workspace.config import Config

# Bump when srgcli's own filtering or rules change in a way data files do not show,
# so cached results made by the older logic are not reused.
GATE_LOGIC_VERSION = "10"


@dataclass
class Gate:
    """An engine plus srgcli's rules and filters; `check(text)` is the only call callers need."""

    engine: Engine
    disabled_rules: frozenset[str] = frozenset()
    dictionary: frozenset[str] = frozenset()
    cache: GateCache | None = None
    # A running `srgcli serve` that does the same check warm; None: check in this process.
    remote: RemoteChecker | None = None
    _rules_id: str = field(default="", init=False)

    @property
    def rules_id(self) -> str:
        """Fingerprint of srgcli's rule set: its logic version, data files and disabled rules."""
        if not self._rules_id:
            from srgcli.gate import rules
            from srgcli.gate.wordlists import rules_fingerprint

            digest = hashlib.sha256(
                "\n".join(
                    [
                        GATE_LOGIC_VERSION,
                        rules_fingerprint(),
                        rules.fingerprint(),
                        *sorted(self.disabled_rules),
                    ]
                ).encode()
            ).hexdigest()
            self._rules_id = f"srgcli-{GATE_LOGIC_VERSION}-{digest[:12]}"
        return self._rules_id

    def summary(self) -> GateSummary:
        """The gate summary without counts."""
        return GateSummary(
            engine=self.engine.name,
            engine_version=self.engine.version,
            rules=self.rules_id,
            disabled_rules=sorted(self.disabled_rules),
            dictionary=sorted(self.dictionary),
        )

    def check(self, text: str, context: Iterable[str] = ()) -> GateResult:
        """Check `text`; `context` holds words always accepted (the ticket's names, codes)."""
        if self.remote is not None:
            context = list(context)
            answered = self.remote.check(self, text, context)
            if answered is not None:
                return answered
            self.remote = None  # the server went away: this process checks from now on
        from srgcli.gate.etiquette import check_typography
        from srgcli.gate.filters import accept_context, accept_names_used_inside_sentences
        from srgcli.gate.sentences import split_sentences

        spans = split_sentences(text)
        sentences = [text[s:e] for s, e in spans]
        per_sentence = self._check_sentences(sentences)
        issues: list[Issue] = []
        for (start, _end), found in zip(spans, per_sentence, strict=True):
            issues.extend(i.shifted(start) for i in found)
        if "SRG_SHOUTING" not in self.disabled_rules:
            issues.extend(_shouting_in_running_text(text, spans))
        issues = _vy_blocks_in_letters(text, issues)
        typography = [i for i in check_typography(text) if i.rule not in self.disabled_rules]
        issues = _merge_typography(issues, typography)
        issues = accept_context(text, issues, context)
        issues = accept_names_used_inside_sentences(text, issues)
        issues.sort(key=lambda i: (i.offset, i.length, i.rule))
        summary = self.summary()
        result = GateResult(text, issues, summary)
        summary.errors, summary.warnings = result.errors, result.warnings
        return result

    def _check_sentences(self, sentences: Sequence[str]) -> list[list[Issue]]:
        """Per-sentence issues, from the cache where possible."""
        results: dict[int, list[Issue]] = {}
        keys: list[str] = []
        if self.cache is not None:
            keys = [self._cache_key(s) for s in sentences]
            results.update(self.cache.get_many(keys))
        fresh: dict[str, list[Issue]] = {}
        seen: dict[str, list[Issue]] = {}  # a sentence repeated in the text is checked once
        for index, sentence in enumerate(sentences):
            if index in results:
                continue
            if sentence not in seen:
                seen[sentence] = self._check_one(sentence)
            found = seen[sentence]
            results[index] = found
            if self.cache is not None:
                fresh[keys[index]] = found
        if self.cache is not None and fresh:
            self.cache.put_many(fresh)
        return [results[i] for i in range(len(sentences))]

    def _check_one(self, sentence: str) -> list[Issue]:
        """Engine + etiquette on one sentence, false alarms removed."""
        from srgcli.gate.etiquette import check_etiquette
        from srgcli.gate.filters import drop_false_alarms
        from srgcli.gate.rules import check_grammar, drop_engine_false_alarms

        own = [i for i in check_etiquette(sentence) if i.rule not in self.disabled_rules]
        taken = [(i.offset, i.end) for i in own]
        own += [
            i
            for i in check_grammar(sentence, self.disabled_rules)
            if not any(i.offset < end and start < i.end for start, end in taken)
        ]
        found = drop_false_alarms(sentence, self.engine.check(sentence), self.dictionary)
        found = drop_engine_false_alarms(sentence, found)
        # Where srgcli's own rule flags the very same words, its message is the one shown.
        spans = {(i.offset, i.length) for i in own}
        found = [
            i
            for i in found
            if i.rule not in self.disabled_rules and (i.offset, i.length) not in spans
        ]
        return found + own

    def _cache_key(self, sentence: str) -> str:
        parts = [
            self.engine.name,
            self.engine.version,
            self.rules_id,
            "\x1f".join(sorted(self.dictionary)),
            sentence,
        ]
        return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def _shouting_in_running_text(text: str, spans: Sequence[tuple[int, int]]) -> list[Issue]:
    """Capitals that only looked like a heading: a line all in capitals is a heading, but
    the same words after a sentence on the same line («… осмотр. ЭТО БЕЗОБРАЗИЕ») shout.

    The per-sentence check (cached) cannot see the line; this looks at where it stands.
    """
    from srgcli.gate.etiquette import is_heading, shouting_issues

    found: list[Issue] = []
    for start, end in spans:
        sentence = text[start:end]
        line_start = text.rfind("\n", 0, start) + 1
        if is_heading(sentence) and text[line_start:start].strip():
            found.extend(i.shifted(start) for i in shouting_issues(sentence))
    return found


def _vy_blocks_in_letters(text: str, issues: list[Issue]) -> list[Issue]:
    """A lower-case «вы», «ваш» is only advice in general text, but an error in a letter to
    one person (the salutation says so), as business etiquette requires «Вы»."""
    from dataclasses import replace

    from srgcli.gate.etiquette import addresses_one_person

    if not any(i.rule == "SRG_VY_CAPITAL" for i in issues) or not addresses_one_person(text):
        return issues
    return [
        replace(i, severity=Severity.ERROR) if i.rule == "SRG_VY_CAPITAL" else i for i in issues
    ]


def _merge_typography(issues: list[Issue], typography: list[Issue]) -> list[Issue]:
    """srgcli's typography issues replace an engine's issues on the same characters."""
    if not typography:
        return issues
    kept = [
        i
        for i in issues
        if i.category is not Category.TYPOGRAPHY
        or not any(i.offset < t.end and t.offset < i.end for t in typography)
    ]
    return kept + typography


def make_engine(name: str, languagetool_url: str = "") -> Engine:
    """The engine called `name` ("pylat" or "languagetool")."""
    from srgcli.exit import ExitCode, SrgError

    if name == "pylat":
        from srgcli.gate.pylat import PylatEngine

        return PylatEngine()
    if name == "languagetool":
        from srgcli.gate.languagetool import LanguageToolEngine

        return LanguageToolEngine.connect(languagetool_url)
    raise SrgError(
        f"Неизвестный движок проверки «{name}». Допустимо: pylat, languagetool.",
        ExitCode.USAGE,
    )


@dataclass(frozen=True)
class CheckerSettings:
    """The `[checker]` section: engine, LanguageTool URL (SRGCLI_LT_URL first), disabled rules."""

    engine: str
    languagetool_url: str
    disabled_rules: frozenset[str]

    @classmethod
    def of(cls, config: Config | None) -> CheckerSettings:
        """The settings in `config` (the defaults when None)."""
        import os

        from srgcli.workspace.config import default_config

        section = (config or default_config()).section("checker")
        return cls(
            engine=str(section.get("engine") or "pylat"),
            languagetool_url=os.environ.get("SRGCLI_LT_URL")
            or str(section.get("languagetool_url") or ""),
            disabled_rules=frozenset(str(r) for r in section.get("disabled_rules") or ()),
        )


def configured_disabled_rules(ws: Workspace | None) -> frozenset[str]:
    """The rule ids `[checker] disabled_rules` switches off (none outside a workspace)."""
    return CheckerSettings.of(ws.config if ws is not None else None).disabled_rules


def open_gate(
    ws: Workspace | None, engine: str | None = None, disabled: Iterable[str] = ()
) -> Gate:
    """The gate as configured in the workspace (or with defaults outside one); `disabled`
    switches off more rules than the config does (`check --disable`).

    In a workspace with a running `srgcli serve` (a live record that answers), the gate
    checks through that server, warm; otherwise, or if it stops answering, in this process.
    """
    settings = CheckerSettings.of(ws.config if ws is not None else None)
    name, url = engine or settings.engine, settings.languagetool_url
    disabled = settings.disabled_rules | frozenset(disabled)
    if ws is None:
        return Gate(make_engine(name, url), disabled_rules=disabled)
    from srgcli.gate.cache import GateCache
    from srgcli.gate.dictionary import list_words
    from srgcli.gate.remote import running_checker

    return Gate(
        make_engine(name, url),
        disabled_rules=disabled,
        dictionary=frozenset(list_words(ws.conn)),
        cache=GateCache(ws.conn),
        remote=running_checker(ws.root, name),
    )
