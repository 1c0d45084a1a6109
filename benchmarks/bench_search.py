"""The first `srgcli search` after a large fetch (it builds the index the fetch left stale) and
the searches after it, as real processes.

Usage:  python benchmarks/bench_search.py [--tickets 100000] [--runs 3] [--write docs/benchmarks.md]

The tickets are bench_fetch.py's synthetic export (JSON Lines). One `srgcli fetch` fills a
workspace; each run then works on a fresh copy of it, as that fetch left it: the first search
(wall time of the process, and the rebuild alone as the search reports it on stderr), then a
second and a third search with other words. Measures the srgcli on PYTHONPATH or installed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench_fetch import generate
from common import machine_line, update_section

SECTION = "search: the first search after a large fetch"
QUERIES = ("оценщика", "площадь квартиры", "ипотечного кредита")
REBUILT = re.compile(r"Поисковый индекс построен \(([\d\u00a0]+) \w+, ([\d,]+) с\)")


def srgcli(root: Path, *args: str) -> tuple[float, str]:
    """Wall time and stderr of one `srgcli` process on the workspace `root`."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "srgcli", "--workspace", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return time.perf_counter() - started, done.stderr


def database_mb(root: Path) -> float:
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        conn.execute("pragma wal_checkpoint(truncate)")
    finally:
        conn.close()
    return sum(p.stat().st_size for p in root.glob("srgcli.db*")) / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="update this Markdown file's section")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    first: list[float] = []
    rebuild: list[float] = []
    later: dict[str, list[float]] = {q: [] for q in QUERIES}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jsonl, _ = generate(folder, args.tickets)
        fetched = folder / "fetched"
        subprocess.run([sys.executable, "-m", "srgcli", "init", str(fetched)], check=True)
        fetch_s, _ = srgcli(fetched, "fetch", str(jsonl))
        size_before = database_mb(fetched)
        for n in range(args.runs):
            root = folder / f"run-{n}"
            shutil.copytree(fetched, root)
            seconds, stderr = srgcli(root, "search", QUERIES[0], "--json")
            found = REBUILT.search(stderr)
            if found is None:
                raise SystemExit(f"the first search did not rebuild the index: {stderr!r}")
            first.append(seconds)
            rebuild.append(float(found.group(2).replace(",", ".")))
            for query in QUERIES:
                seconds, stderr = srgcli(root, "search", *query.split(), "--json")
                assert "индекс" not in stderr, stderr
                later[query].append(seconds)
            print(f"  run {n + 1}: first {first[-1]:.2f} s", file=sys.stderr)
        size_after = database_mb(folder / "run-0")
    text = "\n".join(
        [
            f"Measured {datetime.now():%Y-%m-%d %H:%M} (machine clock) on {machine_line()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; load "
            f"average {load_start:.1f} when it started and {os.getloadavg()[0]:.1f} when it "
            f"ended; median of {args.runs} runs, each a new process (wall time: starting "
            "Python, importing srgcli, pymorphy3's dictionary, the search, the JSON). "
            "Script: `python benchmarks/bench_search.py --write docs/benchmarks.md`.",
            "",
            f"A workspace filled by one `srgcli fetch` of bench_fetch.py's {args.tickets:,} "
            f"synthetic tickets (JSON Lines; that fetch took {fetch_s:.1f} s here). Its index "
            "of tickets is stale: the first search builds it, in one FTS5 `rebuild`, and "
            "recreates the triggers. Each run works on a fresh copy of that workspace.",
            "",
            "| search | median | runs |",
            "| --- | ---: | --- |",
            f"| first: `srgcli search {QUERIES[0]} --json` (builds the index) "
            f"| {statistics.median(first):.2f} s | {_runs(first)} |",
            f"| … of which the rebuild, as the search reports it "
            f"| {statistics.median(rebuild):.1f} s | {_runs(rebuild)} |",
            *(
                f"| then `srgcli search {q} --json` | {statistics.median(t):.2f} s | {_runs(t)} |"
                for q, t in later.items()
            ),
            "",
            f"The database: {size_before:.0f} MB after the fetch, {size_after:.0f} MB with the "
            "index built.",
        ]
    )
    print(text)
    if args.write:
        update_section(args.write, SECTION, text)


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    main()
