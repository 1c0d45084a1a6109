"""`srgcli income`: the year by month — acts issued, payments, receipts made and overdue —,
income against the НПД limit and the tax estimate for the regime (figures from
`srgcli/data/billing.toml`; УСН: 6 % of income, insurance contributions are not modelled)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from srgcli.billing.law import ReceiptDeadline, npd, receipt_deadline, usn6
from srgcli.billing.money import KOPECK, rubles
from srgcli.calendar import MOSCOW, now
from srgcli.ru import format_date
from srgcli.workspace import billing as store

if TYPE_CHECKING:
    from srgcli.workspace import Workspace


@dataclass(frozen=True)
class MissingReceipt:
    """A payment without its receipt, and when the receipt is due."""

    act: str
    amount: Decimal
    paid_on: date
    deadline: ReceiptDeadline
    overdue: bool

    @property
    def hint(self) -> str:
        """«чек по акту № 12/2026 (оплата 1 500,00 ₽ от 05.12.2026) не сформирован, срок — …»."""
        when = format_date(self.deadline.due)
        if self.deadline.moved:
            when += f" (9-е число — выходной, срок перенесён с {self.deadline.nominal:%d.%m})"
        state = "просрочен" if self.overdue else "не сформирован"
        return (
            f"чек по акту № {self.act} (оплата {rubles(self.amount)} от "
            f"{self.paid_on:%d.%m.%Y}) {state}, срок — {when}"
        )

    def to_json(self) -> dict[str, Any]:
        """The element of `income --json` "missing_receipts"."""
        return {
            "act": self.act,
            "amount": str(self.amount),
            "paid_on": self.paid_on.isoformat(),
            "deadline": self.deadline.due.isoformat(),
            "overdue": self.overdue,
        }


@dataclass
class MonthIncome:
    """One month of the year."""

    month: int
    acts: list[str] = field(default_factory=list)
    acts_total: Decimal = Decimal("0.00")
    paid: Decimal = Decimal("0.00")
    receipts: int = 0
    missing: int = 0
    overdue: int = 0
    tax: Decimal = Decimal("0.00")

    def to_json(self) -> dict[str, Any]:
        """The element of `income --json` "months"."""
        return {
            "month": self.month,
            "acts": self.acts,
            "acts_total": str(self.acts_total),
            "paid": str(self.paid),
            "receipts": self.receipts,
            "receipts_missing": self.missing,
            "receipts_overdue": self.overdue,
            "tax": str(self.tax),
        }


@dataclass
class IncomeSummary:
    """The year's income, limit, tax estimate and what is left to do."""

    year: int
    regime: str
    months: list[MonthIncome]
    income: Decimal
    tax: Decimal
    deduction_used: Decimal
    deduction_left: Decimal
    limit: Decimal | None
    missing: list[MissingReceipt]
    unpaid: list[str]

    @property
    def share(self) -> Decimal | None:
        """Income as a share of the НПД limit (None under УСН)."""
        return self.income / self.limit if self.limit else None

    @property
    def limit_state(self) -> str:
        """'ok', 'warning' (from 80 %), 'exceeded' (over the limit) or 'none' (УСН)."""
        share = self.share
        if share is None:
            return "none"
        if self.income > (self.limit or 0):
            return "exceeded"
        return "warning" if share >= npd("warn_share") else "ok"

    @property
    def hints(self) -> list[str]:
        """Next steps, most urgent first."""
        ordered = sorted(self.missing, key=lambda m: (not m.overdue, m.deadline.due))
        return [m.hint for m in ordered] + self.unpaid

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `income --json`."""
        return {
            "year": self.year,
            "regime": self.regime,
            "income": str(self.income),
            "limit": str(self.limit) if self.limit else None,
            "limit_share": str(self.share.quantize(Decimal("0.0001"))) if self.share else None,
            "limit_state": self.limit_state,
            "tax": str(self.tax),
            "deduction_used": str(self.deduction_used),
            "deduction_left": str(self.deduction_left),
            "months": [m.to_json() for m in self.months],
            "missing_receipts": [m.to_json() for m in self.missing],
            "hints": self.hints,
        }


def income_summary(ws: Workspace, year: int | None = None) -> IncomeSummary:
    """The year's summary (the current year by default)."""
    today = now().astimezone(MOSCOW).date()
    year = year or today.year
    billing = ws.config.section("billing")
    regime = str(billing["regime"])
    months = [MonthIncome(m) for m in range(1, 13)]
    for act in store.acts(ws.conn, year=year):
        if act.superseded_at is None:
            month = months[int(act.month[5:7]) - 1] if act.month.startswith(str(year)) else None
            if month is not None:
                month.acts.append(act.label)
                month.acts_total += act.total
    left = Decimal(str(billing["deduction_left"])).quantize(KOPECK)
    used = Decimal("0.00")
    income = Decimal("0.00")
    missing: list[MissingReceipt] = []
    for payment in store.payments(ws.conn, year=year):
        paid_on = date.fromisoformat(payment.paid_on)
        month = months[paid_on.month - 1]
        month.paid += payment.amount
        income += payment.amount
        tax, deduction = _tax(regime, payment.payer, payment.amount, left)
        left -= deduction
        used += deduction
        month.tax += tax
        if payment.receipt_on:
            months[date.fromisoformat(payment.receipt_on).month - 1].receipts += int(
                payment.receipt_on.startswith(str(year))
            )
            continue
        deadline = receipt_deadline(paid_on, payment.payer, ws.calendar)
        overdue = today > deadline.due
        month.missing += 1
        month.overdue += int(overdue)
        missing.append(
            MissingReceipt(payment.act_label, payment.amount, paid_on, deadline, overdue)
        )
    unpaid = _acts_to_issue(ws, year, today)
    for act in store.acts(ws.conn, year=year):
        if act.superseded_at is not None:
            continue
        paid = sum(
            (p.amount for p in store.act_payments(ws.conn, act.year, act.number)), Decimal(0)
        )
        if paid < act.total:
            unpaid.append(
                f"акт № {act.label} на {rubles(act.total)} оплачен не полностью "
                f"(получено {rubles(paid)})"
            )
    return IncomeSummary(
        year,
        regime,
        months,
        income,
        sum((m.tax for m in months), Decimal("0.00")),
        used,
        left,
        npd("income_limit") if regime == "npd" else None,
        missing,
        unpaid,
    )


def _acts_to_issue(ws: Workspace, year: int, today: date) -> list[str]:
    """Finished months with accepted tickets but no act, or with tickets the act lacks."""
    from srgcli.billing.context import month_label

    accepted: dict[str, set[str]] = {}
    for ticket in store.accepted_tickets(ws.conn):
        moment = datetime.fromisoformat(ticket.accepted_at).astimezone(MOSCOW)
        if moment.year == year and (moment.year, moment.month) < (today.year, today.month):
            accepted.setdefault(f"{moment:%Y-%m}", set()).add(ticket.ticket_id)
    hints = []
    for month, tickets in sorted(accepted.items()):
        act = store.current_act(ws.conn, month)
        if act is None:
            hints.append(
                f"за {month_label(month)} принято заявок: {len(tickets)}, акт не составлен — "
                f"srgcli act --month {month}"
            )
            continue
        missing = tickets - {line.ticket_id for line in store.act_lines(ws.conn, act.id)}
        if missing:
            hints.append(
                f"в акт № {act.label} не вошли заявки, принятые позже: "
                f"{', '.join(sorted(missing))} — srgcli act --month {month}"
            )
    return hints


def _tax(regime: str, payer: str, amount: Decimal, left: Decimal) -> tuple[Decimal, Decimal]:
    """The tax on one payment and the deduction it uses (ст. 10 and 12 of 422-ФЗ; УСН 6 %)."""
    if regime == "usn6":
        return _round(amount * usn6("rate")), Decimal("0.00")
    kind = "individual" if payer == "individual" else "organisation"
    base = _round(amount * npd(f"rate_{kind}"))
    deduction = min(_round(amount * npd(f"deduction_share_{kind}")), max(left, Decimal(0)))
    return base - deduction, deduction


def _round(value: Decimal) -> Decimal:
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)
