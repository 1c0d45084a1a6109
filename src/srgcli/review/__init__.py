"""`srgcli review`: the order's timeline, automatic rules and the executor's verdict (step 2)."""

from srgcli.review.verdict import (
    HISTORY_HINT,
    ReviewOutcome,
    Timeline,
    TimelineEntry,
    VerdictInput,
    current_proposals,
    draft_finding,
    outcome_json,
    proposal_json,
    propose,
    record_verdict,
    review_ticket,
    rule_context,
    run_auto,
    timeline,
    timeline_json,
)

__all__ = [
    "HISTORY_HINT",
    "ReviewOutcome",
    "Timeline",
    "TimelineEntry",
    "VerdictInput",
    "current_proposals",
    "draft_finding",
    "outcome_json",
    "proposal_json",
    "propose",
    "record_verdict",
    "review_ticket",
    "rule_context",
    "run_auto",
    "timeline",
    "timeline_json",
]
