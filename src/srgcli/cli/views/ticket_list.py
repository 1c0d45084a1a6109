"""The ticket table of `srgcli list`, shared with `srgcli demo`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from srgcli.cli.common import out
from srgcli.cli.views.tables import fit_columns

if TYPE_CHECKING:
    from srgcli.tickets import TicketSummary
    from srgcli.workspace import Workspace


def print_list(ws: Workspace, items: list[TicketSummary], filtered: bool) -> None:
    """The table of `list` (and of `demo`): status, deadline and next step per ticket."""
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
            *([category_label(item.ticket.category)] if wide else []),
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
    from rich.markup import escape

    surname, *rest = name.split()
    # Values come from the ИС: «[/b]» in a name is text, not Rich markup.
    return escape(" ".join([surname, *(f"{part[0]}." for part in rest if part)]))


def category_label(value: str | None) -> str:
    """The Russian label of a category value, or the value as stored."""
    from rich.markup import escape

    from srgcli.model import Category

    known = Category.try_parse(value)
    return known.label if known else (escape(value) if value else "[dim]—[/]")


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
