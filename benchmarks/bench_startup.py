"""Start-up and `list` speed: median wall time of real processes.

- `srgcli --version` against `python -c "import typer"` (target: within 1.3x);
- `srgcli list --json` on a workspace of 10,000 tickets (target: under 0.4 s).

Run: python benchmarks/bench_startup.py [--runs 15] [--write docs/benchmarks.md]
                                        [--before DIR --before-label TEXT]

With --before DIR (the `src` folder of another srgcli version, e.g. from `git archive`), both
versions run `python -m srgcli --version` and `list --json` on the same workspace, their runs
alternating in the same minutes, for a before/after ratio that machine load affects alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import machine_line, update_section  # noqa: E402


def median_time(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of a command over `runs` runs (after one warm-up).

    The commands may write their bytecode caches, as an installed srgcli has them: a
    PYTHONDONTWRITEBYTECODE inherited from the shell would have every run compile srgcli's
    modules again (about 0.1 s), which no user's installation does.
    """
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_medians(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, float]:
    """Median wall time of each command, their runs alternating (after one warm-up each)."""
    envs = {}
    for name, (cmd, env) in commands.items():
        envs[name] = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(cmd, check=True, capture_output=True, env=envs[name])
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, _env) in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=envs[name])
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def older_copy(root: Path, before: Path) -> Path:
    """A copy of the workspace that the version in `before` opens: the migrations it does not
    know are struck from the record (their tables stay; `list` only reads the old ones)."""
    import re
    import shutil
    import sqlite3

    source = (before / "srgcli" / "workspace" / "migrations.py").read_text(encoding="utf-8")
    known = set(re.findall(r"^def (m\d+_\w+)\(", source, flags=re.MULTILINE))
    copy = root.with_name(root.name + "-before")
    shutil.copytree(root, copy)
    conn = sqlite3.connect(copy / "srgcli.db")
    names = [row[0] for row in conn.execute("select name from _migrations")]
    unknown = [(name,) for name in names if name not in known]
    conn.executemany("delete from _migrations where name = ?", unknown)
    conn.commit()
    conn.close()
    return copy


def before_after(root: Path, before: Path, runs: int) -> dict[str, float]:
    """`--version` and `list --json` of the version in `before` and of this one, alternating."""
    here = HERE.parent / "src"
    commands = {}
    for label, src, workspace in (
        ("before", before, older_copy(root, before)),
        ("after", here, root),
    ):
        env = {**os.environ, "PYTHONPATH": str(src), "SRGCLI_WORKSPACE": str(workspace)}
        commands[f"version-{label}"] = ([sys.executable, "-m", "srgcli", "--version"], env)
        commands[f"list-{label}"] = ([sys.executable, "-m", "srgcli", "list", "--json"], env)
    return paired_medians(commands, runs)


def make_workspace(root: Path, count: int) -> None:
    """A workspace with `count` tickets at mixed stages, written through the library."""
    from srgcli.normalize.values import normalize_record
    from srgcli.tickets import compute_due
    from srgcli.workspace import create_workspace, writes
    from srgcli.workspace.db import transaction

    ws = create_workspace(root)
    categories = ["сроки", "качество отчёта", "оплата", "осмотр"]
    with transaction(ws.conn):
        for i in range(count):
            record = {
                "id": f"2026-{i:06d}",
                "received_at": f"2026-11-{1 + i % 24:02d}T10:00:00+03:00",
                "client_name": "Иванова Мария Петровна",
                "client_phone": "+79161234567",
                "order_id": f"ОЦ-{i}",
                "object_address": "г. Москва, ул. Ленина, д. 1",
                "category": categories[i % 4],
                "complaint_text": "Задержка отчёта.",
            }
            item = normalize_record(record)
            values = dict(item.values)
            values["due_at"] = compute_due(ws, values["received_at"])
            writes.insert_ticket(
                ws.conn,
                {"id": item.id, **values, "due_source": "computed", "invalid": item.invalid},
                command="benchmark",
            )
        ws.conn.executemany(
            "insert into findings (ticket_id, verdict, decided_at) values (?, 'confirmed', 'x')",
            [(f"2026-{i:06d}",) for i in range(0, count, 3)],
        )
    ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--write", type=Path, help="update this Markdown file's section")
    parser.add_argument("--before", type=Path, help="src folder of the version to compare with")
    parser.add_argument("--before-label", default="before", help="how to name that version")
    args = parser.parse_args()

    srgcli = str(Path(sys.executable).with_name("srgcli"))
    typer_import = median_time([sys.executable, "-c", "import typer"], args.runs)
    version = median_time([srgcli, "--version"], args.runs)
    helptext = median_time([srgcli, "--help"], args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        make_workspace(root, args.tickets)
        env = {**os.environ, "SRGCLI_WORKSPACE": str(root)}
        listing = median_time([srgcli, "list", "--json"], args.runs, env)
        out = subprocess.run([srgcli, "list", "--json"], check=True, capture_output=True, env=env)
        assert len(json.loads(out.stdout)) == args.tickets
        paired = before_after(root, args.before.resolve(), args.runs) if args.before else None

    lines = [
        f"Measured {date.today().isoformat()} on {machine_line()}, Python "
        f"{platform.python_version()}; median of {args.runs} runs, wall time of a new process; "
        f"load average {os.getloadavg()[0]:.1f} at the end (other work shares the cores).",
        "",
        "| what | median | reference | ratio | target |",
        "| --- | --- | --- | --- | --- |",
        f'| `srgcli --version` | {version * 1000:.0f} ms | `python -c "import typer"` '
        f"{typer_import * 1000:.0f} ms | {version / typer_import:.2f}x | ≤ 1.3x |",
        f"| `srgcli --help` | {helptext * 1000:.0f} ms | same | "
        f"{helptext / typer_import:.2f}x | — |",
        f"| `srgcli list --json`, {args.tickets:,} tickets | {listing * 1000:.0f} ms | — | — | "
        "< 400 ms |",
    ]
    if paired is not None:
        lines += [
            "",
            f"Before and after, same run, runs alternating ({args.before_label} → this version; "
            "both as `python -m srgcli`, so the ratio compares srgcli's own start-up):",
            "",
            "| what | before | after | ratio |",
            "| --- | --- | --- | --- |",
        ]
        for key, what in (("version", "`--version`"), ("list", "`list --json`")):
            old_time, new_time = paired[f"{key}-before"], paired[f"{key}-after"]
            lines.append(
                f"| {what} | {old_time * 1000:.0f} ms | {new_time * 1000:.0f} ms | "
                f"{new_time / old_time:.2f}x |"
            )
    text = "\n".join(lines)
    print(text)
    if args.write:
        update_section(args.write, "Start-up and list", text)


if __name__ == "__main__":
    main()
