"""Getting the text out of what `srgcli check` is given: .txt, .md, .docx or stdin."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.gate.engine import Gate
    from srgcli.gate.issue import GateResult
    from srgcli.model import Ticket
    from srgcli.workspace import Workspace

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})
# Fields of a ticket whose words are never spelling errors when its own texts are checked.
CONTEXT_FIELDS = ("id", "client_name", "order_id", "object_address", "bank", "appraiser")


@dataclass
class Document:
    """The text to check and where it came from."""

    name: str
    text: str
    path: Path | None = None

    @property
    def fixable(self) -> bool:
        """True for plain-text files that `--fix` can rewrite."""
        return self.path is not None and self.path.suffix.lower() in TEXT_SUFFIXES


def read_document(source: str, stdin_text: str | None = None) -> Document:
    """Read FILE (.txt, .md, .docx) or '-' for stdin."""
    if source == "-":
        return Document("-", stdin_text or "")
    path = Path(source)
    if not path.is_file():
        raise SrgError(f"Файл {source} не найден.", ExitCode.USAGE)
    if path.suffix.lower() == ".docx":
        return Document(source, docx_text(path), path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SrgError(f"Не удалось прочитать {source}: {exc.strerror}.", ExitCode.USAGE) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1251")
        except UnicodeDecodeError:
            raise SrgError(
                f"{source}: не текст в UTF-8 или Windows-1251.", ExitCode.USAGE
            ) from None
    return Document(source, text.replace("\r\n", "\n"), path)


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a DOCX, with headers and footers, one per line."""
    return "\n".join(text for text, _cell in docx_lines(path))


def docx_lines(path: Path) -> list[tuple[str, bool]]:
    """The non-blank lines of `docx_text()`, each with whether it is a table cell."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError):
        raise SrgError(f"{path}: не удаётся открыть как документ DOCX.", ExitCode.USAGE) from None
    lines: list[tuple[str, bool]] = []
    seen: dict[int, Any] = {}
    for section in document.sections:
        headers: tuple[Any, ...] = (
            section.header,
            section.first_page_header,
            section.even_page_header,
        )
        for part in headers:
            if not part.is_linked_to_previous:
                lines.extend(_block_lines(part, seen, False))
    lines.extend(_block_lines(document, seen, False))
    for section in document.sections:
        footers: tuple[Any, ...] = (
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        )
        for part in footers:
            if not part.is_linked_to_previous:
                lines.extend(_block_lines(part, seen, False))
    return [(text, cell) for text, cell in lines if text.strip()]


def _block_lines(container: Any, seen: dict[int, Any], in_cell: bool) -> Iterator[tuple[str, bool]]:
    """Paragraphs and (nested) table cells in document order; merged cells once."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text, in_cell
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    # Keeping the element alive keeps its id unique.
                    seen[id(cell._tc)] = cell._tc
                    yield from _block_lines(cell, seen, True)


# Rules that do not apply at the start of a table cell: a cell holds a value, not a sentence.
CELL_START_RULES = frozenset({"UPPERCASE_SENTENCE_START"})


def check_docx(
    gate: Gate, path: Path, context: list[str], quoted: Sequence[str] = ()
) -> GateResult:
    """Gate the final text of a DOCX. A table cell may start with a small letter
    ("квартира", "г. Москва"): it is a value, not a sentence. Text in `quoted` (the client's
    own words, quoted verbatim) is not the executor's to correct: issues inside it are dropped.
    """
    lines = docx_lines(path)
    text = "\n".join(t for t, _ in lines)
    result = gate.check(text, context)
    spans = [
        (m.start(), m.end())
        for quote in quoted
        if quote and quote.strip()
        for m in re.finditer(re.escape(quote.strip()), text)
    ]
    if spans:
        result.issues = [
            i for i in result.issues if not any(a <= i.offset and i.end <= b for a, b in spans)
        ]
    cell_starts = set()
    offset = 0
    for line, in_cell in lines:
        if in_cell:
            cell_starts.add(offset)
        offset += len(line) + 1
    result.issues = [
        i for i in result.issues if not (i.rule in CELL_START_RULES and i.offset in cell_starts)
    ]
    result.summary.errors, result.summary.warnings = result.errors, result.warnings
    return result


def ticket_context(ws: Workspace, ticket: Ticket) -> list[str]:
    """The ticket's own names, address, codes and the executor's name: accepted as words."""
    values = [ticket.value(name) or "" for name in CONTEXT_FIELDS]
    values.append(ws.config.executor.name)
    return [v for v in values if v]


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
