"""Helpers shared by the fetch tests: sample records and a snapshot of every table."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

# Headers as the ИС's Excel export writes them, and two tickets in that shape.
RU_HEADERS = [
    "№ заявки",
    "Дата поступления",
    "ФИО клиента",
    "Телефон",
    "E-mail",
    "№ заказа",
    "Адрес объекта",
    "Тип объекта",
    "Категория",
    "Суть обращения",
    "Срок исполнения",
]
RU_ROWS = [
    [
        "2026-000501",
        "03.11.2026 10:15",
        "Соколова Мария Петровна",
        "8 (916) 123-45-67",
        "m.sokolova@example.ru",
        "ОЦ-50001",
        "г. Москва, ул. Тверская, д. 1, кв. 2",
        "квартира",
        "сроки",
        "Отчёт задерживается, банк ждёт.",
        "",
    ],
    [
        "2026-000502",
        "2026-11-05T12:00:00+03:00",
        "Ёлкин Пётр Семёнович",
        "+7 495 123-45-67",
        "elkin@example.ru",
        "ОЦ-50002",
        "Московская обл., г. Химки, ул. Мира, д. 5",
        "жилой дом",
        "качество отчёта",
        "В отчёте ошибка в площади; прошу исправить.",
        "12.11.2026 18:00",
    ],
]


def ticket_record(ticket_id: str, **extra: Any) -> dict[str, Any]:
    """A well-formed ticket in canonical names."""
    record: dict[str, Any] = {
        "id": ticket_id,
        "received_at": "2026-11-16T09:40:00+03:00",
        "client_name": "Смирнова Ольга Викторовна",
        "client_phone": "+7 (916) 204-31-77",
        "client_email": "o.smirnova@example.ru",
        "order_id": f"ОЦ-{ticket_id[-3:]}",
        "object_type": "квартира",
        "object_address": "г. Москва, ул. Профсоюзная, д. 93, кв. 41",
        "category": "сроки",
        "complaint_text": "Отчёт не готов в срок.",
    }
    record.update(extra)
    return record


def snapshot(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that a failed fetch changed nothing."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "select name from sqlite_master where type = 'table' order by name"
            )
        ]
        return {t: sorted(map(tuple, conn.execute(f"select * from {t}")), key=repr) for t in tables}
    finally:
        conn.close()
