"""The nonconformity rules `review --auto` runs over an order's history.

Rules are data: each is one entry of RULES, built from a few shapes — a delay between two
kinds of event, a count of one kind, a gap without activity. A new rule of a known shape is
one more entry; its threshold is a key of the `[review]` config section. Time is counted in
business days on the workspace's Russian calendar.

A proposal's description may become the finding's description word for word, and so a
sentence of the report: it is plain Russian prose («…, тогда как по договору на это
отводится 3 рабочих дня»), never rule jargon such as «(порог: 3)». Numbers agree with their
nouns through `srgcli.ru`; a zero threshold gets its own wording.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any, Protocol

from srgcli.calendar import MOSCOW
from srgcli.model import Category, OrderEvent, Responsible, ReviewProposal
from srgcli.ru import plural_days, times, times_genitive

REPORT_KINDS = ("report_uploaded", "report_sent")
# After one of these the order is finished: silence that follows is not a gap in the work.
CLOSING_KINDS = ("report_uploaded", "report_sent", "report_corrected", "order_cancelled", "refund")


@dataclass(frozen=True)
class Moment:
    """An order event with its time parsed."""

    event: OrderEvent
    at: datetime


@dataclass(frozen=True)
class RuleContext:
    """What rules need besides the history: the calendar, the present moment, thresholds."""

    calendar: Any
    now: datetime
    thresholds: Mapping[str, int]

    def days(self, start: datetime, end: datetime) -> int:
        """Business days from one moment's date to another's (Moscow dates)."""
        return int(
            self.calendar.business_days_between(
                start.astimezone(MOSCOW).date(), end.astimezone(MOSCOW).date()
            )
        )


class Rule(Protocol):
    """A rule: an id, a Russian title, a category and responsible party to propose."""

    @property
    def id(self) -> str:
        """Stable identifier, stored with proposals."""

    @property
    def title(self) -> str:
        """Russian title for the interface."""

    @property
    def category(self) -> Category:
        """Category of the nonconformity it proposes."""

    @property
    def responsible(self) -> Responsible:
        """Who is usually responsible (a default for the finding)."""

    @property
    def threshold(self) -> str:
        """The `[review]` config key holding its threshold."""

    def check(self, history: Sequence[Moment], ctx: RuleContext) -> list[ReviewProposal]:
        """Proposals for this history (empty when the rule does not fire)."""
        ...


def _proposal(rule: Rule, text: str, evidence: Sequence[Moment]) -> ReviewProposal:
    return ReviewProposal(
        rule=rule.id,
        category=rule.category.value,
        description=text,
        evidence=tuple(m.event.id for m in evidence),
    )


@dataclass(frozen=True)
class Delay:
    """Fires when the first `end` event after a `start` event comes more than N business days
    later — or has not come and N days have passed (until a `stop` event, or now)."""

    id: str
    title: str
    category: Category
    responsible: Responsible
    threshold: str
    start: tuple[str, ...]
    # None: any later event of another kind ends the wait (e.g. an answer to a message).
    end: tuple[str, ...] | None
    done_text: str
    open_text: str
    each: bool = False  # every start event, not only the first
    requires: tuple[str, ...] = ()  # applies only when the history has one of these kinds
    stop: tuple[str, ...] = ("order_cancelled",)
    zero_disables: bool = False

    def _ends(self, kind: str) -> bool:
        return kind not in self.start if self.end is None else kind in self.end

    def check(self, history: Sequence[Moment], ctx: RuleContext) -> list[ReviewProposal]:
        """See the class docstring."""
        limit = ctx.thresholds[self.threshold]
        if self.zero_disables and limit == 0:
            return []
        if self.requires and not any(m.event.kind in self.requires for m in history):
            return []
        starts = [i for i, m in enumerate(history) if m.event.kind in self.start]
        found = []
        for index in starts if self.each else starts[:1]:
            first, later = history[index], history[index + 1 :]
            end = next((m for m in later if self._ends(m.event.kind)), None)
            if end is not None:
                days, text, evidence = ctx.days(first.at, end.at), self.done_text, [first, end]
            else:
                stop = next((m for m in later if m.event.kind in self.stop), None)
                days = ctx.days(first.at, stop.at if stop else ctx.now)
                text, evidence = self.open_text, [first, *([stop] if stop else [])]
            if days > limit:
                words = {"days": plural_days(days), "limit": plural_days(limit)}
                words["allowed"] = allowed_days(limit)
                found.append(_proposal(self, text.format(**words), evidence))
        return found


def allowed_days(limit: int) -> str:
    """What the contract allows, to follow «тогда как по договору»: «на это отводится
    3 рабочих дня», or for a zero threshold «это нужно сделать в тот же рабочий день»."""
    if limit <= 0:
        return "это нужно сделать в тот же рабочий день"
    return f"на это отводится {plural_days(limit)}"


@dataclass(frozen=True)
class Count:
    """Fires when events of one kind happen more than N times."""

    id: str
    title: str
    category: Category
    responsible: Responsible
    threshold: str
    kind: str
    text: str
    # What the contract allows when the threshold is zero (after «тогда как по договору»).
    none_allowed: str

    def check(self, history: Sequence[Moment], ctx: RuleContext) -> list[ReviewProposal]:
        """See the class docstring."""
        limit = ctx.thresholds[self.threshold]
        matches = [m for m in history if m.event.kind == self.kind]
        if len(matches) <= limit:
            return []
        allowed = f"допускается не больше {times_genitive(limit)}" if limit else self.none_allowed
        words = {"count": times(len(matches)), "allowed": allowed}
        return [_proposal(self, self.text.format(**words), matches)]


@dataclass(frozen=True)
class Gap:
    """Fires for each stretch of more than N business days without any event, while the
    order is open (and from the last event until now, when the order is still open)."""

    id: str
    title: str
    category: Category
    responsible: Responsible
    threshold: str
    text: str
    open_text: str
    closing: tuple[str, ...] = CLOSING_KINDS

    def check(self, history: Sequence[Moment], ctx: RuleContext) -> list[ReviewProposal]:
        """See the class docstring."""
        limit = ctx.thresholds[self.threshold]
        found = []
        for before, after in pairwise(history):
            if before.event.kind in self.closing:
                break
            days = ctx.days(before.at, after.at)
            if days > limit:
                words = {
                    "days": plural_days(days),
                    "limit": plural_days(limit),
                    "start": before.event.kind_label,
                    "end": after.event.kind_label,
                }
                found.append(_proposal(self, self.text.format(**words), [before, after]))
        if history and not any(m.event.kind in self.closing for m in history):
            last = history[-1]
            days = ctx.days(last.at, ctx.now)
            if days > limit:
                words = {
                    "days": plural_days(days),
                    "limit": plural_days(limit),
                    "start": last.event.kind_label,
                }
                found.append(_proposal(self, self.open_text.format(**words), [last]))
        return found


RULES: tuple[Rule, ...] = (
    Delay(
        id="inspection_late",
        title="Осмотр позже срока после оплаты",
        category=Category.INSPECTION,
        responsible=Responsible.APPRAISER,
        threshold="inspection_after_payment_days",
        start=("payment_received",),
        end=("inspection_done",),
        done_text="Осмотр проведён через {days} после оплаты, тогда как по договору {allowed}.",
        open_text="Через {days} после оплаты осмотр всё ещё не был проведён, тогда как по "
        "договору {allowed}.",
    ),
    Delay(
        id="report_late_after_inspection",
        title="Отчёт позже срока после осмотра",
        category=Category.DEADLINES,
        responsible=Responsible.APPRAISER,
        threshold="report_after_inspection_days",
        start=("inspection_done",),
        end=REPORT_KINDS,
        done_text="Отчёт подготовлен через {days} после осмотра, тогда как по договору {allowed}.",
        open_text="Через {days} после осмотра отчёт всё ещё не был подготовлен, тогда как по "
        "договору {allowed}.",
    ),
    Delay(
        id="report_after_order_due",
        title="Отчёт позже срока заказа",
        category=Category.DEADLINES,
        responsible=Responsible.APPRAISER,
        threshold="order_due_days",
        start=("order_created",),
        end=REPORT_KINDS,
        done_text="Отчёт подготовлен через {days} после оформления заказа, тогда как по "
        "договору на весь заказ отводится {limit}.",
        open_text="Через {days} после оформления заказа отчёт всё ещё не был подготовлен, "
        "тогда как по договору на весь заказ отводится {limit}.",
        zero_disables=True,
    ),
    Count(
        id="repeated_reschedules",
        title="Повторные переносы осмотра",
        category=Category.INSPECTION,
        responsible=Responsible.APPRAISER,
        threshold="max_reschedules",
        kind="inspection_rescheduled",
        text="Осмотр переносили {count}, тогда как по договору {allowed}.",
        none_allowed="переносы осмотра не предусмотрены",
    ),
    Count(
        id="report_corrected",
        title="Отчёт исправлялся после выдачи",
        category=Category.REPORT_QUALITY,
        responsible=Responsible.APPRAISER,
        threshold="max_report_corrections",
        kind="report_corrected",
        text="После выдачи отчёт исправляли {count}, тогда как по договору {allowed}.",
        none_allowed="отчёт должен выдаваться клиенту без ошибок",
    ),
    Gap(
        id="long_gap",
        title="Долгий перерыв без движения по заказу",
        category=Category.DEADLINES,
        responsible=Responsible.OFFICE,
        threshold="max_gap_days",
        text="Между событиями «{start}» и «{end}» заказ простоял без движения {days}, "
        "тогда как перерыв не должен превышать {limit}.",
        open_text="После события «{start}» заказ стоит без движения уже {days}, тогда как "
        "перерыв не должен превышать {limit}.",
    ),
    Delay(
        id="client_message_unanswered",
        title="Сообщение клиента без ответа",
        category=Category.OTHER,
        responsible=Responsible.OFFICE,
        threshold="client_message_answer_days",
        start=("client_message",),
        end=None,
        done_text="Сообщение клиента ждало ответа {days}, тогда как по договору {allowed}.",
        open_text="Через {days} на сообщение клиента всё ещё не ответили, тогда как по "
        "договору {allowed}.",
        each=True,
        stop=(),
    ),
    Delay(
        id="cancellation_without_refund",
        title="Отмена заказа без возврата средств",
        category=Category.PAYMENT,
        responsible=Responsible.OFFICE,
        threshold="refund_after_cancel_days",
        start=("order_cancelled",),
        end=("refund",),
        done_text="Средства вернули через {days} после отмены заказа, тогда как по договору "
        "{allowed}.",
        open_text="Через {days} после отмены заказа средства всё ещё не были возвращены, "
        "тогда как по договору {allowed}.",
        requires=("payment_received",),
        stop=(),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def rule_title(rule_id: str) -> str:
    """A rule's Russian title (the id itself for a rule this version does not know)."""
    rule = RULES_BY_ID.get(rule_id)
    return rule.title if rule else rule_id


def moments(events: Sequence[OrderEvent]) -> list[Moment]:
    """Events with parsable times, in time order (the others cannot be measured)."""
    from srgcli.normalize.values import parse_datetime

    result = []
    for event in events:
        try:
            result.append(Moment(event, parse_datetime(event.at)))
        except ValueError:
            continue
    return sorted(result, key=lambda m: (m.at, m.event.id))


def run_rules(
    events: Sequence[OrderEvent],
    ctx: RuleContext,
    rules: Sequence[Rule] = RULES,
) -> list[ReviewProposal]:
    """Every proposal the rules make for this history, in rule order."""
    history = moments(events)
    return [p for rule in rules for p in rule.check(history, ctx)]
