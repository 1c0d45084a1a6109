"""Crash trials: `fetch`, `report` and `submit` killed with SIGKILL at a random moment, 20 times
each.

`fetch` imports an export of 20,000 tickets (bench_fetch.py's generator) into a fresh copy of
an empty workspace; after a kill and an open, the workspace must pass SQLite's integrity check
and hold either none or all of the tickets (a batch is one transaction), and the re-run must
leave exactly 20,000 tickets.

On a copy of the demo workspace (its settled ticket, the gate's cache warmed so each run is
short), each trial starts `python -m srgcli report ID` (or `submit ID`), kills it after a
random delay within the time an uninterrupted run takes, opens the workspace again (which puts
right what the kill left) and checks it: no temporary, no intent record, every report and
submission row with its file, every report file and outbox folder with its row. Then the
command is run again and must leave exactly one report v1 (one submission, one outbox folder).

Run: python benchmarks/bench_crash.py [--trials 20] [--write docs/reliability.md]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from bench_fetch import generate  # noqa: E402
from common import machine_line, update_section  # noqa: E402

os.environ.setdefault("SRGCLI_NOW", "2026-11-25T10:00:00+03:00")

from srgcli.demo import run_demo  # noqa: E402
from srgcli.workspace import create_workspace, open_workspace  # noqa: E402

FETCH_TICKETS = 20_000

ENV = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "srgcli", "--workspace", str(root), *args]


def problems(root: Path) -> list[str]:
    """What is out of step in the workspace (empty: all in step)."""
    found: list[str] = []
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        reports = dict(conn.execute("select path, sha256 from reports"))
        submitted = {p for (p,) in conn.execute("select path from submissions")}
    finally:
        conn.close()
    inflight = root / ".inflight"
    found += [f"intent {p.name}" for p in inflight.iterdir()] if inflight.exists() else []
    for path, digest in reports.items():
        file = root / path
        if not file.is_file() or hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            found.append(f"row without its file: {path}")
    for folder in (root / "reports").iterdir():
        for item in folder.iterdir():
            relative = item.relative_to(root).as_posix()
            if item.name.startswith("."):
                found.append(f"temporary {relative}")
            elif item.suffix == ".docx" and relative not in reports:
                found.append(f"file without a row: {relative}")
    for item in (root / "outbox").iterdir():
        relative = item.relative_to(root).as_posix()
        if item.name.startswith("."):
            found.append(f"temporary {relative}")
        elif item.name not in ("letters", "orphaned") and relative not in submitted:
            found.append(f"folder without a row: {relative}")
    found += [f"row without its folder: {p}" for p in submitted if not (root / p).is_dir()]
    return found


def counts(root: Path, ticket: str) -> tuple[int, int, int]:
    """Report rows, submission rows of `ticket`, and its outbox folders."""
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        reports = conn.execute("select count(*) from reports where ticket_id = ?", (ticket,))
        subs = conn.execute("select count(*) from submissions where ticket_id = ?", (ticket,))
        n_reports, n_subs = reports.fetchone()[0], subs.fetchone()[0]
    finally:
        conn.close()
    folders = [p for p in (root / "outbox").iterdir() if p.name.startswith(f"{ticket}-v")]
    return n_reports, n_subs, len(folders)


def probe_run(root: Path, args: list[str]) -> tuple[float, float, float]:
    """An uninterrupted run: its duration and when its intent record appeared and went
    (polled every 2 ms; the file step lies between)."""
    inflight = root / ".inflight"
    start = time.perf_counter()
    process = subprocess.Popen(
        command(root, *args), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    first = last = 0.0
    while process.poll() is None:
        if any(inflight.iterdir()):
            last = time.perf_counter() - start
            first = first or last
        time.sleep(0.002)
    assert process.returncode == 0, f"{args} failed"
    return time.perf_counter() - start, first, last


def trial(
    base: Path, scratch: Path, args: list[str], ticket: str, delay: float
) -> dict[str, object]:
    """One SIGKILL trial on a copy of `base`."""
    root = scratch / "trial"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(base, root)
    process = subprocess.Popen(
        command(root, *args), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait()
    inflight = root / ".inflight"
    during = inflight.exists() and any(inflight.iterdir())
    with open_workspace(root) as ws:
        notes = list(ws.notes)
    after_open = problems(root)
    rerun = subprocess.run(command(root, *args), env=ENV, capture_output=True, text=True)
    n_reports, n_subs, n_folders = counts(root, ticket)
    # report: one report row; submit: one submission and one outbox folder (the demo's ticket
    # keeps the report versions it already had)
    once = n_reports == 1 if args[0] == "report" else (n_subs == 1 and n_folders == 1)
    return {
        "phase": "finished" if finished else ("in the file step" if during else "other"),
        "notes": len(notes),
        "clean": not after_open,
        "rerun_ok": rerun.returncode in (0, 3) and once and not problems(root),
        "problems": after_open,
    }


def run_trials(
    kind: str, base: Path, scratch: Path, ticket: str, n: int
) -> list[dict[str, object]]:
    args = [kind, ticket]
    probe = scratch / "probe"
    shutil.copytree(base, probe)
    full, first, last = probe_run(probe, args)
    shutil.rmtree(probe)
    # Kills spread over the file step and a margin before and after it.
    low, high = max(0.0, first - 0.3), min(full, last + 0.3) if last else full
    rng = random.Random(f"{kind}-crash")
    results = [trial(base, scratch, args, ticket, rng.uniform(low, high)) for _ in range(n)]
    return [*results, {"full": full, "window": f"{low:.2f}–{high:.2f} s"}]


def prepare(scratch: Path) -> tuple[Path, Path, str]:
    """Two copies of the demo, whose ticket 2026-000118 was reported and submitted: one with
    its report and submission forgotten (the gate's cache keeps the report's text, so a run
    needs no spelling engine), one with the report kept and the submission forgotten."""
    ticket = "2026-000118"
    run_demo(scratch / "demo").close()
    reported, fresh = scratch / "reported", scratch / "fresh"
    shutil.copytree(scratch / "demo", reported)
    forget(reported, "submissions", ticket)
    for folder in (reported / "outbox").glob(f"{ticket}-v*"):
        shutil.rmtree(folder)
    shutil.copytree(reported, fresh)
    forget(fresh, "reports", ticket)
    shutil.rmtree(fresh / "reports" / ticket)
    return fresh, reported, ticket


def forget(root: Path, table: str, ticket: str) -> None:
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        with conn:
            conn.execute(f"delete from {table} where ticket_id = ?", (ticket,))
    finally:
        conn.close()


def fetch_trial(base: Path, scratch: Path, export: Path, delay: float) -> dict[str, object]:
    """One SIGKILL trial of `fetch EXPORT` on a copy of the empty workspace `base`."""
    root = scratch / "trial"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(base, root)
    args = ["fetch", str(export)]
    process = subprocess.Popen(
        command(root, *args), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait()
    with open_workspace(root) as ws:
        notes = list(ws.notes)
        intact = ws.conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        (kept,) = ws.conn.execute("select count(*) from tickets").fetchone()
    rerun = subprocess.run(command(root, *args), env=ENV, capture_output=True, text=True)
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        (after,) = conn.execute("select count(*) from tickets").fetchone()
    finally:
        conn.close()
    return {
        "phase": "finished" if finished else "other",
        "notes": len(notes),
        "clean": intact and kept in (0, FETCH_TICKETS),
        "rerun_ok": rerun.returncode == 0 and after == FETCH_TICKETS,
        "problems": [] if intact else ["integrity_check"],
    }


def run_fetch_trials(scratch: Path, n: int) -> list[dict[str, object]]:
    export, _ = generate(scratch, FETCH_TICKETS)
    base = scratch / "empty"
    create_workspace(base).close()
    probe = scratch / "probe"
    shutil.copytree(base, probe)
    start = time.perf_counter()
    subprocess.run(command(probe, "fetch", str(export)), env=ENV, capture_output=True, check=True)
    full = time.perf_counter() - start
    shutil.rmtree(probe)
    rng = random.Random("fetch-crash")
    results = [fetch_trial(base, scratch, export, rng.uniform(0.2, full)) for _ in range(n)]
    return [*results, {"full": full, "window": f"0.20–{full:.2f} s"}]


def summary(kind: str, results: list[dict[str, object]]) -> str:
    full = results[-1]["full"]
    rows = results[:-1]
    phases = Counter(str(r["phase"]) for r in rows)
    clean = sum(bool(r["clean"]) for r in rows)
    rerun = sum(bool(r["rerun_ok"]) for r in rows)
    notes = sum(int(r["notes"]) for r in rows)  # type: ignore[call-overload]
    return (
        f"| `{kind}` | {len(rows)} | {phases['in the file step']} | {phases['other']} | "
        f"{phases['finished']} | {notes} | {clean}/{len(rows)} | {rerun}/{len(rows)} | "
        f"{float(full):.1f} s | {results[-1]['window']} |"  # type: ignore[arg-type]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--write", type=Path, help="update the «Crash trials» section there")
    options = parser.parse_args()
    started = datetime.now().strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="srgcli-crash-") as name:
        scratch = Path(name)
        demo, reported, ticket = prepare(scratch)
        lines = [
            summary("fetch", run_fetch_trials(scratch, options.trials)),
            summary("report", run_trials("report", demo, scratch, ticket, options.trials)),
            summary("submit", run_trials("submit", reported, scratch, ticket, options.trials)),
        ]
    body = "\n".join(
        [
            f"Measured {started} (machine clock) on {machine_line()}; load average {load:.1f}. "
            f"Script: `python benchmarks/bench_crash.py --write docs/reliability.md`.",
            "",
            "Each trial kills the command with SIGKILL after a random delay within the kill "
            "window: the time an uninterrupted run had its intent record in `.inflight/` "
            "(from the temporary file to the commit), 0.3 s either side; then it opens the "
            "workspace again, checks that files and rows are in step, and runs the command "
            "again. «In the file step»: killed while its intent record was in `.inflight/` "
            "(between the temporary file and the commit); «earlier»: killed before it; "
            "«finished»: it ended before the kill. «Notes»: what the open said it put right "
            "(a file moved aside, a submission completed). The moments between a rename and "
            "its commit last microseconds, which random kills seldom hit: "
            "`tests/reliability/test_crash_report.py`, `test_crash_act.py` and "
            "`test_crash_submit.py` kill the "
            "commands before and after each of their renames and commits in turn, "
            "deterministically. For `fetch`, «in step after open» means SQLite's integrity "
            f"check passed and none or all of its {FETCH_TICKETS:,} tickets were there; "
            "«re-run exactly once»: the re-run left each ticket once.",
            "",
            "| Command | Trials | In the file step | Earlier | Finished | Notes | In step after "
            "open | Re-run exactly once | Uninterrupted run | Kill window |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *lines,
        ]
    )
    print(body)
    if options.write:
        if not options.write.exists():
            options.write.write_text("# Reliability\n", "utf-8")
        update_section(options.write, "Crash trials", body)


if __name__ == "__main__":
    main()
