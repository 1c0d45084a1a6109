"""How well the gate catches real errors and how rarely it blocks correct text.

Runs the default gate configuration and raw pylat-ru in the same run over every pair of
`ruspellru-dev.tsv` and every sentence of `clean-wiki-dev.txt` in `../shared/corpus/` (its
README defines the measures), prints the figures for the whole files and for their even and odd
rows (tune on one half, check on the other) and writes them into docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_gate_quality.py [--limit N] [--half even|odd]
        [--engine-cache FILE] [--no-write]

pylat-ru is asked once per sentence; raw pylat-ru and the gate share that answer. With
`--engine-cache` the answers are kept in a JSON file, so a second run only re-runs srgcli's
own rules and filters (for tuning; the timing row then means little). Only a full run (no
`--limit`, no `--half`) writes docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section
from srgcli.gate.engine import Gate
from srgcli.gate.issue import Category, Issue, Severity
from srgcli.gate.pylat import PylatEngine
from srgcli.gate.sentences import split_sentences

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
# Words as the corpus README defines them: letters, digits and hyphens.
_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-+[0-9A-Za-zА-Яа-яЁё]+)*")
Span = tuple[int, int]


class RecordingEngine:
    """pylat-ru whose answers are remembered per sentence (and optionally kept in a file)."""

    name = "pylat"

    def __init__(self, store: Path | None = None) -> None:
        self.inner = PylatEngine()
        self.store = store
        self.answers: dict[str, list[Issue]] = {}
        if store is not None and store.exists():
            data = json.loads(store.read_text(encoding="utf-8"))
            self.answers = {k: [Issue.from_json(i) for i in v] for k, v in data.items()}
        self.loaded = len(self.answers)

    @property
    def version(self) -> str:
        """The installed pylat-ru version."""
        return self.inner.version

    def check(self, text: str) -> list[Issue]:
        """pylat-ru's issues on `text`, asked once."""
        if text not in self.answers:
            self.answers[text] = self.inner.check(text)
        return list(self.answers[text])

    def save(self) -> None:
        """Keep the answers in the store, if one was given."""
        if self.store is not None and len(self.answers) > self.loaded:
            data = {k: [i.to_json() for i in v] for k, v in self.answers.items()}
            self.store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@dataclass
class Found:
    """What one checker reported on one text, reduced to what the measures need."""

    blocking: list[tuple[int, int, Category]]  # errors other than etiquette
    etiquette: list[Span] = field(default_factory=list)  # etiquette errors
    warnings: int = 0


@dataclass
class Tally:
    """Counts for one checker on one set of rows."""

    word_pairs: int = 0
    word_caught: int = 0
    word_caught_without_etiquette: int = 0
    span_pairs: int = 0
    span_caught: int = 0
    corrections: int = 0
    spelling_alarms: int = 0
    clean: int = 0
    clean_alarms: int = 0
    clean_alarm_categories: Counter[str] = field(default_factory=Counter)
    etiquette_sources: int = 0
    etiquette_corrections: int = 0
    etiquette_clean: int = 0


def words(text: str) -> list[tuple[str, int, int]]:
    """The words of `text` (lower-cased) with their character spans."""
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def changed_word_spans(source: str, correction: str) -> list[Span]:
    """Character spans of the source words the correction changed (README's word level).

    A word the correction inserted has no span of its own: the source words beside it count.
    """
    src, dst = words(source), words(correction)
    before, after = [w for w, _, _ in src], [w for w, _, _ in dst]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    spans: list[Span] = []
    for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i1 == i2:
            spans.extend((s, e) for _, s, e in src[max(0, i1 - 1) : i1 + 1])
        else:
            spans.extend((s, e) for _, s, e in src[i1:i2])
    if not spans and before != after:
        spans = [(0, len(source))]  # every word inserted into an empty source
    return spans


def changed_char_spans(source: str, correction: str) -> list[Span]:
    """Character spans of `source` the correction changed at all, punctuation included."""
    spans = []
    matcher = difflib.SequenceMatcher(None, source, correction, autojunk=False)
    for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if op != "equal":
            # An insertion has no width in the source: the characters around it count.
            spans.append((max(0, i1 - 1), min(len(source), i1 + 1)) if i1 == i2 else (i1, i2))
    return spans


def overlaps(found: Sequence[Span], spans: Sequence[Span]) -> bool:
    """True when a reported span overlaps a changed one."""
    return any(s < e2 and s2 < e for s, e in found for s2, e2 in spans)


def make_raw_checker(engine: RecordingEngine) -> Callable[[str], Found]:
    """Raw pylat-ru on the gate's sentences: every match counts, as if it blocked."""

    def check(text: str) -> Found:
        found = []
        for start, end in split_sentences(text):
            for issue in engine.check(text[start:end]):
                found.append((issue.offset + start, issue.end + start, issue.category))
        return Found(found)

    return check


def make_gate_checker(engine: RecordingEngine) -> Callable[[str], Found]:
    """The default configuration: srgcli's rules and filters around pylat-ru, no dictionary."""
    gate = Gate(engine)

    def check(text: str) -> Found:
        issues = gate.check(text).issues
        errors = [i for i in issues if i.severity is Severity.ERROR]
        return Found(
            [(i.offset, i.end, i.category) for i in errors if i.category is not Category.ETIQUETTE],
            [(i.offset, i.end) for i in errors if i.category is Category.ETIQUETTE],
            sum(1 for i in issues if i.severity is Severity.WARNING),
        )

    return check


@dataclass
class Run:
    """One checker's findings on every row, kept so that halves can be tallied afterwards."""

    sources: list[Found]
    corrections: list[Found]
    clean: list[Found]
    seconds: float


def run(check: Callable[[str], Found], pairs: list[tuple[str, str]], clean: list[str]) -> Run:
    """One checker over the corpus."""
    started = time.perf_counter()
    sources = [check(s) for s, _ in pairs]
    corrections = [check(c) for _, c in pairs]
    on_clean = [check(s) for s in clean]
    return Run(sources, corrections, on_clean, time.perf_counter() - started)


def tally(
    found: Run, pairs: list[tuple[str, str]], clean: list[str], rows: Callable[[int], bool]
) -> Tally:
    """The measures over the rows `rows(index)` selects."""
    t = Tally()
    for index, (source, correction) in enumerate(pairs):
        if not rows(index):
            continue
        on_source, on_correction = found.sources[index], found.corrections[index]
        t.corrections += 1
        t.etiquette_sources += bool(on_source.etiquette)
        t.etiquette_corrections += bool(on_correction.etiquette)
        t.spelling_alarms += any(c is Category.SPELLING for _, _, c in on_correction.blocking)
        blocking = [(s, e) for s, e, _ in on_source.blocking]
        if source != correction:
            t.span_pairs += 1
            t.span_caught += overlaps(
                blocking + on_source.etiquette, changed_char_spans(source, correction)
            )
        spans = changed_word_spans(source, correction)
        if spans:
            t.word_pairs += 1
            t.word_caught += overlaps(blocking + on_source.etiquette, spans)
            t.word_caught_without_etiquette += overlaps(blocking, spans)
    for index, _sentence in enumerate(clean):
        if not rows(index):
            continue
        on_clean = found.clean[index]
        t.clean += 1
        t.etiquette_clean += bool(on_clean.etiquette)
        if on_clean.blocking:
            t.clean_alarms += 1
            t.clean_alarm_categories.update({str(c) for _, _, c in on_clean.blocking})
    return t


def load(limit: int | None, half: str | None) -> tuple[list[tuple[str, str]], list[str]]:
    """Pairs and clean sentences (all rows, or the first `limit`; or one half of them)."""
    with (CORPUS / "ruspellru-dev.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    pairs = [(r[0], r[1]) for r in rows if len(r) >= 2]
    lines = (CORPUS / "clean-wiki-dev.txt").read_text(encoding="utf-8").splitlines()
    clean = [line.strip() for line in lines if line.strip()]
    if half:
        parity = 0 if half == "even" else 1
        pairs = [p for i, p in enumerate(pairs) if i % 2 == parity]
        clean = [s for i, s in enumerate(clean) if i % 2 == parity]
    return pairs[:limit], clean[:limit]


def ratio(part: int, whole: int) -> str:
    """A share with three decimals."""
    return f"{part / whole:.3f}" if whole else "n/a"


ROWS: list[tuple[str, Callable[[Tally], str]]] = [
    ("recall, word level (README)", lambda t: ratio(t.word_caught, t.word_pairs)),
    (
        "recall, word level, etiquette not counted",
        lambda t: ratio(t.word_caught_without_etiquette, t.word_pairs),
    ),
    ("recall, any changed character", lambda t: ratio(t.span_caught, t.span_pairs)),
    ("spelling false alarms on corrections", lambda t: ratio(t.spelling_alarms, t.corrections)),
    ("false alarms on clean text", lambda t: ratio(t.clean_alarms, t.clean)),
    ("etiquette errors: sources", lambda t: ratio(t.etiquette_sources, t.corrections)),
    ("etiquette errors: corrections", lambda t: ratio(t.etiquette_corrections, t.corrections)),
    ("etiquette errors: clean text", lambda t: ratio(t.etiquette_clean, t.clean)),
    (
        "pairs with changed words / corrections / clean",
        lambda t: f"{t.word_pairs} / {t.corrections} / {t.clean}",
    ),
]


def table(columns: dict[str, Tally]) -> str:
    """The figures as a Markdown table, one column per checker and row set."""
    names = list(columns)
    lines = ["| measure | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for label, value in ROWS:
        lines.append(f"| {label} | " + " | ".join(value(columns[n]) for n in names) + " |")
    return "\n".join(lines)


def main() -> None:
    """Run both checkers, print and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="first N rows of each file")
    parser.add_argument("--half", choices=["even", "odd"], help="only the even or odd rows")
    parser.add_argument("--engine-cache", type=Path, help="JSON file keeping pylat-ru's answers")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS}")
    pairs, clean = load(args.limit, args.half)
    engine = RecordingEngine(args.engine_cache)
    engine.inner.check("Проверка.")  # load pylat-ru before timing
    raw = run(make_raw_checker(engine), pairs, clean)
    gate = run(make_gate_checker(engine), pairs, clean)
    engine.save()
    everything: Callable[[int], bool] = lambda _: True  # noqa: E731
    columns = {
        "raw pylat-ru": tally(raw, pairs, clean, everything),
        "gate": tally(gate, pairs, clean, everything),
    }
    if not args.half:
        for parity, name in ((0, "even"), (1, "odd")):
            columns[f"gate, {name} rows"] = tally(
                gate, pairs, clean, lambda i, p=parity: i % 2 == p
            )
    body = table(columns)
    result = columns["gate"]
    what = f"the {args.half} rows of " if args.half else ""
    notes = f"""
Corpus: {what}`ruspellru-dev.tsv` ({len(pairs)} pairs, {result.word_pairs} with changed words)
and `clean-wiki-dev.txt` ({len(clean)} sentences){f", first {args.limit}" if args.limit else ""}.
Raw pylat-ru runs on the gate's sentences and every match counts; in the gate only errors
count (warnings do not block). Time: pylat-ru and raw measures {raw.seconds:.0f} s
({engine.loaded} answers read from a cache), the gate's own rules and filters on top
{gate.seconds:.0f} s.

Recall, word level, as the corpus README defines it: both sides cut into words (letters, digits,
hyphens; case and punctuation ignored), aligned with difflib; a pair with a changed word is
caught when a blocking error overlaps a changed source word (for an inserted word, the source
words beside it). Etiquette errors (slang, familiar "ты", shouting — rightly frequent in blog
text) block, so they count towards that recall; the next row leaves them out. They are not
counted as false alarms: their rates are in their own rows. "Any changed character" is the
older measure: in this corpus the corrections also drop correct punctuation wholesale, which
no checker should flag, so it stays well below 1.
Clean-text alarms of the gate by category (sentences): {dict(result.clean_alarm_categories)}.
"""
    goals = [
        ("recall, word level >= 0.95", result.word_caught / result.word_pairs >= 0.95),
        (
            "spelling false alarms on corrections <= 0.05",
            result.spelling_alarms / result.corrections <= 0.05,
        ),
        ("false alarms on clean text <= 0.05", result.clean_alarms / result.clean <= 0.05),
    ]
    notes += (
        "\nGoals of issue 10: "
        + "; ".join(f"{label}: {'met' if met else 'NOT met'}" for label, met in goals)
        + ".\n"
    )
    print(body)
    print(notes)
    if not (args.no_write or args.limit or args.half):
        write_section("Gate quality (bench_gate_quality.py)", body + "\n" + notes)


if __name__ == "__main__":
    main()
