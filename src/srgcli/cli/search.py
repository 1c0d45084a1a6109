"""`srgcli search`: full-text search over complaints, findings, contacts, letters, settlements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from srgcli.cli.common import command_options, emit_json, err, open_ws, out

if TYPE_CHECKING:
    from rich.text import Text

    from srgcli.search import SearchHit, SearchResult

# Russian names of what a hit can be (canonical kinds in srgcli.search.KINDS).
KIND_LABELS = {
    "complaint": "обращение",
    "finding": "вывод",
    "contact": "контакт",
    "letter": "письмо",
    "resolution": "урегулирование",
}
# Russian names of the fields searched, by kind and column.
FIELD_LABELS = {
    ("complaint", "complaint_text"): "суть обращения",
    ("complaint", "client_demand"): "требование клиента",
    ("finding", "description"): "описание",
    ("finding", "root_cause"): "причина",
    ("finding", "corrective_action"): "корректирующее действие",
    ("contact", "summary"): "кратко",
    ("letter", "text"): "текст",
    ("resolution", "summary"): "итог",
}
HIGHLIGHT = "bold reverse"


def register(app: typer.Typer) -> None:
    """Add `search` to the application."""
    app.command("search", **command_options("srgcli search оценщик осмотр --kind вывод"))(
        search_command
    )


def _parse_kinds(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    by_name = {k: k for k in KIND_LABELS} | {v.replace("ё", "е"): k for k, v in KIND_LABELS.items()}
    kinds = []
    for value in values:
        kind = by_name.get(value.strip().lower().replace("ё", "е"))
        if kind is None:
            choices = ", ".join(f"{k} «{v}»" for k, v in KIND_LABELS.items())
            raise typer.BadParameter(
                f"неизвестный вид «{value}». Допустимо: {choices}.", param_hint="'--kind'"
            )
        kinds.append(kind)
    return kinds


def search_command(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            help="Слова для поиска (кавычки не нужны). Ищутся в любой форме: «оценщика» найдёт "
            "«оценщик», «е» и «ё» не различаются; * в конце слова — поиск по началу слова "
            "(оцен*).",
            metavar="ЗАПРОС",
            show_default=False,
        ),
    ],
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help="Искать только здесь (можно несколько раз): complaint «обращение», finding "
            "«вывод», contact «контакт», letter «письмо», resolution «урегулирование».",
            metavar="ВИД",
            show_default=False,
        ),
    ] = None,
    ticket: Annotated[
        str | None,
        typer.Option(
            "--ticket", "-t", help="Искать только в этой заявке.", metavar="ID", show_default=False
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", help="Сколько результатов показать (лучшие первыми).", metavar="N"),
    ] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Поиск по текстам: обращения, выводы, контакты, письма, итоги урегулирования.

    Находит тексты, где есть все слова запроса (в одном поле), в любой форме; лучшие
    совпадения первыми. Служебные слова (в, на, по, и, не…) не учитываются, если в запросе
    есть другие.
    """
    from srgcli.search import search

    kinds = _parse_kinds(kind)
    count = _parse_limit(limit)
    ws = open_ws(ctx)
    result = search(
        ws, " ".join(query), kinds=kinds, ticket_id=ticket, limit=count, refreshing=rebuilding
    )
    if as_json:
        emit_json([hit_json(hit, n) for n, hit in enumerate(result.hits, 1)])
    else:
        _print_hits(result)
    if result.total > len(result.hits) and result.hits:
        err().print(
            f"Показаны лучшие {len(result.hits)} из {result.total}; "
            "все: --limit с большим числом или уточните запрос (--kind, --ticket)."
        )


@contextmanager
def rebuilding(rows: int) -> Iterator[None]:
    """While a first import's stale index is rebuilt: a status on stderr, then how long it took
    (a terminal shows the status; a log gets the line)."""
    from time import perf_counter

    from srgcli.ru import plural

    tickets = f"{rows:,}".replace(",", "\u00a0") + " " + plural(rows, "заявка", "заявки", "заявок")
    started = perf_counter()
    with err().status(f"Поисковый индекс строится после первой загрузки: {tickets}…"):
        yield
    seconds = f"{perf_counter() - started:.1f}".replace(".", ",")
    err().print(f"Поисковый индекс построен ({tickets}, {seconds} с); дальше он обновляется сам.")


def _parse_limit(value: int) -> int:
    if value < 1:
        raise typer.BadParameter(
            f"«{value}» — ожидается целое число не меньше 1.", param_hint="'--limit'"
        )
    return value


def hit_json(hit: SearchHit, rank: int) -> dict[str, object]:
    """A hit for `--json`: stable English keys; `highlights` are [start, length] in `snippet`."""
    return {
        "rank": rank,
        "kind": hit.kind,
        "ticket_id": hit.ticket_id,
        "field": hit.field,
        "contact_id": hit.contact_id,
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
        "score": hit.score,
    }


def fragment(hit: SearchHit) -> Text:
    """The snippet with its matches highlighted (a Text: the client's words are never markup)."""
    from rich.text import Text

    from srgcli.cli.views.terminal import clean_with_spans

    snippet, highlights = clean_with_spans(hit.snippet, hit.highlights)
    text = Text(snippet)
    for start, length in highlights:
        text.stylize(HIGHLIGHT, start, start + length)
    return text


def _print_hits(result: SearchResult) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from srgcli.cli.views.terminal import clean

    if not result.hits:
        err().print(
            "Ничего не найдено. Ищутся тексты, где есть все слова запроса; попробуйте меньше "
            "слов, начало слова со * (оцен*) или другой --kind."
        )
        return
    table = Table(
        title=f"Найдено: {result.total}",
        caption="Подробно о заявке: srgcli show ЗАЯВКА",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Вид", max_width=24)
    table.add_column("Заявка", no_wrap=True)
    table.add_column("Фрагмент", overflow="fold", ratio=1)
    for hit in result.hits:
        what = Text(KIND_LABELS.get(hit.kind, hit.kind))
        if hit.contact_id is not None:
            what.append(f" №{hit.contact_id}")
        what.append("\n" + FIELD_LABELS.get((hit.kind, hit.field), hit.field), style="dim")
        table.add_row(what, Text(clean(hit.ticket_id)), fragment(hit))
    out().print(table)
