"""What the act's Word template sees: the act, the parties, the lines, the totals in figures
and in words, the VAT line. The keys of `act_context()` are the act template's data model;
`sample_act_context()` builds the same shape for checking a template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from srgcli.billing.money import figures, in_words, rubles
from srgcli.calendar import MOSCOW
from srgcli.ru import format_date

MONTHS_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
VARIANT_LABELS = {"A": "А — принято Заказчиком", "B": "Б — передано клиенту через ИС"}


@dataclass(frozen=True)
class Parties:
    """The executor and the Customer as the act names them."""

    executor_name: str
    executor_status: str
    executor_inn: str
    customer: dict[str, str]


def month_label(month: str) -> str:
    """«ноябрь 2026 г.» for '2026-11'."""
    year, number = (int(p) for p in month.split("-"))
    return f"{MONTHS_NOMINATIVE[number - 1]} {year} г."


def short_date(value: str | None) -> str:
    """«25.11.2026» from a stored moment or date (Moscow time); a dash when empty."""
    if not value:
        return "—"
    if len(value) == 10:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    return datetime.fromisoformat(value).astimezone(MOSCOW).strftime("%d.%m.%Y")


def act_context(
    *,
    label: str,
    version: int,
    issued_on: date,
    month: str,
    parties: Parties,
    lines: list[dict[str, Any]],
    total: Decimal,
    vat_note: str,
) -> dict[str, Any]:
    """The act template's context. Each line: ticket_id, received_at, accepted_at (stored
    moments), variant ('A'|'B') and price (Decimal)."""
    customer = parties.customer
    contract_date = customer.get("contract_date") or ""
    return {
        "act": {
            "number": label,
            "version": version,
            "date": format_date(issued_on),
            "month": month_label(month),
            "count": len(lines),
        },
        "executor": {
            "name": parties.executor_name,
            "status_label": parties.executor_status,
            "inn": parties.executor_inn,
        },
        "customer": {
            "name": customer.get("name", ""),
            "inn": customer.get("inn", ""),
            "kpp": customer.get("kpp", ""),
            "address": customer.get("address", ""),
        },
        "contract": {
            "number": customer.get("contract_number", ""),
            "date": format_date(date.fromisoformat(contract_date)) if contract_date else "",
        },
        "lines": [
            {
                "n": n,
                "ticket_id": line["ticket_id"],
                "received": short_date(line["received_at"]),
                "accepted": short_date(line["accepted_at"]),
                "variant": "А" if line["variant"] == "A" else "Б",
                "variant_label": VARIANT_LABELS.get(line["variant"], line["variant"]),
                "price": figures(line["price"]),
            }
            for n, line in enumerate(lines, 1)
        ],
        "total": {
            "figures": figures(total),
            "rubles": rubles(total),
            "words": in_words(total),
        },
        "vat_note": vat_note,
    }


def sample_act_context() -> dict[str, Any]:
    """The act context filled with sample data (for checking act templates)."""
    from srgcli.billing.law import vat_note

    price = Decimal("1500.00")
    lines = [
        {
            "ticket_id": "2026-000118",
            "received_at": "2026-11-09T10:20:00+03:00",
            "accepted_at": "2026-11-20T15:00:00+03:00",
            "variant": "A",
            "price": price,
        },
        {
            "ticket_id": "2026-000121",
            "received_at": "2026-11-12T09:00:00+03:00",
            "accepted_at": "2026-11-24T12:00:00+03:00",
            "variant": "B",
            "price": price,
        },
    ]
    return act_context(
        label="1/2026",
        version=1,
        issued_on=date(2026, 11, 30),
        month="2026-11",
        parties=Parties(
            "Петрова Анна Сергеевна",
            "самозанятая",
            "500100732259",
            {
                "name": "ООО «Оценка-Сервис»",
                "inn": "7707083893",
                "kpp": "773601001",
                "address": "г. Москва, ул. Вавилова, д. 19",
                "contract_number": "15/2026",
                "contract_date": "2026-01-15",
            },
        ),
        lines=lines,
        total=price * 2,
        vat_note=vat_note("npd"),
    )
