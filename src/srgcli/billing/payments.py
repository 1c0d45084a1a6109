"""`srgcli payment` and `srgcli receipt`: the Customer's payments under an act and the receipts
the executor makes for them in «Мой налог» (by hand: there is no official API for individuals,
and srgcli never handles the tax service's credentials). A receipt is for one payment: the
oldest payment of the act that has none yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from srgcli.billing.act import find_act
from srgcli.billing.law import ReceiptDeadline, receipt_deadline
from srgcli.billing.money import parse_amount
from srgcli.calendar import MOSCOW, now
from srgcli.exit import ExitCode, PreconditionError, SrgError
from srgcli.workspace import billing as store
from srgcli.workspace.db import transaction

if TYPE_CHECKING:
    from srgcli.workspace import Workspace


def parse_day(text: str, what: str) -> date:
    """A date as «2026-12-05» or «05.12.2026»; a usage error (exit 2) naming `what` otherwise.
    A date in the future is refused: a payment or a receipt is recorded once it happened."""
    raw = text.strip()
    try:
        if "." in raw:
            day, month, year = (int(p) for p in raw.split("."))
            value = date(year, month, day)
        else:
            value = date.fromisoformat(raw)
    except ValueError:
        raise SrgError(
            f"{what}: «{text}» — не дата. Укажите, например, 2026-12-05 или 05.12.2026.",
            ExitCode.USAGE,
        ) from None
    if value > now().astimezone(MOSCOW).date():
        raise SrgError(f"{what}: {value:%d.%m.%Y} ещё не наступило.", ExitCode.USAGE)
    return value


def payer_kind(customer_inn: str) -> str:
    """Who pays, by the ИНН in the act: 10 digits — an organisation, 12 — an ИП."""
    return "organisation" if len(customer_inn.strip()) == 10 else "sole_proprietor"


@dataclass(frozen=True)
class PaymentOutcome:
    """A recorded payment, its receipt deadline and the act's balance after it."""

    act: store.StoredAct
    amount: Decimal
    paid_on: date
    deadline: ReceiptDeadline
    paid_total: Decimal

    @property
    def overpaid(self) -> bool:
        """More was paid under the act than its total."""
        return self.paid_total > self.act.total


def add_payment(
    ws: Workspace, act_ref: str, amount_text: str, day_text: str, command: str = "payment"
) -> PaymentOutcome:
    """Record a payment under an act (amount > 0, a past date)."""
    try:
        amount = parse_amount(amount_text)
    except ValueError as exc:
        raise SrgError(f"Сумма оплаты: {exc}.", ExitCode.USAGE) from None
    if amount <= 0:
        raise SrgError("Сумма оплаты должна быть больше нуля.", ExitCode.USAGE)
    paid_on = parse_day(day_text, "Дата оплаты")
    act = find_act(ws, act_ref)
    payer = payer_kind(str(act.customer.get("inn", "")))
    with transaction(ws.conn):
        store.add_payment(
            ws.conn,
            year=act.year,
            number=act.number,
            amount=amount,
            paid_on=paid_on.isoformat(),
            payer=payer,
            command=command,
        )
    paid = sum((p.amount for p in store.act_payments(ws.conn, act.year, act.number)), Decimal(0))
    return PaymentOutcome(act, amount, paid_on, receipt_deadline(paid_on, payer, ws.calendar), paid)


@dataclass(frozen=True)
class ReceiptOutcome:
    """A recorded receipt and the payment it is for."""

    act: store.StoredAct
    payment: store.Payment
    made_on: date
    deadline: ReceiptDeadline

    @property
    def late(self) -> bool:
        """Made after its deadline."""
        return self.made_on > self.deadline.due


def add_receipt(
    ws: Workspace,
    act_ref: str,
    number: str,
    day_text: str,
    url: str | None = None,
    command: str = "receipt",
) -> ReceiptOutcome:
    """Record the receipt for the act's oldest payment without one; exit 3 when every
    payment already has its receipt (or none was recorded)."""
    number = number.strip()
    if not number:
        raise SrgError("Укажите номер чека из «Мой налог» (--number).", ExitCode.USAGE)
    if url is not None and not url.strip().lower().startswith(("https://", "http://")):
        raise SrgError(
            f"Ссылка на чек «{url}» должна начинаться с https://.",
            ExitCode.USAGE,
        )
    made_on = parse_day(day_text, "Дата чека")
    act = find_act(ws, act_ref)
    if store.receipt_number_used(ws.conn, number):
        raise SrgError(f"Чек № {number} уже записан.", ExitCode.USAGE)
    waiting = [p for p in store.act_payments(ws.conn, act.year, act.number) if not p.receipt_number]
    if not waiting:
        raise PreconditionError(
            f"По акту № {act.label} нет оплаты без чека: чек формируется на полученную оплату.",
            hint=f"Сначала запишите оплату: srgcli payment add {act.label} --amount СУММА "
            "--date ДАТА",
        )
    payment = waiting[0]
    if made_on < date.fromisoformat(payment.paid_on):
        raise SrgError(
            f"Дата чека {made_on:%d.%m.%Y} раньше оплаты "
            f"{date.fromisoformat(payment.paid_on):%d.%m.%Y}.",
            ExitCode.USAGE,
        )
    with transaction(ws.conn):
        store.add_receipt(
            ws.conn,
            payment.id,
            number=number,
            made_on=made_on.isoformat(),
            url=url,
            command=command,
        )
    deadline = receipt_deadline(date.fromisoformat(payment.paid_on), payment.payer, ws.calendar)
    return ReceiptOutcome(act, payment, made_on, deadline)
