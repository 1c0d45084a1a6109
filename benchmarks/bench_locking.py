"""Commands run while a large fetch writes: how many are refused, how long they wait.

Usage:  python benchmarks/bench_locking.py [--tickets 30000] [--rounds 3] [--src DIR] [--label TEXT]

Creates a workspace with one ticket, starts `srgcli fetch` of a generated export in one
process and, until it ends, runs `srgcli fill ID --set bank=…` and `srgcli list --json`
alternately in another, each a fresh process as a user's second terminal would. Prints the
count of runs, of refusals (non-zero exit), the longest run, and how many announced a wait.
With --src DIR (the `src` folder of another srgcli version) that version is measured instead.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

TICKET = "2026-000001"


def _record(n: int) -> dict[str, str]:
    return {
        "id": f"2026-{n:06d}",
        "received_at": "2026-11-16T09:40:00+03:00",
        "client_name": "Смирнова Ольга Викторовна",
        "client_phone": "+7 (916) 204-31-77",
        "client_email": f"client{n}@example.ru",
        "order_id": f"ОЦ-{n:06d}",
        "object_type": "квартира",
        "object_address": "г. Москва, ул. Профсоюзная, д. 93, кв. 41",
        "category": "сроки",
        "complaint_text": "Отчёт задерживается, банк ждёт. " * 10,
    }


def race(srgcli: list[str], env: dict[str, str], export: Path) -> tuple[list[Run], float, int]:
    """One fetch of `export` and the loop of fill/list beside it until it ends."""
    started = time.monotonic()
    fetch = subprocess.Popen(
        [*srgcli, "fetch", str(export)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    runs: list[Run] = []
    n = 0
    while fetch.poll() is None:
        n += 1
        command = ["fill", TICKET, "--set", f"bank=Банк {n}"] if n % 2 else ["list", "--json"]
        t0 = time.monotonic()
        done = subprocess.run([*srgcli, *command], env=env, capture_output=True, text=True)
        first_line = done.stderr.strip().splitlines()[0] if done.stderr.strip() else ""
        runs.append(
            Run(
                command[0], done.returncode, time.monotonic() - t0, "жду" in done.stderr, first_line
            )
        )
    fetch.wait()
    return runs, time.monotonic() - started, fetch.returncode


class Run(NamedTuple):
    """One fill or list run beside the fetch."""

    command: str
    code: int
    seconds: float
    announced: bool
    message: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=3, help="fetches, each a fresh workspace")
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src")
    parser.add_argument("--label", default="this version")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))
    runs: list[Run] = []
    fetches: list[tuple[float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "big.jsonl"
        with export.open("w", encoding="utf-8") as fh:
            for n in range(2, args.tickets + 2):
                fh.write(json.dumps(_record(n), ensure_ascii=False) + "\n")
        first = Path(tmp) / "one.jsonl"
        first.write_text(json.dumps(_record(1), ensure_ascii=False) + "\n", "utf-8")
        for round_no in range(args.rounds):
            root = Path(tmp) / f"ws{round_no}"
            srgcli = [sys.executable, "-m", "srgcli", "--workspace", str(root)]
            subprocess.run(
                [sys.executable, "-m", "srgcli", "--no-input", "init", str(root)],
                env=env,
                check=True,
                capture_output=True,
            )
            subprocess.run([*srgcli, "fetch", str(first)], env=env, check=True, capture_output=True)
            got, seconds, code = race(srgcli, env, export)
            runs += got
            fetches.append((seconds, code))
    shown = ", ".join(f"{s:.1f} s (exit {c})" for s, c in fetches)
    print(f"{args.label}: {args.rounds} fetches of {args.tickets} tickets: {shown}")
    for name in ("fill", "list"):
        mine = [r for r in runs if r.command == name]
        refused = [r for r in mine if r.code != 0]
        longest = max((r.seconds for r in mine), default=0.0)
        after = sorted(round(r.seconds, 2) for r in refused)
        print(
            f"  {name}: {len(mine)} runs, {len(refused)} refused (after {after} s), "
            f"longest {longest:.1f} s, {sum(r.announced for r in mine)} announced a wait"
        )
        for message in sorted({r.message for r in refused})[:2]:
            print(f"    {message}")


if __name__ == "__main__":
    main()
