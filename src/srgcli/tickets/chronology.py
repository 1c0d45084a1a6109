"""When the work happened: `--at` of `contact-log add`, `contact-log resolve` and `review`.

One set of checks for every dated step, so that a report never tells a story out of order:
the moment is not in the future, not before the ticket was received, and not before the
facts it rests on (the verdict before the settlement, the evidence before the verdict).
A check refuses with exit 2 (the value typed is wrong) and names the moment it conflicts with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.model import Ticket


@dataclass(frozen=True)
class Dated:
    """How messages name a dated step: «контакт», «время контакта», «контакт уже состоялся»."""

    nominative: str
    genitive: str
    done: str


CONTACT = Dated("контакт", "контакта", "контакт уже состоялся")
FINDING = Dated("вывод", "вывода", "вывод уже был сделан")
RESOLUTION = Dated("итог урегулирования", "урегулирования", "урегулирование уже завершено")


def parse_moment(value: str | None, what: Dated = CONTACT) -> str:
    """`--at` as stored (ISO, Moscow time); now when not given; a future moment is refused."""
    from srgcli.calendar import MOSCOW, now
    from srgcli.normalize.values import FUTURE_TOLERANCE, normalize_datetime
    from srgcli.ru import format_moment

    moment = now().astimezone(MOSCOW)
    if value is None or not value.strip():
        return moment.isoformat(timespec="seconds")
    try:
        stored = normalize_datetime(value)
    except ValueError as exc:
        raise SrgError(f"--at: {exc}.", ExitCode.USAGE) from None
    if datetime.fromisoformat(stored) > moment + FUTURE_TOLERANCE:
        raise SrgError(
            f"--at: время {what.genitive} {format_moment(stored)} ещё не наступило "
            f"(сейчас {format_moment(moment)} по Москве).",
            ExitCode.USAGE,
            hint=f"Укажите, когда {what.done}, или не указывайте --at (тогда — текущее время).",
        )
    return stored


def given(value: str | None) -> bool:
    """True when the user typed an `--at` (an empty one counts as not given)."""
    return value is not None and bool(value.strip())


def require_after_receipt(ticket: Ticket, at: str, what: Dated = CONTACT) -> None:
    """A moment earlier than the ticket's receipt is refused (exit 2).

    Not judged when the receipt time is missing or marked invalid. The receipt counts from
    its minute: `--at` is typed to the minute, the ИС may give seconds.
    """
    from srgcli.ru import format_moment

    if not ticket.received_at or "received_at" in ticket.invalid:
        return
    if not _before(at, ticket.received_at):
        return
    raise SrgError(
        f"--at: {what.nominative} ({format_moment(at)}) не может быть раньше поступления "
        f"заявки {ticket.id}.",
        ExitCode.USAGE,
        hint=f"Заявка поступила {format_moment(ticket.received_at)} по Москве; "
        f"укажите время {what.genitive} не раньше.",
    )


def require_not_before(at: str, earlier: str | None, what: Dated, earlier_text: str) -> None:
    """A moment before a fact it rests on is refused (exit 2): `earlier_text` names that fact
    in the genitive («вывода по заявке»). Nothing is judged when `earlier` is unknown."""
    from srgcli.ru import format_moment

    if earlier is None or not _before(at, earlier):
        return
    raise SrgError(
        f"--at: {what.nominative} ({format_moment(at)}) не может быть раньше {earlier_text} "
        f"({format_moment(earlier)}).",
        ExitCode.USAGE,
        hint=f"Укажите время {what.genitive} не раньше {format_moment(earlier)} по Москве.",
    )


def _before(at: str, earlier: str) -> bool:
    """True when `at` is before the minute of `earlier`; False when either cannot be read or
    compared (a stored form without an offset)."""
    try:
        moment = datetime.fromisoformat(at)
        reference = datetime.fromisoformat(earlier).replace(second=0, microsecond=0)
        return moment < reference
    except (ValueError, TypeError):
        return False
