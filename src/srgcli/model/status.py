"""A ticket's status, derived from its facts by one function, and the next step to take."""

from __future__ import annotations

import re
from typing import NamedTuple

from srgcli.model.enums import Decision, Status, Variant


class StageMoments(NamedTuple):
    """When each stage with a deadline was first done (None while it is not)."""

    # The first contact with the client that reached them (an unanswered call does not count).
    first_contact: str | None = None
    first_report: str | None = None
    handed_over: str | None = None


class TicketFacts(NamedTuple):
    """What derive_status() needs to know about a ticket; cheap to build for many tickets.

    (A NamedTuple rather than a frozen dataclass: `list` builds one per ticket.)
    """

    ticket_id: str
    missing: tuple[str, ...]
    has_finding: bool
    contact_count: int
    has_resolution: bool
    # The newest report version and whether it reflects the ticket as it is now.
    report_version: int | None
    report_fresh: bool
    # The newest submission: variant, report version, decision.
    submission_variant: str | None = None
    submission_report_version: int | None = None
    submission_decision: str | None = None
    # Variant B: the reference of the delivery mark in the ИС, once it is made.
    submission_mark_ref: str | None = None


def derive_status(facts: TicketFacts) -> Status:
    """The ticket's status, derived from its facts; the only place status is decided."""
    if facts.submission_variant is not None:
        if facts.submission_variant == Variant.B.value:
            # Variant B: delivered to the client WITH a mark in the ИС counts as accepted.
            return Status.ACCEPTED if facts.submission_mark_ref else Status.SUBMITTED
        if facts.submission_decision == Decision.ACCEPTED.value:
            return Status.ACCEPTED
        if facts.submission_decision == Decision.RETURNED.value:
            reworked = (
                facts.report_version is not None
                and facts.submission_report_version is not None
                and facts.report_version > facts.submission_report_version
                and facts.report_fresh
            )
            return Status.REPORTED if reworked else Status.RETURNED
        return Status.SUBMITTED
    if facts.report_version is not None and facts.report_fresh:
        return Status.REPORTED
    if facts.has_resolution:
        return Status.SETTLED
    if facts.has_finding:
        return Status.REVIEWED
    if not facts.missing:
        return Status.FILLED
    return Status.NEW


class NextStep(NamedTuple):
    """The command to run next and why, in Russian."""

    ticket_id: str
    # The subcommand and its options without the ticket id, e.g. ("review", "--auto").
    action: tuple[str, ...] | None
    hint: str

    @property
    def command(self) -> str | None:
        """The full command line to run, e.g. "srgcli review 2026-000118 --auto"."""
        if self.action is None:
            return None
        words = list(self.action)
        # Sub-groups ("contact-log add") take the id after their subcommand.
        split = 2 if words[0] in ("contact-log",) else 1
        return " ".join(["srgcli", *words[:split], _shell_quote(self.ticket_id), *words[split:]])

    @property
    def short(self) -> str | None:
        """The command without "srgcli" and the id, for narrow tables: "review --auto"."""
        return " ".join(self.action) if self.action else None


def next_step(facts: TicketFacts, status: Status | None = None) -> NextStep:
    """What the executor should do next with this ticket."""
    status = status or derive_status(facts)

    def step(hint: str, *action: str) -> NextStep:
        return NextStep(facts.ticket_id, action or None, hint)

    if status is Status.NEW:
        return step("дозаполнить поля заявки", "fill")
    if status is Status.FILLED:
        return step("рассмотреть историю заказа", "review", "--auto")
    if status is Status.REVIEWED:
        if facts.contact_count == 0:
            return step("связаться с клиентом", "contact-log", "add")
        return step("записать итог урегулирования", "contact-log", "resolve")
    if status is Status.SETTLED:
        if facts.report_version is not None and not facts.report_fresh:
            return step("заявка изменилась: переформировать отчёт", "report")
        return step("сформировать отчёт", "report")
    if status is Status.REPORTED:
        return step("сдать отчёт", "submit")
    if status is Status.SUBMITTED:
        if facts.submission_variant == Variant.B.value:
            return step(
                "отметить передачу клиенту в ИС: --mark-ref НОМЕР_ОТМЕТКИ",
                "submit",
                "--variant",
                "B",
                "--mark-ref",
            )
        return step(
            "записать решение Заказчика: --decision accepted или --decision returned "
            '--remarks "замечания"',
            "submit",
            "--decision",
            "accepted",
        )
    if status is Status.RETURNED:
        return step("доработать и переформировать отчёт", "report")
    return step("работа по заявке завершена")


def _shell_quote(text: str) -> str:
    # Ticket ids are usually safe as they are; skip shlex for them (this runs per ticket).
    if _SAFE_ID.fullmatch(text):
        return text
    import shlex

    return shlex.quote(text)


_SAFE_ID = re.compile(r"[\w.\-/№]+")
