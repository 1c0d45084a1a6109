"""Tickets as the executor sees them: overviews, deadlines, preconditions, JSON shapes."""

from srgcli.tickets.deadlines import Deadline, compute_due, days_left, handed_over
from srgcli.tickets.edit import set_executor_fields
from srgcli.tickets.facts import collect_facts, problems, ticket_status
from srgcli.tickets.guards import (
    IncompleteFinding,
    finding_gaps,
    finding_gaps_command,
    require_complete_finding,
    require_decidable,
    require_filled,
    require_not_handed_over,
    require_reportable,
    require_reported,
    require_resolvable,
    require_ticket,
)
from srgcli.tickets.overview import (
    TicketDetail,
    TicketSummary,
    deadlines,
    detail,
    list_summaries,
    summarize,
)
from srgcli.tickets.serialize import (
    deadlines_json,
    detail_json,
    entity_json,
    summary_json,
    ticket_json,
)

__all__ = [
    "Deadline",
    "IncompleteFinding",
    "TicketDetail",
    "TicketSummary",
    "collect_facts",
    "compute_due",
    "days_left",
    "deadlines",
    "deadlines_json",
    "detail",
    "detail_json",
    "entity_json",
    "finding_gaps",
    "finding_gaps_command",
    "handed_over",
    "list_summaries",
    "problems",
    "require_complete_finding",
    "require_decidable",
    "require_filled",
    "require_not_handed_over",
    "require_reportable",
    "require_reported",
    "require_resolvable",
    "require_ticket",
    "set_executor_fields",
    "summarize",
    "summary_json",
    "ticket_json",
    "ticket_status",
]
