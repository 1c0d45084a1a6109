"""The domain: entities, their enums with Russian labels, and the derived ticket status.

Everything here is plain data and pure functions; storage lives in `srgcli.workspace`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple, Self


class LabeledEnum(str, Enum):  # noqa: UP042 (members are (value, label) pairs)
    """A string enum whose members carry a Russian label for the interface.

    Define members as ``NAME = ("canonical", "русская метка")``.
    """

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Accept the canonical value or the Russian label, ignoring case and spaces.

        Raises ValueError with the list of accepted values when nothing matches.
        """
        key = " ".join(str(text).split()).casefold().replace("ё", "е")
        for member in cls:
            if key in (member.value.casefold(), member.label.casefold().replace("ё", "е")):
                return member
        raise ValueError(cls.choices_text())

    @classmethod
    def try_parse(cls, text: str | None) -> Self | None:
        """Like parse(), but None when the text is empty or unknown."""
        if not text:
            return None
        try:
            return cls.parse(text)
        except ValueError:
            return None

    @classmethod
    def choices_text(cls) -> str:
        """A Russian list of the accepted values, for messages and help."""
        return ", ".join(f"{m.value} «{m.label}»" for m in cls)


class Category(LabeledEnum):
    """Category of a complaint and of a finding."""

    DEADLINES = ("deadlines", "сроки")
    REPORT_QUALITY = ("report_quality", "качество отчёта")
    SPECIALIST_CONDUCT = ("specialist_conduct", "поведение специалиста")
    PRICE = ("price", "стоимость")
    PAYMENT = ("payment", "оплата")
    INSPECTION = ("inspection", "осмотр")
    OTHER = ("other", "иное")


class ObjectType(LabeledEnum):
    """What was appraised."""

    APARTMENT = ("apartment", "квартира")
    HOUSE = ("house", "жилой дом")
    LAND = ("land", "земельный участок")
    COMMERCIAL = ("commercial", "коммерческая недвижимость")
    VEHICLE = ("vehicle", "транспортное средство")
    OTHER = ("other", "иное")


class EventKind(LabeledEnum):
    """Canonical kinds of order events; unknown kinds are stored as they came."""

    ORDER_CREATED = ("order_created", "заказ создан")
    PAYMENT_RECEIVED = ("payment_received", "оплата получена")
    APPRAISER_ASSIGNED = ("appraiser_assigned", "назначен оценщик")
    INSPECTION_SCHEDULED = ("inspection_scheduled", "осмотр назначен")
    INSPECTION_RESCHEDULED = ("inspection_rescheduled", "осмотр перенесён")
    INSPECTION_DONE = ("inspection_done", "осмотр проведён")
    REPORT_UPLOADED = ("report_uploaded", "отчёт загружен")
    REPORT_SENT = ("report_sent", "отчёт отправлен")
    REPORT_CORRECTED = ("report_corrected", "отчёт исправлен")
    CLIENT_MESSAGE = ("client_message", "сообщение клиента")
    ORDER_CANCELLED = ("order_cancelled", "заказ отменён")
    REFUND = ("refund", "возврат средств")


class Verdict(LabeledEnum):
    """The executor's verdict on the complaint."""

    CONFIRMED = ("confirmed", "подтверждено")
    PARTIALLY_CONFIRMED = ("partially_confirmed", "подтверждено частично")
    NOT_CONFIRMED = ("not_confirmed", "не подтверждено")


class Responsible(LabeledEnum):
    """Who is responsible for a nonconformity."""

    APPRAISER = ("appraiser", "оценщик")
    OFFICE = ("office", "офис")
    BANK = ("bank", "банк")
    CLIENT = ("client", "клиент")
    OTHER = ("other", "иное")


class Channel(LabeledEnum):
    """How a contact happened."""

    PHONE = ("phone", "телефон")
    EMAIL = ("email", "электронная почта")
    MESSENGER = ("messenger", "мессенджер")
    IS_CHAT = ("is_chat", "чат ИС")
    VISIT = ("visit", "личный визит")


class Direction(LabeledEnum):
    """Who started a contact."""

    IN = ("in", "входящий")
    OUT = ("out", "исходящий")


class Party(LabeledEnum):
    """The other side of a contact."""

    CLIENT = ("client", "клиент")
    CUSTOMER = ("customer", "заказчик")
    APPRAISER = ("appraiser", "оценщик")
    BANK = ("bank", "банк")


class ContactOutcome(LabeledEnum):
    """What a contact achieved."""

    REACHED = ("reached", "связь установлена")
    NO_ANSWER = ("no_answer", "нет ответа")
    CALLBACK_SCHEDULED = ("callback_scheduled", "назначен повторный звонок")
    RESOLVED = ("resolved", "вопрос решён")


class ResolutionOutcome(LabeledEnum):
    """How the complaint was settled."""

    SATISFIED = ("satisfied", "требование удовлетворено")
    PARTIALLY_SATISFIED = ("partially_satisfied", "требование удовлетворено частично")
    REJECTED = ("rejected", "в требовании отказано")
    EXPLAINED = ("explained", "даны разъяснения")


class Variant(LabeledEnum):
    """Acceptance variant from the service description."""

    A = ("A", "вариант А: Заказчику")
    B = ("B", "вариант Б: Клиенту с отметкой в ИС")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Also accepts the Russian letters «А» and «Б» (Cyrillic А looks just like A)."""
        key = str(text).strip().upper()
        key = {"А": "A", "Б": "B"}.get(key, key)
        return super().parse(key)


class SubmissionChannel(LabeledEnum):
    """Where a submission goes."""

    OUTBOX = ("outbox", "папка outbox")
    API = ("api", "API ИС")


class Decision(LabeledEnum):
    """The Customer's decision on a variant A submission."""

    ACCEPTED = ("accepted", "принят")
    RETURNED = ("returned", "возвращён на доработку")


class ExecutorStatus(LabeledEnum):
    """The executor's tax status."""

    SELF_EMPLOYED = ("self-employed", "самозанятый")
    SOLE_PROPRIETOR = ("sole-proprietor", "индивидуальный предприниматель")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Also accepts the usual abbreviation «ИП»."""
        if " ".join(str(text).split()).casefold() == "ип":
            text = "sole-proprietor"
        return super().parse(text)


class Status(LabeledEnum):
    """A ticket's stage, derived from its facts by derive_status()."""

    NEW = ("new", "новая")
    FILLED = ("filled", "заполнена")
    REVIEWED = ("reviewed", "рассмотрена")
    SETTLED = ("settled", "урегулирована")
    REPORTED = ("reported", "отчёт готов")
    SUBMITTED = ("submitted", "сдана")
    RETURNED = ("returned", "на доработке")
    ACCEPTED = ("accepted", "принята")


# The ticket's own fields, in the order the interface shows them, with Russian labels.
TICKET_FIELDS: dict[str, str] = {
    "id": "Номер заявки",
    "received_at": "Дата поступления",
    "due_at": "Срок исполнения",
    "client_name": "ФИО клиента",
    "client_phone": "Телефон клиента",
    "client_email": "E-mail клиента",
    "order_id": "Номер заказа",
    "order_date": "Дата заказа",
    "object_type": "Тип объекта",
    "object_address": "Адрес объекта",
    "bank": "Банк",
    "appraiser": "Оценщик",
    "category": "Категория",
    "complaint_text": "Суть обращения",
    "client_demand": "Требование клиента",
}

# Fields the executor may set with `fill` (id is the ИС's key and never changes).
EDITABLE_FIELDS: tuple[str, ...] = tuple(f for f in TICKET_FIELDS if f != "id")

# Default required fields; "client_contact" means a phone or an e-mail.
DEFAULT_REQUIRED: tuple[str, ...] = (
    "id",
    "received_at",
    "client_name",
    "client_contact",
    "order_id",
    "object_address",
    "category",
    "complaint_text",
    "due_at",
)

FIELD_LABELS: dict[str, str] = {**TICKET_FIELDS, "client_contact": "Телефон или e-mail клиента"}


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


# Russian names of the things the audit trail records.
ENTITY_LABELS: dict[str, str] = {
    "ticket": "заявка",
    "order_event": "история заказа",
    "proposals": "предложения проверки",
    "review_proposals": "предложения проверки",
    "finding": "вывод",
    "contact": "контакт",
    "resolution": "урегулирование",
    "report": "отчёт",
    "submission": "сдача",
}

# Which enum gives the Russian label of a stored value, by field name.
VALUE_ENUMS: dict[str, type[LabeledEnum]] = {
    "category": Category,
    "object_type": ObjectType,
    "verdict": Verdict,
    "responsible": Responsible,
    "channel": Channel,
    "direction": Direction,
    "party": Party,
    "outcome": ResolutionOutcome,
    "decision": Decision,
    "variant": Variant,
}


def display_value(field_name: str | None, value: str | None) -> str | None:
    """A stored value as the executor reads it: the Russian label of an enum value."""
    if value is None or field_name not in VALUE_ENUMS:
        return value
    known = VALUE_ENUMS[field_name].try_parse(value)
    return known.label if known else value
