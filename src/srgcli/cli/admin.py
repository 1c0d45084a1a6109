"""`srgcli init` and `srgcli demo`: creating workspaces."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from srgcli.cli.common import command_options, err, interactive
from srgcli.exit import ExitCode, SrgError


def register(app: typer.Typer) -> None:
    """Add `init` and `demo` to the application."""
    app.command(
        "init",
        **command_options(
            'srgcli init ~/заявки --executor-name "Петрова Анна Сергеевна" '
            "--executor-inn 500100732259"
        ),
    )(init_command)
    app.command("demo", **command_options("srgcli demo && cd srgcli-demo && srgcli list"))(
        demo_command
    )


def init_command(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(
            help="Папка для рабочей папки (создаётся при необходимости).", metavar="ПАПКА"
        ),
    ] = Path("."),
    executor_name: Annotated[
        str | None,
        typer.Option("--executor-name", help="ФИО исполнителя полностью.", metavar="ФИО"),
    ] = None,
    executor_inn: Annotated[
        str | None,
        typer.Option("--executor-inn", help="ИНН исполнителя (12 цифр).", metavar="ИНН"),
    ] = None,
    executor_status: Annotated[
        str | None,
        typer.Option(
            "--executor-status",
            help="self-employed (самозанятый) или sole-proprietor (ИП).",
            metavar="СТАТУС",
        ),
    ] = None,
    executor_phone: Annotated[
        str | None, typer.Option("--executor-phone", help="Телефон исполнителя.", metavar="ТЕЛЕФОН")
    ] = None,
    executor_email: Annotated[
        str | None, typer.Option("--executor-email", help="E-mail исполнителя.", metavar="EMAIL")
    ] = None,
    customer_name: Annotated[
        str | None,
        typer.Option("--customer-name", help="Наименование Заказчика (для актов).", metavar="ИМЯ"),
    ] = None,
    customer_inn: Annotated[
        str | None,
        typer.Option("--customer-inn", help="ИНН Заказчика (10 или 12 цифр).", metavar="ИНН"),
    ] = None,
    customer_kpp: Annotated[
        str | None, typer.Option("--customer-kpp", help="КПП Заказчика (9 знаков).", metavar="КПП")
    ] = None,
    price: Annotated[
        str | None,
        typer.Option("--price", help="Цена услуги по одной заявке, руб.", metavar="СУММА"),
    ] = None,
    regime: Annotated[
        str | None,
        typer.Option(
            "--regime", help="Налоговый режим: npd (НПД) или usn6 (УСН 6 %).", metavar="РЕЖИМ"
        ),
    ] = None,
) -> None:
    """Создать рабочую папку: srgcli.toml, базу srgcli.db, папки reports/ и outbox/."""
    from srgcli.workspace import create_workspace

    profile = _profile(
        ctx,
        name=executor_name,
        inn=executor_inn,
        status=executor_status,
        phone=executor_phone,
        email=executor_email,
    )
    if interactive(ctx):
        customer_name, customer_inn, customer_kpp, price = _ask_customer(
            customer_name, customer_inn, customer_kpp, price
        )
    sections = {
        "executor": profile,
        **_billing_sections(customer_name, customer_inn, customer_kpp, price, regime),
    }
    ws = create_workspace(directory, _config_with(sections))
    ws.close()
    err().print(f"[green]Рабочая папка создана:[/] {ws.root}")
    err().print(
        "Дальше: загрузите заявки — [bold]srgcli fetch ФАЙЛ[/] — и посмотрите список: "
        "[bold]srgcli list[/]. Настройки — в файле srgcli.toml."
    )


def _profile(ctx: typer.Context, **given: str | None) -> dict[str, str]:
    """The executor's profile from options, asking on a terminal for what is missing."""
    from srgcli.model import ExecutorStatus
    from srgcli.normalize.values import inn_problem, normalize_email, normalize_phone

    ask = interactive(ctx)
    if ask and given["name"] is None:
        given["name"] = typer.prompt(
            "ФИО исполнителя (Enter — заполнить позже)", default="", show_default=False
        )
    if ask and given["inn"] is None:
        while True:
            answer = typer.prompt("ИНН исполнителя (Enter — позже)", default="", show_default=False)
            problem = inn_problem(answer) if answer else None
            if not problem:
                given["inn"] = answer
                break
            err().print(f"[red]{problem}[/]")
    profile: dict[str, str] = {}
    if given["name"]:
        profile["name"] = " ".join(given["name"].split())
    if given["inn"]:
        problem = inn_problem(given["inn"])
        if problem:
            raise SrgError(f"ИНН исполнителя не принят: {problem}.", ExitCode.USAGE)
        profile["inn"] = given["inn"].strip()
    if given["status"]:
        try:
            profile["status"] = ExecutorStatus.parse(given["status"]).value
        except ValueError:
            raise SrgError(
                f"Неизвестный статус исполнителя «{given['status']}». "
                "Допустимо: self-employed (самозанятый) или sole-proprietor (ИП).",
                ExitCode.USAGE,
            ) from None
    try:
        if given["phone"]:
            profile["phone"] = normalize_phone(given["phone"])
        if given["email"]:
            profile["email"] = normalize_email(given["email"])
    except ValueError as exc:
        raise SrgError(f"Контакт исполнителя не принят: {exc}.", ExitCode.USAGE) from None
    return profile


def _ask_until_valid(question: str, problem: Any) -> str:
    """Ask on the terminal until the answer is empty (later) or `problem(answer)` is None."""
    while True:
        answer = typer.prompt(f"{question} (Enter — позже)", default="", show_default=False)
        reason = problem(answer) if answer.strip() else None
        if not reason:
            return str(answer).strip()
        err().print(f"[red]{reason}[/]")


def _ask_customer(
    name: str | None, inn: str | None, kpp: str | None, price: str | None
) -> tuple[str | None, str | None, str | None, str | None]:
    """The Customer and the price for the monthly act, asked for on a terminal when not given."""
    from srgcli.billing.money import parse_amount
    from srgcli.normalize.values import kpp_problem, party_inn_problem

    def price_problem(answer: str) -> str | None:
        try:
            parse_amount(answer)
        except ValueError as exc:
            return str(exc)
        return None

    if name is None:
        name = typer.prompt(
            "Заказчик для актов, например ООО «Оценка-Сервис» (Enter — позже)",
            default="",
            show_default=False,
        )
    if inn is None:
        inn = _ask_until_valid("ИНН Заказчика", party_inn_problem)
    if kpp is None and len(inn or "") == 10:
        kpp = _ask_until_valid("КПП Заказчика", kpp_problem)
    if price is None:
        price = _ask_until_valid("Цена услуги по одной заявке, руб.", price_problem)
    return name or None, inn or None, kpp or None, price or None


def _billing_sections(
    name: str | None, inn: str | None, kpp: str | None, price: str | None, regime: str | None
) -> dict[str, dict[str, Any]]:
    """`[customer]` and `[billing]` from init's options, each value checked (exit 2)."""
    from srgcli.normalize.values import kpp_problem, party_inn_problem

    customer: dict[str, Any] = {}
    billing: dict[str, Any] = {}
    if name:
        customer["name"] = " ".join(name.split())
    if inn:
        problem = party_inn_problem(inn)
        if problem:
            raise SrgError(f"ИНН Заказчика (--customer-inn) не принят: {problem}.", ExitCode.USAGE)
        customer["inn"] = inn.strip()
    if kpp:
        problem = kpp_problem(kpp)
        if problem:
            raise SrgError(f"КПП Заказчика (--customer-kpp) не принят: {problem}.", ExitCode.USAGE)
        customer["kpp"] = kpp.strip()
    if price:
        from srgcli.billing.money import parse_amount

        try:
            billing["price"] = float(parse_amount(price))
        except ValueError as exc:
            raise SrgError(f"Цена (--price) не принята: {exc}.", ExitCode.USAGE) from None
    if regime:
        if regime not in ("npd", "usn6"):
            raise SrgError(
                f"Неизвестный налоговый режим «{regime}». Допустимо: npd или usn6.",
                ExitCode.USAGE,
            )
        billing["regime"] = regime
    return {"customer": customer, "billing": billing}


def _config_with(sections: dict[str, dict[str, Any]]) -> str:
    """The default config text with the given values (executor's profile, customer, billing)
    written into their sections."""
    from srgcli.workspace.config import default_config_text

    text = default_config_text()
    if not any(sections.values()):
        return text
    import tomlkit

    doc = tomlkit.parse(text)
    for name, values in sections.items():
        table: Any = doc[name]
        for key, value in values.items():
            table[key] = value
    return tomlkit.dumps(doc)


def demo_command(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Папка для демонстрационной рабочей папки (по умолчанию ./srgcli-demo).",
            metavar="ПАПКА",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Показать работу на примерах: создать рабочую папку с образцами заявок и пройти шаги."""
    from srgcli.cli.views.ticket_list import print_list
    from srgcli.demo import free_demo_dir, run_demo
    from srgcli.tickets import list_summaries

    root = directory if directory is not None else free_demo_dir(Path.cwd() / "srgcli-demo")
    ws = run_demo(root)
    ctx.call_on_close(ws.close)
    err().print(f"[green]Демонстрационная рабочая папка:[/] {ws.root}")
    print_list(ws, list_summaries(ws), filtered=False)
    from srgcli.workspace.reads import reports, submissions

    made = reports(ws, "2026-000118")
    if made:
        err().print(f"[green]Отчёт по заявке 2026-000118:[/] {ws.root / made[-1].path}")
    sent = submissions(ws, "2026-000118")
    if sent and sent[-1].path:
        said = "сдан и принят Заказчиком" if sent[-1].decision == "accepted" else "сдан Заказчику"
        err().print(f"[green]Отчёт {said} (вариант А), папка:[/] {ws.root / sent[-1].path}")
        if len(sent) > 1:
            err().print("Первая версия была возвращена с замечаниями и доработана.")
        if sent[-1].decision is None:
            err().print(
                f"Решение Заказчика: [bold]srgcli -w {ws.root} submit 2026-000118 "
                "--decision accepted[/]"
            )
    _print_paperwork(ws)
    err().print(f"Посмотрите заявку подробно: [bold]srgcli -w {ws.root} show 2026-000118[/]")
    err().print(
        f"История заказа и нарушения: [bold]srgcli -w {ws.root} review 2026-000118 --timeline[/]"
    )


def _print_paperwork(ws: Any) -> None:
    """The demo's act of the month, its payment and receipt (srgcli.demo.run_paperwork)."""
    from srgcli.workspace.billing import acts

    issued = [a for a in acts(ws.conn) if a.superseded_at is None]
    if not issued:
        return
    act = issued[-1]
    err().print(f"[green]Акт № {act.label} Заказчику за месяц:[/] {ws.root / act.path}")
    err().print(f"Оплата и чек записаны; доходы и лимит НПД: [bold]srgcli -w {ws.root} income[/]")
