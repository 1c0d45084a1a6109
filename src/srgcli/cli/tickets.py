"""`srgcli list` and `srgcli show`: the tickets, their status, deadlines and next step."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Annotated

import typer

from srgcli.cli.common import command_options, emit_json, open_ws, out
from srgcli.cli.tables import fit_columns

if TYPE_CHECKING:
    from rich.console import RenderableType

    from srgcli.model import Status
    from srgcli.tickets import TicketDetail, TicketSummary
    from srgcli.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add `list` and `show` to the application."""
    app.command("list", **command_options("srgcli list --overdue"))(list_command)
    app.command("show", **command_options("srgcli show 2026-000123 --json"))(show_command)


def _parse_status(value: str | None) -> Status | None:
    from srgcli.model import Status

    if value is None:
        return None
    try:
        return Status.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(f"неизвестный статус «{value}». Допустимо: {exc}") from None


def list_command(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            help="Только заявки с этим статусом: new, filled, reviewed, settled, reported, "
            "submitted, returned, accepted (или по-русски).",
            metavar="СТАТУС",
            show_default=False,
        ),
    ] = None,
    overdue: Annotated[
        bool,
        typer.Option(
            "--overdue",
            help="Только просроченные заявки: прошёл срок заявки или срок этапа (первый контакт "
            "с клиентом, отчёт по [sla]), а работа не сдана.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Список заявок: клиент, категория, статус, срок и следующий шаг."""
    from srgcli.tickets import list_summaries, summary_json

    wanted = _parse_status(status)
    ws = open_ws(ctx)
    items = list_summaries(ws, wanted, overdue)
    if as_json:
        emit_json([summary_json(i) for i in items])
        return
    _print_list(ws, items, filtered=bool(wanted or overdue))


def _print_list(ws: Workspace, items: list[TicketSummary], filtered: bool) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from srgcli.cli.common import err

    if not items:
        if filtered:
            err().print("Нет заявок, подходящих под условия.")
        else:
            err().print(
                "В рабочей папке нет заявок. Загрузите их: [bold]srgcli fetch ФАЙЛ[/] "
                "или попробуйте [bold]srgcli demo[/]."
            )
        return
    caption = "Срок (+N) — осталось рабочих дней. Дальше — команда: srgcli КОМАНДА ID"
    if any(d.key in _STAGE_NOTES for i in items for d in i.overdue_deadlines):
        caption += (
            "\n⚠ — этап не выполнен в срок: первый контакт с клиентом или отчёт "
            "(подробно: srgcli show ID)"
        )
    table = Table(
        title=f"Заявки: {len(items)}",
        caption=caption,
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    # On a narrow terminal the category gives way to what matters more: status and deadline.
    wide = out().width >= 100
    # The id is what the user copies into the next command: never shortened, and on one line
    # unless the table would not fit the terminal otherwise (then it folds: fit_columns).
    table.add_column("Заявка", no_wrap=True)
    table.add_column("Клиент", no_wrap=True, max_width=18, overflow="ellipsis")
    if wide:
        table.add_column("Категория", max_width=14, overflow="ellipsis", no_wrap=True)
    table.add_column("Статус", no_wrap=True)
    table.add_column("Срок", no_wrap=True)
    table.add_column("Дальше", overflow="fold", min_width=10)
    for item in items:
        cells = [
            escape(item.ticket.id),
            _short_name(item.ticket.client_name),
            *([_category_label(item.ticket.category)] if wide else []),
            item.status.label,
            _deadline_cell(ws, item),
            f"[cyan]{item.next.short}[/]" if item.next.short else f"[dim]{item.next.hint}[/]",
        ]
        table.add_row(*cells)
    fit_columns(table, out(), _SHRINK_ORDER)
    out().print(table)


# Columns that give way when the table is wider than the terminal, in this order, each down
# to its floor: the next step folds, names and categories are cut short, and ticket ids fold
# last (never cut: they are copied into the next command). Status and deadline never shrink:
# they are what the list is for.
_SHRINK_ORDER = (
    ("Дальше", 15),
    ("Клиент", 12),
    ("Категория", 9),
    ("Дальше", 10),
    ("Клиент", 10),
    ("Заявка", 12),
)


def _short_name(name: str | None) -> str:
    """A compact form of a full name for tables: "Смирнова О. В."."""
    if not name:
        return "[dim]—[/]"
    surname, *rest = name.split()
    return " ".join([surname, *(f"{part[0]}." for part in rest if part)])


def _category_label(value: str | None) -> str:
    from srgcli.model import Category

    known = Category.try_parse(value)
    return known.label if known else (value or "[dim]—[/]")


# Stage targets as named under the deadline in `list`: "⚠ контакт 23.11".
_STAGE_NOTES = {"first_contact": "контакт", "report": "отчёт"}


def _deadline_cell(ws: Workspace, item: TicketSummary) -> str:
    """The ticket's deadline, and on the next lines each stage target that has passed."""
    from srgcli.ru import format_moment

    lines = [_ticket_deadline(ws, item)]
    for d in item.overdue_deadlines:
        if d.key in _STAGE_NOTES and d.due_at:
            lines.append(f"[bold red]⚠ {_STAGE_NOTES[d.key]} {format_moment(d.due_at)[:5]}[/]")
    return "\n".join(lines)


def _ticket_deadline(ws: Workspace, item: TicketSummary) -> str:
    from srgcli.ru import format_moment
    from srgcli.tickets import days_left, handed_over

    ticket = item.ticket
    if not ticket.due_at:
        return "[dim]нет срока[/]"
    left = days_left(ws, ticket)
    when = format_moment(ticket.due_at)[:5]  # dd.mm; the time is the end of the workday
    if left is None:
        return f"[red]{when} (неверная дата)[/]"
    if handed_over(item.status, item.facts):
        return f"[dim]{when}[/]"
    if left < 0:
        return f"[bold red]{when} просрочено[/]"
    if left < 1:
        return f"[yellow]{when} (<1)[/]"
    return f"{when} (+{int(left)})"


def show_command(
    ctx: typer.Context,
    ticket_id: Annotated[str, typer.Argument(help="Номер заявки.", metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Всё о заявке: поля, история заказа, вывод, контакты, отчёты, сдача, журнал изменений."""
    from srgcli.tickets import deadlines, deadlines_json, detail, detail_json

    ws = open_ws(ctx)
    item = detail(ws, ticket_id)
    if as_json:
        data = detail_json(item)
        data["deadlines"] = deadlines_json(deadlines(ws, item))
        emit_json(data)
        return
    for block in _detail_panels(ws, item):
        out().print(block)


def _detail_panels(ws: Workspace, item: TicketDetail) -> list[RenderableType]:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from srgcli.model import (
        ENTITY_LABELS,
        FIELD_LABELS,
        TICKET_FIELDS,
        Category,
        ContactOutcome,
        Decision,
        ObjectType,
        ResolutionOutcome,
        Verdict,
        display_value,
    )
    from srgcli.ru import format_moment

    ticket = item.summary.ticket
    blocks: list[RenderableType] = []

    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column()
    labels = {"category": Category, "object_type": ObjectType}
    for name, label in TICKET_FIELDS.items():
        value = ticket.value(name)
        shown = escape(value) if value else "[dim]—[/]"
        if value and name in labels:
            known = labels[name].try_parse(value)
            shown = known.label if known else shown
        if value and name in ("received_at", "due_at", "order_date") and name not in ticket.invalid:
            shown = format_moment(value)
        problem = item.problems.get(name)
        if problem:
            shown += f"  [red]⚠ {escape(problem)}[/]"
        elif name in ticket.invalid:
            shown += f"  [yellow]⚠ {escape(ticket.invalid[name])}[/]"
        if name in ticket.executor_fields:
            shown += "  [dim](заполнено исполнителем)[/]"
        fields.add_row(label, shown)
    if "client_contact" in item.problems:
        fields.add_row(
            FIELD_LABELS["client_contact"], f"[red]⚠ {item.problems['client_contact']}[/]"
        )
    header = f"Заявка {escape(ticket.id)} · [bold]{item.summary.status.label}[/]" + (
        " · [bold red]просрочена[/]" if item.summary.overdue else ""
    )
    blocks.append(Panel(fields, title=header, title_align="left"))

    step = item.summary.next
    blocks.append(
        Panel(
            (f"[cyan]{escape(step.command)}[/] — " if step.command else "") + step.hint,
            title="Следующий шаг",
            title_align="left",
        )
    )

    blocks.append(_deadlines_panel(ws, item))

    if item.conflicts:
        t = Table("Поле", "Значение исполнителя", "Значение из ИС", "Обнаружено", box=None)
        for conflict in item.conflicts:
            t.add_row(
                FIELD_LABELS.get(conflict["field"], conflict["field"]),
                escape(conflict["executor_value"] or "—"),
                escape(conflict["is_value"] or "—"),
                format_moment(conflict["detected_at"]),
            )
        blocks.append(
            Panel(t, title="Расхождения с ИС (сохранены значения исполнителя)", title_align="left")
        )

    if item.events:
        t = Table("Когда", "Событие", "Кто", "Комментарий", box=None)
        for e in item.events:
            t.add_row(
                format_moment(e.at), e.kind_label, escape(e.actor or ""), escape(e.comment or "")
            )
        blocks.append(Panel(t, title="История заказа", title_align="left"))
    else:
        blocks.append(
            Panel(
                "[dim]История заказа пуста. Загрузите её: srgcli fetch --history ФАЙЛ[/]",
                title="История заказа",
                title_align="left",
            )
        )

    if item.finding:
        f = item.finding
        verdict = Verdict.try_parse(f.verdict)
        lines = [f"[bold]{verdict.label if verdict else f.verdict}[/]"]
        if f.category:
            lines.append(f"Категория: {_category_label(f.category)}")
        for label, value in (
            ("Описание", f.description),
            ("Причина", f.root_cause),
            ("Ответственный", _responsible_label(f.responsible)),
            ("Корректирующее действие", f.corrective_action),
        ):
            if value:
                lines.append(f"{label}: {escape(value)}")
        blocks.append(Panel("\n".join(lines), title="Вывод по обращению", title_align="left"))

    if item.contacts:
        t = Table("Когда", "Канал", "Итог", "Кратко", box=None)
        for c in item.contacts:
            reached = ContactOutcome.try_parse(c.outcome)
            # The party only when it is not the client: a call to the bank must not read
            # as one to the client.
            party = "" if c.party == "client" else f", {display_value('party', c.party)}"
            t.add_row(
                format_moment(c.at),
                f"{display_value('channel', c.channel)} "
                f"({'вх.' if c.direction == 'in' else 'исх.'}{escape(party)})",
                reached.label if reached else c.outcome,
                escape(c.summary),
            )
        blocks.append(Panel(t, title="Контакты", title_align="left"))

    if item.resolution:
        r = item.resolution
        outcome = ResolutionOutcome.try_parse(r.outcome)
        blocks.append(
            Panel(
                f"[bold]{outcome.label if outcome else r.outcome}[/]\n{escape(r.summary)}",
                title="Урегулирование",
                title_align="left",
            )
        )

    if item.reports:
        t = Table("Версия", "Создан", "Файл", "Актуален", box=None)
        # A path cut with «…» cannot be found: the files of one folder are named in the title,
        # so that the names fit 80 columns whole.
        folders = {PurePosixPath(rep.path).parent for rep in item.reports}
        folder = folders.pop() if len(folders) == 1 else None
        t.columns[1].no_wrap = t.columns[2].no_wrap = True
        latest = item.reports[-1].version
        for rep in item.reports:
            if rep.version != latest:
                fresh_text = f"[dim]нет, есть версия {latest}[/]"
            elif rep.ticket_revision == ticket.revision:
                fresh_text = "да"
            else:
                fresh_text = "[yellow]нет, заявка изменилась[/]"
            name = PurePosixPath(rep.path).name if folder is not None else rep.path
            t.add_row(str(rep.version), format_moment(rep.created_at), escape(name), fresh_text)
        title = f"Отчёты (папка {escape(str(folder))}/)" if folder is not None else "Отчёты"
        blocks.append(Panel(t, title=title, title_align="left"))

    if item.submissions:
        t = Table("Когда", "Вариант", "Версия", "Решение", box=None)
        for s in item.submissions:
            decision = Decision.try_parse(s.decision)
            verdict_text = decision.label if decision else "[dim]ожидается[/]"
            if s.variant == "B":
                verdict_text = (
                    f"передан клиенту, отметка {escape(s.mark_ref)}"
                    if s.mark_ref
                    else "[yellow]передан клиенту, ждёт отметки в ИС[/]"
                )
            if s.remarks:
                verdict_text += f": {escape(s.remarks)}"
            # The contract's letters are Cyrillic (варианты А и Б); the stored value is Latin.
            letter = {"A": "А", "B": "Б"}.get(s.variant, s.variant)
            t.add_row(format_moment(s.submitted_at), letter, str(s.report_version), verdict_text)
        blocks.append(Panel(t, title="Сдача", title_align="left"))

    if item.audit:
        t = Table("Когда", "Кто", "Команда", "Что", "Было → стало", box=None)
        for a in item.audit[-20:]:
            entity = ENTITY_LABELS.get(a.entity, a.entity)
            what = FIELD_LABELS.get(a.field or "", entity)
            old, new = display_value(a.field, a.old), display_value(a.field, a.new)
            if a.entity == "contact" and a.field is None:
                new = _contact_audit_text(a.new)
            change = (
                f"{escape(_short(old))} → {escape(_short(new))}" if a.field else escape(_short(new))
            )
            t.add_row(format_moment(a.at), escape(a.actor), a.command or "", what, change)
        title = "Журнал изменений"
        if len(item.audit) > 20:
            title += f" (последние 20 из {len(item.audit)}; полностью — --json)"
        blocks.append(Panel(t, title=title, title_align="left"))
    return blocks


def _contact_audit_text(value: str | None) -> str | None:
    """A logged contact as the audit keeps it ("phone: no_answer"), in Russian labels."""
    from srgcli.model import Channel, ContactOutcome

    channel, sep, outcome = (value or "").partition(": ")
    known_channel, known_outcome = Channel.try_parse(channel), ContactOutcome.try_parse(outcome)
    if not sep or known_channel is None or known_outcome is None:
        return value
    return f"{known_channel.label}: {known_outcome.label}"


def _responsible_label(value: str | None) -> str | None:
    from srgcli.model import Responsible

    known = Responsible.try_parse(value)
    return known.label if known else value


_DEADLINE_STATES = {
    "met": "[green]соблюдён[/]",
    "missed": "[red]нарушен[/]",
    "pending": "ещё не наступил",
    "overdue": "[bold red]просрочен[/]",
    "unknown": "[dim]не определён (нет даты поступления или срока)[/]",
}


def _deadlines_panel(ws: Workspace, item: TicketDetail) -> RenderableType:
    from rich.panel import Panel
    from rich.table import Table

    from srgcli.ru import format_moment
    from srgcli.tickets import deadlines

    t = Table("Этап", "Срок", "Выполнено", "Итог", box=None)
    for d in deadlines(ws, item):
        t.add_row(
            d.label,
            format_moment(d.due_at) if d.due_at else "—",
            format_moment(d.done_at) if d.done_at else "—",
            _DEADLINE_STATES[d.state],
        )
    return Panel(t, title="Сроки (рабочие дни по календарю РФ)", title_align="left")


def _short(value: str | None, limit: int = 40) -> str:
    if value is None:
        return "—"
    return value if len(value) <= limit else value[: limit - 1] + "…"
