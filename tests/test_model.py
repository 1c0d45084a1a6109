"""derive_status() and next_step(): the one place a ticket's stage is decided."""

from __future__ import annotations

import pytest

from srgcli.model import (
    Category,
    ObjectType,
    Status,
    TicketFacts,
    derive_status,
    next_step,
)


def facts(**kw: object) -> TicketFacts:
    base: dict[str, object] = {
        "ticket_id": "T-1",
        "missing": (),
        "has_finding": False,
        "contact_count": 0,
        "has_resolution": False,
        "report_version": None,
        "report_fresh": False,
    }
    base.update(kw)
    return TicketFacts(**base)  # type: ignore[arg-type]


SETTLED = {"has_finding": True, "contact_count": 2, "has_resolution": True}

CASES = [
    ("missing fields", facts(missing=("client_name",)), Status.NEW, "srgcli fill T-1"),
    ("all fields valid", facts(), Status.FILLED, "srgcli review T-1 --auto"),
    ("verdict, no contact", facts(has_finding=True), Status.REVIEWED, "srgcli contact-log add T-1"),
    (
        "verdict and contacts",
        facts(has_finding=True, contact_count=1),
        Status.REVIEWED,
        "srgcli contact-log resolve T-1",
    ),
    ("resolution recorded", facts(**SETTLED), Status.SETTLED, "srgcli report T-1"),
    (
        "stale report",
        facts(**SETTLED, report_version=1, report_fresh=False),
        Status.SETTLED,
        "srgcli report T-1",
    ),
    (
        "fresh report",
        facts(**SETTLED, report_version=1, report_fresh=True),
        Status.REPORTED,
        "srgcli submit T-1",
    ),
    (
        "submitted, no decision",
        facts(
            **SETTLED,
            report_version=1,
            report_fresh=True,
            submission_variant="A",
            submission_report_version=1,
        ),
        Status.SUBMITTED,
        "srgcli submit T-1 --decision accepted",
    ),
    (
        "accepted by the Customer",
        facts(
            **SETTLED,
            report_version=1,
            report_fresh=True,
            submission_variant="A",
            submission_report_version=1,
            submission_decision="accepted",
        ),
        Status.ACCEPTED,
        None,
    ),
    (
        "returned for rework",
        facts(
            **SETTLED,
            report_version=1,
            report_fresh=True,
            submission_variant="A",
            submission_report_version=1,
            submission_decision="returned",
        ),
        Status.RETURNED,
        "srgcli report T-1",
    ),
    (
        "reworked report v2",
        facts(
            **SETTLED,
            report_version=2,
            report_fresh=True,
            submission_variant="A",
            submission_report_version=1,
            submission_decision="returned",
        ),
        Status.REPORTED,
        "srgcli submit T-1",
    ),
    (
        "reworked report v2 but stale",
        facts(
            **SETTLED,
            report_version=2,
            report_fresh=False,
            submission_variant="A",
            submission_report_version=1,
            submission_decision="returned",
        ),
        Status.RETURNED,
        "srgcli report T-1",
    ),
    (
        "variant B delivered with a mark",
        facts(
            **SETTLED,
            report_version=1,
            report_fresh=True,
            submission_variant="B",
            submission_report_version=1,
            submission_mark_ref="ИС-77",
        ),
        Status.ACCEPTED,
        None,
    ),
    (
        "variant B delivered, no mark in the ИС yet",
        facts(
            **SETTLED,
            report_version=1,
            report_fresh=True,
            submission_variant="B",
            submission_report_version=1,
        ),
        Status.SUBMITTED,
        "srgcli submit T-1 --variant B --mark-ref",
    ),
]


@pytest.mark.parametrize(("case", "given", "status", "command"), CASES, ids=[c[0] for c in CASES])
def test_status_and_next_step(
    case: str, given: TicketFacts, status: Status, command: str | None
) -> None:
    assert derive_status(given) is status
    assert next_step(given).command == command


def test_every_status_is_reachable() -> None:
    assert {c[2] for c in CASES} == set(Status)


def test_next_step_quotes_ids_for_the_shell() -> None:
    assert next_step(facts(ticket_id="A B", missing=("x",))).command == "srgcli fill 'A B'"


@pytest.mark.parametrize(
    ("enum", "text", "expected"),
    [
        (Category, "сроки", Category.DEADLINES),
        (Category, "Качество отчета", Category.REPORT_QUALITY),
        (Category, "report_quality", Category.REPORT_QUALITY),
        (ObjectType, "  жилой   дом ", ObjectType.HOUSE),
        (Status, "на доработке", Status.RETURNED),
    ],
)
def test_labels_are_accepted_as_input(enum: type, text: str, expected: object) -> None:
    assert enum.parse(text) is expected  # type: ignore[attr-defined]


def test_unknown_label_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="сроки"):
        Category.parse("скорость")
