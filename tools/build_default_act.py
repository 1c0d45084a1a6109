"""Build srgcli's default act template, `src/srgcli/data/templates/act/default.docx`.

Run from the repository root after changing the wording or layout:

    python tools/build_default_act.py [OUTPUT.docx]

The act of services rendered that `srgcli act` issues each month to the Customer: an ordinary
Word document with Jinja tags (docxtpl). The context's keys are documented in
`srgcli/billing/context.py`. As for the report, each tag sits in its own run.
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

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "srgcli" / "data" / "templates" / "act" / "default.docx"
FONT = "Times New Roman"

HEADER = ("№", "Заявка", "Поступила", "Принята", "Вариант сдачи", "Стоимость, руб.")
CELLS = (
    "{{ l.n }}",
    "{{ l.ticket_id }}",
    "{{ l.received }}",
    "{{ l.accepted }}",
    "{{ l.variant }}",
    "{{ l.price }}",
)


def _styles(document: Any) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    title = document.styles["Title"]
    title.font.name = FONT
    title.font.size = Pt(14)
    title.font.bold = True
    title.element.rPr.rFonts.set(qn("w:ascii"), FONT)
    title.element.rPr.rFonts.set(qn("w:hAnsi"), FONT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in document.sections:
        section.left_margin = Cm(2.5)
        section.right_margin = Cm(1.5)
        section.top_margin = Cm(2)
        section.bottom_margin = Cm(2)


def _lines_table(document: Any) -> None:
    """The act's lines: a row per ticket ({%tr for %}), then the total row."""
    table = document.add_table(rows=0, cols=len(HEADER))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = table.add_row().cells
    for cell, text in zip(cells, HEADER, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    empty = ("",) * (len(CELLS) - 1)
    for row in (("{%tr for l in lines %}", *empty), CELLS, ("{%tr endfor %}", *empty)):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    total = table.add_row().cells
    merged = total[0].merge(total[len(CELLS) - 2])
    merged.text = ""
    merged.paragraphs[0].add_run("Итого").bold = True
    total[-1].text = ""
    total[-1].paragraphs[0].add_run("{{ total.figures }}").bold = True


def build(target: Path = TARGET) -> Path:
    """Write the default act template to `target`."""
    document = Document()
    _styles(document)
    core = document.core_properties
    core.title = "Акт оказанных услуг"
    core.author = "srgcli"
    core.last_modified_by = "srgcli"
    core.revision = 1
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    core.created = fixed
    core.modified = fixed

    document.add_heading("Акт оказанных услуг № {{ act.number }}", level=0)
    document.add_paragraph("Дата: {{ act.date }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("Отчётный период: {{ act.month }}")
    document.add_paragraph("{%p if contract.number %}")
    document.add_paragraph(
        "Основание: договор № {{ contract.number }}"
        "{% if contract.date %} от {{ contract.date }}{% endif %}"
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph(
        "Исполнитель: {{ executor.name }} ({{ executor.status_label }}), ИНН {{ executor.inn }}."
    )
    document.add_paragraph(
        "Заказчик: {{ customer.name }}, ИНН {{ customer.inn }}"
        "{% if customer.kpp %}, КПП {{ customer.kpp }}{% endif %}"
        "{% if customer.address %}, адрес: {{ customer.address }}{% endif %}."
    )
    document.add_paragraph(
        "Исполнитель оказал, а Заказчик принял услуги по отработке обращений клиентов "
        "по следующим заявкам:"
    )
    _lines_table(document)
    document.add_paragraph()
    document.add_paragraph(
        "Всего оказано услуг: {{ act.count }}, на сумму {{ total.rubles }} ({{ total.words }})."
    )
    document.add_paragraph("{{ vat_note }}")
    document.add_paragraph(
        "Вариант сдачи: А — результат принят Заказчиком; Б — результат передан клиенту "
        "с отметкой в информационной системе Заказчика."
    )
    document.add_paragraph(
        "Услуги оказаны полностью и в срок. Заказчик претензий по объёму, качеству и срокам "
        "оказания услуг не имеет."
    )
    document.add_paragraph()
    signatures = document.add_table(rows=3, cols=2)
    rows = (
        ("Исполнитель", "Заказчик"),
        ("{{ executor.name }}", "{{ customer.name }}"),
        ("____________________ {{ executor.name|initials }}", "____________________"),
    )
    for row, texts in zip(signatures.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text

    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET))
