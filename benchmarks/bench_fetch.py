"""Benchmark of `srgcli fetch` on a large export, against a plain stdlib import of the same file.

Usage:  python benchmarks/bench_fetch.py [--tickets 100000] [--runs 3] [--write docs/benchmarks.md]

For JSON Lines and CSV it measures, each in a fresh process (so peak memory is per run):
  * baseline: stdlib json/csv parsing + sqlite3 executemany in one transaction;
  * srgcli first import into a fresh workspace;
  * srgcli re-import of the same file (everything unchanged).
With --write docs/benchmarks.md the figures replace this benchmark's section there.
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

SECTION = "fetch: importing a large export"
COLUMNS = [
    "id",
    "received_at",
    "due_at",
    "client_name",
    "client_phone",
    "client_email",
    "order_id",
    "order_date",
    "object_type",
    "object_address",
    "bank",
    "appraiser",
    "category",
    "complaint_text",
    "client_demand",
]

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
    from srgcli.fetching import import_files
    from srgcli.workspace import create_workspace, open_workspace

    ws = open_workspace(root) if root.exists() else create_workspace(root)
    summary = import_files(ws, [str(path)])
    ws.close()
    print(
        json.dumps({"new": summary.new, "unchanged": summary.unchanged}),
        file=sys.stderr,
    )


def run_child(kind: str, path: Path, target: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one run in a fresh interpreter."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        "import bench_fetch as b; t = __import__('time').perf_counter(); "
        f"b.child_{kind}(Path(sys.argv[2]), Path(sys.argv[3])); "
        "import resource; print(__import__('time').perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(path), str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, rss = out.stdout.split()
    return float(seconds), float(rss)


Result = dict[str, float | str]
LOAD_AT_START = os.getloadavg()[0]


def median_run(kind: str, path: Path, target: Path, runs: int, fresh: bool) -> tuple[float, float]:
    """Median seconds and the largest peak RSS over `runs` runs (a fresh target each time
    when `fresh`, else the same target, which must already hold the import)."""
    import shutil
    import statistics

    times, peaks = [], []
    for n in range(runs):
        where = target.with_name(f"{target.name}-{n}") if fresh else target
        seconds, peak = run_child(kind, path, where)
        times.append(seconds)
        peaks.append(peak)
        if fresh and n and where.exists():
            if where.is_dir():
                shutil.rmtree(where)
            else:
                where.unlink()
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="update this Markdown file's section")
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
            runs = args.runs
            row["base_s"], row["base_mb"] = median_run(
                "baseline", path, folder / f"b-{kind}.db", runs, True
            )
            row["schema_s"], row["schema_mb"] = median_run(
                "schema", path, folder / f"s-{kind}", runs, True
            )
            row["first_s"], row["first_mb"] = median_run(
                "srgcli", path, folder / f"ws-{kind}", runs, True
            )
            # Re-import into the workspace of the first run (kept above).
            row["again_s"], row["again_mb"] = median_run(
                "srgcli", path, folder / f"ws-{kind}-0", runs, False
            )
            results.append(row)
            print(json.dumps(row), file=sys.stderr)
    text = report(args.tickets, args.runs, results)
    print(text)
    if args.write:
        update_section(args.write, SECTION, text)


def report(count: int, runs: int, results: list[Result]) -> str:
    """The Markdown section with the figures."""
    import sqlite3

    lines = [
        f"Measured {datetime.now():%Y-%m-%d %H:%M} (machine clock) on {machine_line()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, load average "
        f"{LOAD_AT_START:.1f} when it started (other work shares the 2 cores); median of {runs} "
        "runs, each in a fresh process with its imports; memory is the largest peak RSS. "
        "Script: `python benchmarks/bench_fetch.py --write docs/benchmarks.md`.",
        "",
        f"{count:,} synthetic tickets (Russian names, phones and dates in mixed forms, a long "
        "complaint text), the same tickets as JSON Lines and as CSV (`;`, UTF-8 with BOM).",
        "",
        "- *plain*: the standard `json`/`csv` module and `sqlite3` `executemany` in one "
        "transaction into a bare table (default rollback journal, no indexes);",
        "- *plain, srgcli schema*: the same script into a fresh workspace's `tickets` table "
        "(WAL, primary key and indexes): the same storage work without srgcli's processing;",
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
    worst = max(float(r["first_s"]) / float(r["base_s"]) for r in results)
    memory = max(max(float(r["first_mb"]), float(r["again_mb"])) for r in results)
    reimport = all(float(r["again_s"]) <= float(r["first_s"]) for r in results)
    storage = [float(r["schema_s"]) / float(r["base_s"]) for r in results]
    lines += [
        "",
        "Targets (issue 3), in this run:",
        f"- within 1.5× of *plain*: {'met' if worst <= 1.5 else 'NOT met'} (worst {worst:.2f}×);",
        f"- peak memory under 200 MB: {'met' if memory < 200 else 'NOT met'} ({memory:.0f} MB; "
        "JSON Lines and CSV are streamed, 1,000 records per chunk);",
        f"- re-import no slower than the first import: {'met' if reimport else 'NOT met'} "
        "(records whose text is the same as stored, under the same mapping and settings, are "
        "not normalised again).",
        "",
        "Where the first import's time goes: the storage work alone (*plain, srgcli schema*: WAL, "
        f"primary key and indexes) is {min(storage):.1f}–{max(storage):.1f}× *plain*; srgcli "
        "also stores each record as received (about twice the bytes written) and an audit "
        "entry per new ticket, and spends "
        "the rest in Python normalising and validating fourteen fields per ticket (phones, "
        "e-mails, dates, names, categories), mapping columns and computing deadlines — fast paths "
        "and caches already cover the common forms. Reaching 1.5× of a script that only copies "
        "strings would need that validation to leave the per-record path (a worker process or "
        "native code).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
