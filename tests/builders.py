"""Every helper the tests share (with conftest.py's fixtures): tickets and order histories
seeded into a real workspace through fetch's own import path, sample export rows, snapshots
of the database, settled tickets and recorded reports, and generated values for the
property tests."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from srgcli.model import Finding
from srgcli.tickets import require_ticket
from srgcli.workspace import Workspace, open_workspace, reads, writes
from srgcli.workspace.db import transaction

# The ticket most tests work on (GOOD_TICKET's id).
TICKET = "2026-000200"

# A ticket with every required field valid, as the ИС sends it; tests override what they need.
GOOD_TICKET: dict[str, Any] = {
    "id": TICKET,
    "received_at": "2026-11-16T09:40:00+03:00",
    "client_name": "Смирнова Ольга Викторовна",
    "client_phone": "+7 (916) 204-31-77",
    "client_email": "o.smirnova@example.ru",
    "order_id": "ОЦ-48213",
    "order_date": "2026-10-27",
    "object_type": "квартира",
    "object_address": "г. Москва, ул. Профсоюзная, д. 93, кв. 41",
    "category": "сроки",
    "complaint_text": "Отчёт задерживается.",
}


def ticket_record(ticket_id: str, **extra: Any) -> dict[str, Any]:
    """GOOD_TICKET under another id (and an order id of its own), `extra` on top: a record
    for an export file or the ИС."""
    return {**GOOD_TICKET, "id": ticket_id, "order_id": f"ОЦ-{ticket_id[-3:]}", **extra}


# Headers as the ИС's Excel export writes them, and two tickets in that shape.
RU_HEADERS = [
    "№ заявки",
    "Дата поступления",
    "ФИО клиента",
    "Телефон",
    "E-mail",
    "№ заказа",
    "Адрес объекта",
    "Тип объекта",
    "Категория",
    "Суть обращения",
    "Срок исполнения",
]
RU_ROWS = [
    [
        "2026-000501",
        "03.11.2026 10:15",
        "Соколова Мария Петровна",
        "8 (916) 123-45-67",
        "m.sokolova@example.ru",
        "ОЦ-50001",
        "г. Москва, ул. Тверская, д. 1, кв. 2",
        "квартира",
        "сроки",
        "Отчёт задерживается, банк ждёт.",
        "",
    ],
    [
        "2026-000502",
        "2026-11-05T12:00:00+03:00",
        "Ёлкин Пётр Семёнович",
        "+7 495 123-45-67",
        "elkin@example.ru",
        "ОЦ-50002",
        "Московская обл., г. Химки, ул. Мира, д. 5",
        "жилой дом",
        "качество отчёта",
        "В отчёте ошибка в площади; прошу исправить.",
        "12.11.2026 18:00",
    ],
]


def add_ticket(
    ws: Workspace,
    history: Iterable[Mapping[str, Any]] = (),
    **fields: Any,
) -> str:
    """Fetch one ticket (GOOD_TICKET with `fields` on top) with its order history, through
    fetch's own import path (as from an export file); returns its id."""
    from srgcli.fetch import SourceRecord, run_batch
    from srgcli.fetch.importer import ticket_id_of

    record = {**GOOD_TICKET, **fields}
    if history:
        record["history"] = [dict(event) for event in history]
    summary = run_batch(
        ws,
        lambda importer: importer.feed([SourceRecord("test", 1, record)], source_label="test"),
        command="test",
    )
    assert not summary.rejected, summary.rejected
    ticket_id = ticket_id_of(record["id"])
    assert ticket_id is not None
    return ticket_id


def table_dump(source: Workspace | Path, *tables: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the given tables (of every table when none is named), to compare a
    workspace before and after a command. `source`: an open workspace, its folder, or its
    database file."""
    if isinstance(source, Workspace):
        return _dump(source.conn, tables)
    path = source / "srgcli.db" if source.is_dir() else source
    conn = sqlite3.connect(path)
    try:
        return _dump(conn, tables)
    finally:
        conn.close()


def _dump(conn: sqlite3.Connection, tables: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
    names = tables or tuple(
        r[0]
        for r in conn.execute("select name from sqlite_master where type = 'table' order by name")
    )
    return {name: _rows(conn, name) for name in names}


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    """Every row of `table` in a stable order (by rowid, or by value for the search index's
    WITHOUT ROWID tables)."""
    try:
        return [tuple(row) for row in conn.execute(f"select * from {table} order by rowid")]
    except sqlite3.OperationalError:
        return sorted((tuple(row) for row in conn.execute(f"select * from {table}")), key=repr)


def file_hashes(root: Path) -> dict[str, str]:
    """Names and hashes of every file in a folder, to prove nothing changed."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# The steps `settle` takes a ticket through, in order.
SETTLED = ("finding", "contact", "resolution")


def settle(
    ws: Workspace,
    ticket_id: str = TICKET,
    *,
    steps: tuple[str, ...] = SETTLED,
) -> None:
    """Take a ticket through these steps, through the library: a finding (confirmed, on
    the last two events), a call that reached the client, the settlement."""
    if "finding" in steps:
        evidence = tuple(e.id for e in reads.events(ws, ticket_id))[-2:]
        writes.save_finding(
            ws,
            Finding(
                ticket_id=ticket_id,
                verdict="confirmed",
                category="deadlines",
                description="Отчёт подготовлен позже обещанного срока.",
                root_cause="Оценщик затянул подготовку отчёта.",
                responsible="appraiser",
                evidence=evidence,
                corrective_action="Оценщику указано на сроки по регламенту.",
            ),
            command="test",
        )
    if "contact" in steps:
        writes.add_contact(
            ws,
            ticket_id,
            at="2026-11-17T11:00:00+03:00",
            channel="phone",
            direction="out",
            party="client",
            outcome="reached",
            summary="Клиенту сообщён срок передачи отчёта.",
            command="test",
        )
    if "resolution" in steps:
        writes.save_resolution(
            ws, ticket_id, "satisfied", "Отчёт передан клиенту, стоимость услуги снижена."
        )


def write_template(path: Path, *paragraphs: str) -> Path:
    """A DOCX report template with these paragraphs."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def make_report(
    root: Path, version: int = 1, text: str = "Отчёт по заявке.", ticket: str = TICKET
) -> Path:
    """TICKET (or `ticket`) settled (added first if missing) with a fresh report: a real DOCX
    recorded as `report` would."""
    ws = open_workspace(root)
    try:
        if reads.get_ticket(ws, ticket) is None:
            add_ticket(ws, **({} if ticket == TICKET else ticket_record(ticket)))
            settle(ws, ticket)
        folder = ws.reports_dir / ticket
        folder.mkdir(parents=True, exist_ok=True)
        path = write_template(folder / f"{ticket}-v{version}.docx", text)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        revision = require_ticket(ws, ticket).revision
        with transaction(ws.conn):
            ws.conn.execute(
                "insert into reports (ticket_id, version, template, path, sha256, gate, "
                "input_hash, ticket_revision, created_at) values (?, ?, 'default', ?, ?, ?, ?, "
                "?, '2026-11-24T12:00:00+03:00')",
                (
                    ticket,
                    version,
                    str(path.relative_to(ws.root)),
                    digest,
                    json.dumps({"engine": "pylat", "errors": 0, "warnings": 0}),
                    "inputs",
                    revision,
                ),
            )
        return path
    finally:
        ws.close()


# The executor's paperwork: a workspace set up for acts, and an act recorded without a ticket.
BILLING_CUSTOMER = {
    "name": "ООО «Оценка-Сервис»",
    "inn": "7707083893",
    "kpp": "773601001",
    "address": "г. Москва, ул. Вавилова, д. 19",
    "contract_number": "15/2026",
    "contract_date": "2026-01-15",
}


def configure_billing(root: Path, **billing: Any) -> None:
    """Write the executor's profile, BILLING_CUSTOMER and `billing` (price 1500 by default)
    into the workspace's srgcli.toml."""
    import tomlkit

    path = root / "srgcli.toml"
    doc: Any = tomlkit.parse(path.read_text("utf-8"))
    doc["executor"]["name"] = "Петрова Анна Сергеевна"
    doc["executor"]["inn"] = "500100732259"
    for key, value in BILLING_CUSTOMER.items():
        doc["customer"][key] = value
    for key, value in {"price": 1500.0, **billing}.items():
        doc["billing"][key] = value
    path.write_text(tomlkit.dumps(doc), "utf-8")


def record_act(root: Path, month: str, total: str, number: int = 1) -> None:
    """An act recorded as `act` would store it (no lines, a placeholder file), for the
    payment and income tests that need an act but not its document."""
    from decimal import Decimal

    from srgcli.workspace import billing

    with open_workspace(root) as ws, transaction(ws.conn):
        billing.store_act(
            ws.conn,
            year=int(month[:4]),
            number=number,
            month=month,
            version=1,
            issued_on=f"{month}-28",
            total=Decimal(total),
            regime="npd",
            customer=dict(BILLING_CUSTOMER),
            path=f"acts/{month[:4]}/akt-{number}.docx",
            sha256="0" * 64,
            gate={},
            lines=[],
            command="test",
        )


# Generated values for the property tests of fetch.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

mobile = st.builds(
    lambda prefix, code, rest, seps: (
        prefix
        + seps[0]
        + ("(" + code + ")" if seps[1] else code)
        + seps[2]
        + rest[:3]
        + seps[3]
        + rest[3:5]
        + seps[3]
        + rest[5:]
    ),
    st.sampled_from(["+7", "8"]),
    st.from_regex(r"9\d\d", fullmatch=True) | st.from_regex(r"[3-9][0-9]{2}", fullmatch=True),
    st.from_regex(r"\d{7}", fullmatch=True),
    st.tuples(
        st.sampled_from(["", " ", "-"]),
        st.booleans(),
        st.sampled_from(["", " ", "-"]),
        st.sampled_from(["", " ", "-"]),
    ),
)

field_text = st.one_of(
    mobile,
    st.from_regex(r"[a-z0-9._\-]{1,8}@[a-z0-9]{1,8}\.(ru|com|test)", fullmatch=True),
    st.from_regex(
        r"20[0-3][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\+03:00", fullmatch=True
    ),
    st.from_regex(r"[0-3][0-9]\.[01][0-9]\.20[0-3][0-9] [0-2][0-9]:[0-5][0-9]", fullmatch=True),
    st.from_regex(
        r"[А-ЯЁа-яё][а-яё]{1,6}(-[А-Я][а-я]{1,3})?( [А-ЯЁ][а-яё]{1,6}){1,3}", fullmatch=True
    ),
    st.sampled_from(["сроки", "Квартира", "03.11.2026 10:15", "ПАО  Банк", "", "  ", "x"]),
    st.text(max_size=15),
)


def read_hook_manifest(path: Path) -> list[dict[str, Any]]:
    """`.pre-commit-hooks.yaml` read as pre-commit would, for the subset of YAML it uses: a
    list of flat mappings with plain, single-quoted or boolean scalars (PyYAML is not a
    dependency). Anything outside that subset fails the test instead of being misread."""
    hooks: list[dict[str, Any]] = []
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("- "):
            hooks.append({})
            line = "  " + line[2:]
        assert hooks and line.startswith("  ") and not line.startswith("   "), (number, raw)
        key, sep, value = line.strip().partition(": ")
        assert sep and key.isidentifier() and key not in hooks[-1], (number, raw)
        if value.startswith("'"):
            assert value.endswith("'") and len(value) > 1, (number, raw)
            scalar: Any = value[1:-1].replace("''", "'")
        elif value in ("true", "false"):
            scalar = value == "true"
        else:
            assert value and value[0] not in '"[{&*!|>%@`' and " #" not in value, (number, raw)
            scalar = value
        hooks[-1][key] = scalar
    return hooks


def srgcli_command(root: Path, *args: str) -> list[str]:
    """The argv that runs `srgcli --workspace ROOT ARGS` in a fresh interpreter (a separate
    process, as another terminal would)."""
    import sys

    return [sys.executable, "-m", "srgcli", "--workspace", str(root), *args]


def srgcli_env(**extra: str) -> dict[str, str]:
    """The environment for a srgcli subprocess: this test's, srgcli importable from src/."""
    import os

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def write_jsonl(path: Path, count: int, *, first: int = 1000) -> Path:
    """An export of `count` valid tickets (ids from 2026-{first}), one JSON object a line."""
    with path.open("w", encoding="utf-8") as fh:
        for n in range(first, first + count):
            fh.write(json.dumps(ticket_record(f"2026-{n:06d}"), ensure_ascii=False) + "\n")
    return path


def configure_is(root: Path, base_url: str, **values: Any) -> None:
    """Point the workspace's `[is]` section at `base_url`, with other keys of it set too
    (`timeout=1`, `retries=0`)."""
    config = root / "srgcli.toml"
    lines = config.read_text("utf-8").replace('base_url = ""', f'base_url = "{base_url}"')
    text = lines.splitlines()
    start = text.index("[is]")
    for key, value in values.items():
        at = next(i for i in range(start, len(text)) if text[i].startswith(f"{key} = "))
        text[at] = f"{key} = {value}"
    config.write_text("\n".join(text) + "\n", "utf-8")


def damage_database(root: Path, *, where: str) -> None:
    """Overwrite part of a closed workspace's database with junk: its header (`header`) or
    the pages in the second half of the file (`pages`); the WAL is checkpointed first."""
    db = root / "srgcli.db"
    conn = sqlite3.connect(db)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.execute("pragma journal_mode = delete")
    conn.close()
    size = db.stat().st_size
    start, end = (0, 100) if where == "header" else (size // 2, size - 8192)
    with db.open("r+b") as fh:
        fh.seek(start)
        fh.write(b"\xff" * (end - start))


def set_config(root: Path, section: str, key: str, value: str) -> None:
    """Set `key = value` (TOML text) in [section] of the workspace's srgcli.toml, where
    `init` wrote its default."""
    config = root / "srgcli.toml"
    lines = config.read_text("utf-8").splitlines()
    start = lines.index(f"[{section}]")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("["):
            break
        if lines[i].startswith(f"{key} = "):
            lines[i] = f"{key} = {value}"
            config.write_text("\n".join(lines) + "\n", "utf-8")
            return
    raise AssertionError(f"[{section}] {key} not in {config}")


def _xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


_CSV_HEADER = "№ заявки,ФИО клиента,Телефон,Суть обращения\n"
# Hostile files too large (or too binary) to keep in tests/data/bad/: made on demand.
_GENERATED: dict[str, Any] = {
    "huge_field.csv": lambda p: p.write_text(
        _CSV_HEADER + "2026-1,Иванов Иван Иванович,89161234567," + "Ж" * 60_000 + "\n", "utf-8"
    ),
    "huge_record.json": lambda p: p.write_text(
        json.dumps([{"id": "2026-1", **{f"Поле {n}": "ж" * 45_000 for n in range(5)}}]), "utf-8"
    ),
    "deep_nesting.json": lambda p: p.write_text("[" * 100_000 + "]" * 100_000, "utf-8"),
    "deep_nesting.jsonl": lambda p: p.write_text(
        '{"id": "2026-1"}\n{"id": "2026-2", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
        "utf-8",
    ),
    "formula_no_cache.xlsx": lambda p: _xlsx(
        p,
        [["№ заявки", "ФИО клиента", "Суть обращения"], ["2026-1", "Иванов Иван", "=A2&B2"]],
    ),
    "float_ids.xlsx": lambda p: _xlsx(
        p, [["№ заявки", "ФИО клиента"], [1.5e300, "Иванов Иван"], [1.5, "Петров Пётр"]]
    ),
}


def hostile_file(corpus: Path, name: str, folder: Path) -> Path:
    """A file of the hostile-input corpus: from `corpus` (tests/data/bad), or made in
    `folder` when it is one of the generated ones."""
    make = _GENERATED.get(name)
    if make is None:
        return corpus / name
    path = folder / name
    make(path)
    return path


# --- crash trials: srgcli run in a subprocess that dies at a chosen rename or commit ---

# The driver: counts the renames (os.replace) into the workspace and the commits of its
# database; at point N ("<kind>:<before|after>") it dies like a SIGKILL would (os._exit, no
# cleanup) or, with "raise", raises SystemExit (cleanup runs). N = 0 only writes the points
# it passed, one per line, to the file named by argv[2].
CRASH_DRIVER = """
import os, sqlite3, sys
root, log, nth, how = os.path.realpath(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
seen = []
def point(label):
    seen.append(label)
    if nth == 0:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(label + "\\n")
    elif len(seen) == nth:
        if how == "raise":
            raise SystemExit(137)
        os._exit(137)
real_replace = os.replace
def replace(src, dst, *args, **kwargs):
    inside = os.path.realpath(os.fspath(dst)).startswith(root + os.sep)
    name = os.path.basename(os.path.dirname(os.fspath(dst))) + "/" + os.path.basename(dst)
    if inside:
        point("rename:before:" + name)
    real_replace(src, dst, *args, **kwargs)
    if inside:
        point("rename:after:" + name)
os.replace = replace
class Hooked(sqlite3.Connection):
    def execute(self, sql, *args):
        if sql.strip().lower() != "commit":
            return super().execute(sql, *args)
        point("commit:before")
        result = super().execute(sql, *args)
        point("commit:after")
        return result
real_connect = sqlite3.connect
def connect(path, *args, **kwargs):
    if os.path.realpath(os.fspath(path)) == os.path.join(root, "srgcli.db"):
        kwargs["factory"] = Hooked
    return real_connect(path, *args, **kwargs)
sqlite3.connect = connect
sys.argv = ["srgcli", "--workspace", root, *sys.argv[5:]]
from srgcli.cli.entry import main
main()
"""


def crash_run(
    root: Path, args: Sequence[str], nth: int, *, how: str = "exit", log: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`srgcli ARGS` on `root` in a subprocess that dies at crash point `nth` (see
    CRASH_DRIVER); `nth` = 0 runs it through, writing the points passed to `log`."""
    source = Path(__file__).resolve().parents[1] / "src"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(source), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            CRASH_DRIVER,
            str(root),
            str(log or os.devnull),
            str(nth),
            how,
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def crash_points(root: Path, args: Sequence[str], scratch: Path) -> list[str]:
    """The renames and commits `srgcli ARGS` passes on a copy of `root`, in order."""
    import shutil

    copy = scratch / "points-ws"
    shutil.copytree(root, copy, symlinks=True)
    log = scratch / "points.txt"
    done = crash_run(copy, args, 0, log=log)
    assert done.returncode == 0, done.stderr
    return log.read_text("utf-8").splitlines()


def assert_files_match_rows(root: Path) -> None:
    """After any crash and the next open: no temporaries, no intent records, every report, act
    and submission row with its file, every report or act file and outbox folder with its
    row."""
    conn = sqlite3.connect(root / "srgcli.db")
    try:
        reports = {p: s for p, s in conn.execute("select path, sha256 from reports")}
        acts = {p: s for p, s in conn.execute("select path, sha256 from acts")}
        submitted = {p for (p,) in conn.execute("select path from submissions")}
    finally:
        conn.close()
    assert list((root / ".inflight").iterdir()) == []
    for path, digest in {**reports, **acts}.items():
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == digest, path
    for folder in (root / "acts").iterdir() if (root / "acts").is_dir() else ():
        for item in folder.iterdir():
            assert not item.name.startswith("."), item
            if item.suffix == ".docx":
                assert item.relative_to(root).as_posix() in acts, item
    for folder in (root / "reports").iterdir():
        for item in folder.iterdir():
            assert not item.name.startswith("."), item
            if item.suffix == ".docx":
                assert item.relative_to(root).as_posix() in reports, item
    for item in (root / "outbox").iterdir():
        assert not item.name.startswith("."), item
        if item.name not in ("letters", "orphaned"):
            assert item.relative_to(root).as_posix() in submitted, item
    for path in submitted:
        assert (root / path / "manifest.json").is_file(), path


def forget_reports(root: Path) -> None:
    """Remove every report (rows and files) as if none had been made; the gate's cache of
    their texts stays, so making them again needs no spelling engine (fast in a subprocess)."""
    import shutil

    conn = sqlite3.connect(root / "srgcli.db")
    try:
        with conn:
            conn.execute("delete from reports")
    finally:
        conn.close()
    for folder in (root / "reports").iterdir():
        shutil.rmtree(folder)


def forget_acts(root: Path) -> None:
    """Remove every act (rows and files) as if none had been issued; the gate's cache of
    their texts stays, so issuing them again needs no spelling engine."""
    import shutil

    conn = sqlite3.connect(root / "srgcli.db")
    try:
        with conn:
            conn.execute("pragma foreign_keys = on")
            conn.execute("delete from acts")
    finally:
        conn.close()
    shutil.rmtree(root / "acts", ignore_errors=True)
