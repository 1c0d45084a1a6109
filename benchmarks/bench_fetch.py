"""Benchmark of `srgcli fetch` on a large export, against a plain stdlib import of the same file.

Usage:  python benchmarks/bench_fetch.py [--tickets 100000] [--runs 3] [--write docs/benchmarks.md]
                                        [--before DIR --before-label TEXT]

For JSON Lines and CSV it measures, each in a fresh process (so peak memory is per run):
  * baseline: stdlib json/csv parsing + sqlite3 executemany in one transaction;
  * srgcli first import into a fresh workspace;
  * srgcli re-import of the same file (everything unchanged).
With --before DIR (the `src` folder of another srgcli version, e.g. from `git archive`), that
version's first import and re-import are measured too, in the same run, for a before/after
comparison. With --write docs/benchmarks.md the figures replace this benchmark's section there.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from common import machine_line, update_section
from srgcli.model import TICKET_FIELDS

SECTION = "fetch: importing a large export"
# The ticket's own fields, as the export carries them (the model's canonical names).
COLUMNS = list(TICKET_FIELDS)

SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Лебедев"]
NAMES = ["Иван", "Пётр", "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Олег"]
PATRONYMICS = ["Иванович", "Петрович", "Сергеевич", "Андреевич", "Олегович", "Юрьевич"]
BANKS = ["ПАО Сбербанк", "Банк ВТБ (ПАО)", "АО «Альфа-Банк»", "ПАО «Совкомбанк»", ""]
TYPES = ["квартира", "жилой дом", "земельный участок", "коммерческая недвижимость"]
CATEGORIES = ["сроки", "качество отчёта", "поведение специалиста", "стоимость", "осмотр"]
SENTENCES = [
    "Отчёт об оценке обещали подготовить через три рабочих дня после осмотра.",
    "Прошло больше недели, банк не может рассмотреть заявку на ипотечный кредит.",
    "Оценщик перенёс осмотр дважды и не предупредил заранее.",
    "В отчёте неверно указана площадь квартиры и этаж.",
    "Прошу вернуть деньги за услугу или срочно выдать исправленный отчёт.",
    "На звонки в офис никто не отвечает, письма остаются без ответа.",
]


def make_record(n: int, rnd: random.Random) -> dict[str, str]:
    """One synthetic ticket of about 1.2 KB, in the forms an ИС export uses."""
    day = rnd.randint(1, 28)
    month = rnd.randint(1, 11)
    hour, minute = rnd.randint(8, 19), rnd.randint(0, 59)
    if n % 2:
        received = f"{day:02d}.{month:02d}.2026 {hour:02d}:{minute:02d}"
    else:
        received = f"2026-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+03:00"
    digits = f"{rnd.randint(0, 9999999):07d}"
    code = rnd.choice(["916", "903", "926", "985", "999", "495"])
    phone = rnd.choice(
        [
            f"+7 ({code}) {digits[:3]}-{digits[3:5]}-{digits[5:]}",
            f"8 {code} {digits[:3]} {digits[3:5]} {digits[5:]}",
            f"8{code}{digits}",
        ]
    )
    text = " ".join(rnd.choice(SENTENCES) for _ in range(6))
    return {
        "id": f"2026-{n:07d}",
        "received_at": received,
        "due_at": "",
        "client_name": f"{rnd.choice(SURNAMES)} {rnd.choice(NAMES)} {rnd.choice(PATRONYMICS)}",
        "client_phone": phone,
        "client_email": f"client{n}@example.ru",
        "order_id": f"ОЦ-{n:07d}",
        "order_date": f"2026-{month:02d}-{day:02d}",
        "object_type": rnd.choice(TYPES),
        "object_address": f"г. Москва, ул. Профсоюзная, д. {rnd.randint(1, 150)}, "
        f"кв. {rnd.randint(1, 300)}",
        "bank": rnd.choice(BANKS),
        "appraiser": f"{rnd.choice(SURNAMES)} {rnd.choice(NAMES)} {rnd.choice(PATRONYMICS)}",
        "category": rnd.choice(CATEGORIES),
        "complaint_text": text,
        "client_demand": "Получить отчёт и компенсацию за задержку",
    }


def generate(folder: Path, count: int) -> tuple[Path, Path]:
    """Write the same tickets as JSON Lines and as CSV (semicolons, UTF-8 with BOM)."""
    rnd = random.Random(20261125)
    jsonl, csv_path = folder / "tickets.jsonl", folder / "tickets.csv"
    with (
        jsonl.open("w", encoding="utf-8") as fj,
        csv_path.open("w", encoding="utf-8-sig", newline="") as fc,
    ):
        writer = csv.writer(fc, delimiter=";")
        writer.writerow(COLUMNS)
        for n in range(1, count + 1):
            record = make_record(n, rnd)
            fj.write(json.dumps(record, ensure_ascii=False) + "\n")
            writer.writerow([record[c] for c in COLUMNS])
    return jsonl, csv_path


# --- the child processes ----------------------------------------------------------------------


def child_baseline(path: Path, db: Path) -> None:
    """The plain script: stdlib parsing and one executemany in one transaction."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute(f"create table tickets ({', '.join(c + ' text' for c in COLUMNS)})")
    marks = ", ".join("?" for _ in COLUMNS)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        if path.suffix == ".jsonl":
            records = map(json.loads, fh)
            rows = (tuple(r.get(c) for c in COLUMNS) for r in records)
        else:
            reader = csv.reader(fh, delimiter=";")
            next(reader)
            rows = (tuple(row) for row in reader)
        with conn:
            conn.executemany(f"insert into tickets values ({marks})", rows)
    conn.close()


def child_schema(path: Path, root: Path) -> None:
    """The plain script again, but into a fresh srgcli workspace (WAL, its indexes)."""
    import sqlite3

    from srgcli.workspace import create_workspace

    create_workspace(root).close()
    conn = sqlite3.connect(root / "srgcli.db")
    try:  # as fetch's first import does: the search index waits for the first search
        from srgcli.workspace.search import defer_ticket_index
    except ImportError:  # a version without search
        pass
    else:
        with conn:
            defer_ticket_index(conn)
    marks = ", ".join("?" for _ in COLUMNS)
    sql = f"insert into tickets ({', '.join(COLUMNS)}, created_at) values ({marks}, 'now')"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        if path.suffix == ".jsonl":
            records = map(json.loads, fh)
            rows = (tuple(r.get(c) for c in COLUMNS) for r in records)
        else:
            reader = csv.reader(fh, delimiter=";")
            next(reader)
            rows = (tuple(row) for row in reader)
        with conn:
            conn.executemany(sql, rows)
    conn.close()


def child_srgcli(path: Path, root: Path) -> None:
    """srgcli's import pipeline, as `srgcli fetch FILE` runs it."""
    try:
        from srgcli.fetch import import_files
    except ImportError:  # a --before version from when fetch was one module
        from srgcli.fetching import import_files  # type: ignore[import-not-found,no-redef]
    from srgcli.workspace import create_workspace, open_workspace

    ws = open_workspace(root) if root.exists() else create_workspace(root)
    summary = import_files(ws, [str(path)])
    ws.close()
    print(
        json.dumps({"new": summary.new, "unchanged": summary.unchanged}),
        file=sys.stderr,
    )


def run_child(kind: str, path: Path, target: Path, src: Path | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one run in a fresh interpreter (srgcli from `src` if given:
    PYTHONPATH comes before the editable install's path entry)."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        "import bench_fetch as b; t = __import__('time').perf_counter(); "
        f"b.child_{kind}(Path(sys.argv[2]), Path(sys.argv[3])); "
        "import resource; print(__import__('time').perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once, not per run
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(path), str(target)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    seconds, rss = out.stdout.split()
    return float(seconds), float(rss)


Result = dict[str, float | str]
LOAD_AT_START = os.getloadavg()[0]
LOAD_AT_END = LOAD_AT_START


def round_robin(
    plan: list[tuple[str, str, str, bool, Path | None]], path: Path, folder: Path, runs: int
) -> Result:
    """Median seconds and largest peak RSS of each variant, measured in turns (a fresh target
    per run for fresh variants; the others reuse the target that run 1 filled)."""
    import shutil
    import statistics

    times: dict[str, list[float]] = {name: [] for name, *_ in plan}
    peaks: dict[str, list[float]] = {name: [] for name, *_ in plan}
    for n in range(runs):
        for name, kind, target, fresh, src in plan:
            where = folder / (f"{target}-{n}" if fresh else target)
            seconds, peak = run_child(kind, path, where, src)
            times[name].append(seconds)
            peaks[name].append(peak)
            print(f"  run {n + 1} {name}: {seconds:.2f} s", file=sys.stderr)
        for _, _, target, fresh, _ in plan:
            where = folder / f"{target}-{n}"
            if fresh and n and where.exists():
                if where.is_dir():
                    shutil.rmtree(where)
                else:
                    where.unlink()
    result: Result = {}
    for name in times:
        result[f"{name}_s"] = statistics.median(times[name])
        result[f"{name}_mb"] = max(peaks[name])
        result[f"{name}_range"] = f"{min(times[name]):.1f}–{max(times[name]):.1f}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="update this Markdown file's section")
    parser.add_argument("--before", type=Path, help="src folder of the version to compare with")
    parser.add_argument("--before-label", default="before", help="how to name that version")
    args = parser.parse_args()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = generate(folder, args.tickets)
        print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for path in files:
            kind = path.suffix[1:]
            row: Result = {"file": kind.upper(), "size": path.stat().st_size / args.tickets}
            # Round robin: each run measures every variant once, so a change in the machine's
            # load during the benchmark hits them all alike.
            before = args.before.resolve() if args.before is not None else None
            plan: list[tuple[str, str, str, bool, Path | None]] = [
                ("base", "baseline", f"b-{kind}.db", True, None),
                ("schema", "schema", f"s-{kind}", True, None),
                ("first", "srgcli", f"ws-{kind}", True, None),
                # Re-import into the workspace of the first run (kept).
                ("again", "srgcli", f"ws-{kind}-0", False, None),
            ]
            if before is not None:
                plan += [
                    ("old", "srgcli", f"old-{kind}", True, before),
                    ("old_again", "srgcli", f"old-{kind}-0", False, before),
                ]
            row.update(round_robin(plan, path, folder, args.runs))
            results.append(row)
            print(json.dumps(row), file=sys.stderr)
    global LOAD_AT_END
    LOAD_AT_END = os.getloadavg()[0]
    text = report(args.tickets, args.runs, results, args.before_label if args.before else None)
    print(text)
    if args.write:
        update_section(args.write, SECTION, text)


def report(count: int, runs: int, results: list[Result], before: str | None = None) -> str:
    """The Markdown section with the figures."""
    import sqlite3

    lines = [
        f"Measured {datetime.now():%Y-%m-%d %H:%M} (machine clock) on {machine_line()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; load average "
        f"{LOAD_AT_START:.1f} when it started and {LOAD_AT_END:.1f} when it ended (other work "
        f"shares the 2 cores: see the spread of the runs below); median of {runs} runs, each in a "
        "fresh process with its imports; memory is the largest peak RSS. Script: "
        "`python benchmarks/bench_fetch.py --write docs/benchmarks.md`"
        + (
            " `--before DIR` (the previous version's `src`, measured in the same run)."
            if before
            else "."
        ),
        "",
        f"{count:,} synthetic tickets (Russian names, phones and dates in mixed forms, a long "
        "complaint text), the same tickets as JSON Lines and as CSV (`;`, UTF-8 with BOM).",
        "",
        "- *plain*: the standard `json`/`csv` module and `sqlite3` `executemany` in one "
        "transaction into a bare table (default rollback journal, no indexes);",
        "- *plain, srgcli schema*: the same script into a fresh workspace's `tickets` table "
        "(WAL, primary key and indexes; the search index's triggers dropped, as fetch's first "
        "import does): the same storage work without srgcli's processing;",
        "- *srgcli*: `fetch` into a fresh workspace — maps columns, normalises and validates "
        "every value, computes deadlines, keeps the record as received, audits;",
        "- *re-import*: the same file again into that workspace, everything unchanged.",
        "",
        "| file | bytes/ticket | plain | plain, srgcli schema | srgcli | ratio to plain "
        "| ratio to plain, srgcli schema | peak memory | re-import | peak memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        base, schema, first = float(r["base_s"]), float(r["schema_s"]), float(r["first_s"])
        lines.append(
            f"| {r['file']} | {float(r['size']):.0f} | {base:.2f} s | {schema:.2f} s "
            f"| {first:.2f} s | {first / base:.2f}× | {first / schema:.2f}× "
            f"| {float(r['first_mb']):.0f} MB | {float(r['again_s']):.2f} s "
            f"| {float(r['again_mb']):.0f} MB |"
        )
    if before:
        lines += [
            "",
            f"Before and after, same run ({before} → this version; in brackets the fastest and "
            "slowest of the runs, which shows how much the machine's load moved the figures):",
            "",
            "| file | first import before | after | ratio to plain before | after "
            "| re-import before | after | peak memory before | after |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in results:
            base = float(r["base_s"])
            old, new = float(r["old_s"]), float(r["first_s"])
            lines.append(
                f"| {r['file']} | {old:.2f} s ({r['old_range']}) "
                f"| {new:.2f} s ({r['first_range']}) "
                f"| {old / base:.2f}× "
                f"| {new / base:.2f}× | {float(r['old_again_s']):.2f} s "
                f"| {float(r['again_s']):.2f} s | {float(r['old_mb']):.0f} MB "
                f"| {float(r['first_mb']):.0f} MB |"
            )
    worst = max(float(r["first_s"]) / float(r["base_s"]) for r in results)
    memory = max(max(float(r["first_mb"]), float(r["again_mb"])) for r in results)
    reimport = all(float(r["again_s"]) <= float(r["first_s"]) for r in results)
    storage = [float(r["schema_s"]) / float(r["base_s"]) for r in results]
    lines += [
        "",
        "Targets (issue 3), in this run:",
        f"- within 1.5× of *plain*: {'met' if worst <= 1.5 else 'NOT met'} (worst {worst:.2f}×);",
        f"- peak memory under 200 MB: {'met' if memory < 200 else 'NOT met'} ({memory:.0f} MB; "
        "JSON Lines and CSV are streamed, 1,000 records per chunk, plus a 32 MB SQLite page "
        "cache during the import);",
        f"- re-import no slower than the first import: {'met' if reimport else 'NOT met'} "
        "(a record whose digest and layout match the stored ones, under the same settings, is "
        "not normalised again; any other is normalised and compared with the stored row).",
        "",
        "Where the first import's time goes: the storage work alone (*plain, srgcli schema*: "
        f"WAL, primary key and indexes) is {min(storage):.1f}–{max(storage):.1f}× *plain*. "
        "srgcli normalises a chunk of 1,000 records column by column: a column is joined into "
        "one string and checked with one pattern (moments, dates and phones rewritten in bulk), "
        "and only a column with something unusual goes value by value. The record as received "
        "is kept as a layout shared by the export's records plus the values the stored fields do "
        "not give back (about 90 bytes per ticket here instead of a 1.2 KB copy), new tickets "
        "are audited with one `INSERT … SELECT` per chunk, and the import writes through a "
        "rollback journal when no other connection has the workspace open (each page written "
        "once instead of to the WAL and again at the checkpoint), and Python's cyclic garbage "
        "collector pauses meanwhile (an import builds no cycles). Measured separately with CPU "
        "time on the CSV (2026-11-25, load average about 1): reading the file 1.1–1.2 s, "
        "checking ids and grouping 0.4 s, normalising the columns 1.1 s, the received-record "
        "deltas 0.4 s, the rest of the Python side 0.6 s, SQLite inserting rows and audit "
        "entries 1.3 s, building the indexes 0.2 s: about 5.8 s of CPU against 1.5–2.4 s for "
        "*plain* in the same minutes. The Python side alone (about 2.5 s) exceeds the whole "
        "budget that 1.5× of *plain* leaves, so the target is not reachable with this design "
        "in pure Python; the next step would be a vectorised column engine (e.g. Arrow or "
        "Polars string kernels) behind the same `ColumnNormalizer` interface and its property "
        "test. Tried earlier and dropped, measured: a helper thread writing while the next "
        "chunk is prepared (no gain: sqlite3 takes the GIL back for every row); a worker "
        "process that parses and normalises while the main process writes (pickling the "
        "results costs as much as it saves on 2 cores).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
