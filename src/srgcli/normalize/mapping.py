"""Column names of exports mapped to canonical fields, and event names to canonical kinds.

The aliases are data: a new header or event name is one line in a table below, and a
workspace adds its own headers in `[fetch.mapping]` of `srgcli.toml`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from srgcli.model import TICKET_FIELDS, EventKind

# Usual headers of the ИС's exports (compared after normalize_header), by canonical field.
TICKET_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "№ заявки",
        "№заявки",
        "номер заявки",
        "заявка",
        "номер обращения",
        "№ обращения",
        "id заявки",
        "ticket",
        "ticket_id",
        "ticket id",
        "number",
    ),
    "received_at": (
        "дата поступления",
        "дата и время поступления",
        "поступила",
        "дата заявки",
        "дата обращения",
        "дата регистрации",
        "created",
        "created_at",
    ),
    "due_at": ("срок исполнения", "срок", "срок ответа", "крайний срок", "due", "deadline"),
    "client_name": ("фио клиента", "клиент", "фио", "заявитель", "фио заявителя", "client"),
    "client_phone": (
        "телефон",
        "телефон клиента",
        "контактный телефон",
        "моб. телефон",
        "мобильный телефон",
        "phone",
    ),
    "client_email": (
        "e-mail",
        "email",
        "e-mail клиента",
        "эл. почта",
        "электронная почта",
        "почта",
    ),
    "order_id": ("№ заказа", "№заказа", "номер заказа", "заказ", "order", "order id"),
    "order_date": ("дата заказа", "дата оформления заказа", "order date"),
    "object_type": ("тип объекта", "вид объекта", "объект оценки", "object type"),
    "object_address": (
        "адрес объекта",
        "адрес",
        "адрес объекта оценки",
        "местонахождение объекта",
        "address",
    ),
    "bank": ("банк", "банк-кредитор", "bank"),
    "appraiser": ("оценщик", "фио оценщика", "специалист", "appraiser"),
    "category": ("категория", "категория обращения", "тип обращения", "тема", "category"),
    "complaint_text": (
        "суть обращения",
        "текст обращения",
        "обращение",
        "содержание обращения",
        "описание",
        "жалоба",
        "complaint",
        "text",
    ),
    "client_demand": ("требование клиента", "требование", "требования", "demand"),
    "history": ("история", "история заказа", "события", "history", "events"),
}

# Headers of order-history exports, by canonical event field.
EVENT_ALIASES: dict[str, tuple[str, ...]] = {
    "ticket_id": ("№ заявки", "№заявки", "номер заявки", "заявка", "ticket", "ticket id"),
    "order_id": ("№ заказа", "№заказа", "номер заказа", "заказ", "order", "order id"),
    "at": ("дата", "дата и время", "время", "когда", "дата события", "date", "time", "timestamp"),
    "kind": ("событие", "тип события", "вид события", "действие", "статус", "event", "type"),
    "actor": ("кто", "автор", "исполнитель", "ответственный", "инициатор", "user"),
    "comment": ("комментарий", "примечание", "описание", "подробности", "note", "text"),
}

# Event names as the ИС's exports write them, by canonical kind (labels are added below).
EVENT_KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_created": ("создан заказ", "заказ оформлен", "оформлен заказ", "новый заказ"),
    "payment_received": (
        "оплата",
        "оплачено",
        "оплачен",
        "заказ оплачен",
        "оплата поступила",
        "поступила оплата",
        "получена оплата",
    ),
    "appraiser_assigned": ("оценщик назначен", "назначение оценщика", "назначен специалист"),
    "inspection_scheduled": (
        "назначен осмотр",
        "осмотр запланирован",
        "запланирован осмотр",
        "выезд назначен",
    ),
    "inspection_rescheduled": (
        "осмотр перенесен",
        "перенос осмотра",
        "перенесен осмотр",
        "выезд перенесен",
    ),
    "inspection_done": (
        "осмотр выполнен",
        "осмотр проведен",
        "проведен осмотр",
        "осмотр состоялся",
        "выезд выполнен",
    ),
    "report_uploaded": ("отчет загружен", "загружен отчет", "отчет готов", "отчет подготовлен"),
    "report_sent": (
        "отчет отправлен",
        "отчет направлен",
        "отправлен отчет",
        "отчет отправлен клиенту",
        "отчет выдан",
    ),
    "report_corrected": (
        "отчет исправлен",
        "исправлен отчет",
        "корректировка отчета",
        "отчет скорректирован",
        "исправление отчета",
    ),
    "client_message": (
        "сообщение клиента",
        "сообщение от клиента",
        "обращение клиента",
        "звонок клиента",
        "письмо клиента",
    ),
    "order_cancelled": ("заказ отменен", "отмена заказа", "отменен заказ", "отмена"),
    "refund": ("возврат", "возврат средств", "возврат денежных средств", "возврат оплаты"),
}

_SPACES = re.compile(r"\s+")
_TRIM = " \t.:;*\"'«»"


def normalize_header(text: str) -> str:
    """A header as compared: case, "ё", repeated spaces and trailing punctuation ignored."""
    key = _SPACES.sub(" ", str(text).replace("\ufeff", "")).strip(_TRIM).casefold()
    return key.replace("ё", "е").replace("№ ", "№")


def _table(aliases: Mapping[str, tuple[str, ...]], canonical: tuple[str, ...]) -> dict[str, str]:
    table = {normalize_header(name): name for name in canonical}
    for field, names in aliases.items():
        for name in names:
            table.setdefault(normalize_header(name), field)
    return table


def _kind_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for kind in EventKind:
        table[normalize_header(kind.value)] = kind.value
        table[normalize_header(kind.label)] = kind.value
    for kind_value, names in EVENT_KIND_SYNONYMS.items():
        for name in names:
            table.setdefault(normalize_header(name), kind_value)
    return table


_KINDS = _kind_table()
_TICKET_CANONICAL = (*TICKET_FIELDS, "history", "events")
_EVENT_CANONICAL = ("ticket_id", "order_id", "at", "kind", "actor", "comment")


def canonical_kind(text: str) -> str:
    """The canonical event kind for a Russian or English name; unknown names as they came."""
    return _KINDS.get(normalize_header(text), str(text).strip())


class ColumnMapper:
    """Maps a record's keys to canonical names: built-in aliases plus `[fetch.mapping]`.

    Lookups are cached per key, so mapping many records with the same columns is cheap.
    """

    def __init__(self, extra: Mapping[str, str] | None = None, *, events: bool = False) -> None:
        base = (
            _table(EVENT_ALIASES, _EVENT_CANONICAL)
            if events
            else _table(TICKET_ALIASES, _TICKET_CANONICAL)
        )
        for header, field in (extra or {}).items():
            base[normalize_header(header)] = field
        if not events:
            base[normalize_header("events")] = "history"
        self._table = base
        self._cache: dict[str, str | None] = {}
        # Records of one export share their keys: the key -> field pairs are planned once.
        self._plans: dict[tuple[str, ...], tuple[tuple[str, str], ...] | None] = {}
        # Keys looked up since start_source() that map to no field (an ordered set).
        self._unknown: dict[str, None] = {}

    def field(self, key: str) -> str | None:
        """The canonical name of a column, or None when it is not one of ours."""
        try:
            return self._cache[key]
        except KeyError:
            found = self._table.get(normalize_header(key))
            self._cache[key] = found
            if found is None and key.strip():
                self._unknown[key] = None
            return found

    def map(self, record: Mapping[str, object]) -> dict[str, object]:
        """The record's canonical fields; the first non-empty column wins for a field."""
        keys = tuple(record)
        try:
            plan = self._plans[keys]
        except KeyError:
            plan = self._plan(keys)
        if plan is not None:
            return {name: record[key] for key, name in plan}
        return self._map_slow(record)

    def start_source(self) -> None:
        """Begin a new source: unknown_keys() will name only the keys looked up from now on.

        The caches are emptied too, as a key is noticed when it is first looked up."""
        self._unknown.clear()
        self._cache.clear()
        self._plans.clear()

    def unknown_keys(self) -> list[str]:
        """Keys looked up since start_source() that map to no field, in the order met."""
        return list(self._unknown)

    def _plan(self, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
        pairs = []
        for key in keys:
            name = self.field(key) if isinstance(key, str) else None
            if name is not None:
                pairs.append((key, name))
        # Two columns for one field need the slow path ("first non-empty wins").
        plan = tuple(pairs) if len({n for _, n in pairs}) == len(pairs) else None
        if len(self._plans) > 1000:
            self._plans.clear()
        self._plans[keys] = plan
        return plan

    def _map_slow(self, record: Mapping[str, object]) -> dict[str, object]:
        result: dict[str, object] = {}
        for key, value in record.items():
            name = self.field(key)
            if name is None:
                continue
            if name not in result or result[name] in (None, ""):
                result[name] = value
        return result


def unknown_targets(extra: Mapping[str, str]) -> list[str]:
    """Targets in `[fetch.mapping]` that are not ticket fields (a config mistake)."""
    allowed = {*TICKET_FIELDS, "history"}
    return [target for target in extra.values() if target not in allowed]
