"""Step 2, `review`: the order's timeline, the rules' proposals, and the executor's verdict.

The rules only propose (see `review.rules`); the finding is what the executor records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from srgcli.calendar import now
from srgcli.exit import ExitCode, SrgError
from srgcli.model import (
    Category,
    Finding,
    OrderEvent,
    Responsible,
    ReviewProposal,
    Ticket,
    Verdict,
)
from srgcli.review.rules import RULES_BY_ID, RuleContext, moments, rule_title, run_rules
from srgcli.tickets import require_filled, require_ticket
from srgcli.workspace import Workspace, reads, writes

HISTORY_HINT = "Загрузите её: srgcli fetch --history ФАЙЛ"


@dataclass(frozen=True)
class TimelineEntry:
    """One event of the timeline: the gap since the previous event and the rules it proves."""

    event: OrderEvent
    # Business days since the previous event (None for the first, or an unreadable time).
    gap_days: int | None
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Timeline:
    """The order's history as `review --timeline` shows it."""

    ticket_id: str
    entries: tuple[TimelineEntry, ...]
    # What the rules propose on this history (not stored), in rule order.
    proposals: tuple[ReviewProposal, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the ticket has no order history yet."""
        return not self.entries


def rule_context(ws: Workspace) -> RuleContext:
    """The calendar, the present moment and the `[review]` thresholds of this workspace."""
    return RuleContext(ws.calendar, now(), ws.config.section("review"))


def propose(ws: Workspace, ticket_id: str) -> list[ReviewProposal]:
    """Run the rules over the ticket's history without storing anything."""
    ticket = require_ticket(ws, ticket_id)
    found = run_rules(reads.events(ws, ticket.id), rule_context(ws))
    return [_with_ticket(p, ticket.id) for p in found]


def _with_ticket(item: ReviewProposal, ticket_id: str) -> ReviewProposal:
    return ReviewProposal(item.rule, item.category, item.description, item.evidence, ticket_id)


def run_auto(ws: Workspace, ticket_id: str, *, command: str = "review") -> list[ReviewProposal]:
    """Run the rules and store their proposals, replacing the ticket's earlier ones."""
    found = propose(ws, ticket_id)
    writes.replace_review_proposals(ws, ticket_id, found, command=command)
    return reads.review_proposals(ws, ticket_id)


def timeline(ws: Workspace, ticket_id: str) -> Timeline:
    """Events in time order, the business days between them, and where a rule fires."""
    ticket = require_ticket(ws, ticket_id)
    events = reads.events(ws, ticket.id)
    marks: dict[int, list[str]] = {}
    found = run_rules(events, rule_context(ws))
    for item in found:
        for event_id in item.evidence:
            if item.rule not in marks.setdefault(event_id, []):
                marks[event_id].append(item.rule)
    timed = moments(events)
    ctx = rule_context(ws)
    entries = []
    for index, moment in enumerate(timed):
        gap = ctx.days(timed[index - 1].at, moment.at) if index else None
        entries.append(TimelineEntry(moment.event, gap, tuple(marks.get(moment.event.id, ()))))
    known = {m.event.id for m in timed}
    entries += [TimelineEntry(e, None, ()) for e in events if e.id not in known]
    return Timeline(ticket.id, tuple(entries), tuple(_with_ticket(p, ticket.id) for p in found))


def _require_not_handed_over(ws: Workspace, ticket: Ticket) -> None:
    """A verdict may change until the report is handed over, and again after a return."""
    from srgcli.tickets import require_not_handed_over

    require_not_handed_over(ws, ticket, "вывод, на котором он основан", "вывод")


def current_proposals(ws: Workspace, ticket_id: str) -> list[ReviewProposal]:
    """The stored proposals, or the rules' fresh ones when `--auto` has not been run."""
    return reads.review_proposals(ws, ticket_id) or propose(ws, ticket_id)


def _parse(enum: Any, value: str, what: str) -> str:
    try:
        return str(enum.parse(value).value)
    except ValueError:
        raise SrgError(
            f"Неизвестное значение {what} «{value}».",
            ExitCode.USAGE,
            hint=f"Допустимо: {enum.choices_text()}.",
        ) from None


def draft_finding(
    ws: Workspace,
    ticket_id: str,
    verdict: str,
    *,
    accept: Sequence[str] | None = None,
    category: str | None = None,
    description: str | None = None,
    root_cause: str | None = None,
    responsible: str | None = None,
    action: str | None = None,
    proposals: Sequence[ReviewProposal] | None = None,
) -> Finding:
    """The finding from the executor's answers, with the accepted proposals as defaults.

    `accept` names the rules whose proposals the executor accepts (default: all of them,
    or none for "not_confirmed"); their events become the evidence.
    """
    ticket = require_ticket(ws, ticket_id)
    verdict_value = _parse(Verdict, verdict, "вывода")
    found = list(proposals) if proposals is not None else current_proposals(ws, ticket.id)
    if accept is None:
        accepted = [] if verdict_value == Verdict.NOT_CONFIRMED.value else found
    else:
        unknown = [r for r in accept if r not in {p.rule for p in found}]
        if unknown:
            offered = ", ".join(sorted({p.rule for p in found})) or "нет предложений"
            raise SrgError(
                f"Среди предложений нет правила: {', '.join(unknown)}.",
                ExitCode.USAGE,
                hint=f"Предложены: {offered}.",
            )
        accepted = [p for p in found if p.rule in accept]
    evidence = tuple(sorted({e for p in accepted for e in p.evidence}))
    if category is not None:
        category_value: str | None = _parse(Category, category, "категории")
    elif accepted:
        category_value = accepted[0].category
    else:
        known = Category.try_parse(ticket.category)
        category_value = known.value if known else None
    if responsible is not None:
        responsible_value: str | None = _parse(Responsible, responsible, "ответственного")
    else:
        rule = RULES_BY_ID.get(accepted[0].rule) if accepted else None
        responsible_value = rule.responsible.value if rule else None
    if description is None and accepted:
        description = " ".join(p.description for p in accepted)
    return Finding(
        ticket_id=ticket.id,
        verdict=verdict_value,
        category=category_value,
        description=_clean(description),
        root_cause=_clean(root_cause),
        responsible=responsible_value,
        evidence=evidence,
        corrective_action=_clean(action),
    )


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def record_verdict(ws: Workspace, item: Finding, *, command: str = "review") -> Finding:
    """Store the executor's verdict (replacing an earlier one, audited); the ticket must be
    filled first."""
    ticket = require_ticket(ws, item.ticket_id)
    require_filled(ws, ticket, "вывод записывается после шага 1")
    _require_not_handed_over(ws, ticket)
    writes.save_finding(ws, item, command=command)
    saved = reads.finding(ws, item.ticket_id)
    assert saved is not None
    return saved


@dataclass(frozen=True)
class VerdictInput:
    """The executor's verdict as given on the command line; None means "the default".

    Without `verdict`, the given fields amend the recorded finding and the others stay.
    `at` (stored form) dates the verdict when it was reached earlier than now.
    """

    verdict: str | None
    accept: tuple[str, ...] | None = None
    category: str | None = None
    description: str | None = None
    root_cause: str | None = None
    responsible: str | None = None
    action: str | None = None
    at: str | None = None


def amend_finding(ws: Workspace, ticket_id: str, changes: VerdictInput) -> Finding:
    """The recorded finding with the fields given in `changes` replaced (exit 2 when there is
    no finding yet: the verdict comes first)."""
    ticket = require_ticket(ws, ticket_id)
    found = reads.finding(ws, ticket.id)
    if found is None:
        given = [
            flag
            for flag, value in (
                ("--category", changes.category),
                ("--description", changes.description),
                ("--root-cause", changes.root_cause),
                ("--responsible", changes.responsible),
                ("--action", changes.action),
                ("--at", changes.at),
            )
            if value is not None
        ]
        raise SrgError(
            f"{', '.join(given)}: только вместе с --verdict — вывода по заявке {ticket.id} "
            "ещё нет.",
            ExitCode.USAGE,
            hint=f"Запишите вывод: srgcli review {ticket.id} --verdict "
            "confirmed|partially_confirmed|not_confirmed",
        )
    item = found
    if changes.category is not None:
        item = replace(item, category=_parse(Category, changes.category, "категории"))
    if changes.responsible is not None:
        item = replace(item, responsible=_parse(Responsible, changes.responsible, "ответственного"))
    if changes.description is not None:
        item = replace(item, description=_clean(changes.description))
    if changes.root_cause is not None:
        item = replace(item, root_cause=_clean(changes.root_cause))
    if changes.action is not None:
        item = replace(item, corrective_action=_clean(changes.action))
    return item


def require_decided_in_order(ws: Workspace, ticket: Ticket, item: Finding, at: str) -> None:
    """A verdict dated `at` comes after the ticket's receipt and after the order events it
    rests on (exit 2 naming the one it would precede)."""
    from srgcli.tickets.chronology import FINDING, require_after_receipt, require_not_before

    require_after_receipt(ticket, at, FINDING)
    timed = [m for m in moments(reads.events(ws, ticket.id)) if m.event.id in item.evidence]
    if timed:
        require_not_before(at, timed[-1].event.at, FINDING, "событий, на которых он основан")


def parse_decided_at(value: str | None) -> str | None:
    """`review --at` as stored; None when not given; a future moment is refused (exit 2)."""
    from srgcli.tickets.chronology import FINDING, given, parse_moment

    return parse_moment(value, FINDING) if given(value) else None


@dataclass(frozen=True)
class ReviewOutcome:
    """What one `review` run produced; a part is None when it was not asked for."""

    ticket_id: str
    timeline: Timeline | None = None
    proposals: list[ReviewProposal] | None = None
    finding: Finding | None = None


def review_ticket(
    ws: Workspace,
    ticket_id: str,
    *,
    show_timeline: bool = False,
    auto: bool = False,
    verdict: VerdictInput | None = None,
    command: str = "review",
) -> ReviewOutcome:
    """One `review` run: the timeline, the rules' proposals (stored), the verdict (stored).

    A verdict on a ticket that is not filled is refused (exit 3) before anything is stored;
    a `verdict` without its verdict amends the recorded finding.
    """
    ticket = require_ticket(ws, ticket_id)
    draft = None
    if verdict is not None and verdict.verdict is None:
        draft = amend_finding(ws, ticket.id, verdict)
    elif verdict is not None and verdict.verdict is not None:
        # Everything the executor typed is checked before anything is stored.
        require_filled(ws, ticket, "вывод записывается после шага 1")
        draft = draft_finding(
            ws,
            ticket.id,
            verdict.verdict,
            accept=verdict.accept,
            category=verdict.category,
            description=verdict.description,
            root_cause=verdict.root_cause,
            responsible=verdict.responsible,
            action=verdict.action,
            proposals=propose(ws, ticket.id) if auto else None,
        )
    if draft is not None and verdict is not None and verdict.at is not None:
        require_decided_in_order(ws, ticket, draft, verdict.at)
        draft = replace(draft, decided_at=verdict.at)
    line = timeline(ws, ticket.id) if show_timeline else None
    found = run_auto(ws, ticket.id, command=command) if auto else None
    finding = record_verdict(ws, draft, command=command) if draft is not None else None
    return ReviewOutcome(ticket.id, line, found, finding)


# --- JSON: the shapes `review --json` prints ----------------------------------------------


def proposal_json(item: ReviewProposal) -> dict[str, Any]:
    """One proposed nonconformity."""
    rule = RULES_BY_ID.get(item.rule)
    return {
        "rule": item.rule,
        "title": rule_title(item.rule),
        "category": item.category,
        "description": item.description,
        "evidence": list(item.evidence),
        "responsible": rule.responsible.value if rule else None,
    }


def timeline_json(item: Timeline) -> dict[str, Any]:
    """The timeline: events with their gaps and the rules that fire on them."""
    return {
        "empty": item.empty,
        "hint": HISTORY_HINT if item.empty else None,
        "events": [
            {
                "id": e.event.id,
                "at": e.event.at,
                "kind": e.event.kind,
                "kind_label": e.event.kind_label,
                "actor": e.event.actor,
                "comment": e.event.comment,
                "gap_business_days": e.gap_days,
                "rules": list(e.rules),
            }
            for e in item.entries
        ],
    }


def outcome_json(ws: Workspace, outcome: ReviewOutcome) -> dict[str, Any]:
    """`review --json`: the parts that were asked for, and the ticket's status after the run."""
    from srgcli.tickets import entity_json, summarize

    (summary,) = summarize(ws, [require_ticket(ws, outcome.ticket_id)])
    data: dict[str, Any] = {"id": outcome.ticket_id, "status": summary.status.value}
    if outcome.timeline is not None:
        data["timeline"] = timeline_json(outcome.timeline)
    if outcome.proposals is not None:
        data["proposals"] = [proposal_json(p) for p in outcome.proposals]
    if outcome.finding is not None:
        data["finding"] = entity_json(outcome.finding)
    return data
