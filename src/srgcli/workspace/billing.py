"""The SQL of the executor's paperwork: accepted tickets, acts and their versions, payments
and receipts. Amounts are stored as decimal strings (rubles), dates as ISO text."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from srgcli.calendar import now_iso
from srgcli.workspace import audit


@dataclass(frozen=True)
class AcceptedTicket:
    """A ticket whose latest submission is accepted: A by the Customer's decision, B by the
    delivery mark in the ИС (the service description, acceptance 2.2 and 3.2)."""

    ticket_id: str
    received_at: str | None
    category: str | None
    variant: str
    accepted_at: str
    returned: int  # how many times the Customer returned it for rework before


@dataclass(frozen=True)
class ActLine:
    """One ticket in an act."""

    ticket_id: str
    received_at: str | None
    accepted_at: str
    variant: str
    price: Decimal


@dataclass(frozen=True)
class StoredAct:
    """An act as recorded: one version of one month's act."""

    id: int
    year: int
    number: int
    month: str
    version: int
    issued_on: str
    total: Decimal
    regime: str
    customer: dict[str, Any]
    path: str
    sha256: str
    gate: dict[str, Any]
    superseded_at: str | None
    created_at: str

    @property
    def label(self) -> str:
        """The act's number as printed: «12/2026»."""
        return f"{self.number}/{self.year}"


@dataclass(frozen=True)
class Payment:
    """A payment by the Customer under an act, with its receipt once it is made."""

    id: int
    act_year: int
    act_number: int
    amount: Decimal
    paid_on: str
    payer: str
    receipt_number: str | None = None
    receipt_on: str | None = None
    receipt_url: str | None = None

    @property
    def act_label(self) -> str:
        """The act's number: «12/2026»."""
        return f"{self.act_number}/{self.act_year}"


def accepted_tickets(conn: sqlite3.Connection) -> list[AcceptedTicket]:
    """Every ticket whose latest submission is accepted, with the moment it was accepted."""
    rows = conn.execute(
        "select s.ticket_id, t.received_at, t.category, s.variant, "
        "case when s.variant = 'B' then s.marked_at else s.decided_at end as accepted_at, "
        "(select count(*) from submissions r where r.ticket_id = s.ticket_id "
        " and r.decision = 'returned') as returned "
        "from submissions s join tickets t on t.id = s.ticket_id "
        "where s.id = (select max(id) from submissions m where m.ticket_id = s.ticket_id) "
        "and ((s.variant = 'B' and s.mark_ref is not null) "
        " or (s.variant <> 'B' and s.decision = 'accepted')) "
        "order by accepted_at, s.ticket_id"
    ).fetchall()
    return [AcceptedTicket(*tuple(r)) for r in rows if r["accepted_at"]]


_ACT_COLUMNS = (
    "id, year, number, month, version, issued_on, total, regime, customer, path, sha256, "
    "gate, superseded_at, created_at"
)


def _act(row: sqlite3.Row) -> StoredAct:
    values = dict(row)
    values["total"] = Decimal(values["total"])
    values["customer"] = json.loads(values["customer"] or "{}")
    values["gate"] = json.loads(values["gate"] or "{}")
    return StoredAct(**values)


def acts(conn: sqlite3.Connection, *, year: int | None = None) -> list[StoredAct]:
    """Every version of every act (of one year's series), oldest first."""
    where, args = ("where year = ?", (year,)) if year is not None else ("", ())
    rows = conn.execute(
        f"select {_ACT_COLUMNS} from acts {where} order by year, number, version", args
    ).fetchall()
    return [_act(r) for r in rows]


def current_act(conn: sqlite3.Connection, month: str) -> StoredAct | None:
    """The month's act in force (its latest version), if one was issued."""
    row = conn.execute(
        f"select {_ACT_COLUMNS} from acts where month = ? order by version desc limit 1", (month,)
    ).fetchone()
    return _act(row) if row else None


def act_by_number(conn: sqlite3.Connection, year: int, number: int) -> StoredAct | None:
    """The act in force under a number of a year's series."""
    row = conn.execute(
        f"select {_ACT_COLUMNS} from acts where year = ? and number = ? "
        "order by version desc limit 1",
        (year, number),
    ).fetchone()
    return _act(row) if row else None


def latest_act_number(conn: sqlite3.Connection, number: int) -> StoredAct | None:
    """The newest act with this number in any year (for «12» given without a year)."""
    row = conn.execute(
        f"select {_ACT_COLUMNS} from acts where number = ? order by year desc, version desc "
        "limit 1",
        (number,),
    ).fetchone()
    return _act(row) if row else None


def act_lines(conn: sqlite3.Connection, act_id: int) -> list[ActLine]:
    """An act's lines in their order."""
    rows = conn.execute(
        "select ticket_id, received_at, accepted_at, variant, price from act_lines "
        "where act_id = ? order by position",
        (act_id,),
    ).fetchall()
    return [ActLine(r[0], r[1], r[2], r[3], Decimal(r[4])) for r in rows]


def next_act_number(conn: sqlite3.Connection, year: int) -> int:
    """The number a new month's act gets in the year's series."""
    row = conn.execute("select max(number) from acts where year = ?", (year,)).fetchone()
    return int(row[0] or 0) + 1


def store_act(
    conn: sqlite3.Connection,
    *,
    year: int,
    number: int,
    month: str,
    version: int,
    issued_on: str,
    total: Decimal,
    regime: str,
    customer: dict[str, Any],
    path: str,
    sha256: str,
    gate: dict[str, Any],
    lines: list[ActLine],
    command: str,
) -> int:
    """Record a new act version and its lines; the previous version is marked superseded.
    Audited. Call inside a transaction."""
    stamp = now_iso()
    conn.execute(
        "update acts set superseded_at = ? where month = ? and superseded_at is null",
        (stamp, month),
    )
    cursor = conn.execute(
        "insert into acts (year, number, month, version, issued_on, total, regime, customer, "
        "path, sha256, gate, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            year,
            number,
            month,
            version,
            issued_on,
            str(total),
            regime,
            json.dumps(customer, ensure_ascii=False),
            path,
            sha256,
            json.dumps(gate, ensure_ascii=False),
            stamp,
        ),
    )
    act_id = int(cursor.lastrowid or 0)
    conn.executemany(
        "insert into act_lines (act_id, position, ticket_id, received_at, accepted_at, "
        "variant, price) values (?, ?, ?, ?, ?, ?, ?)",
        [
            (act_id, n, x.ticket_id, x.received_at, x.accepted_at, x.variant, str(x.price))
            for n, x in enumerate(lines, 1)
        ],
    )
    audit.record(
        conn,
        command=command,
        ticket_id=None,
        entity="act",
        field=f"{number}/{year} v{version}",
        new={"month": month, "total": str(total), "sha256": sha256},
    )
    return act_id


_PAYMENT_COLUMNS = (
    "p.id, p.act_year, p.act_number, p.amount, p.paid_on, p.payer, r.number, r.made_on, r.url"
)


def payments(conn: sqlite3.Connection, *, year: int | None = None) -> list[Payment]:
    """Payments (made in one year, or all) with their receipts, in the order they were paid."""
    where, args = ("where p.paid_on like ?", (f"{year}-%",)) if year is not None else ("", ())
    rows = conn.execute(
        f"select {_PAYMENT_COLUMNS} from payments p left join receipts r on r.payment_id = p.id "
        f"{where} order by p.paid_on, p.id",
        args,
    ).fetchall()
    return [_payment(r) for r in rows]


def act_payments(conn: sqlite3.Connection, year: int, number: int) -> list[Payment]:
    """The payments under one act, oldest first."""
    rows = conn.execute(
        f"select {_PAYMENT_COLUMNS} from payments p left join receipts r on r.payment_id = p.id "
        "where p.act_year = ? and p.act_number = ? order by p.paid_on, p.id",
        (year, number),
    ).fetchall()
    return [_payment(r) for r in rows]


def _payment(row: sqlite3.Row) -> Payment:
    values = list(row)
    values[3] = Decimal(values[3])
    return Payment(*values)


def add_payment(
    conn: sqlite3.Connection,
    *,
    year: int,
    number: int,
    amount: Decimal,
    paid_on: str,
    payer: str,
    command: str,
) -> int:
    """Record a payment under an act; audited. Call inside a transaction."""
    cursor = conn.execute(
        "insert into payments (act_year, act_number, amount, paid_on, payer, created_at) "
        "values (?, ?, ?, ?, ?, ?)",
        (year, number, str(amount), paid_on, payer, now_iso()),
    )
    audit.record(
        conn,
        command=command,
        ticket_id=None,
        entity="payment",
        field=f"{number}/{year}",
        new={"amount": str(amount), "paid_on": paid_on, "payer": payer},
    )
    return int(cursor.lastrowid or 0)


def add_receipt(
    conn: sqlite3.Connection,
    payment_id: int,
    *,
    number: str,
    made_on: str,
    url: str | None,
    command: str,
) -> None:
    """Record the receipt made for a payment; audited. Call inside a transaction."""
    conn.execute(
        "insert into receipts (payment_id, number, made_on, url, created_at) "
        "values (?, ?, ?, ?, ?)",
        (payment_id, number, made_on, url, now_iso()),
    )
    audit.record(
        conn,
        command=command,
        ticket_id=None,
        entity="receipt",
        field=f"payment {payment_id}",
        new={"number": number, "made_on": made_on, "url": url},
    )


def receipt_number_used(conn: sqlite3.Connection, number: str) -> bool:
    """True when a receipt with this number is already recorded."""
    return conn.execute("select 1 from receipts where number = ?", (number,)).fetchone() is not None
