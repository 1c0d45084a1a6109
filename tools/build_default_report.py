"""Build srgcli's default report template, `src/srgcli/data/templates/report/default.docx`.

Run from the repository root after changing the wording or layout:

    python tools/build_default_report.py [OUTPUT.docx]

The template is an ordinary Word document with Jinja tags (docxtpl): a user may copy it, edit it in
Word and pass it to `srgcli report --template PATH`. Each tag sits in one run of its own paragraph
so Word does not split it; `{%tr %}` tags repeat table rows, `{%p %}` tags repeat or hide
paragraphs. The context's keys are documented in `srgcli/render/context.py`.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from srgcli.render.docx import set_language

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "srgcli" / "data" / "templates" / "report" / "default.docx"
FONT = "Times New Roman"

# (label, value, condition): a row whose condition is empty is left out of the table rather
# than printed with a dash; the id and the moment of arrival are always there.
TICKET_ROWS = (
    ("Номер заявки", "{{ ticket.id }}", ""),
    ("Дата и время поступления", "{{ ticket.received_at|ru_datetime }}", "ticket.received_at"),
    ("Срок исполнения", "{{ ticket.due_at|ru_datetime }}", "ticket.due_at"),
    ("Заявитель", "{{ ticket.client_name }}", "ticket.client_name"),
    ("Телефон", "{{ ticket.client_phone|phone }}", "ticket.client_phone"),
    ("Электронная почта", "{{ ticket.client_email }}", "ticket.client_email"),
    ("Номер заказа", "{{ ticket.order_id }}", "ticket.order_id"),
    ("Дата заказа", "{{ ticket.order_date|ru_date }}", "ticket.order_date"),
    ("Объект оценки", "{{ ticket.object_type|label('object_type') }}", "ticket.object_type"),
    ("Адрес объекта", "{{ ticket.object_address }}", "ticket.object_address"),
    ("Банк", "{{ ticket.bank }}", "ticket.bank"),
    ("Оценщик", "{{ ticket.appraiser }}", "ticket.appraiser"),
    ("Категория обращения", "{{ ticket.category|label('category') }}", "ticket.category"),
)

FINDING_ROWS = (
    ("Вывод по обращению", "{{ finding.verdict|label('verdict') }}", ""),
    ("Категория нарушения", "{{ finding.category|label('category') }}", "finding.category"),
    ("Описание", "{{ finding.description }}", "finding.description"),
    ("Причина", "{{ finding.root_cause }}", "finding.root_cause"),
    (
        "Ответственная сторона",
        "{{ finding.responsible|label('responsible') }}",
        "finding.responsible",
    ),
    ("Дата вывода", "{{ finding.decided_at|ru_date }}", "finding.decided_at"),
)


def _field_rows(rows: tuple[tuple[str, str, str], ...]) -> list[tuple[str, ...]]:
    """Two-column rows; a conditional one is wrapped in {%tr if %} … {%tr endif %} rows."""
    result: list[tuple[str, ...]] = []
    for label, value, condition in rows:
        if condition:
            result += [(f"{{%tr if {condition} %}}", ""), (label, value), ("{%tr endif %}", "")]
        else:
            result.append((label, value))
    return result


def _styles(document: Any) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 16), ("Heading 1", 13)):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.element.rPr.rFonts.set(qn("w:ascii"), FONT)
        style.element.rPr.rFonts.set(qn("w:hAnsi"), FONT)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in document.sections:
        section.left_margin = Cm(2.5)
        section.right_margin = Cm(1.5)
        section.top_margin = Cm(2)
        section.bottom_margin = Cm(2)


def _table(document: Any, header: tuple[str, ...] | None, rows: list[tuple[str, ...]]) -> Any:
    columns = len(header or rows[0])
    table = document.add_table(rows=0, cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return table


def _loop_table(document: Any, header: tuple[str, ...], loop: str, cells: tuple[str, ...]) -> None:
    """A table whose middle row repeats per item: {%tr for … %}, the cells, {%tr endfor %}."""
    empty = ("",) * (len(cells) - 1)
    _table(document, header, [(f"{{%tr {loop} %}}", *empty), cells, ("{%tr endfor %}", *empty)])


def build(target: Path = TARGET) -> Path:
    """Write the default report template to `target`."""
    document = Document()
    _styles(document)
    core = document.core_properties
    core.title = "Отчёт об отработке обращения"
    # `report` sets the executor as author and the ticket as title and subject when it renders.
    core.author = "srgcli"
    core.last_modified_by = "srgcli"
    core.language = "ru-RU"
    core.revision = 1
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    core.created = fixed
    core.modified = fixed

    section = document.sections[0]
    section.header.paragraphs[
        0
    ].text = "Обращение № {{ ticket.id }}, отчёт (версия {{ report.version }})"
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    section.footer.paragraphs[0].text = (
        "Документ содержит персональные данные и обрабатывается в соответствии "
        "с Федеральным законом № 152-ФЗ «О персональных данных»."
    )

    document.add_heading("Отчёт об отработке обращения № {{ ticket.id }}", level=0)
    document.add_paragraph("Дата составления: {{ report.date|ru_date }}")
    document.add_paragraph(
        "Исполнитель: {{ executor.name }} ({{ executor.status_label }}), ИНН {{ executor.inn }}"
    )

    document.add_heading("1. Данные заявки", level=1)
    _table(document, None, _field_rows(TICKET_ROWS))

    document.add_heading("2. Суть обращения", level=1)
    document.add_paragraph(
        "{{ ticket.received_at|ru_date }} поступило обращение {{ ticket.client_name|genitive }}."
    )
    # What the ИС did not send is said in a sentence, not printed as a dash.
    document.add_paragraph("{%p if ticket.complaint_text %}")
    document.add_paragraph("Содержание обращения: {{ ticket.complaint_text }}")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Текст обращения в заявке не приведён.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if ticket.client_demand %}")
    document.add_paragraph("Требование клиента: {{ ticket.client_demand }}")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Требование клиента в заявке не указано.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("3. История заказа", level=1)
    # No history from the ИС: a sentence, not a table of headers with no rows.
    document.add_paragraph("{%p if events %}")
    _loop_table(
        document,
        ("Дата и время", "Событие", "Участник", "Комментарий"),
        "for e in events",
        (
            "{{ e.at|ru_datetime }}",
            "{{ e.kind|label('kind') }}",
            "{{ e.actor|label('actor') }}",
            "{{ e.comment|dash }}",
        ),
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Сведения об истории заказа из информационной системы не поступили.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("4. Результаты проверки", level=1)
    document.add_paragraph("{%p if finding %}")
    _table(document, None, _field_rows(FINDING_ROWS))
    # A finding may rest on no order event (e.g. an error in the appraisal report itself):
    # then the list and its heading are left out rather than printed empty.
    document.add_paragraph("{%p if finding.evidence %}")
    document.add_paragraph("Подтверждающие события истории заказа:")
    document.add_paragraph("{%p for e in finding.evidence %}")
    document.add_paragraph(
        # A dash, not a colon: «20.10.2026 10:05: …» reads as a double colon.
        "{{ e.at|ru_datetime }} — {{ e.kind|label('kind') }}"
        "{% if e.comment %} ({{ e.comment }}){% endif %}",
        style="List Bullet",
    )
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Проверка истории заказа не проводилась.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("5. Контакты с клиентом", level=1)
    document.add_paragraph("{%p if contacts %}")
    _loop_table(
        document,
        ("Дата и время", "Канал", "Направление", "Результат", "Содержание"),
        "for c in contacts",
        (
            "{{ c.at|ru_datetime }}",
            "{{ c.channel|label('channel') }}",
            "{{ c.direction|label('direction') }}",
            "{{ c.outcome|label('contact_outcome') }}",
            "{{ c.summary }}",
        ),
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Контакты с клиентом не зарегистрированы.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("6. Урегулирование", level=1)
    document.add_paragraph("{%p if resolution %}")
    document.add_paragraph("Итог урегулирования: {{ resolution.outcome|label('outcome') }}.")
    document.add_paragraph("{{ resolution.summary }}")
    document.add_paragraph("Итоги рассмотрения обращения сообщены {{ ticket.client_name|dative }}.")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Урегулирование не завершено.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("7. Соблюдение сроков", level=1)
    _loop_table(
        document,
        ("Этап", "Срок", "Выполнено", "Отметка"),
        "for d in deadlines",
        (
            "{{ d.label }}",
            "{{ d.due_at|ru_datetime }}",
            "{{ d.done_at|ru_datetime }}",
            "{{ d.state_label }}",
        ),
    )

    document.add_heading("8. Корректирующие действия", level=1)
    # "Not required" only when nothing was confirmed: a confirmed nonconformity without an
    # action recorded must not read as if none were needed.
    # The action is introduced as done or planned (see srgcli/render/measures.py), so that a
    # bare infinitive the executor typed («Назначить другого оценщика») never reads as an order.
    # Section 8 and the signature travel together to the next page when they do not fit.
    measures = document.add_paragraph(
        "{% if finding and finding.corrective_action %}"
        "{% if finding.corrective_action_planned %}Запланированы меры: {% else %}Приняты меры: "
        "{% endif %}{{ finding.corrective_action_clause }}"
        "{% elif finding and finding.verdict != 'not_confirmed' %}"
        "Корректирующие действия не определены."
        "{% else %}Корректирующие действия не требуются.{% endif %}"
    )
    measures.paragraph_format.keep_with_next = True
    document.add_paragraph("{%p if remarks %}")
    document.add_paragraph(
        "Замечания Заказчика, учтённые при доработке отчёта:"
    ).paragraph_format.keep_with_next = True
    document.add_paragraph("{%p for r in remarks %}")
    document.add_paragraph("{{ r }}", style="List Bullet").paragraph_format.keep_with_next = True
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")

    # The signature block stays on one page: never «Дата: …» alone on a page of its own.
    document.add_paragraph().paragraph_format.keep_with_next = True
    signature = document.add_paragraph(
        "Исполнитель: ____________________ {{ executor.name|initials }}"
    )
    signature.paragraph_format.keep_with_next = True
    document.add_paragraph("Дата: {{ report.date|ru_date }}")

    set_language(document, "ru-RU")
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET))
