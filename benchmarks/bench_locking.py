"""Commands run while a large fetch writes: how many are refused, how long they wait.

Usage:  python benchmarks/bench_locking.py [--tickets 30000] [--src DIR] [--label TEXT]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=30_000)
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src")
    parser.add_argument("--label", default="this version")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        srgcli = [sys.executable, "-m", "srgcli", "--workspace", str(root)]
        subprocess.run(
            [sys.executable, "-m", "srgcli", "init", str(root), "--no-input"],
            env=env,
            check=True,
            capture_output=True,
        )
        first = Path(tmp) / "one.jsonl"
        first.write_text(json.dumps(_record(1), ensure_ascii=False) + "\n", "utf-8")
        subprocess.run([*srgcli, "fetch", str(first)], env=env, check=True, capture_output=True)
        export = Path(tmp) / "big.jsonl"
        with export.open("w", encoding="utf-8") as fh:
            for n in range(2, args.tickets + 2):
                fh.write(json.dumps(_record(n), ensure_ascii=False) + "\n")
        started = time.monotonic()
        fetch = subprocess.Popen(
            [*srgcli, "fetch", str(export)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs: list[tuple[str, int, float, bool, str]] = []
        n = 0
        while fetch.poll() is None:
            n += 1
            command = ["fill", TICKET, "--set", f"bank=Банк {n}"] if n % 2 else ["list", "--json"]
            t0 = time.monotonic()
            done = subprocess.run([*srgcli, *command], env=env, capture_output=True, text=True)
            runs.append(
                (
                    command[0],
                    done.returncode,
                    time.monotonic() - t0,
                    "жду" in done.stderr,
                    done.stderr.strip().splitlines()[-1:][0]
                    if done.returncode and done.stderr.strip()
                    else "",
                )
            )
        fetch_err = fetch.communicate()[1]
        fetch_seconds = time.monotonic() - started
    print(
        f"{args.label}: fetch of {args.tickets} tickets exit {fetch.returncode} "
        f"in {fetch_seconds:.1f} s {fetch_err.strip()[-200:] if fetch.returncode else ''}"
    )
    for name in ("fill", "list"):
        mine = [r for r in runs if r[0] == name]
        refused = [r for r in mine if r[1] != 0]
        longest = max((r[2] for r in mine), default=0.0)
        refused_after = sorted(round(r[2], 2) for r in refused)
        print(
            f"  {name}: {len(mine)} runs, {len(refused)} refused (after {refused_after} s), "
            f"longest {longest:.1f} s, {sum(r[3] for r in mine)} announced a wait"
        )
        for r in refused[:2]:
            print(f"    e.g. {r[4]}")


if __name__ == "__main__":
    main()
