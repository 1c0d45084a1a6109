"""Getting the text out of what `srgcli check` is given: .txt, .md, .docx or stdin."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
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
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError):
        raise SrgError(f"{path}: не удаётся открыть как документ DOCX.", ExitCode.USAGE) from None
    lines: list[str] = []
    seen: dict[int, Any] = {}
    for section in document.sections:
        headers: tuple[Any, ...] = (
            section.header,
            section.first_page_header,
            section.even_page_header,
        )
        for part in headers:
            if not part.is_linked_to_previous:
                lines.extend(_block_lines(part, seen))
    lines.extend(_block_lines(document, seen))
    for section in document.sections:
        footers: tuple[Any, ...] = (
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        )
        for part in footers:
            if not part.is_linked_to_previous:
                lines.extend(_block_lines(part, seen))
    return "\n".join(line for line in lines if line.strip())


def _block_lines(container: Any, seen: dict[int, Any]) -> Iterator[str]:
    """Paragraphs and (nested) table cells in document order; merged cells once."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    # Keeping the element alive keeps its id unique.
                    seen[id(cell._tc)] = cell._tc
                    yield from _block_lines(cell, seen)


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
