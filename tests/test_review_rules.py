"""Each review rule on a crafted history that fires and one that does not.

Times are Moscow; "now" is pinned to Wednesday 25 November 2026. 4 November 2026 (Wednesday)
is a public holiday, and 31 December 2025 – 11 January 2026 are days off.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from srgcli.calendar import MOSCOW, BusinessCalendar
from srgcli.model import OrderEvent
from srgcli.review.rules import RULES, RULES_BY_ID, RuleContext, run_rules
from srgcli.workspace.config import default_config

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=MOSCOW)
CALENDAR = BusinessCalendar()


def history(*items: tuple[str, str]) -> list[OrderEvent]:
    """Events from (date "YYYY-MM-DD", kind) pairs, ids 1, 2, 3… at 10:00 Moscow time."""
    return [
        OrderEvent(id=n, ticket_id="T", at=f"{day}T10:00:00+03:00", kind=kind)
        for n, (day, kind) in enumerate(items, start=1)
    ]


def fired(events: list[OrderEvent], rule: str, **thresholds: int) -> list[Any]:
    limits = {**default_config().section("review"), **thresholds}
    ctx = RuleContext(CALENDAR, NOW, limits)
    return [p for p in run_rules(events, ctx, [RULES_BY_ID[rule]])]


CASES: list[tuple[str, str, list[OrderEvent], dict[str, int], tuple[int, ...] | None]] = [
    # (case, rule, history, thresholds, evidence when it fires / None when it must not)
    (
        "inspection 4 business days after payment",
        "inspection_late",
        history(("2026-11-09", "payment_received"), ("2026-11-13", "inspection_done")),
        {},
        (1, 2),
    ),
    (
        "inspection 3 business days after payment",
        "inspection_late",
        history(("2026-11-09", "payment_received"), ("2026-11-12", "inspection_done")),
        {},
        None,
    ),
    (
        "inspection 4 calendar weekdays after payment, but 4 November is a holiday",
        "inspection_late",
        history(("2026-11-02", "payment_received"), ("2026-11-06", "inspection_done")),
        {},
        None,
    ),
    (
        "no inspection yet, 7 business days since payment",
        "inspection_late",
        history(("2026-11-16", "payment_received")),
        {},
        (1,),
    ),
    (
        "order cancelled the day after payment",
        "inspection_late",
        history(("2026-11-16", "payment_received"), ("2026-11-17", "order_cancelled")),
        {},
        None,
    ),
    (
        "threshold raised in config",
        "inspection_late",
        history(("2026-11-09", "payment_received"), ("2026-11-13", "inspection_done")),
        {"inspection_after_payment_days": 4},
        None,
    ),
    (
        "report 6 business days after inspection",
        "report_late_after_inspection",
        history(("2026-11-09", "inspection_done"), ("2026-11-17", "report_sent")),
        {},
        (1, 2),
    ),
    (
        "report 5 business days after inspection across 4 November",
        "report_late_after_inspection",
        history(("2026-11-02", "inspection_done"), ("2026-11-10", "report_uploaded")),
        {},
        None,
    ),
    (
        "report 8 business days after the order was created",
        "report_after_order_due",
        history(("2026-11-02", "order_created"), ("2026-11-13", "report_sent")),
        {},
        (1, 2),
    ),
    (
        "report 7 business days after the order was created",
        "report_after_order_due",
        history(("2026-11-02", "order_created"), ("2026-11-12", "report_sent")),
        {},
        None,
    ),
    (
        "order due check switched off with 0",
        "report_after_order_due",
        history(("2026-11-02", "order_created"), ("2026-11-20", "report_sent")),
        {"order_due_days": 0},
        None,
    ),
    (
        "inspection rescheduled twice",
        "repeated_reschedules",
        history(
            ("2026-11-09", "inspection_scheduled"),
            ("2026-11-10", "inspection_rescheduled"),
            ("2026-11-12", "inspection_rescheduled"),
        ),
        {},
        (2, 3),
    ),
    (
        "inspection rescheduled once",
        "repeated_reschedules",
        history(("2026-11-09", "inspection_scheduled"), ("2026-11-10", "inspection_rescheduled")),
        {},
        None,
    ),
    (
        "report corrected after it was sent",
        "report_corrected",
        history(("2026-11-10", "report_sent"), ("2026-11-13", "report_corrected")),
        {},
        (2,),
    ),
    (
        "one correction allowed by config",
        "report_corrected",
        history(("2026-11-10", "report_sent"), ("2026-11-13", "report_corrected")),
        {"max_report_corrections": 1},
        None,
    ),
    (
        "report never corrected",
        "report_corrected",
        history(("2026-11-10", "report_sent")),
        {},
        None,
    ),
    (
        "6 business days without any event",
        "long_gap",
        history(
            ("2026-11-09", "order_created"),
            ("2026-11-17", "payment_received"),
            ("2026-11-18", "report_sent"),
        ),
        {},
        (1, 2),
    ),
    (
        "13 calendar days over the New Year holidays are 1 business day",
        "long_gap",
        history(
            ("2025-12-30", "order_created"),
            ("2026-01-12", "payment_received"),
            ("2026-01-13", "report_sent"),
        ),
        {},
        None,
    ),
    (
        "open order silent for 7 business days until now",
        "long_gap",
        history(("2026-11-13", "order_created"), ("2026-11-16", "payment_received")),
        {},
        (2,),
    ),
    (
        "finished order: silence after the report does not count",
        "long_gap",
        history(("2026-11-13", "order_created"), ("2026-11-13", "report_sent")),
        {},
        None,
    ),
    (
        "client message answered 3 business days later",
        "client_message_unanswered",
        history(("2026-11-12", "client_message"), ("2026-11-17", "report_uploaded")),
        {},
        (1, 2),
    ),
    (
        "client message answered the next business day",
        "client_message_unanswered",
        history(("2026-11-13", "client_message"), ("2026-11-16", "appraiser_assigned")),
        {},
        None,
    ),
    (
        "client message still without an answer",
        "client_message_unanswered",
        history(("2026-11-19", "order_created"), ("2026-11-20", "client_message")),
        {},
        (2,),
    ),
    (
        "cancelled after payment, no refund for 15 business days",
        "cancellation_without_refund",
        history(("2026-11-02", "payment_received"), ("2026-11-03", "order_cancelled")),
        {},
        (2,),
    ),
    (
        "cancelled after payment, 9 business days so far",
        "cancellation_without_refund",
        history(("2026-11-11", "payment_received"), ("2026-11-12", "order_cancelled")),
        {},
        None,
    ),
    (
        "cancelled before any payment",
        "cancellation_without_refund",
        history(("2026-11-02", "order_created"), ("2026-11-03", "order_cancelled")),
        {},
        None,
    ),
    (
        "refund 13 business days after cancellation",
        "cancellation_without_refund",
        history(
            ("2026-11-02", "payment_received"),
            ("2026-11-02", "order_cancelled"),
            ("2026-11-20", "refund"),
        ),
        {},
        (2, 3),
    ),
]


@pytest.mark.parametrize(
    ("rule", "events", "thresholds", "evidence"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_rule(
    rule: str,
    events: list[OrderEvent],
    thresholds: dict[str, int],
    evidence: tuple[int, ...] | None,
) -> None:
    found = fired(events, rule, **thresholds)
    if evidence is None:
        assert found == []
    else:
        assert [p.evidence for p in found] == [evidence]
        assert found[0].rule == rule
        # Plain prose that may go into the report as it is: no rule jargon.
        assert "тогда как" in found[0].description
        assert "порог" not in found[0].description and "(" not in found[0].description


def test_every_rule_is_covered_and_has_a_config_threshold() -> None:
    covered = {case[1] for case in CASES}
    assert covered == {rule.id for rule in RULES}
    review = default_config().section("review")
    for rule in RULES:
        assert rule.threshold in review


def test_each_unanswered_message_is_its_own_proposal() -> None:
    events = history(
        ("2026-11-09", "client_message"),
        ("2026-11-12", "report_sent"),
        ("2026-11-16", "client_message"),
    )
    found = fired(events, "client_message_unanswered")
    assert [p.evidence for p in found] == [(1, 2), (3,)]


def test_description_counts_business_days_in_russian() -> None:
    events = history(("2026-11-09", "payment_received"), ("2026-11-13", "inspection_done"))
    (proposal,) = fired(events, "inspection_late")
    assert proposal.description == (
        "Осмотр проведён через 4 рабочих дня после оплаты, тогда как по договору на это "
        "отводится 3 рабочих дня."
    )
    assert proposal.category == "inspection"


@pytest.mark.parametrize(
    ("payment", "inspection", "limit", "expected"),
    [
        (
            "2026-11-09",
            "2026-11-10",
            0,
            "Осмотр проведён через 1 рабочий день после оплаты, тогда как по договору это "
            "нужно сделать в тот же рабочий день.",
        ),
        (
            "2026-11-09",
            "2026-11-11",
            1,
            "Осмотр проведён через 2 рабочих дня после оплаты, тогда как по договору на это "
            "отводится 1 рабочий день.",
        ),
        (
            "2026-10-26",
            "2026-11-11",
            3,
            "Осмотр проведён через 11 рабочих дней после оплаты, тогда как по договору на это "
            "отводится 3 рабочих дня.",
        ),
        (
            "2026-10-12",
            "2026-11-11",
            5,
            "Осмотр проведён через 21 рабочий день после оплаты, тогда как по договору на это "
            "отводится 5 рабочих дней.",
        ),
    ],
    ids=["zero-limit", "1-day", "11-days", "21-days"],
)
def test_description_agrees_numbers_with_nouns(
    payment: str, inspection: str, limit: int, expected: str
) -> None:
    events = history((payment, "payment_received"), (inspection, "inspection_done"))
    (proposal,) = fired(events, "inspection_late", inspection_after_payment_days=limit)
    assert proposal.description == expected


@pytest.mark.parametrize(
    ("count", "limit", "expected"),
    [
        (2, 1, "Осмотр переносили 2 раза, тогда как по договору допускается не больше 1 раза."),
        (5, 2, "Осмотр переносили 5 раз, тогда как по договору допускается не больше 2 раз."),
        (1, 0, "Осмотр переносили 1 раз, тогда как по договору переносы осмотра не предусмотрены."),
    ],
)
def test_counts_read_as_prose(count: int, limit: int, expected: str) -> None:
    events = history(*[(f"2026-11-{10 + n:02d}", "inspection_rescheduled") for n in range(count)])
    (proposal,) = fired(events, "repeated_reschedules", max_reschedules=limit)
    assert proposal.description == expected


def every_rule_text() -> str:
    """Each rule's texts with numbers of every plural form and zero thresholds, one a line."""
    from srgcli.review.rules import Count, Delay, Gap, allowed_days
    from srgcli.ru import plural_days, times, times_genitive

    lines: list[str] = []
    for rule in RULES:
        for n, limit in ((1, 0), (2, 1), (4, 3), (11, 3), (21, 5), (25, 20)):
            days = {"days": plural_days(n), "limit": plural_days(limit)}
            if isinstance(rule, Delay):
                words = {**days, "allowed": allowed_days(limit)}
                lines += [rule.done_text.format(**words), rule.open_text.format(**words)]
            elif isinstance(rule, Count):
                allowed = f"допускается не больше {times_genitive(limit)}"
                lines.append(rule.text.format(count=times(n), allowed=allowed))
                lines.append(rule.text.format(count=times(n), allowed=rule.none_allowed))
            else:
                assert isinstance(rule, Gap)
                words = {**days, "start": "оплата получена", "end": "осмотр назначен"}
                lines += [rule.text.format(**words), rule.open_text.format(**words)]
    return "\n".join(dict.fromkeys(lines)) + "\n"


def test_every_rule_text_passes_the_gate(cli: Any) -> None:
    """A proposal may become the finding's description word for word, and so a sentence of
    the report: `srgcli check` finds nothing in any of them."""
    text = every_rule_text()
    assert "порог" not in text and "(" not in text
    result = cli("check", "-", "--format", "json", input=text)
    assert result.exit_code == 0, result.stdout
    assert result.json()["issues"] == []
