"""The search index and fetch: a first import into an empty workspace leaves it stale (so fetch
costs what it did before search existed), the first search rebuilds it and says so, and from
then on the triggers keep it current; every other write path keeps it current or leaves it
stale for that rebuild."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from srgcli.demo import sample_tickets
from srgcli.search import refresh_index, search
from srgcli.workspace import open_workspace
from srgcli.workspace import search as search_index
from tests.conftest import (
    Cli,
    assert_index_consistent,
    build_demo,
    copy_demo,
    hits,
    stale_rows,
    ticket_triggers,
    where,
)

REBUILT = "Поисковый индекс построен"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo workspace as `srgcli demo` leaves it, built once (tests work on copies)."""
    yield from build_demo(tmp_path_factory)


def export_of(tmp_path: Path, records: list[dict[str, str]], name: str = "export.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    return str(path)


def test_a_first_fetch_leaves_the_index_stale_and_the_first_search_rebuilds_it(
    cli: Cli, tmp_path: Path
) -> None:
    root = cli.root or Path()
    triggers = ticket_triggers(root)
    assert [name for name, _ in triggers] == ["tickets_ad", "tickets_ai", "tickets_au"]
    fetched = cli("fetch", export_of(tmp_path, sample_tickets()))
    assert fetched.exit_code == 0, fetched.stderr
    assert "индекс" not in fetched.stderr
    # Nothing indexed row by row, nothing rebuilt at the end: the triggers are gone, the mark
    # says how much the first search will index.
    assert ticket_triggers(root) == []
    assert stale_rows(root) == len(sample_tickets())
    first = cli("search", "оценщика", "--json")
    assert f"{REBUILT} ({len(sample_tickets())} заявок" in first.stderr
    assert where(hits(first)) == {("complaint", "2026-000124", "complaint_text")}
    # The triggers are back exactly as the migration made them; the index matches the table.
    assert ticket_triggers(root) == triggers
    assert stale_rows(root) is None
    assert_index_consistent(root)
    second = cli("search", "оценщика", "--json")
    assert second.stderr == ""
    assert hits(second) == hits(first)
    # A later fetch into the workspace, now not empty, is indexed by the triggers at once.
    one_more = {**sample_tickets()[0], "id": "2026-000140", "complaint_text": "Оценщик грубил."}
    assert cli("fetch", export_of(tmp_path, [one_more])).exit_code == 0
    assert stale_rows(root) is None
    assert_index_consistent(root)
    assert {h["ticket_id"] for h in hits(cli("search", "оценщика", "--json"))} == {
        "2026-000124",
        "2026-000140",
    }


def test_a_first_fetch_that_writes_nothing_leaves_the_index_as_it_was(
    cli: Cli, tmp_path: Path
) -> None:
    root = cli.root or Path()
    triggers = ticket_triggers(root)
    dry = cli("fetch", export_of(tmp_path, sample_tickets()), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert ticket_triggers(root) == triggers
    assert stale_rows(root) is None


def test_an_empty_first_fetch_and_then_a_real_one_leave_it_stale_once(
    cli: Cli, tmp_path: Path
) -> None:
    root = cli.root or Path()
    triggers = ticket_triggers(root)
    assert cli("fetch", export_of(tmp_path, [], "empty.json")).exit_code == 0
    assert stale_rows(root) == 0
    # The workspace is still empty: the next fetch defers again and keeps the triggers to
    # bring back (they are already gone).
    assert cli("fetch", export_of(tmp_path, sample_tickets())).exit_code == 0
    assert stale_rows(root) == len(sample_tickets())
    assert hits(cli("search", "оценщика", "--json"))
    assert ticket_triggers(root) == triggers
    assert_index_consistent(root)


def test_search_from_python_rebuilds_a_stale_index_too(cli: Cli, tmp_path: Path) -> None:
    assert cli("fetch", export_of(tmp_path, sample_tickets())).exit_code == 0
    root = cli.root or Path()
    with open_workspace(root) as ws:
        seen: list[int] = []

        @contextmanager
        def refreshing(rows: int) -> Iterator[None]:
            seen.append(rows)
            yield

        result = search(ws, "оценщика")  # no status to show: rebuilt all the same
        assert {(h.kind, h.ticket_id) for h in result.hits} == {("complaint", "2026-000124")}
        assert not refresh_index(ws, refreshing)  # current now: nothing to do, nothing shown
        assert seen == []
    assert stale_rows(root) is None
    assert_index_consistent(root)


def test_two_refreshes_rebuild_once(cli: Cli, tmp_path: Path) -> None:
    assert cli("fetch", export_of(tmp_path, sample_tickets())).exit_code == 0
    conn = sqlite3.connect((cli.root or Path()) / "srgcli.db", isolation_level=None)
    try:
        assert search_index.refresh_index(conn)
        # A second process that waited for the write lock finds the work done.
        assert not search_index.refresh_index(conn)
        search_index.check_index(conn)
    finally:
        conn.close()


@pytest.mark.parametrize("searched", [True, False], ids=["current", "stale"])
def test_every_write_path_keeps_the_index_current_or_leaves_it_stale(
    demo_template: Path, tmp_path: Path, searched: bool
) -> None:
    """fill, a later fetch, contact-log add (a call, a letter), review and contact-log
    resolve: on a searched workspace the triggers index each write at once; on a workspace
    whose index a first fetch left stale the writes to tickets wait for the rebuild, and the
    first search then finds every new text and none of the replaced ones."""
    demo = copy_demo(demo_template, tmp_path / "demo", searched=searched)
    root = demo.root or Path()
    assert (stale_rows(root) is None) == searched
    call = ("--channel", "phone", "--direction", "out", "--outcome", "reached")
    letter = tmp_path / "letter.txt"
    letter.write_text("Уважаемый клиент!\n\nСообщаем, что площадь в отчёте уточнена.\n", "utf-8")
    record = next(r for r in sample_tickets() if r["id"] == "2026-000127")
    record["complaint_text"] = "Калькулятор на сайте показал одну цену, в договоре другая."
    steps = [
        ("fill", "2026-000124", "--set", "complaint_text=Специалист не приехал на выезд."),
        ("fetch", export_of(tmp_path, [record])),
        ("contact-log", "add", "2026-000121", *call, "--summary", "Разъяснён перерасчёт."),
        (
            "contact-log",
            "add",
            "2026-000121",
            *("--channel", "email", "--direction", "out", "--outcome", "resolved"),
            *("--summary", "Направлен ответ.", "--text-file", str(letter)),
        ),
        (
            "review",
            "2026-000121",
            *("--verdict", "partially_confirmed", "--category", "качество отчёта"),
            *("--responsible", "appraiser"),
            *("--description", "Площадь указана по старому техническому паспорту."),
        ),
        (
            "contact-log",
            "resolve",
            "2026-000121",
            *("--outcome", "explained", "--summary", "Клиенту разъяснены причины ошибки."),
        ),
    ]
    for step in steps:
        done = demo(*step)
        assert done.exit_code == 0, (step[0], done.stderr)
        if searched:  # kept current by the triggers, step by step
            assert stale_rows(root) is None
            assert_index_consistent(root)
    if not searched:
        assert stale_rows(root) == len(sample_tickets())
    found = {
        query: where(hits(demo("search", query, "--json")))
        for query in ("выезда", "калькулятор", "перерасчёта", "уточнена", "паспорт", "ошибки")
    }
    assert found == {
        "выезда": {("complaint", "2026-000124", "complaint_text")},
        "калькулятор": {("complaint", "2026-000127", "complaint_text")},
        "перерасчёта": {("contact", "2026-000121", "summary")},
        "уточнена": {("letter", "2026-000121", "text")},
        "паспорт": {("finding", "2026-000121", "description")},
        "ошибки": {("resolution", "2026-000121", "summary")},
    }
    assert ("complaint", "2026-000124", "complaint_text") not in where(
        hits(demo("search", "оценщика", "--json"))
    )
    assert ("finding", "2026-000121", "description") not in where(
        hits(demo("search", "ЕГРН", "--json"))
    )
    assert stale_rows(root) is None
    assert_index_consistent(root)


def test_an_update_that_leaves_the_texts_alone_does_not_touch_the_index(
    demo_template: Path, tmp_path: Path
) -> None:
    # fetch's update of a ticket sets every column, its texts too: the trigger compares them.
    demo = copy_demo(demo_template, tmp_path / "demo")
    root = demo.root or Path()

    def index_pages() -> list[tuple[int, bytes]]:
        conn = sqlite3.connect(root / "srgcli.db")
        try:
            return conn.execute("select id, block from tickets_fts_data order by id").fetchall()
        finally:
            conn.close()

    before = index_pages()
    record = next(r for r in sample_tickets() if r["id"] == "2026-000127")
    record["bank"] = "АО «Другой банк»"
    fetched = demo("fetch", export_of(tmp_path, [record]), "--json")
    assert fetched.exit_code == 0, fetched.stderr
    assert fetched.json()["updated"] == 1
    assert index_pages() == before
    record["client_demand"] = "Пересчитать стоимость по договору."
    assert demo("fetch", export_of(tmp_path, [record])).exit_code == 0
    assert index_pages() != before
    assert where(hits(demo("search", "пересчитать", "--json"))) == {
        ("complaint", "2026-000127", "client_demand")
    }
    assert_index_consistent(root)
