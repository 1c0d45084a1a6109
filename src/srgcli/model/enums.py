"""The domain's enums, each member with its Russian label, and how a stored value reads."""

from __future__ import annotations

from enum import Enum
from typing import Self


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


class EventActor(LabeledEnum):
    """Who made an order event, as ИС exports name them; other values are shown as they came."""

    CLIENT = ("client", "клиент")
    SYSTEM = ("system", "система")
    OFFICE = ("office", "офис")
    APPRAISER = ("appraiser", "оценщик")
    BANK = ("bank", "банк")
    CUSTOMER = ("customer", "заказчик")
    EXECUTOR = ("executor", "исполнитель")
    MANAGER = ("manager", "менеджер")
    OPERATOR = ("operator", "оператор")
    CALL_CENTER = ("call_center", "колл-центр")
    COURIER = ("courier", "курьер")
    SITE = ("site", "сайт")
    ACQUIRING = ("acquiring", "эквайринг")


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
