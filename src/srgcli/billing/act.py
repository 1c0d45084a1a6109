"""`srgcli act`: the monthly act of services rendered to the Customer, one line per ticket the
Customer accepted in the month, gated like a report and stored with its hash.

What counts: a ticket whose latest submission is accepted — variant A by the Customer's
decision (its date), variant B by the delivery mark in the ИС (the mark's date; the service
description, acceptance 3.2). The act's date is the last day of the month, or today while the
month is still running. Numbers run in a series per calendar year («12/2026»); issuing a month
again keeps its number, makes version n + 1 and marks the previous version superseded.
"""

from __future__ import annotations

import calendar as monthdays
import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.calendar import MOSCOW, now
from srgcli.exit import ExitCode, PreconditionError, SrgError
from srgcli.workspace import billing as store
from srgcli.workspace.files import sha256_of

if TYPE_CHECKING:
    from srgcli.gate.engine import Gate
    from srgcli.gate.issue import GateResult
    from srgcli.workspace import Workspace

BUILTIN_ACT = Path(__file__).resolve().parents[1] / "data" / "templates" / "act" / "default.docx"


@dataclass
class ActOutcome:
    """What `act` did: the act stored (or refused by the gate) and its PDF copy."""

    month: str
    state: str  # "created" | "refused"
    label: str
    version: int
    issued_on: date
    total: Decimal
    lines: list[store.ActLine]
    path: Path | None = None
    sha256: str = ""
    superseded: int | None = None  # the version this one replaces
    gate: dict[str, Any] = field(default_factory=dict)
    result: GateResult | None = None
    pdf: Path | None = None
    pdf_error: str | None = None
    pdf_hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `act --json`."""
        return {
            "month": self.month,
            "number": self.label,
            "version": self.version,
            "date": self.issued_on.isoformat(),
            "total": str(self.total),
            "lines": [
                {
                    "ticket_id": x.ticket_id,
                    "received_at": x.received_at,
                    "accepted_at": x.accepted_at,
                    "variant": x.variant,
                    "price": str(x.price),
                }
                for x in self.lines
            ],
            "path": str(self.path) if self.path else None,
            "sha256": self.sha256 or None,
            "superseded_version": self.superseded,
            "gate": self.gate,
            "pdf": str(self.pdf) if self.pdf else None,
            "pdf_error": self.pdf_error,
        }


def parse_month(text: str) -> tuple[int, int]:
    """'2026-11' → (2026, 11); a usage error (exit 2) otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise SrgError(
            f"«{text}» — не месяц. Укажите год и месяц через дефис, например 2026-11.",
            ExitCode.USAGE,
        )
    return int(match.group(1)), int(match.group(2))


def price_for(ws: Workspace, category: str | None, variant: str) -> Decimal:
    """The price of one ticket: by its category, else by its variant, else `[billing] price`."""
    from srgcli.model import Category

    billing = ws.config.section("billing")
    by_category = {
        (Category.try_parse(k) or k): v for k, v in billing.get("category_prices", {}).items()
    }
    parsed = Category.try_parse(category)
    if parsed is not None and parsed in by_category:
        value = by_category[parsed]
    elif variant in billing.get("variant_prices", {}):
        value = billing["variant_prices"][variant]
    else:
        value = billing["price"]
    return Decimal(str(value)).quantize(Decimal("0.01"))


def month_lines(ws: Workspace, year: int, month: int) -> list[store.ActLine]:
    """The tickets accepted in the month (Moscow time), each at its price."""
    lines = []
    for t in store.accepted_tickets(ws.conn):
        moment = datetime.fromisoformat(t.accepted_at).astimezone(MOSCOW)
        if (moment.year, moment.month) == (year, month):
            price = price_for(ws, t.category, t.variant)
            lines.append(store.ActLine(t.ticket_id, t.received_at, t.accepted_at, t.variant, price))
    return lines


def customer_profile(ws: Workspace) -> dict[str, str]:
    """`[customer]` for the act; exit 3 when the name or the ИНН is missing."""
    customer = {k: str(v) for k, v in ws.config.section("customer").items()}
    missing = [key for key in ("name", "inn") if not customer.get(key, "").strip()]
    if missing:
        raise PreconditionError(
            "Не заполнены данные Заказчика для акта: "
            + ", ".join(f"[customer] {k}" for k in missing)
            + " в srgcli.toml.",
            hint='Впишите, например: name = "ООО «Оценка-Сервис»", inn = "7707083893"',
        )
    return customer


def issue_act(
    ws: Workspace,
    month_text: str,
    *,
    pdf: bool = False,
    gate: Gate | None = None,
    command: str = "act",
) -> ActOutcome:
    """Render, gate and store the act for a month (see the module docstring)."""
    from srgcli.billing.context import Parties, act_context, month_label
    from srgcli.billing.law import vat_note
    from srgcli.model import ExecutorStatus
    from srgcli.render.context import status_label

    year, month = parse_month(month_text)
    month_key = f"{year:04d}-{month:02d}"
    profile = ws.config.require_signature()
    customer = customer_profile(ws)
    lines = month_lines(ws, year, month)
    if not lines:
        raise PreconditionError(
            f"За {month_label(month_key)} нет заявок, принятых Заказчиком: акт не составлен. "
            "Заявка попадает в акт месяца, в котором её приняли (вариант А — решение Заказчика "
            "«принято», вариант Б — отметка о передаче клиенту в ИС).",
            hint="Принятые заявки: srgcli list --status accepted",
        )
    unpriced = [x.ticket_id for x in lines if x.price <= 0]
    if unpriced:
        raise PreconditionError(
            f"Не указана цена услуги для заявок {', '.join(unpriced)}: [billing] price "
            "в srgcli.toml (или цена по категории или варианту).",
            hint="Впишите, например: price = 1500.0",
        )
    previous = store.current_act(ws.conn, month_key)
    number = previous.number if previous else store.next_act_number(ws.conn, year)
    version = previous.version + 1 if previous else 1
    today = now().astimezone(MOSCOW).date()
    issued_on = min(date(year, month, monthdays.monthrange(year, month)[1]), today)
    total = sum((x.price for x in lines), Decimal("0.00"))
    billing = ws.config.section("billing")
    status = ExecutorStatus.try_parse(profile.status) or ExecutorStatus.SELF_EMPLOYED
    context = act_context(
        label=f"{number}/{year}",
        version=version,
        issued_on=issued_on,
        month=month_key,
        parties=Parties(profile.name, status_label(status, profile.name), profile.inn, customer),
        lines=[x.__dict__ for x in lines],
        total=total,
        vat_note=vat_note(billing["regime"], billing.get("vat_note", "")),
    )
    outcome = ActOutcome(
        month_key,
        "created",
        f"{number}/{year}",
        version,
        issued_on,
        total,
        lines,
        superseded=previous.version if previous else None,
    )
    _render_and_store(ws, outcome, context, customer, gate, command, year, number)
    if pdf and outcome.path is not None and outcome.state == "created":
        _with_pdf(ws, outcome)
    return outcome


def _render_and_store(
    ws: Workspace,
    outcome: ActOutcome,
    context: dict[str, Any],
    customer: dict[str, str],
    gate: Gate | None,
    command: str,
    year: int,
    number: int,
) -> None:
    from srgcli.gate.documents import check_docx
    from srgcli.render.docx import TemplateFault, render

    if gate is None:
        from srgcli.gate.engine import open_gate

        gate = open_gate(ws)
    from srgcli.report.store import commit_file, staged_file

    target = ws.root / "acts" / str(year) / f"akt-{number}-{year}-v{outcome.version}.docx"
    stack = ExitStack()
    try:
        tmp = stack.enter_context(
            staged_file(ws, "act", target, month=outcome.month, version=outcome.version)
        )
    except OSError as exc:
        raise _unwritable(ws, target, exc) from None
    with stack:
        try:
            render(BUILTIN_ACT, context, tmp)
        except TemplateFault as fault:
            raise SrgError(f"Шаблон акта: {fault}.", ExitCode.USAGE) from None
        words = [customer.get("name", ""), customer.get("address", ""), ws.config.executor.name]
        result = check_docx(gate, tmp, [w for w in words if w])
        data = result.stored_summary()
        outcome.gate, outcome.result = data, result
        if not result.passed:
            outcome.state = "refused"
            return
        digest = sha256_of(tmp)

        def record() -> None:
            store.store_act(
                ws.conn,
                year=year,
                number=number,
                month=outcome.month,
                version=outcome.version,
                issued_on=outcome.issued_on.isoformat(),
                total=outcome.total,
                regime=str(ws.config.section("billing")["regime"]),
                customer=customer,
                path=target.relative_to(ws.root).as_posix(),
                sha256=digest,
                gate=data,
                lines=outcome.lines,
                command=command,
            )

        try:
            commit_file(ws, tmp, target, record)
        except OSError as exc:
            raise _unwritable(ws, target, exc) from None
        outcome.path, outcome.sha256 = target, digest


def _with_pdf(ws: Workspace, outcome: ActOutcome) -> None:
    """The PDF/A-2b copy beside the act (LibreOffice, as for reports); on failure, why."""
    from srgcli.render.pdf import PdfUnavailable, find_office, to_pdfa

    assert outcome.path is not None
    settings = ws.config.section("report")
    try:
        outcome.pdf = to_pdfa(
            outcome.path,
            outcome.path.with_suffix(".pdf"),
            office=find_office(str(settings.get("soffice") or "")),
            timeout=float(settings.get("pdf_timeout") or 120),
        )
    except PdfUnavailable as exc:
        outcome.pdf_error, outcome.pdf_hint = exc.reason, exc.hint


def _unwritable(ws: Workspace, target: Path, exc: OSError) -> SrgError:
    from srgcli.exit import unwritable_error

    return unwritable_error(
        ws.root, target, exc, what="акт", outcome="Акт не сохранён.", folder="acts/"
    )


def find_act(ws: Workspace, ref: str) -> store.StoredAct:
    """An act by «12/2026», «12» (the newest with that number) or its month «2026-11»;
    exit 2 for a malformed reference, 3 when there is no such act."""
    text = ref.strip()
    found: store.StoredAct | None
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = parse_month(text)
        found = store.current_act(ws.conn, f"{year:04d}-{month:02d}")
    elif match := re.fullmatch(r"(\d+)/(\d{4})", text):
        found = store.act_by_number(ws.conn, int(match.group(2)), int(match.group(1)))
    elif text.isdigit():
        found = store.latest_act_number(ws.conn, int(text))
    else:
        raise SrgError(
            f"«{ref}» — не номер акта. Укажите номер (12/2026 или 12) или месяц (2026-11).",
            ExitCode.USAGE,
        )
    if found is None:
        raise PreconditionError(
            f"Акт {ref} не найден.", hint="Составьте его: srgcli act --month ГГГГ-ММ"
        )
    return found
