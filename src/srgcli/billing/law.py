"""The legal figures of billing (limit, rates, deduction, receipt deadline, VAT wording), read
from `srgcli/data/billing.toml`, where each comes with the provision it rests on."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from srgcli.exit import ExitCode, SrgError

DATA = Path(__file__).resolve().parents[1] / "data" / "billing.toml"
REGIMES = ("npd", "usn6")
REGIME_LABELS = {
    "npd": "налог на профессиональный доход (НПД)",
    "usn6": "УСН «доходы» 6 %",
}


@cache
def figures() -> dict[str, Any]:
    """The data file as loaded (cached for the process)."""
    return tomllib.loads(DATA.read_text("utf-8"))


def npd(key: str) -> Any:
    """A figure of the НПД section: a Decimal for the money and rate strings."""
    return _value(figures()["npd"][key])


def usn6(key: str) -> Any:
    """A figure of the УСН 6 % section."""
    return _value(figures()["usn6"][key])


def _value(raw: Any) -> Any:
    if isinstance(raw, str) and raw.replace(".", "", 1).isdigit():
        return Decimal(raw)
    return raw


def vat_note(regime: str, override: str = "") -> str:
    """The act's VAT line for the regime (the config's own wording when it has one)."""
    if override.strip():
        return override.strip()
    if regime not in REGIMES:
        raise SrgError(f"Неизвестный налоговый режим «{regime}».", ExitCode.USAGE)
    return str(figures()[regime]["vat_note"])


@dataclass(frozen=True)
class ReceiptDeadline:
    """When a payment's receipt is due, and whether a day off moved it."""

    due: date
    nominal: date
    moved: bool


def receipt_deadline(paid_on: date, payer: str, calendar: Any) -> ReceiptDeadline:
    """The receipt's deadline for a payment (ст. 14 422-ФЗ): a transfer from an organisation
    or ИП — the 9th of the next month, moved past days off; from an individual — the same day."""
    if payer == "individual":
        return ReceiptDeadline(paid_on, paid_on, False)
    first_next = (paid_on.replace(day=1) + timedelta(days=32)).replace(day=1)
    nominal = first_next.replace(day=int(npd("receipt_day")))
    due = nominal
    while not calendar.is_business_day(due):
        due += timedelta(days=1)
    return ReceiptDeadline(due, nominal, due != nominal)
