"""The call sheet as text lines (for the terminal and .txt), a Word document and JSON.

Stress marks go into every line shown to the executor; JSON carries the lines without them
and the spoken text both ways.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.stress import mark_stress

if TYPE_CHECKING:
    from srgcli.call.sheet import CallSheet


def title(sheet: CallSheet) -> str:
    """«Звонок клиенту: Смирнова Ольга Викторовна, заявка 2026-000200»."""
    return f"Звонок клиенту: {sheet.client.full or 'имя не указано'}, заявка {sheet.ticket_id}"


def sheet_lines(sheet: CallSheet, *, marks: bool = True) -> list[tuple[str, str]]:
    """(kind, text) pairs in order: kind is "title", "heading", "say", "note" or "warning"."""
    mark = mark_stress if marks else (lambda text: text)
    lines: list[tuple[str, str]] = [("title", mark(title(sheet)))]
    for section in sheet.sections:
        lines.append(("heading", mark(section.title)))
        lines += [("warning", mark(w)) for w in section.warnings]
        lines += [("say", mark(s)) for s in section.say]
        lines += [("note", mark(n)) for n in section.notes]
    return lines


_TEXT_PREFIX = {"title": "", "heading": "\n", "say": "  ", "note": "  · ", "warning": "  ⚠ "}


def sheet_text(sheet: CallSheet) -> str:
    """The sheet as plain text with stress marks (`--format txt`)."""
    lines = sheet_lines(sheet)
    return "\n".join(_TEXT_PREFIX[kind] + text for kind, text in lines) + "\n"


def sheet_json(sheet: CallSheet) -> dict[str, Any]:
    """The sheet's fields for scripts: who, when, the sections, the spoken text and the gate."""
    when = sheet.when
    spoken = sheet.spoken_text()
    return {
        "ticket_id": sheet.ticket_id,
        "client": {
            "name": sheet.client.full,
            "polite": sheet.client.polite,
            "gender": sheet.client.gender or None,
            "phone": sheet.phone,
        },
        "executor": {"name": sheet.executor.full, "gender": sheet.executor.gender or None},
        "customer": sheet.customer or None,
        "local_time": {
            "zone": when.zone.zone,
            "zone_source": when.zone.source,
            "utc_offset": when.utc_offset,
            "local": when.local.isoformat(timespec="minutes"),
            "business_day": when.business_day,
            "within_hours": when.within_hours,
            "good_time": when.good,
            "next_window": when.next_window.isoformat(timespec="minutes")
            if when.next_window
            else None,
        },
        "sections": [section.to_json() for section in sheet.sections],
        "text": spoken,
        "text_marked": mark_stress(spoken),
        "gate": _gate_json(sheet),
    }


def _gate_json(sheet: CallSheet) -> dict[str, Any] | None:
    if sheet.gate is None:
        return None
    return {
        "passed": sheet.gate.passed,
        "errors": sheet.gate.errors,
        "warnings": sheet.gate.warnings,
        "issues": [issue.to_json() for issue in sheet.gate.issues],
    }


def docx_bytes(sheet: CallSheet) -> bytes:
    """The sheet as a Word document (Russian proofing language, the executor as author)."""
    import io

    from srgcli.calendar import now
    from srgcli.render.docx import DocumentProperties, plain_document

    props = DocumentProperties(
        title=f"Лист звонка по обращению № {sheet.ticket_id}",
        subject=f"Обращение № {sheet.ticket_id}",
        author=sheet.executor.full,
    )
    document = plain_document(props, now())
    for kind, text in sheet_lines(sheet):
        if kind == "title":
            document.add_heading(text, level=1)
        elif kind == "heading":
            document.add_heading(text, level=2)
        elif kind == "say":
            document.add_paragraph(text)
        else:
            run = document.add_paragraph().add_run(("⚠ " if kind == "warning" else "") + text)
            run.italic = True
            run.bold = kind == "warning"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def default_path(root: Path, ticket_id: str, fmt: str) -> Path:
    """`outbox/calls/<ticket>/call-<ticket>-<YYYYmmddTHHMM>.<fmt>` in the workspace."""
    from srgcli.calendar import MOSCOW, now
    from srgcli.workspace.names import safe_part

    safe = safe_part(ticket_id)
    stamp = now().astimezone(MOSCOW).strftime("%Y%m%dT%H%M")
    return root / "outbox" / "calls" / safe / f"call-{safe}-{stamp}.{fmt}"
