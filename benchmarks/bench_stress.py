"""Stress marks: srgcli's orthoepic list against a stress model (silero-stress), as an
answer to whether the model should mark the words the list does not have.

Usage:  python benchmarks/bench_stress.py [--silero-python PATH] [--write docs/benchmarks.md]

The gold data is the list itself: every entry (the word alone) and every form it marks
(pymorphy3's forms where the stress stays put). The model runs in another interpreter
(`--silero-python`, an environment with `pip install silero-stress`, which brings PyTorch),
so srgcli's own environment never imports torch; it reads words on stdin and answers with
the model's marking of each. Measured: the model's start (import and load), its time per
word, its accuracy on the entries and on the forms, and srgcli's own start and speed.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from common import machine_line, update_section

SECTION = "Stress marks: the orthoepic list and silero-stress (bench_stress.py)"

# Run inside the model's interpreter: start, then mark each word from stdin.
WORKER = r"""
import json, sys, time
started = time.perf_counter()
from silero_stress import load_accentor
accentor = load_accentor()
ready = time.perf_counter() - started
words = json.loads(sys.stdin.read())
started = time.perf_counter()
marked = [accentor(w) for w in words]
spent = time.perf_counter() - started
import os, resource, sysconfig
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
size = sum(
    os.path.getsize(os.path.join(folder, name))
    for folder, _, names in os.walk(sysconfig.get_paths()["purelib"])
    for name in names
    if not os.path.islink(os.path.join(folder, name))
)
print(json.dumps({"start": ready, "seconds": spent, "marked": marked, "rss_mib": rss,
                  "installed_gib": size / 2**30}))
"""


def stressed_index(marked: str) -> int | None:
    """The index (in the unmarked word) of the vowel after silero's «+», or of «ё»."""
    if "+" in marked:
        return marked.index("+")
    return marked.find("ё") if "ё" in marked else None


def gold() -> tuple[dict[str, int], dict[str, int]]:
    """The list's entries and all the forms it marks, each with its stressed index."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from srgcli.stress.lexicon import lexicon

    lex = lexicon()
    entries = {e.plain: e.stressed for e in lex.entries if e.stressed >= 0 and "ё" not in e.plain}
    return entries, dict(lex.positions)


def own_speed() -> tuple[float, float]:
    """srgcli's start (reading and expanding the list) and its marking rate (words/s)."""
    code = (
        "import time; t=time.perf_counter(); from srgcli.stress import lexicon, mark_stress;"
        "lexicon(); s=time.perf_counter()-t; text='Звонит по договору в квартал. '*2000;"
        "t=time.perf_counter(); mark_stress(text); r=time.perf_counter()-t;"
        "print(s, 10000/r)"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
    )
    start, rate = (float(v) for v in done.stdout.split())
    return start, rate


def run_model(python: str, words: list[str]) -> dict[str, object]:
    """The model's answers for `words`, with its start time and time spent."""
    done = subprocess.run(
        [python, "-c", WORKER], input=json.dumps(words), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"the model's interpreter failed:\n{done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def accuracy(gold_set: dict[str, int], answers: dict[str, str]) -> tuple[int, int, list[str]]:
    """Matches, total and a few misses («model's marking — the list's»)."""
    hits, misses = 0, []
    for word, index in gold_set.items():
        found = stressed_index(answers.get(word, ""))
        if found == index:
            hits += 1
        else:
            misses.append(f"{answers.get(word, '')} — {word[: index + 1]}\u0301{word[index + 1 :]}")
    return hits, len(gold_set), misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--silero-python", help="python of an environment with silero-stress")
    parser.add_argument("--write", type=Path, help="update this Markdown file's section")
    args = parser.parse_args()
    entries, forms = gold()
    own_start, own_rate = own_speed()
    lines = [
        f"Measured {datetime.now():%Y-%m-%d} on {machine_line()}, "
        f"Python {platform.python_version()}.",
        "",
        f"The list: {len(entries)} entries (without «ё»), {len(forms)} marked spellings. "
        f"srgcli reads and expands it in {own_start:.2f} s (pymorphy3 included) and marks "
        f"{own_rate:,.0f} words/s.",
    ]
    if args.silero_python:
        words = sorted(set(entries) | set(forms))
        model = run_model(args.silero_python, words)
        answers = dict(zip(words, model["marked"], strict=True))  # type: ignore[arg-type]
        e_hits, e_total, e_misses = accuracy(entries, answers)
        f_hits, f_total, _ = accuracy(forms, answers)
        per_word = float(model["seconds"]) / len(words) * 1000  # type: ignore[arg-type]
        lines += [
            "",
            "| what | silero-stress |",
            "| --- | --- |",
            f"| start (import torch, load the model) | {float(model['start']):.1f} s |",  # type: ignore[arg-type]
            f"| time per word, one word per call | {per_word:.1f} ms |",
            f"| memory (peak RSS) | {float(model['rss_mib']):.0f} MiB |",  # type: ignore[arg-type]
            f"| installed (its environment's site-packages, PyTorch from PyPI with CUDA "
            f"libraries) | {float(model['installed_gib']):.1f} GiB |",  # type: ignore[arg-type]
            f"| agrees with the list: entries | {e_hits}/{e_total} ({e_hits / e_total:.1%}) |",
            f"| agrees with the list: all marked forms | {f_hits}/{f_total} "
            f"({f_hits / f_total:.1%}) |",
            "",
            "Disagreements on entries (the model's marking — the list's): "
            + "; ".join(e_misses[:25])
            + ("; …" if len(e_misses) > 25 else ""),
            "",
            "Decision: no `srgcli[stress]` extra for now. The model's disagreements fall on the",
            "very words the list exists for (it says «хода́тайство», «зна́чимость», «не́нависть»,",
            "«ща́вель»), where a wrong mark on a call sheet does harm and a missing one does not;",
            "it needs PyTorch (gigabytes from PyPI, a start of tens of seconds, most of a GiB of",
            "memory) for words outside the list. srgcli marks the list's words only and leaves",
            "names and other words unmarked.",
        ]
    body = "\n".join(lines)
    print(body)
    if args.write:
        update_section(args.write, SECTION, body)


if __name__ == "__main__":
    main()
