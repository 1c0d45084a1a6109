"""The ticket's columns: the one list that the model, the queries and the schema derive from."""

from __future__ import annotations

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

# Fields the executor may set with `fill` (id is the ИС's key and never changes). They are
# also the ticket's data columns: a change to any of them makes an earlier report stale, and
# the schema's revision trigger watches exactly these.
EDITABLE_FIELDS: tuple[str, ...] = tuple(f for f in TICKET_FIELDS if f != "id")
TICKET_DATA_COLUMNS: tuple[str, ...] = EDITABLE_FIELDS

# Every column of `tickets` that a Ticket carries, in the order of its dataclass fields.
TICKET_COLUMNS: tuple[str, ...] = (
    *TICKET_FIELDS,
    "source",
    "fetched_at",
    "due_source",
    "raw",
    "executor_fields",
    "invalid",
    "revision",
)

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
