"""The gate on business Russian: correct letters and reports must pass, planted errors be caught.

Reads `tests/data/business/correct.tsv` (genre, text: sentences that must never be blocked) and
`tests/data/business/errors.tsv` (class, text with one error, its correction, note). A planted
error counts as caught when an issue of the gate overlaps what the correction changed (for an
inserted comma, the characters on either side of it). Errors block; for the dangling gerund class,
whose rule is a warning by design (the issue asks for one), a warning counts too.

The rows are split in two by position (even rows: "dev", odd rows: "held out"), so that a rule
tuned on one half shows whether it holds on the other. Raw pylat-ru runs on the same sentences
in the same process, and the time the rule pack adds is measured against pylat-ru's own.

Precision by class: every blocking issue on either file is a true alarm when it overlaps a
planted error, a false one when it stands in a correct sentence; an issue elsewhere in an
error sentence is counted apart. Rule pack issues count under their rule's class, etiquette
under "etiquette", pylat-ru's under "pylat-ru".

    .venv/bin/python benchmarks/bench_gate_business.py [--no-write] [--show-misses]
        [--data DIR --title TEXT]   # another corpus of the same shape, its own section
"""

from __future__ import annotations

import argparse
import csv
import difflib
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section
from srgcli.gate.engine import Gate
from srgcli.gate.issue import Issue, Severity
from srgcli.gate.pylat import PylatEngine, shared_languagetool
from srgcli.gate.rules import check_grammar

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "business"
# Fresh sets written by others name the class "dangling".
WARNING_COUNTS = frozenset({"dangling_participle", "dangling"})


def load_correct(data: Path = DATA) -> list[tuple[str, str]]:
    """(genre, text) rows."""
    with (data / "correct.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    return [(r[0], r[1]) for r in rows]


def load_errors(data: Path = DATA) -> list[tuple[str, str, str]]:
    """(class, text, correction) rows."""
    with (data / "errors.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    return [(r[0], r[1], r[2]) for r in rows]


def changed_spans(text: str, correction: str) -> list[tuple[int, int]]:
    """Character spans of `text` that the correction changed (insertions: both neighbours)."""
    spans = []
    matcher = difflib.SequenceMatcher(None, text, correction, autojunk=False)
    for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        spans.append((max(0, i1 - 1), min(len(text), i1 + 1)) if i1 == i2 else (i1, i2))
    return spans


def caught(issues: list[Issue], spans: list[tuple[int, int]], warnings_count: bool) -> bool:
    """True when a counted issue overlaps a changed span."""
    return any(
        i.offset < e and s < i.end
        for i in issues
        if i.severity is Severity.ERROR or warnings_count
        for s, e in spans
    )


class SharedEngine(PylatEngine):
    """pylat-ru asked once per sentence: the gate and the raw measure share its answers."""

    def __init__(self) -> None:
        self.answers: dict[str, list[Issue]] = {}

    def check(self, text: str) -> list[Issue]:
        """The gate's engine issues on `text`, asked once."""
        if text not in self.answers:
            self.answers[text] = super().check(text)
        return list(self.answers[text])


def raw_issues(engine: SharedEngine, text: str) -> list[Issue]:
    """Raw pylat-ru: every match, as if it blocked (per sentence, as the gate asks it)."""
    from srgcli.gate.sentences import split_sentences

    found = []
    for start, end in split_sentences(text):
        for issue in engine.check(text[start:end]):
            found.append(replace(issue, severity=Severity.ERROR, offset=issue.offset + start))
    return found


def class_of(rule: str) -> str:
    """The class a blocking issue is counted under for precision."""
    from srgcli.gate.rules import rules

    by_id = {r.id: r.error_class for r in rules()}
    if rule in by_id:
        return by_id[rule]
    if rule.startswith("SRG_") and rule != "SRG_UNKNOWN_WORD":
        return "etiquette"
    return "pylat-ru"


def speed(sentences: list[str]) -> tuple[float, float]:
    """Seconds for pylat-ru and for the rule pack over the same sentences (warm, best of 2)."""
    lt = shared_languagetool()
    for sentence in sentences:  # warm both: pymorphy3's and pylat-ru's caches
        check_grammar(sentence)
    best_lt = best_pack = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        for sentence in sentences:
            lt.check(sentence)
        best_lt = min(best_lt, time.perf_counter() - started)
        started = time.perf_counter()
        for sentence in sentences:
            check_grammar(sentence)
        best_pack = min(best_pack, time.perf_counter() - started)
    return best_lt, best_pack


def main() -> None:
    """Measure, print and record."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--title", default="Gate on business Russian (bench_gate_business.py)")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    correct, errors = load_correct(args.data), load_errors(args.data)
    true_alarms, false_alarms, elsewhere = Counter[str](), Counter[str](), Counter[str]()
    engine = SharedEngine()
    gate = Gate(engine)
    shared_languagetool()

    blocked: dict[str, list[str]] = {"dev": [], "held out": []}
    raw_blocked = Counter[str]()
    alarms = Counter[str]()
    for index, (_genre, text) in enumerate(correct):
        half = "dev" if index % 2 == 0 else "held out"
        issues = gate.check(text).issues
        bad = [i for i in issues if i.severity is Severity.ERROR]
        false_alarms.update(class_of(i.rule) for i in bad)
        if bad:
            blocked[half].append(text)
            alarms.update(i.rule for i in bad)
            if args.show_misses:
                print("BLOCKED", text, [(i.rule, text[i.offset : i.end]) for i in bad])
        raw_blocked[half] += bool(raw_issues(engine, text))

    by_class: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    raw_by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for index, (error_class, text, correction) in enumerate(errors):
        half = "dev" if index % 2 == 0 else "held out"
        spans = changed_spans(text, correction)
        issues = gate.check(text).issues
        hit = caught(issues, spans, error_class in WARNING_COUNTS)
        for issue in issues:
            if issue.severity is not Severity.ERROR and error_class not in WARNING_COUNTS:
                continue
            if issue.severity is not Severity.ERROR and issue.rule != "SRG_DANGLING_GERUND":
                continue
            if caught([issue], spans, True):
                true_alarms[class_of(issue.rule)] += 1
            else:
                elsewhere[class_of(issue.rule)] += 1
        for key in (half, "all"):
            by_class[error_class][key][0] += hit
            by_class[error_class][key][1] += 1
        raw_by_class[error_class][0] += caught(raw_issues(engine, text), spans, True)
        raw_by_class[error_class][1] += 1
        if args.show_misses and not hit:
            found = [(i.rule, text[i.offset : i.end]) for i in issues]
            print("MISSED", error_class, "|", text, "|", correction, "|", found)

    precision = ["| class of the rule | true alarms | false alarms | elsewhere | precision |"]
    precision.append("|---|---|---|---|---|")
    for name in sorted(set(true_alarms) | set(false_alarms) | set(elsewhere)):
        good, bad = true_alarms[name], false_alarms[name]
        share = f"{good / (good + bad):.2f}" if good + bad else "—"
        precision.append(f"| {name} | {good} | {bad} | {elsewhere[name]} | {share} |")
    halves = ("dev", "held out", "all")
    per_half = {h: [0, 0] for h in halves}
    lines = [
        "| class | dev | held out | all | raw pylat-ru (all) |",
        "|---|---|---|---|---|",
    ]
    for error_class in sorted(by_class):
        cells = []
        for h in halves:
            got, total = by_class[error_class][h]
            per_half[h][0] += got
            per_half[h][1] += total
            cells.append(f"{got}/{total} ({got / total:.0%})" if total else "—")
        raw_got, raw_total = raw_by_class[error_class]
        lines.append(
            f"| {error_class} | " + " | ".join(cells) + f" | {raw_got}/{raw_total} "
            f"({raw_got / raw_total:.0%}) |"
        )
    total_cells = [f"**{g}/{t} ({g / t:.0%})**" for g, t in (per_half[h] for h in halves) if t]
    raw_all = sum(v[0] for v in raw_by_class.values()), sum(v[1] for v in raw_by_class.values())
    lines.append(
        "| **all classes** | "
        + " | ".join(total_cells)
        + f" | {raw_all[0]}/{raw_all[1]} ({raw_all[0] / raw_all[1]:.0%}) |"
    )
    n_dev = sum(1 for i in range(len(correct)) if i % 2 == 0)
    n_held = len(correct) - n_dev
    correct_line = (
        f"Correct business sentences blocked by the gate: {len(blocked['dev'])} of {n_dev} (dev), "
        f"{len(blocked['held out'])} of {n_held} (held out); raw pylat-ru would block "
        f"{raw_blocked['dev']} and {raw_blocked['held out']}."
    )
    if alarms:
        correct_line += f" Rules that blocked: {dict(alarms)}."
    speed_line = ""
    if not args.no_speed:
        lt_seconds, pack_seconds = speed([t for _, t in correct] + [t for _, t, _ in errors])
        speed_line = (
            f"Speed on the {len(correct) + len(errors)} sentences (warm caches, best of two "
            f"runs): pylat-ru {lt_seconds:.2f} s, the rule pack {pack_seconds:.2f} s, i.e. "
            f"{pack_seconds / lt_seconds:.0%} on top of pylat-ru's own time (goal: at most "
            "20 %)."
        )
    body = "\n".join(
        [
            f"Corpus: `{args.data.resolve().relative_to(ROOT)}/` — {len(correct)} correct "
            "sentences (letters, report paragraphs, call notes) and "
            f"{len(errors)} sentences with one labelled error each.",
            "",
            correct_line,
            "",
            "Planted errors caught (an issue overlapping the corrected words; errors only, but "
            "warnings for the dangling gerund, whose rule warns by design):",
            "",
            *lines,
            "",
            "Precision of blocking issues by the class of the rule that raised them (a true "
            "alarm overlaps a planted error; a false one stands in a correct sentence; "
            "'elsewhere' is another spot of an error sentence):",
            "",
            *precision,
            "",
            speed_line,
        ]
    )
    print(body)
    if not args.no_write:
        write_section(args.title, body)


if __name__ == "__main__":
    main()
