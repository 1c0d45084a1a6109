"""The domain's entities: plain dataclasses, stored by `srgcli.workspace`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from srgcli.model.enums import EventActor, EventKind


@dataclass(slots=True)
class Ticket:
    """A complaint ticket as stored in the workspace."""

    id: str
    received_at: str | None = None
    due_at: str | None = None
    client_name: str | None = None
    client_phone: str | None = None
    client_email: str | None = None
    order_id: str | None = None
    order_date: str | None = None
    object_type: str | None = None
    object_address: str | None = None
    bank: str | None = None
    appraiser: str | None = None
    category: str | None = None
    complaint_text: str | None = None
    client_demand: str | None = None
    source: str | None = None
    fetched_at: str | None = None
    due_source: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    executor_fields: tuple[str, ...] = ()
    invalid: dict[str, str] = field(default_factory=dict)
    revision: int = 0

    def value(self, name: str) -> str | None:
        """The value of a ticket field by its canonical name."""
        return getattr(self, name)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class OrderEvent:
    """One entry of the appraisal order's history."""

    id: int
    ticket_id: str
    at: str
    kind: str
    actor: str | None = None
    comment: str | None = None

    @property
    def kind_label(self) -> str:
        """Russian label of a canonical kind, or the kind as it came."""
        known = EventKind.try_parse(self.kind)
        return known.label if known else self.kind

    @property
    def actor_label(self) -> str:
        """Russian label of who made the event («client» → «клиент»), or the value as it came."""
        if not self.actor:
            return ""
        known = EventActor.try_parse(self.actor)
        return known.label if known else self.actor


@dataclass(frozen=True)
class Finding:
    """The executor's verdict on the complaint (step 2)."""

    ticket_id: str
    verdict: str
    category: str | None = None
    description: str | None = None
    root_cause: str | None = None
    responsible: str | None = None
    evidence: tuple[int, ...] = ()
    corrective_action: str | None = None
    decided_at: str | None = None


@dataclass(frozen=True)
class ReviewProposal:
    """A nonconformity proposed by a review rule, with the order events that prove it.

    The executor decides; a proposal is only a suggestion for the finding.
    """

    rule: str
    category: str
    description: str
    evidence: tuple[int, ...] = ()
    ticket_id: str = ""
    proposed_at: str | None = None


@dataclass(frozen=True)
class Contact:
    """One contact with the client or another party (step 3)."""

    id: int
    ticket_id: str
    at: str
    channel: str
    direction: str
    party: str
    outcome: str
    summary: str
    text: str | None = None
    template: str | None = None
    gate: dict[str, Any] | None = None


@dataclass(frozen=True)
class Resolution:
    """How the complaint was settled."""

    ticket_id: str
    outcome: str
    summary: str
    resolved_at: str


@dataclass(frozen=True)
class ReportVersion:
    """A generated DOCX report."""

    ticket_id: str
    version: int
    template: str
    path: str
    sha256: str
    gate: dict[str, Any]
    input_hash: str
    ticket_revision: int
    created_at: str


@dataclass(frozen=True)
class Submission:
    """A report handed over: to the Customer (A) or to the client with an ИС mark (B)."""

    id: int
    ticket_id: str
    variant: str
    channel: str
    submitted_at: str
    report_version: int
    decision: str | None = None
    remarks: str | None = None
    decided_at: str | None = None
    mark_ref: str | None = None
    path: str | None = None
    # Variant B: when the ИС mark was recorded (the moment the delivery counts as done).
    marked_at: str | None = None
