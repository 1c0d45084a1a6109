"""`srgcli search`: full text over complaints, findings, contacts, letters and settlements, in
any form of a word, kept current by triggers, safe against any query text."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from srgcli import demo as demo_module
from srgcli.demo import run_demo, sample_tickets
from srgcli.search import match_expression, parse_query
from srgcli.workspace import migrations, open_workspace
from srgcli.workspace import search as search_index
from tests.conftest import (
    Cli,
    assert_index_consistent,
    build_demo,
    copy_demo,
    hits,
    matched_words,
    where,
)

CALL = ("--channel", "phone", "--direction", "out", "--outcome", "reached")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo workspace, built once (tests work on copies)."""
    yield from build_demo(tmp_path_factory)


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Cli:
    """The CLI bound to a fresh copy of the demo workspace, searched once already."""
    return copy_demo(demo_template, tmp_path / "demo")


@pytest.mark.parametrize(
    ("query", "kind", "ticket", "field", "marked"),
    [
        # another case of the same noun
        ("оценщика", "complaint", "2026-000124", "complaint_text", "Оценщик"),
        ("осмотра", "complaint", "2026-000124", "complaint_text", "осмотр"),
        ("площади", "finding", "2026-000121", "description", "площадь"),
        # «е» for «ё», and capitals
        ("ОТЧЕТ", "complaint", "2026-000121", "client_demand", "отчёт"),
        ("перенес", "finding", "2026-000118", "root_cause", "перенёс"),
        # a verb in another form, several words in any order, a service word left out
        ("опоздать", "complaint", "2026-000124", "complaint_text", "опоздал"),
        ("на осмотр опоздал", "complaint", "2026-000124", "complaint_text", "опоздал"),
        ("извинение принести", "contact", "2026-000118", "summary", "извинения"),
        ("терпения", "letter", "2026-000118", "text", "терпение"),
        ("соблюдение сроков", "resolution", "2026-000118", "summary", "соблюдение"),
        # a word the dictionary lacks is a prefix; a trailing * asks for one
        ("ЕГРН", "finding", "2026-000121", "description", "ЕГРН"),
        ("оцен*", "complaint", "2026-000127", "complaint_text", "оценки"),
    ],
)
def test_a_word_is_found_in_any_of_its_forms(
    demo: Cli, query: str, kind: str, ticket: str, field: str, marked: str
) -> None:
    found = hits(demo("search", query, "--json"))
    hit = next(h for h in found if (h["kind"], h["ticket_id"], h["field"]) == (kind, ticket, field))
    assert marked in matched_words(hit)


def test_a_word_that_is_not_there_finds_nothing_and_says_so(demo: Cli) -> None:
    result = demo("search", "неустойка")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Ничего не найдено" in result.stderr
    assert hits(demo("search", "неустойка", "--json")) == []


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        ("complaint", "отчёт"),
        ("обращение", "отчёт"),
        ("finding", "оценщик"),
        ("вывод", "оценщик"),
        ("contact", "результат"),
        ("контакт", "результат"),
        ("letter", "результат"),
        ("письмо", "результат"),
        ("resolution", "отчёт"),
        ("урегулирование", "отчёт"),
    ],
)
def test_kind_restricts_the_search(demo: Cli, kind: str, query: str) -> None:
    canonical = {"обращение": "complaint", "вывод": "finding", "контакт": "contact"}
    canonical |= {"письмо": "letter", "урегулирование": "resolution"}
    found = hits(demo("search", query, "--kind", kind, "--json"))
    assert found
    assert {h["kind"] for h in found} == {canonical.get(kind, kind)}


def test_several_kinds_and_an_unknown_one(demo: Cli) -> None:
    found = hits(demo("search", "отчёт", "-k", "письмо", "-k", "resolution", "--json"))
    assert {h["kind"] for h in found} == {"letter", "resolution"}
    bad = demo("search", "отчёт", "--kind", "звонок")
    assert bad.exit_code == 2
    assert "неизвестный вид «звонок»" in bad.stderr


def test_the_table_shows_kind_ticket_and_fragment_in_russian(demo: Cli) -> None:
    result = demo("search", "оценщика", "--kind", "обращение")
    assert result.exit_code == 0, result.stderr
    for text in ("Найдено: 1", "Вид", "Заявка", "Фрагмент", "обращение", "суть обращения"):
        assert text in result.stdout
    assert "2026-000124" in result.stdout
    assert "Оценщик опоздал на осмотр" in result.stdout
    assert "srgcli show" in result.stdout


def test_the_fragment_highlights_each_match() -> None:
    from srgcli.cli.search import HIGHLIGHT, fragment
    from srgcli.search import SearchHit

    hit = SearchHit(
        "complaint", "1", "complaint_text", "Оценщик опоздал [на] осмотр", ((0, 7),), 1.0
    )
    text = fragment(hit)
    assert text.plain == "Оценщик опоздал [на] осмотр"  # brackets are text, not markup
    assert [(s.start, s.end, s.style) for s in text.spans] == [(0, 7, HIGHLIGHT)]


def test_json_is_a_list_of_hits_with_stable_keys(demo: Cli) -> None:
    found = hits(demo("search", "оценщик", "--json"))
    assert len(found) >= 5
    keys = {"rank", "kind", "ticket_id", "field", "contact_id", "snippet", "highlights", "score"}
    for n, hit in enumerate(found, 1):
        assert set(hit) == keys
        assert hit["rank"] == n
        assert hit["kind"] in search_index.KINDS
        assert isinstance(hit["score"], float)
        assert all(w.lower().startswith("оценщик") for w in matched_words(hit)), hit
        assert (hit["contact_id"] is not None) == (hit["kind"] in ("contact", "letter"))
    # The best hit of each kind comes first, then the second of each (scores of different
    # kinds do not compare): within a kind, scores never rise.
    for kind in {h["kind"] for h in found}:
        scores = [h["score"] for h in found if h["kind"] == kind]
        assert scores == sorted(scores, reverse=True), kind


def test_limit_caps_the_hits_and_says_how_many_there_are(demo: Cli) -> None:
    everything = hits(demo("search", "отчёт", "--json"))
    assert len(everything) > 2
    result = demo("search", "отчёт", "--limit", "2", "--json")
    assert [h["rank"] for h in hits(result)] == [1, 2]
    assert f"Показаны лучшие 2 из {len(everything)}" in result.stderr
    for bad in ("0", "-1", "много"):
        refused = demo("search", "отчёт", "--limit", bad)
        assert refused.exit_code == 2
        assert "--limit" in refused.stderr


def test_ticket_restricts_to_one_ticket(demo: Cli) -> None:
    found = hits(demo("search", "отчёт", "--ticket", "2026-000121", "--json"))
    assert found
    assert {h["ticket_id"] for h in found} == {"2026-000121"}
    unknown = demo("search", "отчёт", "--ticket", "2026-999999")
    assert unknown.exit_code == 2
    assert "Заявка 2026-999999 не найдена" in unknown.stderr


@pytest.mark.parametrize("query", ["", "   ", "*", "-", '"', "()", "*** --- ...", "%_\\"])
def test_a_query_without_words_is_a_usage_error(demo: Cli, query: str) -> None:
    result = demo("search", "--", query)
    assert result.exit_code == 2
    assert "Пустой запрос" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "query",
    [
        '"оценщик',
        'оценщик"',
        '"оценщик опоздал"',
        "оценщик*",
        "*оценщик",
        "оц*щик",
        "-оценщик",
        "оценщик -осмотр",
        "оценщик NOT осмотр",
        "оценщик OR осмотр",
        "оценщик AND",
        "NEAR(оценщик осмотр)",
        "NEAR",
        "{complaint_text}: оценщик",
        "complaint_text:оценщик",
        "^оценщик",
        "оценщик + осмотр",
        "(оценщик",
        "оценщик)",
        "'; drop table tickets; --",
        "%_\\ оценщик",
        "ОЦ-48213",
        "ё",
    ],
)
def test_query_syntax_characters_never_break_the_search(demo: Cli, query: str) -> None:
    result = demo("search", "--json", "--", query)
    assert result.exit_code == 0, result.stderr
    assert isinstance(result.json(), list)
    assert hits(demo("search", "оценщик", "--json"))  # the tickets table is still there


def test_a_phone_number_in_the_query_is_not_repeated_in_messages(demo: Cli) -> None:
    result = demo("search", "+7 916 204-31-77")
    assert result.exit_code == 0
    assert "204" not in result.stderr and "916" not in result.stderr


def test_a_new_contact_is_found_at_once(demo: Cli, pylat: Any) -> None:
    assert hits(demo("search", "перерасчёт", "--json")) == []
    added = demo(
        "contact-log",
        "add",
        "2026-000121",
        *CALL,
        "--summary",
        "Клиенту разъяснён порядок перерасчёта стоимости.",
        "--json",
    )
    assert added.exit_code == 0, added.stderr
    found = hits(demo("search", "перерасчет", "--json"))
    assert [(h["kind"], h["ticket_id"], h["contact_id"]) for h in found] == [
        ("contact", "2026-000121", added.json()["id"])
    ]
    assert_index_consistent(demo.root or Path())


def test_a_ticket_changed_with_fill_is_searched_as_it_is_now(demo: Cli) -> None:
    changed = demo(
        "fill",
        "2026-000124",
        "--set",
        "complaint_text=Специалист не приехал на выезд в назначенный день, мой день пропал.",
    )
    assert changed.exit_code == 0, changed.stderr
    assert ("complaint", "2026-000124", "complaint_text") not in where(
        hits(demo("search", "оценщика", "--json"))
    )
    assert where(hits(demo("search", "выезда", "--json"))) == {
        ("complaint", "2026-000124", "complaint_text")
    }
    # «й» and «и» stay apart: «мои*» is not «мой».
    assert hits(demo("search", "мои*", "--kind", "complaint", "--json")) == []
    assert hits(demo("search", "мой", "--kind", "complaint", "--json"))
    assert_index_consistent(demo.root or Path())


def test_a_ticket_changed_by_a_later_fetch_is_searched_as_it_is_now(
    demo: Cli, tmp_path: Path
) -> None:
    records = sample_tickets()
    record = next(r for r in records if r["id"] == "2026-000127")
    record["complaint_text"] = "Калькулятор на сайте показал одну цену, в договоре другая."
    export = tmp_path / "export.json"
    export.write_text(json.dumps([record], ensure_ascii=False), "utf-8")
    fetched = demo("fetch", str(export), "--json")
    assert fetched.exit_code == 0, fetched.stderr
    assert fetched.json()["updated"] == 1
    assert where(hits(demo("search", "калькулятора", "--json"))) == {
        ("complaint", "2026-000127", "complaint_text")
    }
    assert "2026-000127" not in {
        h["ticket_id"] for h in hits(demo("search", "автомобиля", "--json"))
    }
    assert_index_consistent(demo.root or Path())


def test_a_replaced_verdict_is_no_longer_found(demo: Cli) -> None:
    assert ("finding", "2026-000121", "description") in where(
        hits(demo("search", "ЕГРН", "--json"))
    )
    replaced = demo(
        "review",
        "2026-000121",
        "--verdict",
        "partially_confirmed",
        "--category",
        "качество отчёта",
        "--responsible",
        "appraiser",
        "--description",
        "Площадь указана по старому техническому паспорту.",
    )
    assert replaced.exit_code == 0, replaced.stderr
    assert ("finding", "2026-000121", "description") not in where(
        hits(demo("search", "ЕГРН", "--json"))
    )
    assert ("finding", "2026-000121", "description") in where(
        hits(demo("search", "паспорта", "--json"))
    )
    assert_index_consistent(demo.root or Path())


def test_a_deleted_ticket_leaves_the_index(demo: Cli) -> None:
    # No command deletes a ticket; the triggers still follow a deletion (and its cascade).
    root = demo.root or Path()
    with open_workspace(root) as ws:
        ws.conn.execute("delete from tickets where id = '2026-000118'")
    assert "2026-000118" not in {h["ticket_id"] for h in hits(demo("search", "отчёт", "--json"))}
    assert_index_consistent(root)


def test_a_workspace_of_the_previous_schema_gets_the_index_on_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [name for name, _ in migrations.MIGRATIONS]
    before = migrations.MIGRATIONS[: names.index("m004_search_index")]
    with monkeypatch.context() as older:
        # The srgcli before this migration: the whole demo, letters and settlement included.
        older.setattr(migrations, "MIGRATIONS", before)
        older.setattr(demo_module, "run_paperwork", lambda ws: None)  # no acts back then
        run_demo(tmp_path / "old").close()
    conn = sqlite3.connect(tmp_path / "old" / "srgcli.db")
    assert not conn.execute("select name from sqlite_master where name like '%_fts'").fetchall()
    conn.close()
    cli = Cli(tmp_path / "old")
    for kind, query in [
        ("complaint", "оценщика"),
        ("finding", "ЕГРН"),
        ("contact", "извинения"),
        ("letter", "терпения"),
        ("resolution", "соблюдения"),
    ]:
        assert hits(cli("search", query, "--kind", kind, "--json")), kind
    assert_index_consistent(tmp_path / "old")


def test_the_index_covers_exactly_the_searched_fields(demo: Cli) -> None:
    conn = sqlite3.connect((demo.root or Path()) / "srgcli.db")
    indexed = {
        table: tuple(row[1] for row in conn.execute(f"pragma table_info({table}_fts)"))
        for table in search_index.indexed_columns()
    }
    assert indexed == search_index.indexed_columns()
    # After a VACUUM that renumbered rowids the index is rebuilt from the tables.
    search_index.rebuild_index(conn)
    search_index.check_index(conn)
    conn.close()


def test_without_fts5_the_workspace_works_and_search_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from srgcli.workspace import create_workspace

    monkeypatch.setattr(search_index, "fts5_available", lambda conn: False)
    create_workspace(tmp_path / "ws").close()
    cli = Cli(tmp_path / "ws")
    assert cli("list").exit_code == 0
    result = cli("search", "оценщик")
    assert result.exit_code == 2
    assert "FTS5" in result.stderr


def test_query_words_become_safe_fts_terms() -> None:
    words = parse_query('Оценщика "NEAR" на* -осмотр OR')
    expression = match_expression(words)
    assert [w.text for w in words] == ["оценщика", "на", "осмотр"]
    assert '"оценщик"' in expression and '"осмотрами"' in expression
    assert '"на"*' in expression  # asked for as a prefix, so kept though a preposition
    assert "NEAR(" not in expression
    # Only the words left: a query of service words searches them.
    assert [w.text for w in parse_query("на по")] == ["на", "по"]
    assert [w.text for w in parse_query("NEAR")] == ["near"]
    assert [w.text for w in parse_query("near осмотр")] == ["near", "осмотр"]


def test_operators_typed_in_capitals_are_left_out(demo: Cli) -> None:
    for query in ("оценщик OR осмотр", "NEAR(оценщик осмотр)", "оценщик AND осмотр NOT"):
        found = hits(demo("search", query, "--kind", "complaint", "--json"))
        assert ("complaint", "2026-000124", "complaint_text") in where(found), query


def test_the_best_hit_of_each_kind_comes_before_the_second_best_of_any(demo: Cli) -> None:
    # bm25 scores of different kinds do not compare: «отчёт» is in most findings (1e-06 there)
    found = hits(demo("search", "отчёт", "--json", "--limit", "50"))
    kinds = [h["kind"] for h in found]
    distinct = list(dict.fromkeys(kinds))
    assert len(distinct) >= 3
    assert kinds[: len(distinct)] == distinct
