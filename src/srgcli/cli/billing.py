"""`srgcli act`, `payment`, `receipt` and `income`: the executor's monthly paperwork."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from srgcli.cli.common import command_options, emit_json, err, new_app, open_ws, out
from srgcli.exit import ExitCode

if TYPE_CHECKING:
    from srgcli.billing.act import ActOutcome
    from srgcli.billing.income import IncomeSummary

payment_app = new_app("Оплаты Заказчика по актам: записать, посмотреть.")
receipt_app = new_app("Чеки из «Мой налог» на полученные оплаты: записать.")

JsonOption = Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")]
ActArgument = Annotated[
    str,
    typer.Argument(help="Акт: номер (12/2026 или 12) или месяц (2026-11).", metavar="АКТ"),
]
DateOption = Annotated[
    str, typer.Option("--date", help="Дата: 2026-12-05 или 05.12.2026.", metavar="ДАТА")
]


def register(app: typer.Typer) -> None:
    """Add `act`, the `payment` and `receipt` groups and `income` to the application."""
    app.command("act", **command_options("srgcli act --month 2026-11 --pdf"))(act_command)
    payment_app.command(
        "add", **command_options("srgcli payment add 12/2026 --amount 4500 --date 2026-12-05")
    )(payment_add)
    payment_app.command("list", **command_options("srgcli payment list --year 2026 --json"))(
        payment_list
    )
    receipt_app.command(
        "add",
        **command_options(
            "srgcli receipt add 12/2026 --number 20abc1x2y3 --date 2026-12-05 "
            "--url https://lknpd.nalog.ru/api/v1/receipt/500100732259/20abc1x2y3/print"
        ),
    )(receipt_add)
    app.add_typer(payment_app, name="payment")
    app.add_typer(receipt_app, name="receipt")
    app.command("income", **command_options("srgcli income --year 2026"))(income_command)


def act_command(
    ctx: typer.Context,
    month: Annotated[str, typer.Option("--month", help="Месяц акта: 2026-11.", metavar="ГГГГ-ММ")],
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="Сохранить рядом копию PDF/A-2b (нужен LibreOffice)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Составить акт оказанных услуг Заказчику за месяц: строка на каждую принятую заявку.

    В акт попадают заявки, принятые в этом месяце: вариант А — решением Заказчика, вариант Б —
    отметкой о передаче клиенту в ИС. Номер — по порядку в году (12/2026), дата — последний
    день месяца (или сегодня, если месяц не закончился). Повторный запуск за тот же месяц
    создаёт новую версию с тем же номером, прежняя помечается заменённой. Код выхода 1 — текст
    не прошёл проверку, 3 — в месяце нет принятых заявок или не заполнены данные Заказчика,
    4 — акт сохранён, а PDF не сделан.
    """
    from srgcli.billing.act import issue_act

    ws = open_ws(ctx)
    outcome = issue_act(ws, month, pdf=pdf)
    if as_json:
        emit_json(outcome.to_json() | {"state": outcome.state})
    _print_act(outcome, ws.root)
    if outcome.state == "refused":
        raise typer.Exit(int(ExitCode.PROBLEMS))
    if outcome.pdf_error:
        raise typer.Exit(int(ExitCode.EXTERNAL))


def _print_act(outcome: ActOutcome, root: object) -> None:
    from pathlib import Path

    from srgcli.billing.money import rubles

    console = err()
    if outcome.state == "refused":
        console.print(
            f"[red]Акт № {outcome.label} не составлен — текст не прошёл проверку "
            f"(ошибок: {outcome.gate.get('errors', 0)}). Файл не сохранён.[/]"
        )
        if outcome.result is not None:
            from srgcli.cli.views.issues import issue_text
            from srgcli.gate.issue import Severity

            for issue in outcome.result.issues:
                if issue.severity is Severity.ERROR:
                    console.print(issue_text(outcome.result.text, issue, "акт"))
        return
    assert outcome.path is not None and isinstance(root, Path)
    version = f" (версия {outcome.version})" if outcome.version > 1 else ""
    console.print(
        f"[green]Акт № {outcome.label}{version} за {outcome.month} составлен:[/] "
        f"{outcome.path.relative_to(root)}",
        highlight=False,
    )
    console.print(
        f"Заявок: {len(outcome.lines)}, сумма {rubles(outcome.total)}; "
        f"дата акта {outcome.issued_on:%d.%m.%Y}.",
        highlight=False,
    )
    if outcome.superseded:
        console.print(f"Прежняя версия {outcome.superseded} помечена заменённой.")
    if outcome.pdf:
        console.print(f"Копия PDF: {outcome.pdf.relative_to(root)}", highlight=False)
    elif outcome.pdf_error:
        console.print(f"[yellow]PDF не сделан: {outcome.pdf_error}.[/]")
        if outcome.pdf_hint:
            console.print(f"[dim]{outcome.pdf_hint}[/]")
    console.print(
        f"Когда Заказчик оплатит: srgcli payment add {outcome.label} --amount СУММА --date ДАТА",
        highlight=False,
        markup=False,
    )


def payment_add(
    ctx: typer.Context,
    act: ActArgument,
    amount: Annotated[
        str, typer.Option("--amount", help="Сумма в рублях: 4500 или 4 500,50.", metavar="СУММА")
    ],
    day: DateOption,
    as_json: JsonOption = False,
) -> None:
    """Записать оплату Заказчика по акту и показать срок чека в «Мой налог».

    Для оплаты переводом от организации или ИП чек формируется не позднее 9-го числа
    следующего месяца (ч. 3 ст. 14 422-ФЗ; если это выходной — в следующий рабочий день).
    """
    from srgcli.billing.money import rubles
    from srgcli.billing.payments import add_payment

    ws = open_ws(ctx)
    outcome = add_payment(ws, act, amount, day)
    if as_json:
        emit_json(
            {
                "act": outcome.act.label,
                "amount": str(outcome.amount),
                "paid_on": outcome.paid_on.isoformat(),
                "receipt_deadline": outcome.deadline.due.isoformat(),
                "paid_total": str(outcome.paid_total),
                "act_total": str(outcome.act.total),
            }
        )
    console = err()
    console.print(
        f"[green]Оплата {rubles(outcome.amount)} по акту № {outcome.act.label} записана.[/]",
        highlight=False,
    )
    if outcome.overpaid:
        console.print(
            f"[yellow]По акту получено {rubles(outcome.paid_total)} — больше суммы акта "
            f"{rubles(outcome.act.total)}. Проверьте сумму.[/]",
            highlight=False,
        )
    console.print(
        f"Сформируйте чек в «Мой налог» до {outcome.deadline.due:%d.%m.%Y} и запишите его: "
        f"srgcli receipt add {outcome.act.label} --number НОМЕР --date ДАТА",
        highlight=False,
        markup=False,
    )


def payment_list(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="Год (по умолчанию — все).", metavar="ГОД")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Показать оплаты Заказчика и чеки по ним."""
    from rich.table import Table

    from srgcli.billing.money import rubles
    from srgcli.workspace.billing import payments

    ws = open_ws(ctx)
    found = payments(ws.conn, year=year)
    if as_json:
        emit_json(
            [
                {
                    "act": p.act_label,
                    "amount": str(p.amount),
                    "paid_on": p.paid_on,
                    "payer": p.payer,
                    "receipt": (
                        {"number": p.receipt_number, "date": p.receipt_on, "url": p.receipt_url}
                        if p.receipt_number
                        else None
                    ),
                }
                for p in found
            ]
        )
        return
    if not found:
        err().print("Оплат не записано.")
        return
    table = Table("Акт", "Дата оплаты", "Сумма", "Чек", "Дата чека")
    for p in found:
        table.add_row(
            p.act_label,
            p.paid_on,
            rubles(p.amount),
            p.receipt_number or "нет",
            p.receipt_on or "—",
        )
    out().print(table)


def receipt_add(
    ctx: typer.Context,
    act: ActArgument,
    number: Annotated[
        str, typer.Option("--number", help="Номер чека из «Мой налог».", metavar="НОМЕР")
    ],
    day: DateOption,
    url: Annotated[
        str | None,
        typer.Option("--url", help="Ссылка на чек (https://…).", metavar="URL", show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Записать чек, сформированный в «Мой налог», на оплату по акту.

    Чек относится к самой ранней оплате акта, у которой чека ещё нет. srgcli не обращается
    к налоговой службе и не хранит доступ к «Мой налог»: чек формируете вы, здесь — запись.
    """
    from srgcli.billing.payments import add_receipt

    ws = open_ws(ctx)
    outcome = add_receipt(ws, act, number, day, url)
    if as_json:
        emit_json(
            {
                "act": outcome.act.label,
                "number": number.strip(),
                "date": outcome.made_on.isoformat(),
                "deadline": outcome.deadline.due.isoformat(),
                "late": outcome.late,
            }
        )
    err().print(
        f"[green]Чек № {number.strip()} по акту № {outcome.act.label} записан.[/]",
        highlight=False,
    )
    if outcome.late:
        err().print(
            f"[yellow]Чек сформирован позже срока ({outcome.deadline.due:%d.%m.%Y}).[/]",
            highlight=False,
        )


def income_command(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Год (по умолчанию — текущий).", metavar="ГОД"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Доходы года по месяцам: акты, оплаты, чеки (и просроченные), лимит НПД, оценка налога.

    Лимит НПД — 2,4 млн ₽ в год (п. 8 ч. 2 ст. 4 422-ФЗ), предупреждение — с 80 %. Налог НПД:
    4 % с доходов от физических лиц, 6 % — от организаций и ИП (ст. 10), с вычетом 10 000 ₽
    (ст. 12). УСН: 6 % с доходов, страховые взносы не учитываются.
    """
    from srgcli.billing.income import income_summary

    ws = open_ws(ctx)
    summary = income_summary(ws, year)
    if as_json:
        emit_json(summary.to_json())
        return
    _print_income(summary)


def _print_income(summary: IncomeSummary) -> None:
    from decimal import Decimal

    from rich.table import Table

    from srgcli.billing.context import MONTHS_NOMINATIVE
    from srgcli.billing.law import REGIME_LABELS
    from srgcli.billing.money import percent, rubles

    table = Table(
        "Месяц", "Акты", "Сумма актов", "Оплачено", "Чеков", "Без чека", "Налог", title=None
    )
    for m in summary.months:
        if not (m.acts or m.paid or m.receipts):
            continue
        missing = f"{m.missing} (просрочено {m.overdue})" if m.overdue else str(m.missing)
        table.add_row(
            MONTHS_NOMINATIVE[m.month - 1],
            ", ".join(m.acts) or "—",
            rubles(m.acts_total),
            rubles(m.paid),
            str(m.receipts),
            missing,
            rubles(m.tax),
        )
    console = out()
    console.print(f"Доходы за {summary.year} г. — {REGIME_LABELS[summary.regime]}", highlight=False)
    if table.rows:
        console.print(table)
    else:
        console.print("Актов и оплат за год нет.")
    console.print(f"Доход с начала года: {rubles(summary.income)}", highlight=False)
    if summary.limit is not None and summary.share is not None:
        used = percent(summary.share.quantize(Decimal("0.001")))
        line = f"Лимит НПД {rubles(summary.limit)}: использовано {used}"
        state = summary.limit_state
        colour = {"ok": "green", "warning": "yellow", "exceeded": "red"}[state]
        console.print(f"[{colour}]{line}[/]", highlight=False)
        if state == "warning":
            console.print(
                "[yellow]Доход приближается к лимиту НПД: при превышении право на режим "
                "теряется (п. 8 ч. 2 ст. 4 422-ФЗ).[/]"
            )
        elif state == "exceeded":
            console.print(
                "[red]Лимит НПД превышен: в течение 20 календарных дней перейдите на другой "
                "режим (ч. 6 ст. 15 422-ФЗ).[/]"
            )
    console.print(f"Оценка налога за год: {rubles(summary.tax)}", highlight=False)
    if summary.regime == "npd":
        console.print(
            f"Вычет по ст. 12 422-ФЗ: использовано {rubles(summary.deduction_used)}, "
            f"остаток {rubles(summary.deduction_left)}.",
            highlight=False,
        )
    else:
        console.print("[dim]Страховые взносы ИП в оценке не учитываются.[/]")
    for hint in summary.hints:
        err().print(f"• {hint}", highlight=False, markup=False)
