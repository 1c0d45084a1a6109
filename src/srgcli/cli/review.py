"""`srgcli review`: step 2 — the order's timeline, proposed nonconformities, the verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from srgcli.cli import common
from srgcli.cli.common import command_options, emit_json, err, open_ws, out
from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.model import Finding, OrderEvent, ReviewProposal
    from srgcli.review import Timeline
    from srgcli.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add `review` to the application."""
    app.command("review", **command_options("srgcli review 2026-000118 --auto"))(review_command)


def _text_option(flag: str, help_text: str, metavar: str = "ТЕКСТ") -> Any:
    return typer.Option(flag, help=help_text, metavar=metavar, show_default=False)


def review_command(
    ctx: typer.Context,
    ticket_id: Annotated[str, typer.Argument(help="Номер заявки.", metavar="ID")],
    show_timeline: Annotated[
        bool,
        typer.Option("--timeline", help="История заказа по времени с перерывами в рабочих днях."),
    ] = False,
    auto: Annotated[
        bool,
        typer.Option(
            "--auto",
            help="Проверить историю правилами и предложить нарушения (решение — за вами).",
        ),
    ] = False,
    verdict: Annotated[
        str | None,
        _text_option(
            "--verdict",
            "Вывод: confirmed (подтверждено), partially_confirmed (подтверждено частично), "
            "not_confirmed (не подтверждено).",
            "ВЫВОД",
        ),
    ] = None,
    category: Annotated[
        str | None,
        _text_option(
            "--category",
            "Категория нарушения, например «сроки» или deadlines (по умолчанию — из предложений).",
            "КАТЕГОРИЯ",
        ),
    ] = None,
    description: Annotated[
        str | None,
        _text_option("--description", "Описание нарушения: как есть, связными предложениями."),
    ] = None,
    root_cause: Annotated[
        str | None, _text_option("--root-cause", "Причина нарушения: почему так вышло.")
    ] = None,
    responsible: Annotated[
        str | None,
        _text_option(
            "--responsible",
            "Ответственный: appraiser (оценщик), office (офис), bank (банк), client (клиент), "
            "other (иное).",
            "КТО",
        ),
    ] = None,
    action: Annotated[
        str | None,
        _text_option(
            "--action",
            "Корректирующее действие: что сделано или запланировано, например «Оценщику "
            "указано на сроки» (в письме и отчёте — после слов «Приняты меры:»).",
        ),
    ] = None,
    at: Annotated[
        str | None,
        _text_option(
            "--at",
            "Когда сделан вывод: «10.11.2026 15:00» или ISO, не раньше поступления заявки и "
            "событий-доказательств и не позже текущего момента; по умолчанию — сейчас. "
            "В отчёте — «Дата вывода».",
            "ДАТА",
        ),
    ] = None,
    accept: Annotated[
        list[str] | None,
        _text_option(
            "--accept",
            "Принять только предложения этих правил (можно повторять; по умолчанию — все, "
            "для not_confirmed — ни одного).",
            "ПРАВИЛО",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Рассмотреть историю заказа и записать вывод по обращению (шаг 2).

    Без параметров показывает историю и предложения правил, а в терминале спрашивает вывод.
    Без --verdict параметры --category, --description, --root-cause, --responsible, --action
    и --at дополняют уже записанный вывод, остальные его поля сохраняются.
    """
    from srgcli import review

    if verdict is None and accept is not None:
        raise SrgError("--accept: только вместе с --verdict.", ExitCode.USAGE)
    decided_at = review.parse_decided_at(at)
    amending = verdict is None and any(
        v is not None for v in (category, description, root_cause, responsible, action, at)
    )
    plain = not (show_timeline or auto or verdict or amending)
    ws = open_ws(ctx)
    outcome = review.review_ticket(
        ws,
        ticket_id,
        show_timeline=show_timeline or plain,
        auto=auto or plain,
        verdict=None
        if verdict is None and not amending
        else review.VerdictInput(
            verdict,
            accept=tuple(accept) if accept is not None else None,
            category=category,
            description=description,
            root_cause=root_cause,
            responsible=responsible,
            action=action,
            at=decided_at,
        ),
    )
    if as_json:
        emit_json(review.outcome_json(ws, outcome))
        return
    if outcome.timeline is not None:
        _print_timeline(outcome.timeline, outcome.proposals)
    if outcome.proposals is not None:
        _print_proposals(ws, outcome.ticket_id, outcome.proposals)
    finding = outcome.finding
    if finding is None and plain and common.interactive(ctx):
        finding = _ask_verdict(ws, outcome.ticket_id, outcome.proposals or [])
    elif finding is None and outcome.proposals is not None:
        _print_verdict_hint(ws, outcome.ticket_id)
    if finding is not None:
        _print_finding(finding)


def _print_verdict_hint(ws: Workspace, ticket_id: str) -> None:
    """How to record the verdict, or, while the ticket is not filled, that step 1 comes first."""
    from srgcli.tickets import problems as ticket_problems_of
    from srgcli.tickets import require_ticket

    if ticket_problems_of(ws, require_ticket(ws, ticket_id)):
        err().print(
            f"Вывод можно записать после заполнения заявки: [bold]srgcli fill {ticket_id}[/]"
        )
        return
    err().print(
        f"Запишите вывод: [bold]srgcli review {ticket_id} --verdict "
        "confirmed|partially_confirmed|not_confirmed[/] (предложения — по умолчанию)."
    )


def _print_timeline(line: Timeline, listed: list[ReviewProposal] | None) -> None:
    """The timeline as a table that fits 80 columns: the rules that fire on an event are
    numbers — those of the proposals printed below it, or of a legend under the table."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from srgcli.review import HISTORY_HINT
    from srgcli.review.rules import rule_title
    from srgcli.ru import format_moment

    if line.empty:
        err().print(f"[yellow]История заказа по заявке {line.ticket_id} пуста.[/] {HISTORY_HINT}")
        return
    numbered = listed if listed is not None else list(line.proposals)
    marks: dict[int, list[int]] = {}
    for number, proposal in enumerate(numbered, start=1):
        for event_id in proposal.evidence:
            marks.setdefault(event_id, []).append(number)
    table = Table(
        title=f"История заказа по заявке {escape(line.ticket_id)}",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Когда", no_wrap=True)
    table.add_column("Перерыв,\nраб. дн.", no_wrap=True, justify="right")
    # Unknown event kinds come as they were sent, long words included: folded, not cut.
    table.add_column("Событие", overflow="fold")
    table.add_column("Кто", overflow="fold")
    table.add_column("Комментарий", overflow="fold")
    table.add_column("⚑", no_wrap=True)
    for entry in line.entries:
        e = entry.event
        table.add_row(
            format_moment(e.at),
            f"+{entry.gap_days}" if entry.gap_days is not None else "",
            escape(e.kind_label),
            escape(e.actor_label),
            escape(e.comment or ""),
            f"[red]{', '.join(map(str, marks[e.id]))}[/]" if e.id in marks else "",
        )
    out().print(table)
    if not numbered:
        return
    if listed is not None:
        out().print(
            "[dim]⚑ — номера предложенных нарушений (ниже), которые подтверждает событие.[/]"
        )
        return
    out().print("[dim]⚑ — правила, которые сработали на событии:[/]")
    for number, proposal in enumerate(numbered, start=1):
        out().print(f"  [red]{number}[/] — {rule_title(proposal.rule)} [dim]({proposal.rule})[/]")


def _event_text(event: OrderEvent | None, event_id: int) -> str:
    from srgcli.ru import format_moment

    if event is None:
        return f"#{event_id}"
    return f"{format_moment(event.at)} {event.kind_label}"


def _print_proposals(ws: Workspace, ticket_id: str, proposals: list[ReviewProposal]) -> None:
    from rich.markup import escape
    from rich.padding import Padding

    from srgcli.review.rules import rule_title
    from srgcli.workspace import reads

    events = {e.id: e for e in reads.events(ws, ticket_id)}
    if not proposals and not events:
        # Nothing to check is not "nothing wrong": the verdict rests on other evidence.
        err().print("Правилам нечего проверять: истории заказа нет.")
        return
    if not proposals:
        err().print("[green]Правила не нашли нарушений в истории заказа.[/]")
        return
    out().print(f"[bold]Предложенные нарушения ({len(proposals)}):[/]")
    for number, p in enumerate(proposals, start=1):
        proof = "; ".join(_event_text(events.get(i), i) for i in p.evidence)
        out().print(f"{number}. [bold]{rule_title(p.rule)}[/] [dim]({p.rule})[/]")
        # Indented as a block, so that a wrapped line stays under its proposal.
        out().print(
            Padding(
                f"{escape(p.description)}\n[dim]События: {escape(proof)}[/]",
                (0, 0, 0, 3),
                expand=False,
            )
        )


def _print_finding(finding: Finding) -> None:
    from rich.markup import escape

    from srgcli.model import Category, Responsible, Verdict
    from srgcli.render.measures import measures
    from srgcli.tickets.guards import FINDING_PARTS, finding_gaps, finding_gaps_command

    verdict = Verdict.try_parse(finding.verdict)
    category = Category.try_parse(finding.category)
    responsible = Responsible.try_parse(finding.responsible)
    err().print(
        f"[green]Вывод записан:[/] {verdict.label if verdict else finding.verdict}"
        + (f"; категория: {category.label}" if category else "")
        + (f"; ответственный: {responsible.label}" if responsible else "")
        + (f"; доказательства — событий: {len(finding.evidence)}" if finding.evidence else "")
    )
    if finding.description:
        err().print(f"  {escape(finding.description)}")
    planned = measures(finding.corrective_action)
    if planned is not None and planned.planned:
        err().print(
            "Корректирующее действие записано как план: в письме и отчёте оно будет после "
            f"слов «запланированы следующие меры: {escape(planned.clause)}». Если меры уже "
            "приняты, опишите их как сделанное, например «Назначен другой оценщик»."
        )
    gaps = finding_gaps(finding)
    if gaps:
        labels = ", ".join(label for name, label, _ in FINDING_PARTS if name in gaps)
        err().print(
            f"[yellow]В выводе не указано: {labels}.[/] Без этого отчёт о подтверждённом "
            f"нарушении не сформировать. Дополните: "
            f"[bold]{escape(finding_gaps_command(finding.ticket_id, gaps))}[/]"
        )


def _ask_verdict(ws: Workspace, ticket_id: str, proposals: list[ReviewProposal]) -> Finding | None:
    """Ask for the verdict on a terminal, the proposals as defaults; Ctrl-C saves nothing."""
    from srgcli import review
    from srgcli.model import Category, Responsible, Verdict
    from srgcli.tickets import problems as ticket_problems_of
    from srgcli.tickets import require_ticket

    ticket = require_ticket(ws, ticket_id)
    if ticket_problems_of(ws, ticket):
        err().print(
            f"Вывод можно записать после заполнения заявки: [bold]srgcli fill {ticket_id}[/]"
        )
        return None
    verdicts = list(Verdict)
    try:
        err().print("\n[bold]Вывод по обращению[/] [dim](Ctrl-C — выйти без сохранения)[/]")
        for number, v in enumerate(verdicts, start=1):
            err().print(f"  {number} — {v.label}")
        verdict = _choose(
            "Вывод", verdicts, default=verdicts[0] if proposals else verdicts[-1]
        ).value
        accept: list[str] = []
        if proposals and verdict != Verdict.NOT_CONFIRMED.value:
            accept = _ask_accepted(proposals)
        draft = review.draft_finding(ws, ticket_id, verdict, accept=accept, proposals=proposals)
        category = _choose(
            "Категория",
            list(Category),
            default=Category.try_parse(draft.category),
            show=True,
        )
        described = typer.prompt("Описание нарушения", default=draft.description or "", err=True)
        root_cause = typer.prompt(
            "Причина (Enter — не указывать)", default="", show_default=False, err=True
        )
        responsible = _choose(
            "Ответственный",
            list(Responsible),
            default=Responsible.try_parse(draft.responsible),
            show=True,
            optional=True,
        )
        action = typer.prompt(
            "Корректирующее действие (Enter — не указывать)",
            default="",
            show_default=False,
            err=True,
        )
        if not common.confirm("Сохранить вывод?"):
            err().print("Вывод не сохранён.")
            return None
    except typer.Abort:
        err().print("\nПрервано: вывод не сохранён.")
        raise typer.Exit(int(ExitCode.PROBLEMS)) from None
    final = review.draft_finding(
        ws,
        ticket_id,
        verdict,
        accept=accept,
        category=category.value if category else None,
        description=described,
        root_cause=root_cause,
        responsible=responsible.value if responsible else None,
        action=action,
        proposals=proposals,
    )
    return review.record_verdict(ws, final)


def _choose(
    prompt: str,
    choices: list[Any],
    *,
    default: Any,
    show: bool = False,
    optional: bool = False,
) -> Any:
    """Ask for one of an enum's members by number, canonical value or Russian label."""
    if show:
        listed = ", ".join(f"{n} — {c.label}" for n, c in enumerate(choices, start=1))
        err().print(f"  [dim]{listed}[/]")
    default_text = default.label if default is not None else ""
    while True:
        answer = typer.prompt(
            prompt + (" (Enter — не указывать)" if optional and default is None else ""),
            default=default_text,
            show_default=bool(default_text),
            err=True,
        ).strip()
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        known = type(choices[0]).try_parse(answer)
        if known is not None:
            return known
        err().print(f"  [red]Не принято.[/] Допустимо: {type(choices[0]).choices_text()}")


def _ask_accepted(proposals: list[ReviewProposal]) -> list[str]:
    """Which proposals the executor accepts: their numbers, comma-separated (Enter — all)."""
    rules = list(dict.fromkeys(p.rule for p in proposals))
    while True:
        answer = typer.prompt(
            "Какие предложения принять (номера через запятую, Enter — все)",
            default="",
            show_default=False,
            err=True,
        ).strip()
        if not answer:
            return rules
        try:
            numbers = [int(part) for part in answer.replace(" ", "").split(",") if part]
        except ValueError:
            numbers = []
        if numbers and all(1 <= n <= len(proposals) for n in numbers):
            return list(dict.fromkeys(proposals[n - 1].rule for n in numbers))
        err().print(f"  [red]Не принято:[/] укажите номера от 1 до {len(proposals)}.")
