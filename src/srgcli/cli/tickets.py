"""`srgcli list` and `srgcli show`: the tickets, their status, deadlines and next step."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Annotated

import typer

from srgcli.cli.common import command_options, emit_json, open_ws, out

if TYPE_CHECKING:
    from rich.console import RenderableType

    from srgcli.model import Status
    from srgcli.tickets import TicketDetail
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
    from srgcli.cli.views.ticket_list import print_list
    from srgcli.tickets import list_summaries, summary_json

    wanted = _parse_status(status)
    ws = open_ws(ctx)
    items = list_summaries(ws, wanted, overdue)
    if as_json:
        emit_json([summary_json(i) for i in items])
        return
    print_list(ws, items, filtered=bool(wanted or overdue))


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

    from srgcli.cli.views.ticket_list import category_label
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
    from srgcli.render.filters import phone
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
        if value and name == "client_phone" and name not in ticket.invalid:
            shown = escape(phone(value))
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
                format_moment(e.at), e.kind_label, escape(e.actor_label), escape(e.comment or "")
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
            lines.append(f"Категория: {category_label(f.category)}")
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
            old, new = _audit_value(a.field, a.old), _audit_value(a.field, a.new)
            if a.entity == "contact" and a.field is None:
                new = _contact_audit_text(a.new)
            if a.entity in ("review_proposals", "proposals") and a.field is None:
                new = _proposals_audit_text(a.new)
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


def _audit_value(name: str | None, value: str | None) -> str | None:
    """An audited value in Russian: an enum value by its label, also one followed by remarks
    ("returned: уточните…" → «возвращён на доработку: уточните…»)."""
    from srgcli.model import display_value

    shown = display_value(name, value)
    if shown == value and value and ": " in value:
        head, _, rest = value.partition(": ")
        known = display_value(name, head)
        if known != head:
            return f"{known}: {rest}"
    return shown


def _proposals_audit_text(value: str | None) -> str | None:
    """The rules that fired, as the audit keeps them ("inspection_late, …"), by their titles."""
    from srgcli.review.rules import RULES_BY_ID

    ids = [part.strip() for part in (value or "").split(",")]
    if not all(i in RULES_BY_ID for i in ids):
        return value
    titles = [RULES_BY_ID[i].title for i in ids]
    return "; ".join(t[:1].lower() + t[1:] for t in titles)


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
