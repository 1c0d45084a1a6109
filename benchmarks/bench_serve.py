"""`srgcli serve`: what a warm server saves the commands that check text.

- `contact-log add` with a new one-sentence summary (always gated): wall time of a new
  process without a server (SRGCLI_SERVE=off) and with `srgcli serve --detach` running;
- `srgcli check` of a one-page letter, the same two ways;
- the gate on that letter: a warm in-process engine (`Gate.check` in this process) against
  the same check through the server (`/srgcli/gate`), the sentence cache emptied before each
  run so both do the whole work;
- 4 clients at once sending LanguageTool requests (`/v2/check`, one letter each): requests
  per second, and the server's memory.

Sentences come from benchmarks/data/business-fresh*/correct.tsv (business Russian the rules
were not tuned on), a new one for every run, so no run is answered from the cache unless said.

Run: python benchmarks/bench_serve.py [--runs 5] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))
from common import machine_line, update_section  # noqa: E402

LETTER_SENTENCES = 16  # about a page


def sentences() -> list[str]:
    """Correct business sentences, in file order."""
    found = []
    for path in sorted(HERE.glob("data/business-fresh*/correct.tsv")):
        with path.open(encoding="utf-8") as handle:
            found += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    return found


def srgcli(root: Path, *args: str, env: dict[str, str], stdin: str | None = None) -> float:
    """Wall time of one `srgcli ARGS` process in the workspace (its exit code is not checked:
    a summary the gate refuses was still checked)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "srgcli", "--workspace", str(root), "--no-input", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return time.perf_counter() - start


def load_average() -> str:
    """The 1-minute load average (the machine is shared)."""
    return f"{os.getloadavg()[0]:.1f}"


def rss_mb(pid: int) -> tuple[float, float]:
    """The process's resident memory and its peak, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def clear_cache(root: Path) -> None:
    """Empty the workspace's sentence cache."""
    from srgcli.gate.cache import GateCache
    from srgcli.workspace import open_workspace

    with open_workspace(root) as ws:
        GateCache(ws.conn).clear()


def lt_check(url: str, text: str) -> None:
    """One LanguageTool request, as LibreOffice sends it."""
    body = urllib.parse.urlencode({"text": text, "language": "ru-RU"}).encode()
    with urllib.request.urlopen(url + "/v2/check", body, timeout=600) as response:
        json.loads(response.read())


def threads_on_one_engine(gate: Any, texts: list[str]) -> dict[str, tuple[float, bool]]:
    """4 threads checking `texts` with one gate (no cache) in this process, with and without
    a lock: wall time, and whether every result equals the one checked alone."""
    from concurrent.futures import ThreadPoolExecutor

    alone = [gate.check(t).issues for t in texts]
    lock = threading.Lock()

    def locked(text: str) -> Any:
        with lock:
            return gate.check(text).issues

    def free(text: str) -> Any:
        return gate.check(text).issues

    found = {}
    for name, work in (("one lock", locked), ("no lock", free)):
        start = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(work, texts))
        found[name] = (time.perf_counter() - start, results == alone)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help="update this Markdown file")
    args = parser.parse_args()
    runs = args.runs
    pool = iter(sentences())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT / "src")
    off = {**env, "SRGCLI_SERVE": "off"}
    started = datetime.now().strftime("%Y-%m-%d %H:%M")
    load_before = load_average()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        subprocess.run(
            [sys.executable, "-m", "srgcli", "demo", str(root)],
            capture_output=True,
            env=env,
            check=True,
        )
        listed = subprocess.run(
            [sys.executable, "-m", "srgcli", "--workspace", str(root), "list", "--json"],
            capture_output=True,
            env=env,
            check=True,
            text=True,
        )
        ticket = next(t["id"] for t in json.loads(listed.stdout) if t["status"] == "filled")
        call = ["--channel", "phone", "--direction", "out", "--outcome", "reached"]
        letters = [
            " ".join(next(pool) for _ in range(LETTER_SENTENCES)) for _ in range(runs * 2 + 12)
        ]
        srgcli(root, "list", env=env)  # bytecode written, files in the page cache

        def add(environment: dict[str, str]) -> float:
            return srgcli(
                root, "contact-log", "add", ticket, *call, "--summary", next(pool), env=environment
            )

        add_off = [add(off) for _ in range(max(2, runs // 2))]
        check_off = [srgcli(root, "check", "-", env=off, stdin=letters.pop()) for _ in range(2)]
        list_times = [srgcli(root, "list", env=env) for _ in range(runs)]

        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "srgcli",
                "--workspace",
                str(root),
                "serve",
                "--detach",
                "--port",
                "0",
            ],
            capture_output=True,
            env=env,
            check=True,
        )
        start_time = time.perf_counter() - start
        from srgcli.gate.remote import read_record

        record = read_record(root)
        assert record is not None
        try:
            add_on = [add(env) for _ in range(runs)]
            check_on = [
                srgcli(root, "check", "-", env=env, stdin=letters.pop()) for _ in range(runs)
            ]

            from srgcli.gate.engine import Gate
            from srgcli.gate.pylat import PylatEngine
            from srgcli.gate.remote import RemoteChecker

            gate = Gate(PylatEngine())
            gate.check(letters[-1])  # the engine loaded in this process
            local, remote = [], []
            for _ in range(runs):
                letter = letters.pop()
                start = time.perf_counter()
                expected = gate.check(letter)
                local.append(time.perf_counter() - start)
                clear_cache(root)
                start = time.perf_counter()
                answered = RemoteChecker(record).check(gate, letter, ())
                remote.append(time.perf_counter() - start)
                assert answered is not None and answered.issues == expected.issues

            clear_cache(root)
            batch = [letters.pop() for _ in range(4)] * 2
            errors: list[BaseException] = []

            def client(texts: list[str]) -> None:
                try:
                    for text in texts:
                        lt_check(record.url, text)
                except BaseException as exc:  # reported below
                    errors.append(exc)

            threads = [threading.Thread(target=client, args=(batch[i::4],)) for i in range(4)]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            concurrent = time.perf_counter() - start
            assert not errors, errors
            rss, peak = rss_mb(record.pid)
            shared = threads_on_one_engine(gate, [letters.pop() for _ in range(4)])
        finally:
            subprocess.run(
                [sys.executable, "-m", "srgcli", "--workspace", str(root), "serve", "--stop"],
                capture_output=True,
                env=env,
                check=False,
            )

    med = statistics.median
    rows = [
        (
            "`contact-log add`, new one-sentence summary",
            med(add_off),
            med(add_on),
            "≤ 0.8 s with the server",
        ),
        ("`check -`, a one-page letter (16 sentences)", med(check_off), med(check_on), "—"),
    ]
    lines = [
        f"Measured {started} (machine clock) on {machine_line()}, Python "
        f"{sys.version.split()[0]}; load average {load_before} when it started and "
        f"{load_average()} when it ended: the 2 cores are shared with other work, so absolute "
        "times are inflated and noisy — compare the columns of one run. Median of "
        f"{runs} runs (without a server: {len(add_off)}), each a new process. Script: "
        "`python benchmarks/bench_serve.py --write docs/benchmarks.md`.",
        "",
        "| command | without a server | with `serve --detach` warm | ratio | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for what, before, after, target in rows:
        lines.append(
            f"| {what} | {before:.2f} s | {after:.2f} s | {before / after:.1f}× faster | {target} |"
        )
    lines += [
        f"| `list` (no text checked), for scale | {med(list_times):.2f} s | — | — | — |",
        "",
        "Starting the server (`serve --detach` until it answers, engine loaded): "
        f"{start_time:.1f} s.",
        "",
        "The gate on a one-page letter, cache emptied before each run, no process start-up:",
        "",
        "| warm engine in this process | through the server | ratio | target |",
        "| ---: | ---: | ---: | --- |",
        f"| {med(local):.2f} s | {med(remote):.2f} s | {med(remote) / med(local):.2f}× | ≤ 1.2× |",
        "",
        f"4 clients at once, 2 LanguageTool requests each (a one-page letter per request, "
        f"nothing cached): {len(batch)} requests in {concurrent:.1f} s, "
        f"{len(batch) / concurrent:.2f} requests/s; the server's memory afterwards "
        f"{rss:.0f} MB resident, peak {peak:.0f} MB. Checks take turns under one lock "
        "(see `srgcli/gate/server.py`), so 4 clients get the throughput of one engine.",
        "",
        "Could the engine be shared without the lock? 4 threads in one process checking 4 "
        "other letters at once (engine warm, no cache): "
        + "; ".join(
            f"{name}: {seconds:.1f} s, results {'equal to' if same else 'DIFFERENT from'} "
            "checking them one by one"
            for name, (seconds, same) in shared.items()
        )
        + ". Under the GIL the pure-Python engine gains little from threads, and pylat-ru does "
        "not promise thread safety, so the server keeps the lock.",
    ]
    body = "\n".join(lines)
    print(body)
    if args.write:
        update_section(args.write, "srgcli serve (bench_serve.py)", body)


if __name__ == "__main__":
    main()
